"""The ranking engine: hard filters, then criteria scored 0–1 with a reason and dated sources,
then a weighted sum. Pure functions over plain data (``HouseholdSpec``, ``MunicipalityFacts``,
``CapacityState``): no queries, so the same input, data and weights always give the same order
(ties by municipality number), and the batch solver scores exactly what the page shows.

Missing data never scores 0: it scores the mean of the municipalities that have the data
(``NEUTRAL`` when none has) and is flagged «mangler data». A criterion
that does not apply to the household (no adults to match against labour needs, no connection)
scores ``NEUTRAL`` for every municipality, so it cannot change the order.

The criteria live in ``criteria``, the data types and one ranking's scope in ``ranking_base``;
their names are importable from here."""

from __future__ import annotations

from .criteria import (
    CONNECTION_COUNTY,
    CONNECTION_NEIGHBOUR,
    CONNECTION_PARTNER,
    DEPTH_SCORE,
    FEW_PARTICIPANTS,
    PARTNER_DISCOUNT,
    RESULT_PRIOR,
    RESULT_PRIOR_WEIGHT,
    SCALE_FACTOR,
    score_balance,
    score_connection,
    score_education,
    score_needs,
    score_qualification,
    score_track_record,
    score_work,
    shrunk_result,
)
from .models import CRITERIA
from .ranking_base import (
    NEUTRAL,
    UPPER_SECONDARY_AGES,
    AdultSpec,
    CriterionResult,
    Exclusion,
    HouseholdSpec,
    Lookups,
    RankedMunicipality,
    RankingResult,
    _,
    collector_paused,
    translations_cached,
)
from .selectors import CapacityState
from .sources import MunicipalityFacts

# The engine's names, importable from here as before the split into ranking_base and criteria.
__all__ = [
    "CONNECTION_COUNTY",
    "CONNECTION_NEIGHBOUR",
    "CONNECTION_PARTNER",
    "DEPTH_SCORE",
    "FEW_PARTICIPANTS",
    "NEUTRAL",
    "PARTNER_DISCOUNT",
    "RESULT_PRIOR",
    "RESULT_PRIOR_WEIGHT",
    "SCALE_FACTOR",
    "UPPER_SECONDARY_AGES",
    "AdultSpec",
    "CriterionResult",
    "Exclusion",
    "HouseholdSpec",
    "Lookups",
    "RankedMunicipality",
    "RankingResult",
    "collector_paused",
    "exclusion_reasons",
    "fill_missing",
    "normalise_weights",
    "rank",
    "score_all",
    "score_balance",
    "score_connection",
    "score_criteria",
    "score_education",
    "score_needs",
    "score_qualification",
    "score_track_record",
    "score_work",
    "shrunk_result",
    "total",
    "translations_cached",
]


def normalise_weights(weights: dict) -> dict[str, float]:
    values = {key: max(0.0, float(weights.get(key, 0) or 0)) for key in CRITERIA}
    total = sum(values.values())
    if total <= 0:
        raise ValueError("weights must not all be zero")
    return {key: round(value / total, 6) for key, value in values.items()}


# ---------------------------------------------------------------------------------------------
# hard filters


HOUSEHOLD_TYPE_NAMES = {
    "single": "enslige voksne",
    "couple": "par uten barn",
    "family": "familier med barn",
    "large_family": "store familier (5 eller flere)",
    "single_parent": "enslige forsørgere",
}


