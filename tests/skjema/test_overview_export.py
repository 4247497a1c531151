"""The round overview's export (CSV per sheet, XLSX with every sheet): per county the counts,
the sum of recommended numbers against the share and the county meeting's document; per-section
completeness; the meetings. Codes stay text, formulas are neutralised, and only IMDi and KS may
export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from skjema import meetings, overview, services
from skjema.models import Submission

from . import meetings_support as support
from .conftest import fill_profile
from .meetings_support import YEAR, profile

# The shared fixtures, by assignment (an import would read as unused and redefined).
meeting_tree = support.meeting_tree
pages = support.pages
telemark = support.telemark

pytestmark = pytest.mark.django_db

CSV_URL = "skjema:round-overview-csv"
XLSX_URL = "skjema:round-overview-xlsx"


def csv_rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


@pytest.fixture
def imdi(client, users):
    client.force_login(users["imdi"])
    return client


@pytest.fixture
def progress(telemark, pages, users):
    """Telemark as in ``telemark``, plus Notodden submitted late and the document generated."""
    officer = users["fylke_b"]
    notodden = Submission.objects.get(round=telemark, municipality__number="4005").specific
    telemark.deadline = timezone.now() - datetime.timedelta(hours=1)
    telemark.save(update_fields=["deadline"])
    services.submit(notodden, officer, late_reason="Kommunestyret møttes sent.")
    meetings.generate(pages["telemark"], users["imdi"])
    return telemark


class TestCounties:
    def test_counts_sums_and_document_per_county(self, imdi, progress, pages):
        rows = {
            row["Fylkesnummer"]: row for row in csv_rows(imdi.get(reverse(CSV_URL, args=[YEAR])))
        }
        telemark = rows["40"]
        assert telemark["Fylke"] == "Telemark"
        assert telemark["Kommuneprofiler"] == "17"
        # Skien returned, Porsgrunn accepted, Notodden submitted late.
        assert telemark["Sendt inn (minst én gang)"] == "3"
        assert telemark["Venter på IMDi"] == "1"
        assert (telemark["Returnert"], telemark["Godkjent"]) == ("1", "1")
        assert telemark["Sendt inn etter fristen"] == "1"
        assert telemark["Utkast"] == "14"
        assert (telemark["Sum anbefalt"], telemark["Fylkets andel"]) == ("200", "300")
        assert telemark["Differanse"] == "-100"
        assert telemark["Fylkets innspill"] == "Sendt inn"
        due = meetings.due_date(pages["telemark"])
        assert telemark["Frist for saksforberedende dokument"] == due.strftime("%d.%m.%Y")
        assert telemark["Dokumentstatus"] == "Klart, ikke sendt"
        assert rows["03"]["Dokumentstatus"] == "Skal lages"
        assert rows["03"]["Sum anbefalt"] == ""  # Oslo has not submitted its numbers
        assert list(rows)[:2] == ["03", "11"]  # county numbers as text, leading zero kept

    def test_bounded_queries(self, imdi, progress, django_assert_max_num_queries):
        with django_assert_max_num_queries(12):
            imdi.get(reverse(CSV_URL, args=[YEAR]))
        with django_assert_max_num_queries(14):
            imdi.get(reverse(XLSX_URL, args=[YEAR]))


class TestSheets:
    def test_completeness_sheet(self, imdi, progress):
        response = imdi.get(reverse(CSV_URL, args=[YEAR]), {"ark": "fullstendighet"})
        rows = csv_rows(response)
        assert [row["Del"] for row in rows] == ["1", "2", "3", "4", "5"]
        qualification = rows[0]
        assert qualification["Innsendte profiler"] == "3"
        assert qualification["Utfylt"] == "3"
        assert rows[2]["Utfylt"] == "0"  # nobody reported cooperation
        assert (
            'filename="bosetting-2027-oversikt-fullstendighet.csv"'
            in response["Content-Disposition"]
        )

    def test_meetings_sheet_in_time_order(self, imdi, progress):
        rows = csv_rows(imdi.get(reverse(CSV_URL, args=[YEAR]), {"ark": "moter"}))
        assert [row["Hendelse"] for row in rows][0] == "Felles digitalt møte"
        assert "Frist for fylkenes innspill" in [row["Hendelse"] for row in rows]
        telemark = next(row for row in rows if row["Fylkesnummer"] == "40")
        assert telemark["Dokumentstatus"] == "Klart, ikke sendt"

    def test_unknown_sheet(self, imdi, progress):
        response = imdi.get(reverse(CSV_URL, args=[YEAR]), {"ark": "hemmelig"})
        assert response.status_code == 404

    def test_xlsx_has_every_sheet_with_codes_as_text(self, imdi, progress):
        response = imdi.get(reverse(XLSX_URL, args=[YEAR]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = workbook(response)
        assert book.sheetnames == ["Fylker", "Fullstendighet", "Møter"]
        counties = book["Fylker"]
        first = counties["A2"]
        assert (first.value, first.data_type, first.number_format) == ("03", "s", "@")
        telemark = next(row for row in counties.iter_rows(min_row=2) if row[0].value == "40")
        assert telemark[2].value == 17  # counts are numbers
        assert telemark[10].value == 200
        assert book["Møter"]["D1"].value == "Fylkesnummer"


class TestNeutralisation:
    @pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
    def test_text_that_looks_like_a_formula(self, imdi, progress, pages, prefix):
        page = pages["telemark"]
        page.title = f'{prefix}HYPERLINK("https://evil.example","Klikk")'
        page.save()
        rows = csv_rows(imdi.get(reverse(CSV_URL, args=[YEAR]), {"ark": "moter"}))
        titles = [row["Hendelse"] for row in rows]
        assert f"'{page.title}" in titles
        assert page.title not in titles

        sheet = workbook(imdi.get(reverse(XLSX_URL, args=[YEAR])))["Møter"]
        cells = [row[1] for row in sheet.iter_rows(min_row=2)]
        evil = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
        assert evil.value == f"'{page.title}"
        assert evil.data_type == "s"


class TestAccess:
    @pytest.mark.parametrize("who", ["imdi", "ks", "admin"])
    def test_imdi_and_ks(self, client, users, telemark, who):
        client.force_login(users[who])
        assert client.get(reverse(CSV_URL, args=[YEAR])).status_code == 200
        assert client.get(reverse(XLSX_URL, args=[YEAR])).status_code == 200

    @pytest.mark.parametrize("who", ["fylke_a", "fylke_b", "editor", "outsider"])
    def test_refused(self, client, users, telemark, who):
        client.force_login(users[who])
        assert client.get(reverse(CSV_URL, args=[YEAR])).status_code == 403
        assert client.get(reverse(XLSX_URL, args=[YEAR])).status_code == 403

    def test_anonymous_is_sent_to_login(self, client, telemark):
        response = client.get(reverse(CSV_URL, args=[YEAR]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_unknown_round(self, imdi, register):
        assert imdi.get(reverse(CSV_URL, args=[1999])).status_code == 404


def test_county_overview_reads_no_draft_content(telemark, users):
    """A draft's recommended numbers never count: only the county's submitted version does."""
    fill_profile(profile(telemark, "4010"), users["fylke_b"])  # a draft stays a draft
    extra = overview.county_overview(telemark)
    row = next(r for r in extra.counties if r.county.number == "40")
    assert row.recommendation.recommended == 200
    assert row.drafts == 15
