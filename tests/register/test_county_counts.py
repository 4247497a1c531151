"""The register pages count each county's municipalities in SSB's 2024 and 2020 structures, and
say truly when a county was in force – also with every code since 1994 in the register."""

import csv
import datetime
import re
from collections import Counter
from pathlib import Path

import pytest

from portal.register.models import County, Municipality, StructureVersion
from tests.conftest import require_service


def _project_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "manage.py").is_file())


SHARED_REGISTER = _project_root().parent / "shared" / "data" / "register"


def _per_county(name: str) -> Counter:
    require_service(SHARED_REGISTER.is_dir(), f"shared reference data ({SHARED_REGISTER})")
    with (SHARED_REGISTER / name).open(encoding="utf-8", newline="") as handle:
        return Counter(row["fylkesnummer"] for row in csv.DictReader(handle))


def _index_counts(html: str) -> dict[str, int]:
    return {
        number: int(count)
        for number, count in re.findall(r"Fylkesnummer (\d{2}) · (\d+) kommuner?\b", html)
    }


@pytest.mark.django_db
class TestCountsPerCounty:
    def test_the_index_counts_the_2024_structure(self, client, register):
        expected = _per_county("kommuner_2024.csv")
        assert Municipality.objects.filter(valid_to__lt=datetime.date(2020, 1, 1)).count() > 300
        counts = _index_counts(client.get("/kommuner/").content.decode())
        assert counts == dict(expected)
        assert (counts["11"], counts["15"], counts["50"]) == (23, 27, 38)

    def test_county_pages_count_the_2024_structure(self, client, register):
        expected = _per_county("kommuner_2024.csv")
        for number in ("03", "11", "15", "50", "46"):
            html = client.get(f"/fylker/{number}/").content.decode()
            name = County.objects.get(number=number).name
            assert f"Kommuner i {name} ({expected[number]})" in html

    def test_the_2020_structure_per_county(self, register):
        expected = _per_county("kommuner_2020_2023.csv")
        version = StructureVersion.objects.get(code="2020")
        actual = Counter(
            Municipality.objects.in_structure(version).values_list("county__number", flat=True)
        )
        assert actual == expected

    def test_an_ended_county_lists_its_municipalities_of_its_last_day(self, client, register):
        html = client.get("/fylker/01/").content.decode()
        assert "Kommuner i Østfold (18)" in html
        assert "til 31. desember 2019" in html
        html = client.get("/fylker/16/").content.decode()
        assert "Kommuner i Sør-Trøndelag (25)" in html  # 1 January 2017: 25 municipalities


@pytest.mark.django_db
class TestCountyValidity:
    @pytest.mark.parametrize(
        ("number", "validity"),
        [
            ("03", "gjeldende"),
            ("11", "gjeldende"),
            ("50", "fra 1. januar 2018"),
            ("01", "til 31. desember 2019"),
            ("30", "fra 1. januar 2020 til 31. desember 2023"),
        ],
    )
    def test_the_county_page_says_when_it_was_in_force(self, client, register, number, validity):
        html = client.get(f"/fylker/{number}/").content.decode()
        assert f"<dt>Gyldig</dt><dd>{validity}</dd>" in html
        assert "før 2020" not in html

    def test_earlier_codes_are_listed_apart(self, client, register, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):
            html = client.get("/fylker/11/").content.decode()
        assert "Tidligere kommunenumre i Rogaland" in html
        assert "/kommuner/1102/" in html  # Sandnes (-2019)
