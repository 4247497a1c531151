"""The county workbook round trip: download with codes as text, upload, preview (writes
nothing), confirm (each municipality all or nothing), conflicts, and every refusal from the
refused side. Partial imports, the refused rows and «send inn» are in
test_spreadsheets_partial.py."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from skjema import services
from skjema.models import (
    LabourNeed,
    MunicipalityProfile,
    PendingImport,
    Round,
    SectionEdit,
    Status,
)
from skjema.spreadsheets.importer import preview_workbook

from .conftest import fill_profile

pytestmark = pytest.mark.django_db

YEAR = 2027
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, *args):
    return reverse(f"skjema:{name}", args=[YEAR, *args])


def download(client, user):
    client.force_login(user)
    response = client.get(url("spreadsheet-download"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def as_upload(workbook, name="arbeidsbok.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(client, workbook):
    return client.post(url("spreadsheet"), {"workbook": as_upload(workbook)})


def header(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def rows_for(sheet, number):
    return [row for row in sheet.iter_rows(min_row=2) if row[0].value == number]


def data_row(sheet, number):
    """The first row of the municipality that holds data (has a row id)."""
    return next(row for row in rows_for(sheet, number) if row[2].value)


def blank_row(sheet, number):
    return next(row for row in rows_for(sheet, number) if not row[2].value)


def pending_of(response) -> PendingImport:
    assert response.status_code == 302, response.content.decode()[:2000]
    return PendingImport.objects.get(token=response.url.rstrip("/").split("/")[-1])


@pytest.fixture
def filled_skien(skien, users):
    return fill_profile(skien, users["fylke_b"])


def edit_counts():
    return SectionEdit.objects.count(), SectionEdit.objects.filter(source="import").count()


class TestDownload:
    def test_page_offers_download_and_upload(self, client, opened, users):
        client.force_login(users["fylke_b"])
        response = client.get(url("spreadsheet"))
        assert response.status_code == 200
        content = response.content.decode()
        assert url("spreadsheet-download") in content
        assert 'type="file"' in content

    def test_codes_are_text_cells(self, client, filled_skien, oslo, users):
        workbook = download(client, users["fylke_b"])
        visible = [sheet.title for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
        assert visible == [
            "Veiledning",
            "Kvalifiseringstilbud",
            "Videregående opplæring",
            "Interkommunalt samarbeid",
            "Arbeidskraftbehov",
            "Kapasitet",
        ]
        labour = workbook["Arbeidskraftbehov"]
        columns = header(labour)
        row = data_row(labour, "4003")
        number = row[columns["Kommunenummer"] - 1]
        code = row[columns["Yrke (STYRK-08)"] - 1]
        assert (number.value, number.data_type, number.number_format) == ("4003", "s", "@")
        assert (code.value, code.data_type, code.number_format) == ("53", "s", "@")
        assert row[columns["Kompetansenivå"] - 1].value == "Fagbrev"  # the label, not the code
        assert row[columns["Rad-ID"] - 1].value == str(
            LabourNeed.objects.get(profile=filled_skien).uid
        )

        oslo_book = download(client, users["fylke_a"])
        first = oslo_book["Kapasitet"]["A2"]
        assert (first.value, first.data_type, first.number_format) == ("0301", "s", "@")

    def test_only_own_county_and_a_guide(self, client, opened, users):
        workbook = download(client, users["fylke_b"])
        numbers = {row[0].value for row in workbook["Kapasitet"].iter_rows(min_row=2)}
        assert len(numbers) == 17 and "0301" not in numbers
        assert all(number.startswith("40") for number in numbers)
        guide = [c for row in workbook["Veiledning"].iter_rows(values_only=True) for c in row]
        text = " ".join(str(c) for c in guide if c)
        assert "Introduksjonsprogram" in text and "(introduction)" not in text
        assert "53" in guide and "HSHSF1----" in guide

        oslo_book = download(client, users["fylke_a"])
        numbers = {row[0].value for row in oslo_book["Kapasitet"].iter_rows(min_row=2)}
        assert numbers == {"0301"}

    def test_download_queries_are_bounded(
        self, client, filled_skien, users, django_assert_max_num_queries
    ):
        client.force_login(users["fylke_b"])
        with django_assert_max_num_queries(20):
            assert client.get(url("spreadsheet-download")).status_code == 200

    def test_upload_and_preview_queries_are_bounded(
        self, client, filled_skien, users, django_assert_max_num_queries
    ):
        workbook = download(client, users["fylke_b"])
        capacity = workbook["Kapasitet"]
        column = header(capacity)["Antall kommunen kan bosette"]
        for row in range(2, capacity.max_row + 1):  # every one of the 17 municipalities
            capacity.cell(row=row, column=column, value=12)
        with django_assert_max_num_queries(30):
            response = upload(client, workbook)
        assert len(pending_of(response).changes) == 17
        with django_assert_max_num_queries(8):
            assert client.get(response.url).status_code == 200


class TestRoundTrip:
    def test_edit_and_add_then_confirm(self, client, filled_skien, users):
        county = users["fylke_b"]
        workbook = download(client, county)
        labour = workbook["Arbeidskraftbehov"]
        columns = header(labour)
        row = data_row(labour, "4003")
        row[columns["Beskrivelse"] - 1].value = "Helsefagarbeidere, også deltid."
        new = blank_row(labour, "4001")  # Porsgrunn has no rows yet; the workbook leaves one
        new[columns["Yrke (STYRK-08)"] - 1].value = "71"
        new[columns["Kompetansenivå"] - 1].value = "Fagbrev"
        new[columns["Omfang av behovet"] - 1].value = "Middels"
        capacity = workbook["Kapasitet"]
        capacity_columns = header(capacity)
        skien_capacity = rows_for(capacity, "4003")[0]
        skien_capacity[capacity_columns["Antall kommunen kan bosette"] - 1].value = 30
        before = edit_counts()

        response = upload(client, workbook)
        pending = pending_of(response)
        assert edit_counts() == before  # the preview wrote nothing
        preview = client.get(response.url)
        content = preview.content.decode()
        assert preview.status_code == 200
        assert "Ny rad" in content and "Endret" in content and "Uendret" in content
        assert "Helsefagarbeidere, også deltid." in content  # the field change, from the diff
        assert "Lagre endringene" in content
        assert pending.report["counts"]["created"] == 1
        assert pending.report["counts"]["changed"] == 2
        assert {(c["municipality"], c["section"]) for c in pending.changes} == {
            ("4003", "labour"),
            ("4001", "labour"),
            ("4003", "capacity"),
        }

        response = client.post(url("spreadsheet-confirm", pending.token))
        assert response.status_code == 302
        assert edit_counts() == (before[0] + 3, 3)
        skien = MunicipalityProfile.objects.get(pk=filled_skien.pk)
        assert skien.labour_needs.get().description == "Helsefagarbeidere, også deltid."
        assert skien.capacity == 30
        porsgrunn = MunicipalityProfile.objects.get(round__year=YEAR, municipality__number="4001")
        need = porsgrunn.labour_needs.get()
        assert (need.occupation.code, need.competence_level, need.scale) == (
            "71",
            "trade_certificate",
            "medium",
        )
        # The new row got the id shown at preview time, so the next download matches it back.
        created = next(c for c in pending.changes if c["municipality"] == "4001")
        assert str(need.uid) == created["data"][0]["uid"]

        again = client.post(url("spreadsheet-confirm", pending.token))
        assert again.status_code == 400
        assert edit_counts() == (before[0] + 3, 3)

    def test_a_fresh_download_uploads_without_changes(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        before = edit_counts()
        pending = pending_of(upload(client, workbook))
        assert not pending.has_errors and pending.changes == []
        assert pending.report["counts"]["unchanged"] > 0
        content = client.get(url("spreadsheet-preview", pending.token)).content.decode()
        assert "Lagre endringene" not in content
        assert "ingen endringer" in content
        assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 400
        assert edit_counts() == before

    def test_deleting_a_row_deletes_it(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        labour = workbook["Arbeidskraftbehov"]
        labour.delete_rows(data_row(labour, "4003")[0].row)
        pending = pending_of(upload(client, workbook))
        assert pending.report["counts"]["deleted"] == 1
        assert "Slettes" in client.get(url("spreadsheet-preview", pending.token)).content.decode()
        client.post(url("spreadsheet-confirm", pending.token))
        assert not LabourNeed.objects.filter(profile=filled_skien).exists()


class TestBadRows:
    def test_numeric_municipality_and_unknown_code_write_nothing(self, client, opened, oslo, users):
        county = users["fylke_a"]
        workbook = download(client, county)
        labour = workbook["Arbeidskraftbehov"]
        columns = header(labour)
        good = blank_row(labour, "0301")  # a valid new row...
        good[columns["Yrke (STYRK-08)"] - 1].value = "53"
        bad = labour.max_row + 1  # ...and a row Excel has turned into numbers
        labour.cell(row=bad, column=columns["Kommunenummer"], value=301)
        labour.cell(row=bad, column=columns["Yrke (STYRK-08)"], value="99")
        worse = bad + 1
        labour.cell(row=worse, column=columns["Kommunenummer"], value="0301")
        labour.cell(row=worse, column=columns["Yrke (STYRK-08)"], value=53)
        labour.cell(row=worse, column=columns["Omfang av behovet"], value="Enorm")
        before = edit_counts()

        response = upload(client, workbook)
        pending = pending_of(response)
        # The file can be read; Oslo's rows have errors, so Oslo is refused as a whole (the
        # good new row too), and the row with number 301 belongs to no municipality.
        assert not pending.has_errors and pending.changes == []
        assert pending.report["refused"] == ["0301"]
        texts = [p["text"] for p in pending.report["problems"]]
        assert (
            f"Ark «Arbeidskraftbehov», rad {bad}, kolonne «Kommunenummer»: 301 er et tall; "
            "skriv kommunenummeret som tekst med fire sifre, f.eks. «0301»." in texts
        )
        assert (
            f"Ark «Arbeidskraftbehov», rad {bad}, kolonne «Yrke (STYRK-08)»: Ukjent "
            "STYRK-08-kode «99». Se arket «Veiledning» for gyldige koder." in texts
        )
        assert any(
            t.startswith(f"Ark «Arbeidskraftbehov», rad {worse}, kolonne «Yrke (STYRK-08)»: 53 er")
            for t in texts
        )
        assert any("«Enorm» er ikke et gyldig valg" in t for t in texts)
        content = client.get(response.url).content.decode()
        assert "Filen har 4 feil" in content
        assert "301 er et tall" in content
        assert "Lagre endringene" not in content

        refused = client.post(url("spreadsheet-confirm", pending.token))
        assert refused.status_code == 400
        assert edit_counts() == before
        assert not LabourNeed.objects.filter(profile=oslo).exists()

    @pytest.mark.parametrize(
        ("sheet", "column", "value", "message"),
        [
            ("Kapasitet", "Antall kommunen kan bosette", -5, "Tallet kan ikke være negativt."),
            ("Kapasitet", "Antall kommunen kan bosette", "mange", "«mange» er ikke et helt tall."),
            ("Kapasitet", "Ønsker å bosette", "Kanskje", "«Kanskje» er ikke et gyldig valg."),
            ("Kapasitet", "Tar imot enslige mindreårige", "1", "skriv «Ja» eller «Nei»"),
            (
                "Kapasitet",
                "Husholdningstyper kommunen kan ta imot",
                "Familier med barn, Katter",
                "«Katter»",
            ),
            ("Kapasitet", "Kommunenummer", "301", "«301» er ikke et kommunenummer"),
            ("Kapasitet", "Kommunenummer", "3909", "3909 Larvik hører ikke til Telemark"),
            ("Kapasitet", "Kommunenummer", "3805", "eldre kommunenummer som ikke gjelder for 2027"),
            ("Kapasitet", "Kommunenummer", "0301", "0301 Oslo hører ikke til Telemark"),
            ("Kapasitet", "Kommunenummer", "9999", "finnes ikke i kommunestrukturen"),
            ("Kapasitet", "Boligsituasjon", "=1+2", "Cellen inneholder en formel"),
            (
                "Kapasitet",
                "Boligsituasjon",
                datetime.datetime(2025, 1, 2),
                "gjort verdien om til en dato",
            ),
            (
                "Kvalifiseringstilbud",
                "Resultat: andel i arbeid eller utdanning (%)",
                "101",
                "mellom 0 og 100",
            ),
            ("Kvalifiseringstilbud", "Resultat: kull (år)", 24, "ikke et gyldig årstall"),
            ("Kvalifiseringstilbud", "Rad-ID", "ikke-en-id", "ikke en gyldig Rad-ID"),
            (
                "Kvalifiseringstilbud",
                "Rad-ID",
                "6f1c1f0e-0000-4000-8000-000000000000",
                "finnes ikke",
            ),
            ("Videregående opplæring", "Programområde", "XX", "Ukjent programområdekode «XX»"),
            ("Interkommunalt samarbeid", "Samarbeidskommuner", "4001, 4003", "seg selv"),
            ("Interkommunalt samarbeid", "Samarbeidskommuner", 4001, "4001 er et tall"),
        ],
    )
    def test_each_kind_of_bad_cell(self, filled_skien, users, sheet, column, value, message):
        workbook = load_workbook(io.BytesIO(workbook_bytes(filled_skien, users["fylke_b"])))
        target = workbook[sheet]
        columns = header(target)
        row = rows_for(target, "4003")[0]
        row[columns[column] - 1].value = value
        report, changes, has_errors = preview(workbook, users["fylke_b"])
        assert not has_errors  # a bad cell refuses its municipality, not the file
        assert any(message in p["text"] for p in report["problems"]), report["problems"]
        assert all(change["municipality"] != "4003" for change in changes)

    def test_unknown_sheet_and_columns_are_refused(self, filled_skien, users):
        workbook = load_workbook(io.BytesIO(workbook_bytes(filled_skien, users["fylke_b"])))
        workbook.create_sheet("Mine notater")
        labour = workbook["Arbeidskraftbehov"]
        labour.cell(row=1, column=labour.max_column + 1, value="Lønn")
        capacity = workbook["Kapasitet"]
        capacity.delete_cols(header(capacity)["Boligsituasjon"])
        report, _changes, has_errors = preview(workbook, users["fylke_b"])
        texts = " ".join(p["text"] for p in report["problems"])
        assert has_errors
        assert "Ark «Mine notater»: Arket er ukjent" in texts
        assert "ukjent overskrift «Lønn»" in texts
        assert "Kolonnen «Boligsituasjon» mangler" in texts

    def test_doubled_row_id_and_a_row_moved_to_another_municipality(self, filled_skien, users):
        workbook = load_workbook(io.BytesIO(workbook_bytes(filled_skien, users["fylke_b"])))
        labour = workbook["Arbeidskraftbehov"]
        source = data_row(labour, "4003")
        copy = labour.max_row + 1
        for cell in source:
            labour.cell(row=copy, column=cell.column, value=cell.value)
        moved = copy + 1
        for cell in source:
            labour.cell(row=moved, column=cell.column, value=cell.value)
        labour.cell(row=moved, column=1, value="4001")
        report, _changes, has_errors = preview(workbook, users["fylke_b"])
        texts = " ".join(p["text"] for p in report["problems"])
        assert {"4001", "4003"} <= set(report["refused"])
        assert f"Samme Rad-ID står også på rad {source[0].row}" in texts
        assert "Rad-ID-en hører til en rad for 4003 Skien" in texts

    def test_a_submitted_profile_cannot_be_changed(self, filled_skien, users):
        services.submit(filled_skien, users["fylke_b"])
        workbook = load_workbook(io.BytesIO(workbook_bytes(filled_skien, users["fylke_b"])))
        report, changes, has_errors = preview(workbook, users["fylke_b"])
        assert not has_errors and changes == []  # unchanged rows of a locked profile are fine

        labour = workbook["Arbeidskraftbehov"]
        columns = header(labour)
        data_row(labour, "4003")[columns["Beskrivelse"] - 1].value = "Endret etter innsending"
        report, changes, has_errors = preview(workbook, users["fylke_b"])
        assert report["refused"] == ["4003"] and changes == []
        assert any(
            "Profilen for 4003 Skien er sendt inn og kan ikke endres nå" in p["text"]
            for p in report["problems"]
        )


def workbook_bytes(profile, user):
    from skjema.spreadsheets.workbook import build_county_workbook

    return build_county_workbook(profile.round, profile.county, user)


def preview(workbook, user):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    round_ = Round.objects.get(year=YEAR)
    return preview_workbook(buffer, round_, user.county, user)


class TestConflicts:
    def test_a_change_between_preview_and_confirm_is_a_conflict(self, client, filled_skien, users):
        county = users["fylke_b"]
        workbook = download(client, county)
        labour = workbook["Arbeidskraftbehov"]
        columns = header(labour)
        data_row(labour, "4003")[columns["Beskrivelse"] - 1].value = "Fra regnearket"
        capacity = workbook["Kapasitet"]
        rows_for(capacity, "4003")[0][header(capacity)["Kommentar"] - 1].value = "Fra regnearket"
        pending = pending_of(upload(client, workbook))
        assert len(pending.changes) == 2

        # A colleague saves the labour section through the form after the preview.
        current = services.latest_edit_ids(filled_skien)
        need = LabourNeed.objects.get(profile=filled_skien)
        services.save_section(
            filled_skien,
            "labour",
            [
                {
                    "uid": str(need.uid),
                    "occupation": "22",
                    "competence_level": "higher_education",
                    "scale": "low",
                    "sector": "",
                    "description": "Fra skjemaet",
                }
            ],
            county,
            base_edit_id=current["labour"],
        )
        before = edit_counts()

        response = client.post(url("spreadsheet-confirm", pending.token))
        assert response.status_code == 302
        content = client.get(response.url).content.decode()
        assert "Ingenting er lagret for kommunen" in content
        assert "Behov for arbeidskraft" in content and "Fra skjemaet" in content
        assert "Lagre endringene" not in content
        assert edit_counts() == before  # neither section: the municipality is all or nothing
        result = PendingImport.objects.get(pk=pending.pk).result
        assert result["imported"] == [] and [r["number"] for r in result["refused"]] == ["4003"]
        skien = MunicipalityProfile.objects.get(pk=filled_skien.pk)
        assert skien.labour_needs.get().description == "Fra skjemaet"
        assert skien.capacity_comment == ""

    def test_a_municipality_refused_at_confirm_leaves_the_others_saved(
        self, client, filled_skien, users
    ):
        workbook = download(client, users["fylke_b"])
        capacity = workbook["Kapasitet"]
        column = header(capacity)["Kommentar"]
        for number in ("4001", "4003"):  # saved in this order
            rows_for(capacity, number)[0][column - 1].value = "Fra regnearket"
        pending = pending_of(upload(client, workbook))
        services.submit(filled_skien, users["fylke_b"])  # Skien is locked after the preview
        before = edit_counts()

        response = client.post(url("spreadsheet-confirm", pending.token))
        assert response.status_code == 302
        assert "4003 Skien" in client.get(response.url).content.decode()
        assert edit_counts() == (before[0] + 1, before[1] + 1)  # Porsgrunn's one section
        porsgrunn = MunicipalityProfile.objects.get(round__year=YEAR, municipality__number="4001")
        assert porsgrunn.capacity_comment == "Fra regnearket"
        skien = MunicipalityProfile.objects.get(pk=filled_skien.pk)
        assert skien.capacity_comment == "" and skien.status == Status.SUBMITTED
        result = PendingImport.objects.get(pk=pending.pk).result
        assert [r["number"] for r in result["imported"]] == ["4001"]
        assert [r["number"] for r in result["refused"]] == ["4003"]

    def test_preview_warns_when_the_portal_changed_after_download(
        self, client, filled_skien, users
    ):
        county = users["fylke_b"]
        workbook = download(client, county)
        current = services.latest_edit_ids(filled_skien)
        services.save_section(
            filled_skien,
            "capacity",
            {"capacity_comment": "Fra skjemaet"},
            county,
            base_edit_id=current["capacity"],
        )
        capacity = workbook["Kapasitet"]
        rows_for(capacity, "4003")[0][header(capacity)["Boligsituasjon"] - 1].value = "Nytt"
        del workbook["Versjoner"]  # a workbook made before the versions were recorded: a warning
        pending = pending_of(upload(client, workbook))
        content = client.get(url("spreadsheet-preview", pending.token)).content.decode()
        assert "etter at arbeidsboken ble lastet ned" in content
        assert pending.report["refused"] == [] and len(pending.changes) == 1


class TestRefusals:
    @pytest.mark.parametrize("role", ["imdi", "ks", "editor", "outsider", "admin"])
    def test_only_county_officers(self, client, opened, users, role):
        client.force_login(users[role])
        assert client.get(url("spreadsheet")).status_code == 403
        assert client.get(url("spreadsheet-download")).status_code == 403
        workbook = load_workbook(io.BytesIO(workbook_bytes_for(opened, users["fylke_b"])))
        assert client.post(url("spreadsheet"), {"workbook": as_upload(workbook)}).status_code == 403
        assert not PendingImport.objects.exists()

    def test_anonymous_is_sent_to_login(self, client, opened):
        response = client.get(url("spreadsheet-download"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_unknown_round(self, client, opened, users):
        client.force_login(users["fylke_a"])
        assert client.get(reverse("skjema:spreadsheet", args=[1999])).status_code == 404

    def test_county_a_cannot_upload_county_b_rows(self, client, filled_skien, users):
        telemark = load_workbook(io.BytesIO(workbook_bytes(filled_skien, users["fylke_b"])))
        client.force_login(users["fylke_a"])
        before = edit_counts()
        pending = pending_of(upload(client, telemark))
        assert pending.changes == [] and pending.report["orphans"]
        assert any(
            "4003 Skien hører ikke til Oslo" in p["text"] for p in pending.report["problems"]
        )
        assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 400
        assert edit_counts() == before

    def test_county_a_cannot_see_or_confirm_county_b_upload(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        labour = workbook["Arbeidskraftbehov"]
        data_row(labour, "4003")[header(labour)["Beskrivelse"] - 1].value = "Telemarks endring"
        pending = pending_of(upload(client, workbook))
        before = edit_counts()
        client.force_login(users["fylke_a"])
        assert client.get(url("spreadsheet-preview", pending.token)).status_code == 404
        assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 404
        client.force_login(users["imdi"])
        assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 403
        assert edit_counts() == before

    def test_expired_preview_cannot_be_confirmed(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        labour = workbook["Arbeidskraftbehov"]
        data_row(labour, "4003")[header(labour)["Beskrivelse"] - 1].value = "For sent"
        pending = pending_of(upload(client, workbook))
        PendingImport.objects.filter(pk=pending.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=25)
        )
        before = edit_counts()
        assert client.get(url("spreadsheet-preview", pending.token)).status_code == 410
        assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 400
        assert edit_counts() == before

    def test_upload_refused_when_round_is_not_open(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        Round.objects.filter(year=YEAR).update(status=Round.Status.CLOSED)
        response = upload(client, workbook)
        assert response.status_code == 400
        assert "ikke åpen for innspill" in response.content.decode()
        assert not PendingImport.objects.exists()

    def test_not_a_workbook(self, client, opened, users):
        client.force_login(users["fylke_b"])
        fake = SimpleUploadedFile("arbeidsbok.xlsx", b"not a zip file", content_type=XLSX)
        response = client.post(url("spreadsheet"), {"workbook": fake})
        assert response.status_code == 400
        assert "kan ikke leses som en Excel-arbeidsbok" in response.content.decode()
        csv_file = SimpleUploadedFile("arbeidsbok.csv", b"a;b", content_type="text/csv")
        response = client.post(url("spreadsheet"), {"workbook": csv_file})
        assert response.status_code == 400
        assert "må være en Excel-arbeidsbok (.xlsx)" in response.content.decode()


def workbook_bytes_for(round_, user):
    from skjema.spreadsheets.workbook import build_county_workbook

    return build_county_workbook(round_, user.county, user)


def test_submitted_status_stays_after_a_refused_import(client, filled_skien, users):
    """A locked profile in the workbook does not block the others' changes from being shown."""
    services.submit(filled_skien, users["fylke_b"])
    workbook = download(client, users["fylke_b"])
    capacity = workbook["Kapasitet"]
    rows_for(capacity, "4001")[0][header(capacity)["Boligsituasjon"] - 1].value = "Nye boliger"
    pending = pending_of(upload(client, workbook))
    assert not pending.has_errors
    assert [(c["municipality"], c["section"]) for c in pending.changes] == [("4001", "capacity")]
    client.post(url("spreadsheet-confirm", pending.token))
    assert MunicipalityProfile.objects.get(pk=filled_skien.pk).status == Status.SUBMITTED
