"""``import_statistics`` on small files: both formats, bad input (nothing written), the report."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.register.models import Indicator, StatisticValue
from portal.register.statistics import (
    StatisticsFileError,
    column_letter,
    import_statistics,
    read_statistics_file,
)
from tests.conftest import require_service

Status = StatisticValue.Status

MEASURES = "Region;Navn;" + ";".join(
    ["Bosetting: Anmodning om bosetting"] * 2
    + ["Bosetting: Vedtak om bosetting"]
    + ["Bosetting: Faktisk bosetting"]
)
UNITS = ";;" + ";".join(["Enhet: Personer"] * 3 + ["Enhet: Prosent"])
YEARS = ";;År: 2021;År: 2022;År: 2021;År: 2021"
ROWS = [
    "K3001;Halden;10;12;8;80",
    "K3011;Hvaler;.;:;;Inf",
    "K4012;Bamble;5;;6;33.33333333",
]


def wide(rows=ROWS, header=(MEASURES, UNITS, YEARS), encoding="latin-1") -> bytes:
    return "\n".join([*header, *rows]).encode(encoding)


LONG_HEADER = "Kommune,År,Kategori,Antall"


def long(*rows, header=LONG_HEADER, encoding="utf-8") -> bytes:
    return "\n".join([header, *rows]).encode(encoding)


def snapshot():
    return (
        list(Indicator.objects.order_by("code").values_list()),
        list(StatisticValue.objects.order_by("pk").values_list()),
    )


def value(code, number, year):
    return StatisticValue.objects.get(indicator__code=code, municipality__number=number, year=year)


@pytest.fixture
def bad(register):
    """Import ``raw`` and expect a refusal that names ``match``; assert nothing changed."""

    def check(raw: bytes, match: str, **options):
        before = snapshot()
        with pytest.raises(StatisticsFileError, match=match) as caught:
            import_statistics(raw, filename="fil.csv", **options)
        assert snapshot() == before
        return caught.value

    return check


@pytest.mark.django_db
class TestWideFormat:
    def test_imports_values_symbols_and_units(self, register):
        report = import_statistics(wide(), filename="bosatt.csv")
        assert (report.created, report.updated, report.unchanged) == (10, 0, 0)
        assert report.empty == 2  # Hvaler's and Bamble's empty cells: nothing to store
        assert report.municipalities == 3
        assert value("anmodning", "3001", 2021).value == 10
        assert value("anmodning", "3001", 2022).value == 12
        assert value("vedtak", "3001", 2021).value == 8
        hvaler = {
            (v.indicator.code, v.year): (v.value, v.status)
            for v in StatisticValue.objects.filter(municipality__number="3011")
        }
        assert hvaler == {
            ("anmodning", 2021): (None, Status.NOT_APPLICABLE),
            ("anmodning", 2022): (None, Status.SUPPRESSED),
            ("bosatt_prosent", 2021): (None, Status.NOT_APPLICABLE),  # "Inf"
        }
        assert value("bosatt_prosent", "4012", 2021).value == Decimal("33.33333333")
        assert value("bosatt_prosent", "4012", 2021).plain_value == "33.33333333"
        assert "«Inf»" in report.notes[0] and "linje 5" in report.notes[0]

    def test_indicators_come_from_the_catalogue(self, register):
        report = import_statistics(wide(), filename="bosatt.csv")
        anmodning = Indicator.objects.get(code="anmodning")
        assert (anmodning.name, anmodning.unit, anmodning.source) == (
            "Anmodning om bosetting",
            Indicator.Unit.PERSONS,
            "IMDi: bosatt og anmodede",
        )
        assert Indicator.objects.get(code="bosatt_prosent").unit == Indicator.Unit.PERCENT
        assert set(report.indicators_created) == {"anmodning", "vedtak", "bosatt_prosent"}

    def test_second_import_changes_nothing(self, register):
        import_statistics(wide(), filename="bosatt.csv")
        before = snapshot()
        report = import_statistics(wide(), filename="bosatt.csv")
        assert (report.created, report.updated, report.unchanged) == (0, 0, 10)
        assert report.indicators_created == []
        assert snapshot() == before

    def test_changed_and_emptied_cells_update(self, register):
        import_statistics(wide(), filename="bosatt.csv")
        changed = [
            "K3001;Halden;11;;8;80",  # 10 → 11; 12 → empty: stored as missing
            "K3011;Hvaler;.;:;;Inf",
            "K4012;Bamble;5;;6;33.33333333",
        ]
        report = import_statistics(wide(changed), filename="bosatt.csv")
        assert (report.created, report.updated, report.unchanged) == (0, 2, 8)
        assert value("anmodning", "3001", 2021).value == 11
        emptied = value("anmodning", "3001", 2022)
        assert (emptied.value, emptied.status) == (None, Status.MISSING)

    def test_dry_run_reports_without_writing(self, register):
        report = import_statistics(wide(), filename="bosatt.csv", dry_run=True)
        assert report.dry_run and report.created == 10
        assert not StatisticValue.objects.exists() and not Indicator.objects.exists()

    def test_decimal_comma_and_windows_line_endings(self, register):
        raw = wide(["K3001;Halden;12,5;1;2;3"]).replace(b"\n", b"\r\n")
        import_statistics(raw, filename="bosatt.csv")
        assert value("anmodning", "3001", 2021).value == Decimal("12.5")

    def test_regions_that_are_not_municipalities_are_skipped_and_reported(self, register):
        rows = [
            *ROWS,
            "K9999;Uoppgitt kommune;1;2;3;4",
            "F30;Viken;1;2;3;4",
            "K0102;;20;.;.;.",  # IMDi's own rows for codes it cannot name
        ]
        report = import_statistics(wide(rows), filename="bosatt.csv")
        assert [(s.line, s.text) for s in report.skipped] == [
            (7, "K9999 Uoppgitt kommune"),
            (8, "F30 Viken"),
            (9, "K0102"),
        ]
        assert "uoppgitt kommune" in report.skipped[0].reason
        assert "fylkestall" in report.skipped[1].reason
        assert "finnes ikke i registeret" in report.skipped[2].reason
        assert report.municipalities == 3

    def test_a_name_that_disagrees_with_the_register_is_a_warning(self, register):
        report = import_statistics(wide(["K3001;Hvaler;1;2;3;4"]), filename="bosatt.csv")
        assert report.warnings == [
            "linje 4: K3001 heter «Hvaler» i filen, men «Halden» i registeret."
        ]

    def test_imdis_names_with_validity_and_abbreviations_agree(self, register):
        rows = ["K3001;Halden (f.o.m. 2020, t.o.m. 2023);1;2;3;4", "K3114;Våler (Østf.);1;2;3;4"]
        assert import_statistics(wide(rows), filename="bosatt.csv").warnings == []


@pytest.mark.django_db
class TestLongFormat:
    def test_names_resolve_to_todays_municipality(self, register):
        raw = long(
            "Bamble,1995-01-01,Anmodning om bosetting,20.0",
            "Bamble,1995-01-01,Vedtak om bosetting,7.0",
            "Midt-Telemark,2025-01-01,Faktisk bosetting,12.0",
            "Porsgrunn,2024,Opprinnelig anmodning,.",
        )
        report = import_statistics(raw, filename="telemark.csv")
        assert report.created == 4 and report.municipalities == 3
        assert value("anmodning", "4012", 1995).value == 20  # 3813 and 4012 share the name
        assert value("bosatt", "4020", 2025).value == 12
        assert value("anmodning_opprinnelig", "4001", 2024).status == Status.NOT_APPLICABLE

    def test_county_chooses_the_structure(self, register):
        raw = long("Bamble,2021-01-01,Anmodning om bosetting,14.0")
        import_statistics(raw, filename="telemark.csv", county="38")
        assert value("anmodning", "3813", 2021).value == 14

    def test_ambiguous_name_is_refused_with_its_line(self, bad):
        raw = long("Bamble,2021,Anmodning om bosetting,1", "Herøy,2021,Anmodning om bosetting,2")
        error = bad(raw, "linje 3: «Herøy» er flertydig")
        assert "1515 Herøy (Møre og Romsdal)" in str(error)
        assert "1818 Herøy (Nordland)" in str(error)

    def test_county_disambiguates(self, register):
        raw = long("Herøy,2021,Anmodning om bosetting,2")
        import_statistics(raw, filename="f.csv", county="18")
        assert value("anmodning", "1818", 2021).value == 2

    def test_unknown_name(self, bad):
        bad(long("Atlantis,2021,Anmodning om bosetting,2"), "linje 2: finner ingen kommune")
        bad(
            long("Bamble,2021,Anmodning om bosetting,2"),
            "linje 2: finner ingen kommune som heter «Bamble» i fylke 03",
            county="03",
        )

    def test_bad_county_option(self, bad):
        bad(long("Bamble,2021,Anmodning om bosetting,2"), "fylkesnummer med to sifre", county="4")

    def test_unknown_category(self, bad):
        bad(long("Bamble,2021,Tilskudd,2"), "linje 2: ukjent måltall «Tilskudd»")

    def test_non_numeric_value(self, bad):
        bad(
            long("Bamble,2021,Anmodning om bosetting,2", "Bamble,2022,Vedtak om bosetting,abc"),
            r"linje 3, kolonne Antall .*«abc» er ikke et tall",
        )

    def test_bad_year(self, bad):
        bad(long("Bamble,i fjor,Anmodning om bosetting,2"), "linje 2, kolonne År: «i fjor»")

    def test_conflicting_duplicate(self, bad):
        raw = long("Bamble,2021,Anmodning om bosetting,2", "Bamble,2021,Anmodning om bosetting,3")
        bad(raw, "linje 3: .* står også på linje 2")

    def test_latin1_file_is_refused(self, bad):
        raw = long("Bamble,2021,Anmodning om bosetting,2", "Kragerø,2021,Vedtak om bosetting,1")
        bad(raw.decode("utf-8").encode("latin-1"), "linje 1: er ikke gyldig UTF-8")
        ascii_header = "Kommune,Aar,Kategori,Antall"
        raw = long("Kragerø,2021,Vedtak om bosetting,1", header=ascii_header, encoding="latin-1")
        bad(raw, "linje 2: er ikke gyldig UTF-8 \\(byten 0xF8\\)")

    def test_missing_header_row(self, bad):
        raw = b"Bamble,1995-01-01,Anmodning om bosetting,20.0\n"
        bad(raw, "linje 1: mangler overskriftsraden «Kommune,År,Kategori,Antall»")


@pytest.mark.django_db
class TestMalformedWideFiles:
    def test_utf8_copy_is_refused(self, bad):
        bad(wide(encoding="utf-8"), "linje 3: filen er lagret som UTF-8")

    def test_windows_1252_bytes_are_refused(self, bad):
        raw = wide().replace(b"Halden", b"Halden \x96 by")
        bad(raw, "linje 4: inneholder byten 0x96")

    def test_missing_measure_row(self, bad):
        bad(wide(header=(UNITS, YEARS)), "linje 1: mangler den første overskriftsraden")

    def test_missing_unit_row(self, bad):
        bad(wide(header=(MEASURES, YEARS)), "linje 2: mangler enhetsraden .*fant årsraden")

    def test_missing_year_row(self, bad):
        bad(wide(header=(MEASURES, UNITS)), "linje 3: mangler årsraden .*fant en datarad")

    def test_no_header_rows(self, bad):
        bad(wide(header=()), "linje 1: mangler overskriftsradene")

    def test_unknown_region_code(self, bad):
        rows = [*ROWS, "K0999;Finnesikke;1;2;3;4"]
        error = bad(wide(rows), "linje 7: ukjent kommunenummer K0999 \\(Finnesikke\\)")
        assert "kommunegruppering" in str(error)

    def test_malformed_region_code(self, bad):
        bad(wide(["K301;Oslo;1;2;3;4"]), "linje 4: ugyldig regionkode «K301»")

    def test_non_numeric_value(self, bad):
        rows = ["K3001;Halden;10;abc;8;80"]
        bad(
            wide(rows),
            r"linje 4, kolonne D \(K3001 Halden, Anmodning om bosetting, personer, 2022\): "
            r"«abc» er ikke et tall",
        )

    def test_several_problems_are_listed(self, bad):
        rows = ["K3001;Halden;x;2;3;4", "K3011;Hvaler;1;y;3;4"]
        error = bad(wide(rows), "2 feil")
        assert [p.split(",")[0] for p in error.problems] == ["linje 4", "linje 5"]

    def test_unknown_measure_or_unit(self, bad):
        bad(
            wide(header=(MEASURES.replace("Vedtak om", "Tilskudd til"), UNITS, YEARS)),
            r"linje 1, kolonne E .*ukjent måltall «Tilskudd til bosetting»",
        )
        bad(
            wide(header=(MEASURES, UNITS.replace("Prosent", "Kroner"), YEARS)),
            "linje 2, kolonne F: ventet «Enhet: Personer» eller «Enhet: Prosent»",
        )

    def test_bad_year_header(self, bad):
        bad(
            wide(header=(MEASURES, UNITS, YEARS.replace("År: 2022", "År: i fjor"))),
            "linje 3, kolonne D: ventet et år",
        )

    def test_duplicate_row_and_column(self, bad):
        bad(wide([*ROWS, ROWS[0]]), "linje 7: K3001 står også på linje 4")
        bad(
            wide(header=(MEASURES, UNITS, YEARS.replace("2022", "2021"))),
            "kolonne D.* står også i kolonne C",
        )

    def test_wrong_number_of_columns(self, bad):
        bad(wide(["K3001;Halden;1;2;3"]), "linje 4: har 5 kolonner, overskriften har 6")

    def test_empty_and_unknown_files(self, bad):
        bad(b"", "filen er tom")
        bad(b"kommunenummer;navn\n0301;Oslo\n", "linje 1: kjenner ikke igjen formatet")
        bad(wide(rows=[]), "ingen kommunerader")

    def test_a_bad_file_leaves_earlier_imports_alone(self, bad):
        import_statistics(wide(), filename="bosatt.csv")
        bad(wide(["K3001;Halden;99;99;99;80", "K3011;Hvaler;.;:;;abc"]), "er ikke et tall")
        assert value("anmodning", "3001", 2021).value == 10


@pytest.mark.django_db
class TestCommand:
    def run(self, *args, **options):
        out, err = StringIO(), StringIO()
        call_command("import_statistics", *args, stdout=out, stderr=err, **options)
        return out.getvalue() + err.getvalue()

    def test_report(self, register, tmp_path):
        path = tmp_path / "bosatt.csv"
        path.write_bytes(wide([*ROWS, "K9999;Uoppgitt kommune;1;2;3;4"]))
        output = self.run(str(path))
        assert "10 nye, 0 endret, 0 uendret ble lagret" in output
        assert "anmodning – Anmodning om bosetting (personer): 5 nye" in output
        assert "Hoppet over linje 7: K9999 Uoppgitt kommune" in output
        assert "Ferdig på" in output
        output = self.run(str(path))
        assert "0 nye, 0 endret, 10 uendret" in output

    def test_dry_run(self, register, tmp_path):
        path = tmp_path / "bosatt.csv"
        path.write_bytes(wide())
        assert "Prøvekjøring" in self.run(str(path), "--dry-run")
        assert not StatisticValue.objects.exists()

    def test_refusal(self, register, tmp_path):
        path = tmp_path / "bosatt.csv"
        path.write_bytes(wide(["K0999;Finnesikke;1;2;3;4"]))
        with pytest.raises(CommandError, match="Ingenting er importert. bosatt.csv: linje 4"):
            self.run(str(path))
        with pytest.raises(CommandError, match="finner ikke filen"):
            self.run(str(tmp_path / "finnes-ikke.csv"))


class TestReader:
    def test_column_letters(self):
        assert [column_letter(i) for i in (0, 2, 25, 26, 281)] == ["A", "C", "Z", "AA", "JV"]

    def test_reading_touches_no_database(self):
        parsed = read_statistics_file("f.csv", wide())  # no db fixture: a query would fail
        assert len(parsed.cells) == 12
        assert parsed.cells[0].region == "3001"


@pytest.mark.django_db
def test_real_file_imports_on_the_projects_register_alone(register):
    """The register fixture holds every code since 1994 (0104 Moss & co): IMDi's file imports
    without SSB's grouping, as on a fresh «make run»."""
    root = next(p for p in Path(__file__).resolve().parents if (p / "manage.py").is_file())
    path = root.parent / "shared" / "data" / "imdi" / "bosatt_anmodede.csv"
    require_service(path.is_file(), f"shared reference data ({path})")
    report = import_statistics(path)
    assert (report.municipalities, report.created) == (486, 70858)
    # Codes IMDi recorded before SSB's grouping begins (1994) are skipped, by line.
    assert sorted(s.text.split()[0] for s in report.skipped) == ["K0102", "K0103", "K2001", "K9999"]
    assert StatisticValue.objects.filter(municipality__number="0104", year=1995).exists()
