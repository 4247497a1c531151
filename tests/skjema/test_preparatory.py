"""The preparatory document's content: per municipality the recommended number and
justification, profile highlights, statistics, IMDi's comments and what changed since last
year (following code history); the county's plans and the sum against its share; never a draft.
And the Word file, parsed back."""

import io
import json

import pytest
from django.utils import translation
from docx import Document

from portal.accounts.models import Role
from portal.register.models import County
from skjema import meetings, services
from skjema.preparatory import build_content, document_docx

from . import meetings_support as support
from .conftest import COMPLETE_CAPACITY, fill_profile, make_round
from .meetings_support import (
    DRAFT_OFFER,
    DRAFT_TEXT,
    RETURN_COMMENT,
    SKIEN_JUSTIFICATION,
    YEAR,
    profile,
)

# The shared fixtures, by assignment (an import would read as unused and redefined).
meeting_tree = support.meeting_tree
pages = support.pages
telemark = support.telemark

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(telemark, pages, counties):
    return build_content(telemark, pages["telemark"], counties["40"])


def municipality(content, number):
    return next(row for row in content["municipalities"] if row["number"] == number)


class TestContent:
    def test_every_municipality_of_the_county_in_number_order(self, content):
        numbers = [row["number"] for row in content["municipalities"]]
        assert numbers == sorted(numbers)
        assert len(numbers) == 17  # Telemark in the 2024 structure
        assert content["county"] == {"number": "40", "name": "Telemark"}
        assert json.loads(json.dumps(content)) == content  # plain JSON, frozen as it is

    def test_recommended_number_and_justification(self, content):
        skien = municipality(content, "4003")
        assert skien["recommended"] == {"number": 40, "justification": SKIEN_JUSTIFICATION}
        assert municipality(content, "4001")["recommended"]["number"] == 10

    def test_sum_against_the_share(self, content):
        assert content["sum"] == {
            "recommended": 40 + 16 * 10,
            "municipalities": 17,
            "share": 300,
            "difference": 200 - 300,
            "percent": 67,
        }

    def test_county_plans(self, content):
        county = content["county_submission"]
        assert county["version"] == 1
        plans = {item["label"]: item["value"] for item in county["plans"]}
        assert plans["Tittel på planen"] == "Kvalifiseringsplan for Telemark"

    def test_profile_highlights_from_the_submitted_version(self, content):
        skien = municipality(content, "4003")
        assert skien["profile"]["status"] == "Returnert for retting"
        parts = {part["key"]: part for part in skien["highlights"]}
        [offer] = parts["qualification"]["items"]
        assert offer["label"] == "Introduksjonsprogram med fagbrev (Introduksjonsprogram)"
        assert "72,5 % i arbeid eller utdanning (kull 2024, 40 deltakere)" in offer["text"]
        assert parts["upper_secondary"]["items"][0]["text"].startswith("Vg1, Skien videregående")
        assert parts["labour"]["items"][0]["label"].startswith("53 ")
        capacity = {item["label"]: item["text"] for item in parts["capacity"]["items"]}
        assert capacity["Antall kommunen kan bosette"] == "40"
        assert capacity["Ønsker å bosette"] == "Ja"

    def test_imdi_comments(self, content):
        [comment] = municipality(content, "4003")["comments"]
        assert comment["text"] == RETURN_COMMENT
        assert comment["where"].startswith("Del 1: Kvalifiseringstilbud")
        assert comment["where"].endswith("Resultat: andel i arbeid eller utdanning (%)")
        assert comment["version"] == 1

    def test_changes_since_last_year(self, content):
        changes = municipality(content, "4003")["changes"]
        assert changes["since"] == YEAR - 1
        assert "versjon 1 (godkjent)" in changes["against"]
        [section] = changes["sections"]
        assert section["title"] == "Kapasitet og vilje til å bosette"
        assert {"label": "Antall kommunen kan bosette", "old": "25", "new": "40"} in section[
            "fields"
        ]
        # Porsgrunn has no profile from last year to compare with.
        assert municipality(content, "4001")["changes"] == {"since": None, "sections": []}

    def test_statistics_for_the_last_years(self, content):
        stats = municipality(content, "4003")["statistics"]
        assert stats["columns"] == ["Anmodet", "Vedtatt", "Bosatt"]
        assert stats["rows"] == [
            {"year": 2024, "values": ["60", "50", "48"]},
            {"year": 2025, "values": ["55", "55", ".."]},
        ]
        assert municipality(content, "4001")["statistics"] is None

    def test_never_a_drafts_content(self, content):
        text = json.dumps(content, ensure_ascii=False)
        assert DRAFT_TEXT not in text  # Skien's working copy after the return
        assert DRAFT_OFFER not in text  # Notodden, never submitted
        notodden = municipality(content, "4005")
        assert notodden["profile"] is None
        assert notodden["highlights"] == []
        assert notodden["comments"] == []
        assert notodden["recommended"]["number"] == 10  # from the county's submitted version
        assert (
            notodden["changes"]["not_submitted"] is True
        )  # «ikke sendt inn», not «Ingen endringer»

    def test_a_county_without_a_submitted_county_submission(self, telemark, pages, counties):
        content = build_content(telemark, pages["oslo"], counties["03"])
        assert content["county_submission"] is None
        assert content["sum"]["recommended"] is None
        assert content["municipalities"][0]["recommended"] is None


