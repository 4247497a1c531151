"""The project's register fixture agrees with SSB's published files in ../shared/data/register.

Codes and county numbers must match exactly; names are compared by their Norwegian part, since
SSB writes parallel names into the name and the secondary 2024 file differs in spelling.
"""

import csv
import datetime
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.register.models import CodeChange, County, Municipality, StructureVersion
from tests.conftest import require_service


def _project_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "manage.py").is_file())


SHARED_REGISTER = _project_root().parent / "shared" / "data" / "register"
END_2023 = datetime.date(2023, 12, 31)


@pytest.fixture
def shared_register():
    require_service(SHARED_REGISTER.is_dir(), f"shared reference data ({SHARED_REGISTER})")
    return SHARED_REGISTER


@pytest.fixture
def loaded(db):
    call_command("load_register", verbosity=0)


def _read_csv(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _drop_qualifier(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)$", "", _clean(text))


def _parts(ssb_name: str) -> list[str]:
    """'Porsanger - Porsángu - Porsanki\xa0' → ['Porsanger', 'Porsángu', 'Porsanki']."""
    return [_clean(part) for part in _drop_qualifier(ssb_name).split(" - ")]


def _fold(text: str) -> str:
    """Spelling without diacritics: the 2024 file has lost 'š' ('Evenássi' for 'Evenášši')."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _compare_structure(code: str, rows: list[dict[str, str]], names_from_file: bool) -> list:
    """Every difference between a structure's CSV rows and the register, as readable lines."""
    version = StructureVersion.objects.get(code=code)
    register = {
        m.number: m for m in Municipality.objects.in_structure(version).select_related("county")
    }
    expected = {row["kommunenummer"]: row for row in rows}
    problems = []
    for number in sorted(expected.keys() - register.keys()):
        problems.append(
            f"{code}: {number} {expected[number]['kommunenavn']!r} mangler i registeret"
        )
    for number in sorted(register.keys() - expected.keys()):
        problems.append(f"{code}: {number} {register[number].name!r} finnes ikke i SSBs fil")
    for number in sorted(expected.keys() & register.keys()):
        row, municipality = expected[number], register[number]
        county = municipality.county.number if municipality.county else None
        if county != row["fylkesnummer"]:
            problems.append(f"{code}: {number} fylke {county}, SSB sier {row['fylkesnummer']}")
        parts = _parts(row["kommunenavn"])
        name = _drop_qualifier(municipality.name)
        if name not in parts:
            problems.append(
                f"{code}: {number} navn {municipality.name!r} er ingen av delene i "
                f"SSBs {row['kommunenavn']!r}"
            )
        if name in municipality.parallel_names:
            problems.append(f"{code}: {number} {name!r} er både navn og parallellnavn")
        if names_from_file(municipality):
            ours = {_fold(n) for n in [name, *municipality.parallel_names]}
            lost = [part for part in parts if _fold(part) not in ours]
            if lost:
                problems.append(f"{code}: {number} mangler parallellnavn {lost} fra SSB")
    return problems


def _assert_no_problems(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} avvik:\n" + "\n".join(problems)


@pytest.mark.django_db
class TestFixtureMatchesSharedData:
    def test_structure_2024_municipalities(self, shared_register, loaded):
        rows = _read_csv(shared_register, "kommuner_2024.csv")
        assert len(rows) == 357
        _assert_no_problems(_compare_structure("2024", rows, lambda m: True))

    def test_structure_2020_2023_municipalities(self, shared_register, loaded):
        rows = _read_csv(shared_register, "kommuner_2020_2023.csv")
        assert len(rows) == 356
        # Rows that live on into 2024 carry today's names; only the ended ones are 2023's.
        _assert_no_problems(_compare_structure("2020", rows, lambda m: m.valid_to == END_2023))

    def test_counties_2024(self, shared_register, loaded):
        expected = {
            row["fylkesnummer"]: _clean(row["fylkesnavn"])
            for row in _read_csv(shared_register, "fylker_2024.csv")
        }
        version = StructureVersion.objects.get(code="2024")
        actual = {c.number: c.name for c in County.objects.in_structure(version)}
        assert len(expected) == 15
        assert actual == expected

    def test_counties_2020_2023(self, shared_register, loaded):
        expected = {
            row["fylkesnummer"]: _parts(row["fylkesnavn"])
            for row in _read_csv(shared_register, "kommuner_2020_2023.csv")
        }
        version = StructureVersion.objects.get(code="2020")
        actual = {
            c.number: [c.name, *c.parallel_names] for c in County.objects.in_structure(version)
        }
        assert len(expected) == 11
        assert actual == expected

    def test_every_2020_2023_code_leads_to_its_2024_code(self, shared_register, loaded):
        rows = _read_csv(shared_register, "korrespondanse-2020-2023-til-2024.csv")
        assert len(rows) == 356
        municipalities = {m.number: m for m in Municipality.objects.select_related("current")}
        successors: dict[str, set[str]] = {}
        for change in CodeChange.objects.select_related("predecessor", "successor"):
            successors.setdefault(change.predecessor.number, set()).add(change.successor.number)

        problems = []
        for row in rows:
            old, new = row["kode_2020_2023"], row["kode_2024"]
            municipality = municipalities.get(old)
            if municipality is None:
                problems.append(f"{old} mangler")
                continue
            if old == new:
                if not municipality.is_current or old in successors:
                    problems.append(f"{old} skal fortsette uendret inn i 2024")
                continue
            expected_successors = {"1508", "1580"} if old == "1507" else {new}
            if municipality.valid_to != END_2023:
                problems.append(f"{old} gyldig til {municipality.valid_to}, ventet {END_2023}")
            if municipality.resolve_current().number != new:
                problems.append(
                    f"{old} → dagens {municipality.resolve_current().number}, SSB: {new}"
                )
            if successors.get(old) != expected_successors:
                problems.append(
                    f"{old} etterfølgere {successors.get(old)}, ventet {expected_successors}"
                )
        _assert_no_problems(problems)

    def test_the_alesund_split_and_renumberings(self, loaded):
        kinds = {
            (c.predecessor.number, c.successor.number): c.kind
            for c in CodeChange.objects.select_related("predecessor", "successor")
        }
        assert kinds[("1507", "1508")] == kinds[("1507", "1580")] == CodeChange.Kind.SPLIT
        assert kinds[("3001", "3101")] == CodeChange.Kind.RENUMBERED
        assert len(kinds) == 115
        assert all(change.date == datetime.date(2024, 1, 1) for change in CodeChange.objects.all())


_SUFFIX = re.compile(r"\s*\((\d{4})?-(\d{4})\)$")


def _grouping_rows(directory: Path) -> list[dict[str, str | None]]:
    """SSB's grouping read with openpyxl alone (not the project's importer): each municipality
    code with its last year (from a «(-2019)» suffix) and its 2024 group («K.3103»)."""
    from openpyxl import load_workbook

    workbook = load_workbook(
        directory / "ssb-kommunegruppering-1994-2024.xlsx", read_only=True, data_only=True
    )
    rows = []
    for group, _group_name, code, text in workbook.worksheets[0].iter_rows(
        min_row=2, max_col=4, values_only=True
    ):
        if not re.fullmatch(r"K\.(\d{4}|Rest)", group) or not re.fullmatch(r"\d{4}", code):
            continue  # Svalbard, the continental shelf, «0716u» (an earlier holder of 0716)
        if code == "9999":
            continue
        suffix = _SUFFIX.search(text)
        rows.append(
            {
                "code": code,
                "text": text,
                "last_year": suffix.group(2) if suffix else None,
                "first_year": suffix.group(1) if suffix else None,
                "successor": None if group == "K.Rest" else group[2:],
            }
        )
    workbook.close()
    return rows


@pytest.mark.django_db
class TestEveryCodeSince1994:
    def test_every_code_of_ssbs_grouping_with_its_last_year_and_2024_successor(
        self, shared_register, loaded
    ):
        rows = _grouping_rows(shared_register)
        assert len(rows) == 851
        register = {m.number: m for m in Municipality.objects.select_related("county", "current")}
        problems = []
        for row in rows:
            municipality = register.get(row["code"])
            if municipality is None:
                problems.append(f"{row['code']} {row['text']!r} mangler")
                continue
            last = str(municipality.valid_to.year) if municipality.valid_to else None
            if last != row["last_year"]:
                problems.append(f"{row['code']} siste år {last}, SSB: {row['last_year']}")
            if row["first_year"] and municipality.valid_from.year != int(row["first_year"]):
                problems.append(f"{row['code']} første år {municipality.valid_from}")
            successor = municipality.resolve_current().number if row["successor"] else None
            if row["successor"] and successor != row["successor"]:
                problems.append(f"{row['code']} → {successor}, SSB: {row['successor']}")
            if not row["successor"] and municipality.current is not None:
                problems.append(f"{row['code']} er delt (K.Rest), men peker på én kommune")
            # The first two digits are the county the code was given in (0104 → 01 Østfold).
            if municipality.county is None or municipality.county.number != row["code"][:2]:
                problems.append(f"{row['code']} fylke {municipality.county}")
            elif (municipality.valid_to or datetime.date.max) > (
                municipality.county.valid_to or datetime.date.max
            ):
                problems.append(f"{row['code']} varer lenger enn fylket sitt")
        _assert_no_problems(problems)

    def test_the_counties_before_2020_as_ssb_names_them(self, loaded):
        before_2020 = {
            c.number: (c.name, c.parallel_names, c.valid_to)
            for c in County.objects.valid_on(datetime.date(2017, 1, 1))
        }
        end_2019, end_2017 = datetime.date(2019, 12, 31), datetime.date(2017, 12, 31)
        assert before_2020 == {
            "01": ("Østfold", [], end_2019),
            "02": ("Akershus", [], end_2019),
            "03": ("Oslo", [], None),
            "04": ("Hedmark", [], end_2019),
            "05": ("Oppland", [], end_2019),
            "06": ("Buskerud", [], end_2019),
            "07": ("Vestfold", [], end_2019),
            "08": ("Telemark", [], end_2019),
            "09": ("Aust-Agder", [], end_2019),
            "10": ("Vest-Agder", [], end_2019),
            "11": ("Rogaland", [], None),
            "12": ("Hordaland", [], end_2019),
            "14": ("Sogn og Fjordane", [], end_2019),
            "15": ("Møre og Romsdal", [], None),
            "16": ("Sør-Trøndelag", [], end_2017),
            "17": ("Nord-Trøndelag", [], end_2017),
            "18": ("Nordland", ["Nordlánnda"], None),
            "19": ("Troms", ["Romsa"], end_2019),
            "20": ("Finnmark", ["Finnmárku"], end_2019),
        }

    @pytest.mark.parametrize(
        ("year", "municipalities", "counties"),
        # SSB's counts of municipalities and counties on 1 January.
        [(2006, 431, 19), (2008, 430, 19), (2017, 426, 19), (2018, 422, 18), (2019, 422, 18),
         (2020, 356, 11), (2024, 357, 15)],
    )  # fmt: skip
    def test_how_many_were_in_force_each_year(self, loaded, year, municipalities, counties):
        day = datetime.date(year, 1, 1)
        assert Municipality.objects.valid_on(day).count() == municipalities
        assert County.objects.valid_on(day).count() == counties
        in_force = set(County.objects.valid_on(day).values_list("pk", flat=True))
        # Every municipality in force belongs to a county in force the same day.
        assert not Municipality.objects.valid_on(day).exclude(county__in=in_force).exists()
