"""Neighbouring municipalities: computed from the boundary file, stored, read, and in the API."""

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from portal.register.geo.boundaries import load_boundaries
from portal.register.geo.neighbours import compute_neighbours
from portal.register.models import MunicipalityNeighbour
from portal.register.selectors import are_neighbours, neighbour_numbers, neighbours_of

# Island municipalities more than 2 km from any other municipality on the simplified map.
OPEN_SEA_ISLANDS = {
    "1144",  # Kvitsøy
    "1151",  # Utsira
    "1573",  # Smøla
    "1815",  # Vega
    "1835",  # Træna
    "1856",  # Røst
    "1857",  # Værøy
    "4625",  # Austevoll
    "4633",  # Fedje
    "5014",  # Frøya
}


@pytest.fixture(scope="module")
def pairs():
    return {(p.a, p.b): p for p in compute_neighbours(load_boundaries())}


def _pair(pairs, a, b):
    return pairs.get((min(a, b), max(a, b)))


class TestComputed:
    @pytest.mark.parametrize(
        ("a", "b"),
        [("0301", "3201"), ("0301", "3207"), ("5501", "5532")],
        ids=["Oslo–Bærum", "Oslo–Nordre Follo", "Tromsø–Balsfjord"],
    )
    def test_known_pairs_share_a_border(self, pairs, a, b):
        pair = _pair(pairs, a, b)
        assert pair is not None and pair.kind == "border" and pair.distance_m == 0

    def test_bergen_and_askoy_are_neighbours_across_water(self, pairs):
        pair = _pair(pairs, "4601", "4627")
        assert pair is not None
        assert pair.kind == "water"
        assert 0 < pair.distance_m < 2000

    @pytest.mark.parametrize(
        ("a", "b"),
        [("0301", "4601"), ("0301", "3203"), ("4601", "1103"), ("5501", "5601")],
        ids=["Oslo–Bergen", "Oslo–Asker", "Bergen–Stavanger", "Tromsø–Alta"],
    )
    def test_known_non_pairs(self, pairs, a, b):
        assert _pair(pairs, a, b) is None

    def test_only_open_sea_islands_have_no_neighbour(self, pairs):
        with_neighbours = {n for pair in pairs for n in pair}
        lonely = set(load_boundaries().municipalities) - with_neighbours
        assert lonely == OPEN_SEA_ISLANDS

    def test_every_mainland_municipality_has_a_neighbour(self, pairs):
        boundaries = load_boundaries()
        with_neighbours = {n for pair in pairs for n in pair}
        mainland = {
            number
            for number, shape in boundaries.municipalities.items()
            # A municipality whose largest part shares an arc is on the mainland (or joined
            # to it by a road/bridge on the map).
            if len(shape.polygons[0][0]) > 1
        }
        assert len(mainland) > 300
        assert mainland <= with_neighbours

    def test_water_pairs_are_under_the_limit_and_never_also_border(self, pairs):
        for pair in pairs.values():
            assert pair.a < pair.b
            if pair.kind == "water":
                assert 0 <= pair.distance_m < 2000


@pytest.mark.django_db
class TestStored:
    def test_relation_is_symmetric(self):
        rows = set(
            MunicipalityNeighbour.objects.values_list(
                "municipality__number", "neighbour__number", "kind", "distance_m"
            )
        )
        assert rows
        assert {(b, a, kind, d) for a, b, kind, d in rows} == rows

    def test_stored_rows_are_the_computed_pairs(self, pairs):
        stored = set(
            MunicipalityNeighbour.objects.filter(
                municipality__number__lt=models_f("neighbour__number")
            ).values_list("municipality__number", "neighbour__number")
        )
        assert stored == set(pairs)

    def test_selector_lists_neighbours_in_one_query(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            numbers = [m.number for m in neighbours_of("0301")]
        assert numbers == sorted(numbers)
        assert {"3201", "3207"} <= set(numbers)
        assert "4601" not in numbers

    def test_selector_by_kind_and_old_code(self):
        assert [m.number for m in neighbours_of("4601", kind="water")].count("4627") == 1
        assert "4627" not in [m.number for m in neighbours_of("4601", kind="border")]
        # 5401 Tromsø (2020–2023) is answered through 5501 Tromsø.
        assert "5532" in [m.number for m in neighbours_of("5401")]
        assert neighbours_of("9999") == []

    def test_bulk_selector_and_pair_check(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            table = neighbour_numbers(["0301", "4627"])
        assert set(table) == {"0301", "4627"}
        assert "4601" in table["4627"]
        assert are_neighbours("4627", "4601")
        assert not are_neighbours("0301", "4601")

    def test_command_is_idempotent_and_repairs(self):
        MunicipalityNeighbour.objects.filter(municipality__number="0301").delete()
        out = StringIO()
        call_command("compute_neighbours", stdout=out)
        assert "0 endret" in out.getvalue()
        assert are_neighbours("0301", "3201") and are_neighbours("3201", "0301")
        out = StringIO()
        call_command("compute_neighbours", stdout=out)
        assert "(0 nye, 0 endret)" in out.getvalue()


@pytest.mark.django_db
class TestApi:
    @pytest.fixture
    def api(self, users):
        client = APIClient()
        client.force_authenticate(users["fylke_a"])
        return client

    def test_detail_lists_neighbours(self, api, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            body = api.get("/api/v1/municipalities/4627/").json()
        by_number = {n["number"]: n for n in body["neighbours"]}
        assert by_number["4601"]["name"] == "Bergen"
        assert by_number["4601"]["kind"] == "water"
        assert 0 < by_number["4601"]["distance_m"] < 2000
        assert [n["number"] for n in body["neighbours"]] == sorted(by_number)

    def test_border_neighbour_in_api(self, api):
        body = api.get("/api/v1/municipalities/0301/").json()
        bærum = next(n for n in body["neighbours"] if n["number"] == "3201")
        assert bærum == {"number": "3201", "name": "Bærum", "kind": "border", "distance_m": 0}


def models_f(name):
    from django.db.models import F

    return F(name)
