"""``skjema.reading``: the bulk reads the apps above use (a fixed number of queries), the
county's recommended numbers and the profiles' stated capacity, and the one code lineage."""

import pytest

from portal.register.models import Municipality
from skjema import reading

from . import meetings_support as support
from .meetings_support import YEAR

telemark = support.telemark

pytestmark = pytest.mark.django_db


def test_published_profile_versions_in_a_fixed_number_of_queries(
    telemark, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        published = reading.published_profile_versions(round_=telemark)
    by_number = {p.municipality.number: p for p in published}
    # Skien (returned) and Porsgrunn (accepted) count as published; Notodden's draft does not.
    assert set(by_number) == {"4003", "4001"}
    assert by_number["4003"].capacity == 40
    assert by_number["4003"].version.number == 1
    with django_assert_max_num_queries(4):  # one per kind of register reference, shared
        sections = [p.sections for p in published]
    assert [s.key for s in sections[0]][:2] == ["qualification", "upper_secondary"]
    assert reading.published_profile_versions(round_=YEAR, municipalities=["4001"])[0].version


def test_recommended_numbers_and_stated_capacities(telemark, django_assert_num_queries):
    with django_assert_num_queries(1):
        recommended = reading.recommended_numbers(round_=telemark)
    assert recommended["4003"] == 40 and recommended["4001"] == 10
    with django_assert_num_queries(1):
        capacities = reading.stated_capacities(round_=telemark)
    assert capacities["4003"] == 40  # the submitted version, not the draft edit after it
    assert "4005" not in capacities  # a draft is never read


def test_previous_version_follows_the_code_history(telemark):
    previous = reading.previous_version(
        municipality=Municipality.objects.get(number="4003"), before_year=YEAR
    )
    assert previous.submission.round.year == YEAR - 1


def test_earlier_codes_follow_renumbering(register):
    halden = Municipality.objects.get(number="3101")
    codes = set(
        Municipality.objects.filter(pk__in=reading.earlier_codes(municipality=halden)).values_list(
            "number", flat=True
        )
    )
    assert {"3101", "3001"} <= codes
