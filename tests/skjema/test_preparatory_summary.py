"""The preparatory document's summary table (requested, recommended, stated capacity, the last
three years' decided and settled), its flagged deviations, drafts as «ikke sendt inn», the moment
the data was read; and the same content as a valid A4 PDF and Word file."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from portal.register.models import County
from skjema import services
from skjema.preparatory import build_content, document_docx, document_pdf
from skjema.preparatory.summary import Entry, summary_table

from . import meetings_support as support
from .conftest import COMPLETE_CAPACITY
from .meetings_support import add_statistics, profile, save

meeting_tree = support.meeting_tree
pages = support.pages
telemark = support.telemark

pytestmark = pytest.mark.django_db
A4 = (595.28, 841.89)  # points


@pytest.fixture
def figures(telemark, users):
    """Porsgrunn (recommended 10, capacity 25): requested 30 in 2025 (10 is below half), 10 of
    20 decided settled in 2023 (far below), 0 of 4 in 2024 (too few decided to flag). Skien
    submitted again with capacity 30, below its recommendation of 40. Notodden's draft states
    capacity 5: never read."""
    add_statistics(
        "4001",
        {"anmodning": {2025: 30}, "vedtak": {2023: 20, 2024: 4}, "bosatt": {2023: 10, 2024: 0}},
    )
    officer = users["fylke_b"]
    skien = profile(telemark, "4003")
    save(skien, "capacity", {**COMPLETE_CAPACITY, "capacity": 30}, officer)
    services.submit(skien, officer)
    notodden = profile(telemark, "4005")
    save(notodden, "capacity", {**COMPLETE_CAPACITY, "capacity": 5}, officer)
    return telemark


@pytest.fixture
def content(figures, pages, counties):
    return build_content(figures, pages["telemark"], counties["40"])


def row(content, number):
    return next(r for r in content["summary"]["rows"] if r["number"] == number)


class TestSummaryTable:
    def test_columns_and_rows(self, content):
        summary = content["summary"]
        assert summary["years"] == [2023, 2024, 2025]
        assert summary["requested_year"] == 2025
        assert len(summary["rows"]) == 17
        assert row(content, "4003") == {
            "number": "4003",
            "name": "Skien",
            "profile": "Sendt inn på nytt",
            "submitted": True,
            "requested": "55",
            "recommended": "40",
            "capacity": "30",
            "decided": ["..", "50", "55"],
            "settled": ["..", "48", ".."],
            "deviations": ["Over oppgitt kapasitet"],
        }
        porsgrunn = row(content, "4001")
        assert (porsgrunn["requested"], porsgrunn["recommended"], porsgrunn["capacity"]) == (
            "30",
            "10",
            "25",
        )
        assert porsgrunn["deviations"] == ["Under halve anmodningen", "Bosatt langt under vedtatt"]

    def test_a_draft_is_not_submitted_and_its_capacity_is_never_read(self, content):
        notodden = row(content, "4005")
        assert (notodden["profile"], notodden["submitted"]) == ("ikke sendt inn", False)
        assert notodden["capacity"] == "–"
        assert notodden["deviations"] == []  # 10 recommended, 5 only in the draft

    def test_deviations_listed_with_their_figures(self, content):
        listed = {(d["number"], d["kind"]): d["text"] for d in content["summary"]["deviations"]}
        assert set(listed) == {
            ("4003", "above_capacity"),
            ("4001", "below_half_request"),
            ("4001", "settled_far_below"),
        }
        assert listed[("4003", "above_capacity")] == (
            "Anbefalt 40 er over kapasiteten kommunen har oppgitt (30)."
        )
        assert listed[("4001", "below_half_request")] == (
            "Anbefalt 10 er under halvparten av anmodningen for 2025 (30)."
        )
        # 2024 (0 of 4) is not flagged: fewer than PREPARATORY_MIN_DECIDED decided.
        assert listed[("4001", "settled_far_below")] == "2023: 10 bosatt av 20 vedtatt (50 %)."
        assert "under 75 % av vedtatt, i år med minst 5 vedtatt" in content["summary"]["rules"]

    def test_the_moment_the_data_was_read(self, figures, pages, counties):
        import datetime

        from django.utils import timezone

        moment = timezone.make_aware(datetime.datetime(2026, 9, 15, 9, 0))
        content = build_content(figures, pages["telemark"], counties["40"], now=moment)
        assert content["generated_at"] == "15. september 2026 kl. 09.00"
        assert content["read_at"] == moment.isoformat()

    def test_thresholds_are_settings(self, figures, pages, counties, settings):
        settings.PREPARATORY_SETTLED_BELOW_PERCENT = 40  # 50 % is no longer «far below»
        content = build_content(figures, pages["telemark"], counties["40"])
        assert row(content, "4001")["deviations"] == ["Under halve anmodningen"]


class TestSummaryRules:
    """The rules on plain entries, where the register withholds a figure."""

    def cells(self, by_year):
        from decimal import Decimal

        from portal.register.statistics_display import TableCell

        def cell(value):
            if value == ":":
                return TableCell(None, "suppressed")
            return None if value is None else TableCell(Decimal(value), "value")

        return {
            year: {
                key: cell(v)
                for key, v in zip(("requested", "decided", "settled"), values, strict=True)
            }
            for year, values in by_year.items()
        }

    def test_a_withheld_figure_is_shown_as_withheld_and_never_compared(self):
        entry = Entry("3103", "Moss", "Godkjent", 2, 10, self.cells({2019: (":", "30", ":")}))
        table = summary_table([entry], county_submitted=True)
        [shown] = table["rows"]
        assert (shown["requested"], shown["decided"], shown["settled"]) == (":", ["30"], [":"])
        assert table["deviations"] == []  # 2 is below half of nothing: the request is withheld

    def test_without_the_county_submission_the_recommendation_is_not_submitted(self):
        entry = Entry("4003", "Skien", "Godkjent", None, 10, {})
        [shown] = summary_table([entry], county_submitted=False)["rows"]
        assert shown["recommended"] == "ikke sendt inn"


class TestFiles:
    def test_pdf_is_a4_with_title_author_and_page_numbers(self, content):
        data = document_pdf(content, version=3)
        assert data.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(data))
        assert reader.metadata.title == "Saksforberedende dokument – Telemark, bosetting 2027"
        assert reader.metadata.author == "IMDi"
        assert len(reader.pages) > 2
        for page in reader.pages:
            assert (
                round(float(page.mediabox.width), 2),
                round(float(page.mediabox.height), 2),
            ) == A4
        first = reader.pages[0].extract_text()
        assert "Side 1" in first
        assert "Side 2" in reader.pages[1].extract_text()
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Oversikt per kommune" in text
        assert "Over oppgitt kapasitet" in text
        assert "Anbefalt 40 er over kapasiteten kommunen har oppgitt (30)." in " ".join(
            text.split()
        )
        assert "ikke sendt inn" in text
        assert support.DRAFT_TEXT not in text

    def test_word_has_the_same_summary_table(self, content):
        document = Document(io.BytesIO(document_docx(content, version=3)))
        assert document.core_properties.title == (
            "Saksforberedende dokument – Telemark, bosetting 2027"
        )
        assert document.core_properties.author == "IMDi"
        section = document.sections[0]
        assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
        summary = next(
            t
            for t in document.tables
            if t.rows[0].cells[0].text == "Kommune" and len(t.columns) == 12
        )
        header = [cell.text for cell in summary.rows[0].cells]
        assert header[:5] == ["Kommune", "Kommuneprofil", "Anmodet 2025", "Anbefalt", "Kapasitet"]
        assert header[5:] == [
            "Vedtatt 2023",
            "Vedtatt 2024",
            "Vedtatt 2025",
            "Bosatt 2023",
            "Bosatt 2024",
            "Bosatt 2025",
            "Avvik",
        ]
        skien = next(r for r in summary.rows if r.cells[0].text == "4003 Skien")
        assert [c.text for c in skien.cells][2:5] == ["55", "40", "30"]
        assert skien.cells[-1].text == "Over oppgitt kapasitet"
        paragraphs = "\n".join(p.text for p in document.paragraphs)
        assert "4001 Porsgrunn – Under halve anmodningen: " in paragraphs


def test_the_pdf_of_a_nynorsk_county_is_in_nynorsk(telemark, pages, counties):
    County.objects.filter(number="40").update(malform="nynorsk")
    content = build_content(telemark, pages["telemark"], County.objects.get(number="40"))
    reader = PdfReader(io.BytesIO(document_pdf(content, version=1)))
    assert reader.metadata.title == "Saksførebuande dokument – Telemark, busetjing 2027"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Side 1" in text and "Sum tilrådd" in text and "Sum anbefalt" not in text