def test_changes_follow_code_history(opened, pages, users, make_user, counties):
    """Skien was 3807 in the 2020–2023 structure: its 2023 profile is last year's for 4003."""
    vestfold_og_telemark = County.objects.get(number="38")
    officer = make_user("fylke-38", Role.COUNTY_OFFICER, vestfold_og_telemark)
    old_round = make_round(2023)
    services.open_round(old_round, counties=[vestfold_og_telemark])
    old = fill_profile(profile(old_round, "3807"), officer)
    services.submit(old, officer, now=old_round.deadline.replace(month=5))
    services.accept(old, users["imdi"])
    capacity = {**COMPLETE_CAPACITY, "capacity": 40}
    skien = fill_profile(profile(opened, "4003"), users["fylke_b"], capacity=capacity)
    services.submit(skien, users["fylke_b"])

    content = build_content(opened, pages["telemark"], counties["40"])
    changes = municipality(content, "4003")["changes"]
    assert changes["since"] == 2023
    assert changes["against"].startswith("3807 Skien, versjon 1")
    capacity = next(s for s in changes["sections"] if s["title"].startswith("Kapasitet"))
    assert capacity["fields"] == [
        {"label": "Antall kommunen kan bosette", "old": "25", "new": "40"}
    ]


class TestDocx:
    def test_parsed_back_it_has_the_same_content(self, telemark, pages, users):
        snapshot = meetings.generate(pages["telemark"], users["imdi"])
        data = document_docx(snapshot.content, version=snapshot.number)
        parsed = Document(io.BytesIO(data))
        paragraphs = [p.text for p in parsed.paragraphs]
        rows = [[cell.text for cell in row.cells] for table in parsed.tables for row in table.rows]
        text = "\n".join(paragraphs + ["\t".join(row) for row in rows])

        assert parsed.core_properties.title.startswith("Saksforberedende dokument – Telemark")
        for name in ("4003 Skien", "4001 Porsgrunn", "4005 Notodden"):
            assert name in paragraphs  # a heading per municipality
        assert ["4003 Skien", "Returnert for retting", "40"] in rows
        assert ["Anbefalt antall", "40"] in rows
        assert ["Sum anbefalt", "200 (for 17 kommuner)"] in rows
        assert any(RETURN_COMMENT in p for p in paragraphs)
        assert ["Antall kommunen kan bosette", "25", "40"] in rows
        assert ["2024", "60", "50", "48"] in rows
        assert DRAFT_TEXT not in text
        assert DRAFT_OFFER not in text
        assert "Kommuneprofilen er ikke sendt inn." in paragraphs  # Notodden's draft

    def test_a4_page_numbers_and_properties(self, telemark, pages, users):
        snapshot = meetings.generate(pages["telemark"], users["imdi"])
        parsed = Document(io.BytesIO(document_docx(snapshot.content, version=snapshot.number)))
        section = parsed.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        footer = section.footer.paragraphs[0]._p.xml
        assert "PAGE" in footer and "fldChar" in footer
        assert parsed.core_properties.author == "IMDi"
        assert parsed.core_properties.title.startswith("Saksforberedende dokument")


class TestMalform:
    """What IMDi sends a county is in the county's målform (språklova): Telemark set to
    nynorsk gets its document, the Word file and its properties in nynorsk, whatever the
    language of the IMDi officer who makes it; a county with «nøytral» gets bokmål."""

    def test_a_nynorsk_county_gets_its_document_in_nynorsk(self, telemark, pages, users):
        County.objects.filter(number="40").update(malform="nynorsk")
        snapshot = meetings.generate(pages["telemark"], users["imdi"])
        assert snapshot.content["language"] == "nn"
        parsed = Document(io.BytesIO(document_docx(snapshot.content, version=snapshot.number)))
        paragraphs = [p.text for p in parsed.paragraphs]
        rows = [[cell.text for cell in row.cells] for table in parsed.tables for row in table.rows]
        assert parsed.core_properties.title.startswith("Saksførebuande dokument – Telemark")
        assert parsed.core_properties.language == "nn-NO"
        assert ["Sum tilrådd", "200 (for 17 kommunar)"] in rows, rows[:12]
        assert "Kommuneprofilen er ikkje send inn." in paragraphs  # Notodden's draft
        assert "Kommuneprofilen er ikke sendt inn." not in paragraphs

    def test_a_neutral_county_gets_bokmal_even_from_a_nynorsk_officer(self, telemark, pages, users):
        County.objects.filter(number="40").update(malform="noytral")
        imdi = users["imdi"]
        with translation.override("nn"):
            snapshot = meetings.generate(pages["telemark"], imdi)
        assert snapshot.content["language"] == "nb"
        parsed = Document(io.BytesIO(document_docx(snapshot.content, version=snapshot.number)))
        assert parsed.core_properties.title.startswith("Saksforberedende dokument – Telemark")
        assert parsed.core_properties.language == "nb-NO"
