"""``manage.py import_register``: SSB Klass JSON (131, 104, 7) and SSB's municipality grouping."""

import datetime
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from portal.register.importers import split_names
from portal.register.models import County, Municipality, Occupation
from tests.conftest import require_service


def _project_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "manage.py").is_file())


SHARED_REGISTER = _project_root().parent / "shared" / "data" / "register"
KLASS_131 = "ssb-klass-131-kommuner-2023.json"
KLASS_104 = "ssb-klass-104-fylker-2023.json"
KLASS_7 = "ssb-klass-7-styrk08.json"
GROUPING = "ssb-kommunegruppering-1994-2024.xlsx"


@pytest.fixture
def shared():
    require_service(SHARED_REGISTER.is_dir(), f"shared reference data ({SHARED_REGISTER})")
    return SHARED_REGISTER


@pytest.fixture
def all_files(shared):
    return [str(shared / name) for name in (GROUPING, KLASS_7, KLASS_131, KLASS_104)]


def run(*files, **options) -> str:
    out, err = StringIO(), StringIO()
    call_command("import_register", *files, stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def snapshot() -> dict:
    return {
        "municipalities": list(
            Municipality.objects.order_by("number").values_list(
                "number",
                "name",
                "parallel_names",
                "county_id",
                "valid_from",
                "valid_to",
                "current_id",
            )
        ),
        "counties": list(County.objects.order_by("number").values_list()),
        "occupations": list(Occupation.objects.order_by("code").values_list()),
    }


def _before_2020():
    return Municipality.objects.filter(valid_to__lt=datetime.date(2020, 1, 1))


@pytest.fixture
def without_codes_before_2020(db):
    """A register that has only the codes from 2020 on: what the grouping import adds to it is
    then compared with what the project's fixture holds."""
    fixture_rows = snapshot()["municipalities"]
    _before_2020().delete()
    return fixture_rows


@pytest.mark.django_db
class TestImportRealFiles:
    def test_imports_all_four_files(self, all_files):
        output = run(*all_files)
        assert "yrker: 0 nye, 0 endret, 582 uendret" in output  # the default has all levels
        assert "kommuner: 0 nye, 0 endret, 356 uendret" in output  # the fixture agrees with SSB
        assert "fylker: 0 nye, 0 endret, 11 uendret" in output

        assert Occupation.objects.count() == 582
        by_level = {level: Occupation.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
        assert by_level == {1: 10, 2: 43, 3: 122, 4: 407}
        wrong_parents = [
            o.code
            for o in Occupation.objects.select_related("parent")
            if (o.parent.code if o.parent else None) != (o.code[:-1] or None)
        ]
        assert wrong_parents == []

    def test_the_grouping_adds_exactly_the_fixtures_codes_before_2020(
        self, all_files, without_codes_before_2020
    ):
        assert not _before_2020().exists()
        output = run(*all_files)
        assert "kommuner: 380 nye, 0 endret, 471 uendret" in output
        assert snapshot()["municipalities"] == without_codes_before_2020

    def test_historical_codes_resolve_to_todays_municipality(
        self, all_files, without_codes_before_2020
    ):
        run(*all_files)
        moss = Municipality.objects.get(number="0104")
        assert (moss.name, moss.valid_from, moss.valid_to) == (
            "Moss",
            None,
            datetime.date(2019, 12, 31),
        )
        assert moss.current.number == "3103"
        assert moss.resolve_current().name == "Moss"
        halden = Municipality.objects.get(number="0101")
        assert halden.resolve_current().number == "3101"
        re_ = Municipality.objects.get(number="0716")
        assert (re_.name, re_.valid_from) == ("Re", datetime.date(2002, 1, 1))
        assert re_.current.number == "3905"
        sandnes = Municipality.objects.select_related("county").get(number="1102")
        assert sandnes.county.number == "11"  # Rogaland existed in 2019 too
        assert Municipality.objects.get(number="3001").current.number == "3101"

    def test_names_from_the_grouping(self, all_files, without_codes_before_2020):
        output = run(*all_files)
        karasjok = Municipality.objects.get(number="2021")
        # The grouping writes "Kárásjohka"; the register's own spelling is restored.
        assert (karasjok.name, karasjok.parallel_names) == ("Karasjok", ["Kárášjohka"])
        tysfjord = Municipality.objects.get(number="1850")
        assert (tysfjord.name, tysfjord.parallel_names) == ("Tysfjord", ["Divtasvuodna"])
        assert "1850" in output and "Kontroller" in output  # a guess is reported as one
        assert Municipality.objects.get(number="0137").name == "Våler (Østfold)"
        # Existing curated names are not overwritten by the grouping's spelling.
        assert Municipality.objects.get(number="1853").parallel_names == ["Evenášši"]
        assert not Municipality.objects.filter(number__in=["9999", "2111", "2311"]).exists()

    def test_second_run_changes_nothing(self, all_files):
        run(*all_files)
        before = snapshot()
        output = run(*all_files)
        assert "Ferdig: 0 nye og 0 endrede rader." in output
        assert "Advarsel" not in output
        assert snapshot() == before

    def test_the_fixture_and_ssbs_files_agree(self, all_files):
        run(*all_files)
        out = StringIO()
        call_command("load_register", stdout=out)
        assert "(0 nye, 0 endret)" in out.getvalue()

    def test_era_rows_take_the_files_names_continuing_rows_keep_todays(self, shared):
        Municipality.objects.filter(number="3001").update(name="Feil")
        Municipality.objects.filter(number="5001").update(parallel_names=["Tråante"])
        output = run(str(shared / KLASS_131))
        assert "kommuner: 0 nye, 1 endret, 355 uendret" in output
        assert Municipality.objects.get(number="3001").name == "Halden"
        # 2023's "Trondheim - Tråanten" does not replace today's name.
        assert Municipality.objects.get(number="5001").parallel_names == ["Tråante"]

    def test_structure_can_be_given(self, shared):
        output = run(str(shared / KLASS_104), structure="2022")
        assert "Kommunestruktur 2020–2023" in output
        with pytest.raises(CommandError, match="Ukjent strukturversjon «1850»"):
            run(str(shared / KLASS_104), structure="1850")


def _klass(tmp_path, codes, name="klass.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"codes": codes}, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _entry(code, name, level="1", parent=None):
    return {"code": code, "parentCode": parent, "level": level, "name": name}


@pytest.mark.django_db
class TestBadInput:
    @pytest.fixture
    def styrk(self, shared):
        return str(shared / KLASS_7)

    def _refused(self, files, match):
        before = snapshot()
        with pytest.raises(CommandError, match=match) as caught:
            run(*files)
        assert "Ingenting er importert" in str(caught.value)
        assert snapshot() == before  # not even the good file in the same run

    def test_malformed_json(self, tmp_path, styrk):
        bad = tmp_path / "klass.json"
        bad.write_text('{"codes": [{"code": "0301",', encoding="utf-8")
        self._refused([styrk, str(bad)], r"klass\.json: er ikke gyldig JSON \(linje 1")

    def test_neither_json_nor_xlsx(self, tmp_path, styrk):
        bad = tmp_path / "kommuner.csv"
        bad.write_bytes("kommunenummer;navn\n0301;Oslo\n".encode("latin-1"))
        self._refused([styrk, str(bad)], "er ikke gyldig JSON")

    def test_wrong_shape(self, tmp_path, styrk):
        bad = tmp_path / "feil.json"
        bad.write_text('{"classificationItems": []}', encoding="utf-8")
        self._refused([styrk, str(bad)], "listen «codes»")

    def test_a_municipality_code_that_is_not_four_digits(self, tmp_path, styrk):
        codes = [_entry(f"{n:04d}", "Kommune") for n in range(3001, 3010)]
        codes.append(_entry("301", "Oslo"))
        self._refused([styrk, _klass(tmp_path, codes)], "«301» \\(Oslo\\) er ikke et kommunenummer")

    def test_a_code_given_as_a_number(self, tmp_path, styrk):
        codes = [_entry("0301", "Oslo"), {**_entry("1101", "Eigersund"), "code": 1101}]
        self._refused(
            [styrk, _klass(tmp_path, codes)], "kode nr. 2 er ugyldig \\(code: må være tekst"
        )

    def test_styrk_with_a_wrong_parent(self, tmp_path):
        codes = [_entry("2", "Akademiske yrker"), _entry("22", "Medisinske yrker", "2", "3")]
        self._refused([_klass(tmp_path, codes)], "overordnet kode «3», ventet «2»")

    def test_numeric_code_cell_in_the_grouping(self, tmp_path, styrk):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["GRUPPEKODE", "GRUPPETEKST", "KODE", "TEKST"])
        sheet.append(["K.3103", "Moss", "3103", "Moss"])
        sheet.append(["K.0301", "Oslo", 301, "Oslo"])
        path = tmp_path / "gruppering.xlsx"
        workbook.save(path)
        self._refused([styrk, str(path)], "celle C3 inneholder tallet 301, ikke tekst")

    def test_grouping_with_wrong_columns(self, tmp_path):
        workbook = Workbook()
        workbook.active.append(["kode", "navn"])
        path = tmp_path / "gruppering.xlsx"
        workbook.save(path)
        self._refused([str(path)], "første rad må være kolonnene GRUPPEKODE")

    def test_a_zip_that_is_not_a_workbook(self, tmp_path):
        path = tmp_path / "gruppering.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "ikke et regneark")
        self._refused([str(path)], "kan ikke leses som et Excel-ark")

    def test_missing_file(self, tmp_path):
        self._refused([str(tmp_path / "finnes-ikke.json")], "Finner ikke filen")


class TestSplitNames:
    def test_existing_name_decides(self):
        split = split_names("Guovdageaidnu - Kautokeino", preferred="Kautokeino")
        assert (split.name, split.parallel_names, split.guessed) == (
            "Kautokeino",
            ["Guovdageaidnu"],
            False,
        )

    def test_known_names_decide_and_the_qualifier_stays_with_the_norwegian_name(self):
        split = split_names(
            "Gáivuotna - Kåfjord - Kaivuono (Troms)", known_names={"Kåfjord", "Oslo"}
        )
        assert (split.name, split.parallel_names) == ("Kåfjord (Troms)", ["Gáivuotna", "Kaivuono"])

    def test_an_unknown_name_is_a_reported_guess(self):
        split = split_names("Snåase - Snåsa")
        assert (split.name, split.parallel_names, split.guessed) == ("Snåsa", ["Snåase"], True)

    def test_single_names_are_kept_whole(self):
        assert split_names("Herøy (Nordland)\xa0").name == "Herøy (Nordland)"
