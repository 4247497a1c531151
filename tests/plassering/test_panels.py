"""«Ledig N av M» on the lower apps' pages (plassering/panels.py): IMDi only, and a fixed
number of queries whatever the number of rows, decisions and allocations."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plassering import panels
from plassering.sources import forget_cached_facts
from portal.register.models import Municipality

from .conftest import decide, submit_profile

pytestmark = pytest.mark.django_db


def _request(rf, user):
    request = rf.get("/")
    request.user = user
    return request


def _queries(fn, **kwargs):
    forget_cached_facts()  # the worst case: nothing cached yet
    with CaptureQueriesContext(connection) as queries:
        result = fn(**kwargs)
    return result, len(queries)


def test_the_columns_cost_the_same_for_few_and_many_rows(rf, placement_round, users):
    request = _request(rf, users["imdi"])
    numbers = list(
        Municipality.objects.filter(county__number="40").values_list("number", flat=True)
    )
    column, few_dashboard = _queries(
        panels.capacity_column, request=request, keys=["40"], round_=placement_round
    )
    assert column.value("40").startswith("Ledig ")
    hits, few_hits = _queries(
        panels.capacity_hit, request=request, keys=numbers[:2], round_year=placement_round.year
    )
    fresh = [n for n in numbers if n not in {"4001", "4003", "4005"}][:4]
    for number in fresh:
        submit_profile(placement_round, number, users["fylke_b"])
        decide(placement_round, number, 10, users["imdi"])
    _, many_dashboard = _queries(
        panels.capacity_column, request=request, keys=["03", "40"], round_=placement_round
    )
    hits, many_hits = _queries(
        panels.capacity_hit, request=request, keys=numbers, round_year=placement_round.year
    )
    assert hits.value(fresh[0]).endswith("av 10")
    assert many_dashboard == few_dashboard <= 12
    assert many_hits == few_hits <= 12


def test_the_municipality_panel_is_bounded(rf, placement_round, users):
    request = _request(rf, users["imdi"])
    skien = Municipality.objects.get(number="4003")
    panel, count = _queries(panels.capacity_panel, request=request, municipality=skien)
    assert "Kapasitet for bosetting" in panel.context["text"]
    assert count <= 12  # cold: the round's facts are read once, then cached


@pytest.mark.parametrize("who", ["fylke_b", "ks", "anonymous"])
def test_only_imdi_sees_capacity(rf, placement_round, users, who):
    user = AnonymousUser() if who == "anonymous" else users[who]
    request = _request(rf, user)
    skien = Municipality.objects.get(number="4003")
    assert panels.capacity_panel(request=request, municipality=skien) is None
    assert panels.capacity_column(request=request, keys=["40"], round_=placement_round) is None
    assert (
        panels.capacity_hit(request=request, keys=["4003"], round_year=placement_round.year) is None
    )