def exclusion_reasons(
    household: HouseholdSpec, facts: MunicipalityFacts, state: CapacityState
) -> list[str]:
    """Every reason this municipality cannot take this household; empty when it can."""
    reasons = []
    profile = facts.profile
    persons = household.persons
    if (
        household.connection_required
        and household.connection
        and facts.number != household.connection
    ):
        reasons.append(_("tilknytning til %(n)s er et krav") % {"n": household.connection})
    if household.is_minor:
        group_label = _("under 15 år") if household.minor_group == "under_15" else _("15–18 år")
        if profile is not None and profile.takes_unaccompanied_minors is False:
            reasons.append(_("tar ikke imot enslige mindreårige"))
        left = state.remaining_for(household.minor_group)
        if left < 1:
            reasons.append(
                _("ledig for enslige mindreårige %(group)s: %(left)s < 1 person")
                % {"group": group_label, "left": left}
            )
    else:
        left = state.remaining_general
        if left < persons:
            reasons.append(
                _("ledig %(left)s < %(persons)s personer") % {"left": left, "persons": persons}
            )
    if state.source == "none":
        reasons.append(_("ingen kapasitet oppgitt (verken vedtak, anbefaling eller profil)"))
    if profile is not None:
        if profile.wants_to_settle == "no":
            reasons.append(_("ønsker ikke å bosette"))
        wanted = household.household_type
        if (
            not household.is_minor
            and profile.household_types
            and wanted not in profile.household_types
        ):
            reasons.append(
                _("tar ikke imot %(type)s") % {"type": HOUSEHOLD_TYPE_NAMES.get(wanted, wanted)}
            )
        if profile.largest_household is not None and persons > profile.largest_household:
            reasons.append(
                _("største husholdning kommunen kan bosette er %(max)s < %(persons)s personer")
                % {"max": profile.largest_household, "persons": persons}
            )
        if "accessible_dwelling" in household.needs and profile.wheelchair_dwellings == 0:
            reasons.append(_("ingen boliger tilrettelagt for rullestolbrukere"))
        if "health_followup" in household.needs and profile.health_followup == "no":
            reasons.append(_("ingen kapasitet for helseoppfølging"))
    return reasons


def score_criteria(
    household: HouseholdSpec,
    facts: MunicipalityFacts,
    state: CapacityState,
    weights: dict[str, float],
    names: Lookups,
    round_year: int,
) -> list[CriterionResult]:
    return [
        score_work(household, facts, weights["work"], names),
        score_qualification(household, facts, weights["qualification"], names),
        score_education(household, facts, weights["education"], names),
        score_needs(household, facts, weights["needs"], names),
        score_connection(household, facts, weights["connection"], names),
        score_balance(household, facts, state, weights["balance"]),
        score_track_record(household, facts, weights["track_record"], round_year),
    ]


def fill_missing(scored: dict[str, list[CriterionResult]]) -> None:
    """Missing data is neutral: a criterion a municipality has no data for gets the mean of the
    municipalities that have data for this household (else ``NEUTRAL``), flagged. So a
    municipality is neither rewarded nor punished for what it did not report, and improving
    one municipality's data moves it by more than anyone else (monotonicity holds)."""
    for index, key in enumerate(CRITERIA):
        known = [
            criteria[index].score
            for criteria in scored.values()
            if criteria[index].applies and not criteria[index].missing_data
        ]
        mean = sum(known) / len(known) if known else NEUTRAL
        for criteria in scored.values():
            criterion = criteria[index]
            if criterion.missing_data and criterion.key == key and not criterion.sources:
                criterion.score = mean
                if known:
                    criterion.reason += " " + _(
                        "Nøytral verdi: snittet for kommunene med data (%(p)s %%)."
                    ) % {"p": round(mean * 100)}
                else:
                    criterion.reason += " " + _("Nøytral verdi (50 %).")


def score_all(household, facts, states, weights, names, round_year):
    """(criteria of every municipality that passes the hard filters, exclusions)."""
    scored: dict[str, list[CriterionResult]] = {}
    excluded = []
    for number in sorted(facts):
        fact, state = facts[number], states[number]
        reasons = exclusion_reasons(household, fact, state)
        if reasons:
            excluded.append(Exclusion(number, fact.name, fact.county, tuple(reasons)))
            continue
        scored[number] = score_criteria(household, fact, state, weights, names, round_year)
    fill_missing(scored)
    return scored, excluded


def total(criteria: list[CriterionResult]) -> float:
    # Rounded so that float noise never decides an order; ties go by municipality number.
    return round(sum(c.contribution for c in criteria), 9)


def rank(
    household: HouseholdSpec,
    facts: dict[str, MunicipalityFacts],
    states: dict[str, CapacityState],
    weights: dict,
    names: Lookups,
    round_year: int,
) -> RankingResult:
    """Every municipality of the round, ranked or excluded with its reasons (never dropped)."""
    weights = normalise_weights(weights)
    with translations_cached():
        scored, excluded = score_all(household, facts, states, weights, names, round_year)
    ranked = []
    for number, criteria in scored.items():
        fact = facts[number]
        ranked.append(
            RankedMunicipality(
                number, fact.name, fact.county, fact.url, total(criteria), states[number], criteria
            )
        )
    ranked.sort(key=lambda r: (-r.score, r.number))
    for position, result in enumerate(ranked, start=1):
        result.position = position
    return RankingResult(household, weights, ranked, excluded)
