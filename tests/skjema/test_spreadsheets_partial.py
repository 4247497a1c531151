"""The county workbook per municipality: a bad municipality is refused on its own and the others
are imported; the refused rows come back as a workbook (reason column, bad cells marked) that
imports again; the export's hidden and protected row ids, drop-downs, Norwegian guide and
number formats; headers in both written standards; an edit in the portal since the download is
refused for that municipality only; «Send inn de importerte»; and the refusals."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from skjema import services
from skjema.models import LabourNeed, MunicipalityProfile, PendingImport, Round, Status

from .conftest import fill_profile
from .test_spreadsheets import (
    YEAR,
    data_row,
    download,
    edit_counts,
    header,
    pending_of,
    rows_for,
    upload,
    url,
)

pytestmark = pytest.mark.django_db

CAPACITY = "Antall kommunen kan bosette"
REASON = "Grunn til at raden ikke ble importert"


def profile(number):
    return MunicipalityProfile.objects.get(round__year=YEAR, municipality__number=number)


def edits_of(number):
    return profile(number).edits.count()


@pytest.fixture
def filled_skien(skien, users):
    return fill_profile(skien, users["fylke_b"])


def bad_skien_good_porsgrunn(workbook):
    """Skien's capacity is «mange» (refused); Porsgrunn's capacity becomes 12 (fine)."""
    capacity = workbook["Kapasitet"]
    column = header(capacity)[CAPACITY]
    rows_for(capacity, "4003")[0][column - 1].value = "mange"
    rows_for(capacity, "4001")[0][column - 1].value = 12
    labour = workbook["Arbeidskraftbehov"]
    data_row(labour, "4003")[header(labour)["Beskrivelse"] - 1].value = "Endret i arket"
    return workbook


class TestPartialImport:
    def test_one_bad_municipality_the_others_are_imported(self, client, filled_skien, users):
        workbook = bad_skien_good_porsgrunn(download(client, users["fylke_b"]))
        skien_edits = edits_of("4003")
        pending = pending_of(upload(client, workbook))
        assert not pending.has_errors
        assert pending.report["refused"] == ["4003"]
        assert {(c["municipality"], c["section"]) for c in pending.changes} == {
            ("4001", "capacity")
        }
        page = client.get(url("spreadsheet-preview", pending.token)).content.decode()
        assert "Blir ikke importert (1 kommune)" in page
        assert "«mange» er ikke et helt tall." in page
        assert "Lagre endringene" in page
        assert url("spreadsheet-refused", pending.token) in page

        response = client.post(url("spreadsheet-confirm", pending.token))
        assert response.status_code == 302
        assert profile("4001").capacity == 12
        skien = profile("4003")
        assert edits_of("4003") == skien_edits  # nothing written for the refused one
        assert skien.capacity == 25
        assert skien.labour_needs.get().description == "Helsefagarbeidere i hjemmetjenesten."
        result = client.get(response.url).content.decode()
        assert "Importert (1 kommune)" in result
        assert "Send inn den importerte kommunen" in result

    def test_only_refused_municipalities_refuse_nothing_to_save(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        capacity = workbook["Kapasitet"]
        rows_for(capacity, "4003")[0][header(capacity)[CAPACITY] - 1].value = -1
        pending = pending_of(upload(client, workbook))
        assert pending.changes == [] and pending.report["refused"] == ["4003"]
        page = client.get(url("spreadsheet-preview", pending.token)).content.decode()
        assert "Lagre endringene" not in page
        assert "alle endrede kommuner har feil" in page
        assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 400


class TestRefusedRows:
    def test_the_refused_rows_round_trip(self, client, filled_skien, users):
        workbook = bad_skien_good_porsgrunn(download(client, users["fylke_b"]))
        pending = pending_of(upload(client, workbook))
        client.post(url("spreadsheet-confirm", pending.token))
        porsgrunn_edits = edits_of("4001")

        response = client.get(url("spreadsheet-refused", pending.token))
        assert response.status_code == 200
        assert "avviste-rader" in response["Content-Disposition"]
        refused = load_workbook(io.BytesIO(response.content))
        capacity = refused["Kapasitet"]
        columns = header(capacity)
        assert REASON in columns
        numbers = [row[0].value for row in capacity.iter_rows(min_row=2)]
        assert numbers == ["4003"]  # only the refused municipality
        row = rows_for(capacity, "4003")[0]
        assert row[columns[CAPACITY] - 1].value == "mange"  # as the county wrote it
        assert "«mange» er ikke et helt tall." in row[columns[REASON] - 1].value
        assert row[columns[CAPACITY] - 1].fill.fgColor.rgb.endswith("F8D7DA")  # marked
        # Every row of the refused municipality comes back, so importing it deletes nothing.
        labour = refused["Arbeidskraftbehov"]
        labour_row = data_row(labour, "4003")
        assert labour_row[header(labour)["Beskrivelse"] - 1].value == "Endret i arket"
        assert "ikke importert fordi andre rader" in labour_row[header(labour)[REASON] - 1].value
        guide = " ".join(
            str(c) for r in refused["Veiledning"].iter_rows(values_only=True) for c in r if c
        )
        assert "Rader som ikke ble importert" in guide

        row[columns[CAPACITY] - 1].value = 40  # fixed
        again = pending_of(upload(client, refused))
        assert not again.has_errors and again.report["refused"] == []
        assert {(c["municipality"], c["section"]) for c in again.changes} == {
            ("4003", "capacity"),
            ("4003", "labour"),
        }
        assert client.post(url("spreadsheet-confirm", again.token)).status_code == 302
        skien = profile("4003")
        assert skien.capacity == 40
        assert skien.labour_needs.get().description == "Endret i arket"
        assert skien.upper_secondary_offers.count() == 1  # rows not in error are kept
        assert edits_of("4001") == porsgrunn_edits  # Porsgrunn was not in it: untouched
        assert profile("4001").capacity == 12

    def test_no_refused_rows_no_workbook(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        pending = pending_of(upload(client, workbook))
        assert client.get(url("spreadsheet-refused", pending.token)).status_code == 404


class TestExport:
    def test_row_ids_hidden_and_protected_and_the_rest_open(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        for title in (
            "Kvalifiseringstilbud",
            "Videregående opplæring",
            "Interkommunalt samarbeid",
            "Arbeidskraftbehov",
        ):
            sheet = workbook[title]
            assert sheet.protection.sheet is True
            assert sheet.protection.deleteRows is False and sheet.protection.insertRows is False
            assert sheet["C1"].value == "Rad-ID"
            assert sheet.column_dimensions["C"].hidden is True
            assert sheet.column_dimensions["C"].protection.locked is True
            assert sheet.column_dimensions["D"].protection.locked is False  # new rows open
            assert sheet.column_dimensions["A"].protection.locked is False
        labour = workbook["Arbeidskraftbehov"]
        row = data_row(labour, "4003")
        columns = header(labour)
        assert row[columns["Rad-ID"] - 1].protection.locked is True
        assert row[columns["Beskrivelse"] - 1].protection.locked is False
        assert row[columns["Kommunenummer"] - 1].value == "4003"
        assert labour["A1"].protection.locked is True  # headers
        assert workbook["Kapasitet"].protection.sheet is True

    def test_drop_downs_for_coded_fields(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])

        def validation(sheet, label):
            letter = labour_letter(sheet, label)
            found = [
                v
                for v in sheet.data_validations.dataValidation
                if any(str(r).startswith(f"{letter}2:") for r in v.sqref.ranges)
            ]
            assert len(found) == 1, label
            return found[0]

        capacity = workbook["Kapasitet"]
        assert validation(capacity, "Ønsker å bosette").formula1 == '"Ja,Delvis,Nei"'
        assert validation(capacity, "Tar imot enslige mindreårige").formula1 == '"Ja,Nei"'
        households = validation(capacity, "Husholdningstyper kommunen kan ta imot")
        assert households.showErrorMessage is False  # several, with commas, are allowed
        labour = workbook["Arbeidskraftbehov"]
        occupation = validation(labour, "Yrke (STYRK-08)")
        assert occupation.formula1.startswith("'Koder'!$A$2:$A$")
        assert validation(labour, "Kompetansenivå").type == "list"
        programme = validation(workbook["Videregående opplæring"], "Programområde")
        assert programme.formula1.startswith("'Koder'!$B$2:$B$")
        codes = workbook["Koder"]
        assert codes.sheet_state == "hidden"
        entries = [c.value for c in codes["A"][1:]]
        assert any(e.startswith("53 – ") for e in entries)
        assert workbook["Versjoner"].sheet_state == "veryHidden"

    def test_a_code_picked_from_the_list_is_read(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        entries = [c.value for c in workbook["Koder"]["A"][1:]]
        picked = next(e for e in entries if e.startswith("71 – "))
        labour = workbook["Arbeidskraftbehov"]
        data_row(labour, "4003")[header(labour)["Yrke (STYRK-08)"] - 1].value = picked
        pending = pending_of(upload(client, workbook))
        assert pending.report["refused"] == []
        [change] = pending.changes
        assert change["data"][0]["occupation"] == "71"

    def test_norwegian_number_formats_and_text_numbers(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        capacity = workbook["Kapasitet"]
        row = rows_for(capacity, "4003")[0]
        columns = header(capacity)
        assert row[columns[CAPACITY] - 1].number_format == "#,##0"
        assert (row[0].value, row[0].data_type, row[0].number_format) == ("4003", "s", "@")
        offers = workbook["Kvalifiseringstilbud"]
        offer = data_row(offers, "4003")
        share = offer[header(offers)["Resultat: andel i arbeid eller utdanning (%)"] - 1]
        assert share.number_format == "0.0" and float(share.value) == 72.5
        assert offer[header(offers)["Resultat: kull (år)"] - 1].number_format == "0"

    def test_guide_sheet_in_bokmal_without_codes_in_english(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        text = " ".join(
            str(c) for r in workbook["Veiledning"].iter_rows(values_only=True) for c in r if c
        )
        assert "Slik bruker du arbeidsboken" in text
        assert "Hver kommune importeres for seg" in text
        for english in ("(introduction)", "trade_certificate", "(yes)", "(family)"):
            assert english not in text

    def test_guide_and_headers_in_nynorsk_for_a_nynorsk_user(self, client, filled_skien, users):
        officer = users["fylke_b"]
        officer.language = "nn"
        officer.save(update_fields=["language"])
        workbook = download(client, officer)
        visible = [s.title for s in workbook.worksheets if s.sheet_state == "visible"]
        assert visible[0] == "Rettleiing"
        assert "Kvalifiseringstilbod" in visible and "Vidaregåande opplæring" in visible
        text = " ".join(
            str(c) for r in workbook["Rettleiing"].iter_rows(values_only=True) for c in r if c
        )
        assert "Slik brukar du arbeidsboka" in text
        assert "Slik bruker du" not in text
        capacity = workbook["Kapasitet"]
        assert "Talet kommunen kan busetje" in header(capacity)

    def test_nynorsk_headers_are_read_by_a_bokmal_user(self, client, filled_skien, users):
        officer = users["fylke_b"]
        officer.language = "nn"
        officer.save(update_fields=["language"])
        workbook = download(client, officer)
        capacity = workbook["Kapasitet"]
        rows_for(capacity, "4003")[0][header(capacity)["Talet kommunen kan busetje"] - 1].value = 31
        officer.language = "nb"
        officer.save(update_fields=["language"])
        pending = pending_of(upload(client, workbook))
        assert not pending.has_errors, pending.report["problems"]
        assert pending.report["refused"] == []
        assert [(c["municipality"], c["section"]) for c in pending.changes] == [
            ("4003", "capacity")
        ]
        assert pending.changes[0]["data"]["capacity"] == 31


class TestEditedSinceDownload:
    def test_refused_for_that_municipality_only_and_the_edit_kept(
        self, client, filled_skien, users
    ):
        officer = users["fylke_b"]
        workbook = download(client, officer)
        # A colleague changes Skien's capacity in the portal after the download.
        services.save_section(
            filled_skien,
            "capacity",
            {"capacity_comment": "Fra skjemaet"},
            officer,
            base_edit_id=services.latest_edit_ids(filled_skien)["capacity"],
        )
        capacity = workbook["Kapasitet"]
        column = header(capacity)[CAPACITY]
        rows_for(capacity, "4003")[0][column - 1].value = 99
        rows_for(capacity, "4001")[0][column - 1].value = 7
        pending = pending_of(upload(client, workbook))
        assert pending.report["refused"] == ["4003"]
        page = client.get(url("spreadsheet-preview", pending.token)).content.decode()
        assert "etter at arbeidsboken ble lastet ned" in page
        client.post(url("spreadsheet-confirm", pending.token))
        skien = profile("4003")
        assert (skien.capacity, skien.capacity_comment) == (25, "Fra skjemaet")  # no lost edit
        assert profile("4001").capacity == 7

    def test_an_untouched_part_edited_since_the_download_is_no_conflict(
        self, client, filled_skien, users
    ):
        officer = users["fylke_b"]
        workbook = download(client, officer)
        need = LabourNeed.objects.get(profile=filled_skien)
        services.save_section(
            filled_skien,
            "labour",
            [{"uid": str(need.uid), "occupation": "22", "description": "Fra skjemaet"}],
            officer,
            base_edit_id=services.latest_edit_ids(filled_skien)["labour"],
        )
        capacity = workbook["Kapasitet"]
        rows_for(capacity, "4003")[0][header(capacity)[CAPACITY] - 1].value = 99
        # The workbook still has the old labour row; that part is stale and is refused.
        pending = pending_of(upload(client, workbook))
        assert pending.report["refused"] == ["4003"]
        # Without the labour sheet, only capacity is compared: nothing stale, imported.
        del workbook["Arbeidskraftbehov"]
        pending = pending_of(upload(client, workbook))
        assert pending.report["refused"] == []
        client.post(url("spreadsheet-confirm", pending.token))
        skien = profile("4003")
        assert skien.capacity == 99
        assert skien.labour_needs.get().description == "Fra skjemaet"


def labour_letter(sheet, label):
    from openpyxl.utils import get_column_letter

    return get_column_letter(header(sheet)[label])


def import_capacity(client, officer, numbers, value=20):
    workbook = download(client, officer)
    capacity = workbook["Kapasitet"]
    column = header(capacity)[CAPACITY]
    for number in numbers:
        rows_for(capacity, number)[0][column - 1].value = value
    pending = pending_of(upload(client, workbook))
    assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 302
    return pending


class TestSubmitImported:
    def test_submits_the_imported_ones_only(self, client, filled_skien, users):
        officer = users["fylke_b"]
        bamble = fill_profile(profile("4012"), officer)  # complete, but not in the import
        pending = import_capacity(client, officer, ["4003", "4001"])
        page = client.get(url("spreadsheet-preview", pending.token)).content.decode()
        assert "Send inn de 2 importerte kommunene" in page

        response = client.post(url("spreadsheet-submit", pending.token))
        assert response.status_code == 200
        content = response.content.decode()
        assert "1 kommune er sendt inn" in content
        assert profile("4003").status == Status.SUBMITTED
        assert profile("4001").status == Status.DRAFT  # incomplete: refused with its problems
        assert "Porsgrunn" in content and "Ikke sendt inn" in content
        assert MunicipalityProfile.objects.get(pk=bamble.pk).status == Status.DRAFT

    def test_carried_forward_parts_must_be_confirmed(self, client, filled_skien, users):
        officer = users["fylke_b"]
        skien = profile("4003")
        skien.section_state = {
            key: {"carried_from": 2026, "confirmed": False, "edited": False}
            for key in skien.section_state
        }
        skien.save(update_fields=["section_state"])
        pending = import_capacity(client, officer, ["4003"])
        content = client.post(url("spreadsheet-submit", pending.token)).content.decode()
        assert "er overført fra 2026" in content
        assert profile("4003").status == Status.DRAFT

        content = client.post(
            url("spreadsheet-submit", pending.token), {"bekreft_uendrede": "ja"}
        ).content.decode()
        assert "1 kommune er sendt inn" in content
        assert profile("4003").status == Status.SUBMITTED

    def test_one_late_reason_when_late(self, client, filled_skien, users):
        officer = users["fylke_b"]
        pending = import_capacity(client, officer, ["4003"])
        Round.objects.filter(year=YEAR).update(deadline=timezone.now() - datetime.timedelta(days=1))
        content = client.post(url("spreadsheet-submit", pending.token)).content.decode()
        assert "Fristen var" in content
        assert profile("4003").status == Status.DRAFT
        client.post(
            url("spreadsheet-submit", pending.token), {"submit-late_reason": "Sent vedtak."}
        )
        skien = profile("4003")
        assert skien.status == Status.SUBMITTED and skien.is_late
        assert skien.late_reason == "Sent vedtak."

    def test_not_before_the_import_is_saved(self, client, filled_skien, users):
        workbook = download(client, users["fylke_b"])
        capacity = workbook["Kapasitet"]
        rows_for(capacity, "4003")[0][header(capacity)[CAPACITY] - 1].value = 5
        pending = pending_of(upload(client, workbook))
        response = client.post(url("spreadsheet-submit", pending.token))
        assert response.status_code == 400
        assert "ikke lagret ennå" in response.content.decode()
        assert profile("4003").status == Status.DRAFT


class TestRefusals:
    def test_another_county_cannot_use_the_upload(self, client, filled_skien, users):
        pending = import_capacity(client, users["fylke_b"], ["4003"])
        before = edit_counts()
        client.force_login(users["fylke_a"])
        assert client.get(url("spreadsheet-refused", pending.token)).status_code == 404
        assert client.post(url("spreadsheet-submit", pending.token)).status_code == 404
        assert profile("4003").status == Status.DRAFT
        assert edit_counts() == before

    @pytest.mark.parametrize("role", ["imdi", "ks", "editor", "outsider"])
    def test_imdi_and_ks_are_refused(self, client, filled_skien, users, role):
        pending = import_capacity(client, users["fylke_b"], ["4003"])
        client.force_login(users[role])
        assert client.get(url("spreadsheet-refused", pending.token)).status_code == 403
        assert client.post(url("spreadsheet-submit", pending.token)).status_code == 403
        assert client.post(url("spreadsheet-confirm", pending.token)).status_code == 403
        assert profile("4003").status == Status.DRAFT

    def test_a_county_cannot_import_into_another_county(self, client, filled_skien, oslo, users):
        """Oslo's rows in Telemark's upload are refused; Telemark's own are imported."""
        officer = users["fylke_b"]
        workbook = download(client, officer)
        capacity = workbook["Kapasitet"]
        columns = header(capacity)
        rows_for(capacity, "4003")[0][columns[CAPACITY] - 1].value = 33
        extra = capacity.max_row + 1
        capacity.cell(row=extra, column=columns["Kommunenummer"], value="0301")
        capacity.cell(row=extra, column=columns[CAPACITY], value=1000)
        oslo_edits = oslo.edits.count()
        pending = pending_of(upload(client, workbook))
        assert any(
            "0301 Oslo hører ikke til Telemark" in p["text"] for p in pending.report["problems"]
        )
        client.post(url("spreadsheet-confirm", pending.token))
        assert profile("4003").capacity == 33
        assert oslo.edits.count() == oslo_edits
        assert MunicipalityProfile.objects.get(pk=oslo.pk).capacity is None

    def test_the_pending_import_is_the_uploaders(self, client, filled_skien, users, make_user):
        from portal.accounts.models import Role

        colleague = make_user("fylke-b2", Role.COUNTY_OFFICER, users["fylke_b"].county)
        pending = import_capacity(client, users["fylke_b"], ["4003"])
        client.force_login(colleague)
        assert client.post(url("spreadsheet-submit", pending.token)).status_code == 404
        assert PendingImport.objects.get(pk=pending.pk).result["imported"]
        assert profile("4003").status == Status.DRAFT
