"""The one place placement reads profile data and statistics from: for a round, every
municipality's latest published profile (plain data, with its version's date), the county's
recommended number (both through ``skjema.reading``), and IMDi's decided/settled figures for
the last three years.

Bulk only: one call for all the round's municipalities costs a fixed number of queries,
whatever their number. The ranking works on the plain ``MunicipalityFacts`` this returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from portal.register.models import Municipality, ProgrammeArea, StatisticValue
from skjema import reading
from skjema.models import Round, Submission, Version

TRACK_RECORD_YEARS = 3


@dataclass(frozen=True)
class Source:
    """Where a reason's data comes from: a profile field (section, row, round, the submitted
    version's date), a statistic (indicator, years) or the capacity ledger."""

    kind: str  # "profile", "statistics", "capacity", "recommendation"
    label: str
    section: str = ""
    row: int | None = None
    field: str = ""
    round: int | None = None
    date: str = ""
    indicator: str = ""
    years: tuple[int, ...] = ()
    url: str = ""

    def as_dict(self) -> dict:
        data = {"kind": self.kind, "label": self.label}
        for name in ("section", "row", "field", "round", "date", "indicator", "url"):
            value = getattr(self, name)
            if value not in ("", None):
                data[name] = value
        if self.years:
            data["years"] = list(self.years)
        return data


@dataclass(frozen=True)
class LabourNeed:
    occupation: str
    scale: str
    row: int
    partner: str = ""  # the cooperation partner's number when the need is a partner's


@dataclass(frozen=True)
class Offer:
    kind: str
    name: str
    result_share: Decimal | None
    participants: int | None
    row: int


@dataclass(frozen=True)
class UpperOffer:
    programme_area: str
    programme: str
    adapted_for_adults: bool
    adapted_for_minority_language: bool
    combination_class: bool
    row: int


@dataclass
class ProfileFacts:
    round_year: int
    version_number: int
    version_date: datetime.date
    wants_to_settle: str = ""
    capacity: int | None = None
    household_types: tuple[str, ...] = ()
    takes_unaccompanied_minors: bool | None = None
    minors_under_15: int | None = None
    minors_15_18: int | None = None
    wheelchair_dwellings: int | None = None
    health_followup: str = ""
    largest_household: int | None = None
    labour_needs: list[LabourNeed] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    upper_secondary: list[UpperOffer] = field(default_factory=list)
    partners: frozenset[str] = frozenset()


@dataclass
class MunicipalityFacts:
    number: str
    name: str
    county: str
    url: str
    profile: ProfileFacts | None = None
    recommended: int | None = None
    # year -> (decided, settled), persons, from IMDi's statistics
    track_record: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    partner_needs: list[LabourNeed] = field(default_factory=list)
    partners: set[str] = field(default_factory=set)

    def source(self, section: str, label: str, row: int | None = None, field_name: str = ""):
        profile = self.profile
        return Source(
            "profile",
            label,
            section=section,
            row=row,
            field=field_name,
            round=profile.round_year if profile else None,
            date=profile.version_date.isoformat() if profile else "",
            url=f"{self.url}#profil-{section}",
        )


def _int(value) -> int | None:
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _minors_places(capacity: dict) -> tuple[int | None, int | None]:
    """Places per age group; versions submitted before the split held one number and one coarse
    group, read the way the migration mapped the working copies."""
    if "minors_under_15" in capacity or "minors_15_18" in capacity:
        return _int(capacity.get("minors_under_15")), _int(capacity.get("minors_15_18"))
    number = _int(capacity.get("unaccompanied_minors_number"))
    group = capacity.get("unaccompanied_minors_age_group") or ""
    if number is None:
        return None, None
    if group == "under_15":
        return number, 0
    if group == "15_18":
        return 0, number
    return number // 2, number - number // 2


def profile_facts(data: dict, round_year: int, version: Version, programmes: dict) -> ProfileFacts:
    capacity = data.get("capacity") or {}
    under_15, from_15 = _minors_places(capacity)
    partners = set()
    for row in data.get("cooperation") or []:
        partners.update(row.get("partners") or [])
    return ProfileFacts(
        round_year=round_year,
        version_number=version.number,
        version_date=version.created_at.date(),
        wants_to_settle=capacity.get("wants_to_settle") or "",
        capacity=_int(capacity.get("capacity")),
        household_types=tuple(capacity.get("household_types") or ()),
        takes_unaccompanied_minors=capacity.get("takes_unaccompanied_minors"),
        minors_under_15=under_15,
        minors_15_18=from_15,
        wheelchair_dwellings=_int(capacity.get("wheelchair_dwellings")),
        health_followup=capacity.get("health_followup") or "",
        largest_household=_int(capacity.get("largest_household")),
        labour_needs=[
            LabourNeed(row["occupation"], row.get("scale") or "", index)
            for index, row in enumerate(data.get("labour") or [])
            if row.get("occupation")
        ],
        offers=[
            Offer(
                row.get("kind") or "",
                row.get("name") or "",
                Decimal(str(row["result_share"])) if row.get("result_share") else None,
                _int(row.get("result_participants")),
                index,
            )
            for index, row in enumerate(data.get("qualification") or [])
        ],
        upper_secondary=[
            UpperOffer(
                row.get("programme_area") or "",
                programmes.get(row.get("programme_area") or "", ""),
                bool(row.get("adapted_for_adults")),
                bool(row.get("adapted_for_minority_language")),
                bool(row.get("combination_class")),
                index,
            )
            for index, row in enumerate(data.get("upper_secondary") or [])
        ],
        partners=frozenset(partners),
    )


