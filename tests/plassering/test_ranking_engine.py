"""The ranking engine on plain data: hard filters with a reason for every excluded
municipality, criteria with reasons and sources, missing data neutral and flagged, a
deterministic order (ties by number), and monotonicity (improving one criterion for a
municipality never lowers its rank)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plassering.models import CRITERIA
from plassering.ranking import (
    NEUTRAL,
    AdultSpec,
    HouseholdSpec,
    Lookups,
    exclusion_reasons,
    rank,
)
from plassering.selectors import CapacityState
from plassering.sources import LabourNeed, MunicipalityFacts, Offer, ProfileFacts, UpperOffer

WEIGHTS = {
    "work": 0.3,
    "qualification": 0.2,
    "education": 0.15,
    "needs": 0.1,
    "connection": 0.1,
    "balance": 0.1,
    "track_record": 0.05,
}
NAMES = Lookups(occupations={"72": "Metall- og maskinarbeidere", "7212": "Sveisere"})
FAMILY = HouseholdSpec(
    adults=(AdultSpec(occupations=("7212",), education_level="upper_secondary"),),
    children_ages=(4, 9),
)


def profile(**values):
    defaults = {
        "round_year": 2027,
        "version_number": 1,
        "version_date": datetime.date(2026, 6, 1),
        "wants_to_settle": "yes",
        "capacity": 20,
        "household_types": ("family", "single_parent", "large_family", "single", "couple"),
        "takes_unaccompanied_minors": True,
        "minors_under_15": 2,
        "minors_15_18": 2,
        "wheelchair_dwellings": 2,
        "health_followup": "yes",
        "largest_household": 8,
    }
    defaults.update(values)
    return ProfileFacts(**defaults)


def facts(number, name="Kommune", county="40", **profile_values):
    return MunicipalityFacts(
        number=number,
        name=f"{name} {number}",
        county=county,
        url=f"/kommuner/{number}/",
        profile=profile(**profile_values) if profile_values is not None else None,
    )


def state(number, decided=20, allocated=0, under_15=2, from_15=2, source="decision"):
    return CapacityState(
        number=number,
        name=number,
        county="40",
        decided=decided,
        source=source,
        minors_under_15=under_15,
        minors_15_18=from_15,
        allocated=allocated,
        allocated_under_15=0,
        allocated_15_18=0,
    )


def run(household, municipalities, states=None, weights=WEIGHTS):
    by_number = {m.number: m for m in municipalities}
    states = states or {n: state(n) for n in by_number}
    return rank(household, by_number, states, weights, NAMES, 2027)


class TestHardFilters:
    def test_each_reason_is_given(self):
        household = HouseholdSpec(
            adults=(AdultSpec(), AdultSpec()),
            children_ages=(1, 3, 5, 7, 9),
            needs=frozenset({"accessible_dwelling", "health_followup"}),
        )
        reasons = exclusion_reasons(
            household,
            facts(
                "4001",
                wants_to_settle="no",
                household_types=("single",),
                largest_household=4,
                wheelchair_dwellings=0,
                health_followup="no",
            ),
            state("4001", decided=5, under_15=0, from_15=0),
        )
        assert reasons == [
            "ledig 5 < 7 personer",
            "ønsker ikke å bosette",
            "tar ikke imot store familier (5 eller flere)",
            "største husholdning kommunen kan bosette er 4 < 7 personer",
            "ingen boliger tilrettelagt for rullestolbrukere",
            "ingen kapasitet for helseoppfølging",
        ]

    def test_minor_needs_the_pool_of_the_age_group(self):
        minor = HouseholdSpec(unaccompanied_minor_age=16)
        assert exclusion_reasons(minor, facts("4001"), state("4001", from_15=0)) == [
            "ledig for enslige mindreårige 15–18 år: 0 < 1 person"
        ]
        assert exclusion_reasons(minor, facts("4001"), state("4001", under_15=0)) == []
        refuses = facts("4002", takes_unaccompanied_minors=False)
        assert "tar ikke imot enslige mindreårige" in exclusion_reasons(
            minor, refuses, state("4002")
        )

    def test_required_connection_excludes_the_others(self):
        household = HouseholdSpec(
            adults=(AdultSpec(),), connection="4003", connection_required=True
        )
        result = run(household, [facts("4001"), facts("4003")])
        assert [r.number for r in result.results] == ["4003"]
        assert result.excluded[0].reason == "tilknytning til 4003 er et krav"

    def test_every_municipality_is_ranked_or_excluded_with_a_reason(self):
        municipalities = [
            facts("4001", wants_to_settle="no"),
            facts("4003"),
            facts("4005", household_types=("single",)),
            MunicipalityFacts("4010", "Uten profil", "40", "/kommuner/4010/"),
        ]
        states = {m.number: state(m.number) for m in municipalities}
        states["4010"] = state("4010", decided=0, source="none", under_15=0, from_15=0)
        result = run(FAMILY, municipalities, states)
        seen = [r.number for r in result.results] + [e.number for e in result.excluded]
        assert sorted(seen) == ["4001", "4003", "4005", "4010"]
        assert all(e.reasons and all(e.reasons) for e in result.excluded)


class TestCriteria:
    def test_deeper_occupation_match_scores_higher(self):
        def work_score(code):
            municipality = facts("4001", labour_needs=[LabourNeed(code, "high", 0)])
            return next(
                c for c in run(FAMILY, [municipality]).results[0].criteria if c.key == "work"
            )

        unit, minor, sub_major, major = (work_score(c) for c in ("7212", "721", "72", "7"))
        assert unit.score > minor.score > sub_major.score > major.score > 0
        assert "7212 Sveisere" in unit.reason
        assert unit.sources[0].section == "labour" and unit.sources[0].date == "2026-06-01"

    def test_partner_needs_count_at_a_discount(self):
        own = facts("4001", labour_needs=[LabourNeed("7212", "high", 0)])
        partner = facts("4002")
        partner.partner_needs = [LabourNeed("7212", "high", 0, partner="4001")]
        result = run(FAMILY, [own, partner])
        scores = {
            r.number: next(c.score for c in r.criteria if c.key == "work") for r in result.results
        }
        assert scores["4001"] == 1.0 and scores["4002"] == 0.5

    def test_work_is_the_mean_over_the_adults(self):
        couple = HouseholdSpec(
            adults=(AdultSpec(occupations=("7212",)), AdultSpec(occupations=("2221",)))
        )
        municipality = facts("4001", labour_needs=[LabourNeed("7212", "high", 0)])
        work = next(c for c in run(couple, [municipality]).results[0].criteria if c.key == "work")
        assert work.score == pytest.approx(0.5)

    def test_missing_data_is_neutral_and_flagged_never_zero(self):
        municipality = MunicipalityFacts("4001", "Uten profil", "40", "/kommuner/4001/")
        result = run(FAMILY, [municipality], {"4001": state("4001")})
        criteria = {c.key: c for c in result.results[0].criteria}
        for key in ("work", "qualification", "track_record"):
            assert criteria[key].score == NEUTRAL
            assert criteria[key].missing_data
            assert criteria[key].reason.startswith("Mangler data")

    def test_missing_data_gets_the_mean_of_those_with_data(self):
        """Neither rewarded nor punished: a municipality without labour data scores the mean of
        those that have it, so an unknown one does not outrank every known weak match."""
        known = [
            facts("4003", labour_needs=[LabourNeed("7212", "high", 0)]),  # 1.0
            facts("4005", labour_needs=[LabourNeed("72", "high", 0)]),  # 0.5
        ]
        unknown = MunicipalityFacts("4001", "Uten profil", "40", "/kommuner/4001/")
        result = run(FAMILY, [*known, unknown], {n: state(n) for n in ("4001", "4003", "4005")})
        work = {r.number: next(c for c in r.criteria if c.key == "work") for r in result.results}
        assert work["4001"].score == pytest.approx(0.75) and work["4001"].missing_data
        assert "snittet for kommunene med data (75 %)" in work["4001"].reason
        assert work["4005"].score == 0.5 and not work["4005"].missing_data

    def test_few_participants_are_shrunk_and_warned(self):
        small = facts("4001", offers=[Offer("introduction", "Intro", Decimal("100"), 2, 0)])
        large = facts("4002", offers=[Offer("introduction", "Intro", Decimal("90"), 200, 0)])
        result = run(FAMILY, [small, large])
        quality = {
            r.number: next(c for c in r.criteria if c.key == "qualification")
            for r in result.results
        }
        assert quality["4002"].score > quality["4001"].score
        assert "få deltakere" in quality["4001"].warnings
        assert not quality["4002"].warnings

    def test_education_for_youths_prefers_adapted_offers(self):
        youth = HouseholdSpec(unaccompanied_minor_age=16)
        adapted = facts(
            "4001", upper_secondary=[UpperOffer("HSHSF1----", "HS", False, True, False, 0)]
        )
        plain = facts(
            "4002", upper_secondary=[UpperOffer("HSHSF1----", "HS", False, False, False, 0)]
        )
        result = run(youth, [adapted, plain])
        assert [r.number for r in result.results][0] == "4001"

    def test_connection_scores_own_partner_and_county(self):
        household = HouseholdSpec(adults=(AdultSpec(),), connection="4003")
        own = facts("4003")
        partner = facts("4001")
        partner.partners = {"4003"}
        same_county = facts("4005")
        elsewhere = facts("0301", county="03")
        result = run(household, [own, partner, same_county, elsewhere])
        scores = {
            r.number: next(c.score for c in r.criteria if c.key == "connection")
            for r in result.results
        }
        assert scores == {"4003": 1.0, "4001": 0.6, "4005": 0.3, "0301": 0.0}


class TestOrder:
    def test_ties_go_by_municipality_number(self):
        municipalities = [facts(n) for n in ("4012", "4001", "4005")]
        result = run(FAMILY, municipalities)
        assert [r.number for r in result.results] == ["4001", "4005", "4012"]
        assert len({r.score for r in result.results}) == 1

    def test_same_input_same_order(self):
        municipalities = [
            facts(n, labour_needs=[LabourNeed(code, scale, 0)])
            for n, code, scale in (
                ("4001", "72", "low"),
                ("4003", "7212", "medium"),
                ("4005", "7", "high"),
            )
        ]
        first = run(FAMILY, municipalities)
        second = run(FAMILY, list(reversed(municipalities)))
        assert [(r.number, r.score) for r in first.results] == [
            (r.number, r.score) for r in second.results
        ]

    def test_weights_are_normalised(self):
        result = run(FAMILY, [facts("4001")], weights={k: 2 for k in CRITERIA})
        assert sum(result.weights.values()) == pytest.approx(1.0)


criterion_scores = st.fixed_dictionaries(
    {key: st.floats(0, 1, allow_nan=False) for key in CRITERIA}
)


@settings(max_examples=60, deadline=None)
@given(
    others=st.lists(st.integers(0, 19), min_size=2, max_size=8),
    chosen=st.integers(0, 7),
    needs_before=st.integers(0, 19),
    extra=st.integers(1, 20),
)
def test_more_free_capacity_never_lowers_the_rank(others, chosen, needs_before, extra):
    """Monotonicity on real data: more remaining places (balance) for one municipality."""
    numbers = [f"40{i:02d}" for i in range(len(others))]
    chosen = numbers[chosen % len(numbers)]
    municipalities = [facts(n) for n in numbers]
    states = {n: state(n, decided=40, allocated=a) for n, a in zip(numbers, others, strict=True)}
    before = run(FAMILY, municipalities, states)
    position = next(r.position for r in before.results if r.number == chosen)
    improved = dict(states)
    old = states[chosen]
    improved[chosen] = state(chosen, decided=40, allocated=max(0, old.allocated - extra))
    after = run(FAMILY, municipalities, improved)
    assert next(r.position for r in after.results if r.number == chosen) <= position


@settings(max_examples=60, deadline=None)
@given(
    scales=st.lists(st.sampled_from(["low", "medium", "high"]), min_size=2, max_size=8),
    codes=st.lists(st.sampled_from(["7", "72", "721", "7212", "5"]), min_size=8, max_size=8),
    chosen=st.integers(0, 7),
    better=st.sampled_from(["7212", "721"]),
)
def test_a_better_labour_match_never_lowers_the_rank(scales, codes, chosen, better):
    """Monotonicity: a municipality that adds a labour need closer to the adult's work."""
    numbers = [f"40{i:02d}" for i in range(len(scales))]
    chosen = numbers[chosen % len(numbers)]

    def build(extra_for=None):
        municipalities = []
        for i, number in enumerate(numbers):
            needs = [LabourNeed(codes[i], scales[i], 0)]
            if number == extra_for:
                needs.append(LabourNeed(better, "high", 1))
            municipalities.append(facts(number, labour_needs=needs))
        return municipalities

    before = run(FAMILY, build())
    after = run(FAMILY, build(chosen))
    old = next(r for r in before.results if r.number == chosen)
    new = next(r for r in after.results if r.number == chosen)
    assert new.score >= old.score
    assert new.position <= old.position


def test_a_neighbour_of_the_connected_municipality_scores_above_an_unrelated_one():
    from types import SimpleNamespace

    from plassering.ranking import HouseholdSpec, Lookups, score_connection

    household = HouseholdSpec(connection="0301")
    names = Lookups(municipalities={"0301": "Oslo"}, neighbours={"0301": {"3201", "3207"}})

    def score(number, county):
        facts = SimpleNamespace(number=number, partners=set(), county=county)
        return score_connection(household, facts, 1.0, names)

    baerum, bergen, asker = score("3201", "32"), score("4601", "46"), score("3203", "32")
    assert baerum.score > bergen.score == 0.0
    assert baerum.score > asker.score  # Asker is no neighbour of Oslo
    assert "Nabokommune til Oslo" in baerum.reason
    assert score("0301", "03").score == 1.0
