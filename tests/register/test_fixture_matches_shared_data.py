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