def _track_records(round_: Round, numbers: dict[int, str]) -> dict[str, dict[int, list]]:
    """Decided and settled persons per municipality and year, the last three years before the
    round. Values recorded under an older code count for the code it became (SSB's grouping);
    a municipality's own code wins a year where both have a number. One query."""
    years = range(round_.year - TRACK_RECORD_YEARS, round_.year)
    rows = StatisticValue.objects.filter(
        indicator__code__in=["vedtak", "bosatt"],
        indicator__unit="persons",
        year__in=list(years),
        status=StatisticValue.Status.VALUE,
    ).values_list("indicator__code", "municipality_id", "municipality__current_id", "year", "value")
    own: dict[tuple, int] = {}
    inherited: dict[tuple, int] = {}
    for code, municipality_id, current_id, year, value in rows:
        if municipality_id in numbers:
            own[(numbers[municipality_id], code, year)] = int(value)
        elif current_id in numbers:
            key = (numbers[current_id], code, year)
            inherited[key] = inherited.get(key, 0) + int(value)
    merged = {**inherited, **own}
    result: dict[str, dict[int, list]] = {}
    for (number, code, year), value in merged.items():
        entry = result.setdefault(number, {}).setdefault(year, [None, None])
        entry[0 if code == "vedtak" else 1] = value
    return result


@dataclass(frozen=True)
class MunicipalityRow:
    pk: int
    number: str
    name: str
    county_number: str


def municipalities_for_round(round_: Round) -> list[MunicipalityRow]:
    """The round's municipalities as plain rows (one query)."""
    return [
        MunicipalityRow(*row)
        for row in Municipality.objects.in_structure(round_.structure)
        .order_by("number")
        .values_list("pk", "number", "name", "county__number")
    ]


def round_facts_for(round_: Round, numbers: list[str]) -> dict[str, MunicipalityFacts]:
    """Profile, recommendation and stated capacity of a few municipalities (the capacity in
    force when there is no decision yet); no statistics, no partners' needs."""
    wanted = set(numbers)
    municipalities = [m for m in municipalities_for_round(round_) if m.number in wanted]
    facts = _base_facts(municipalities)
    _add_profiles(round_, facts, municipalities=numbers)
    _add_recommendations(round_, facts)
    return facts


def _base_facts(municipalities) -> dict[str, MunicipalityFacts]:
    url = reverse("register:municipality", args=["0000"]).replace("0000", "{}")
    return {
        m.number: MunicipalityFacts(
            number=m.number,
            name=m.name,
            county=m.county_number or "",
            url=url.format(m.number),
        )
        for m in municipalities
    }


def _add_profiles(round_, facts, municipalities=None) -> None:
    """Each published profile's latest version (skjema.reading: two queries)."""
    programmes = dict(ProgrammeArea.objects.values_list("code", "programme__code"))
    for published in reading.published_profile_versions(
        round_=round_, municipalities=municipalities
    ):
        number = published.municipality.number
        if number in facts:
            facts[number].profile = profile_facts(
                published.data or {}, round_.year, published.version, programmes
            )


def _add_recommendations(round_, facts) -> None:
    """The counties' recommended numbers from their submitted versions (one query)."""
    for number, recommended in reading.recommended_numbers(round_=round_).items():
        if number in facts:
            facts[number].recommended = recommended


# Facts per round, kept while the data they come from is unchanged (see ``_stamp``).
_CACHE: dict[int, tuple[tuple, dict[str, MunicipalityFacts]]] = {}


def _stamp(round_: Round) -> tuple:
    """What changes when a profile, a county submission or a statistic changes: two queries.
    Submissions' ``updated_at`` moves on every save and status change; versions only grow; a
    statistics import updates values in place, so its rows' count and newest id are not
    enough – the register's ``statistics_changed`` signal clears the cache as well."""
    from django.db.models import Count, Max

    submissions = Submission.objects.filter(round=round_).aggregate(
        changed=Max("updated_at"), count=Count("id"), version=Max("versions__id")
    )
    return (submissions["changed"], submissions["count"], submissions["version"], _GENERATION[0])


_GENERATION = [0]


def forget_cached_facts(**_kwargs) -> None:
    _GENERATION[0] += 1
    _CACHE.clear()


def round_facts_cached(round_: Round, municipalities=None) -> dict[str, MunicipalityFacts]:
    """``round_facts``, reused while nothing it reads has changed. The facts are read-only
    for everyone who gets them."""
    stamp = _stamp(round_)
    cached = _CACHE.get(round_.pk)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    facts = round_facts(round_, municipalities)
    _CACHE[round_.pk] = (stamp, facts)
    return facts


def round_facts(round_: Round, municipalities=None) -> dict[str, MunicipalityFacts]:
    """Everything the ranking reads about every municipality of the round, by number."""
    municipalities = municipalities or municipalities_for_round(round_)
    by_id = {m.pk: m.number for m in municipalities}
    facts = _base_facts(municipalities)
    _add_profiles(round_, facts)
    _add_recommendations(round_, facts)
    for number, years in _track_records(round_, by_id).items():
        facts[number].track_record = {year: tuple(values) for year, values in years.items()}
    # A cooperation counts both ways: a partner's labour needs reach this municipality too.
    for number, fact in facts.items():
        for partner in fact.profile.partners if fact.profile else ():
            if partner in facts and partner != number:
                fact.partners.add(partner)
                facts[partner].partners.add(number)
    for fact in facts.values():
        for partner in sorted(fact.partners):
            other = facts[partner].profile
            if other is not None:
                fact.partner_needs.extend(
                    LabourNeed(n.occupation, n.scale, n.row, partner=partner)
                    for n in other.labour_needs
                )
    return facts
