"""The read side of placement: capacity per municipality (decided, allocated, remaining, and
where the number comes from), households visible to a user, and the choice statistics.

Plain functions with keyword-only arguments; each costs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from skjema.models import Round

from .models import (
    ACTIVE_STATES,
    Allocation,
    Capacity,
    CapacitySource,
    Household,
    MinorGroup,
    PlacementChoice,
)
from .sources import MunicipalityFacts, municipalities_for_round, round_facts_cached


@dataclass(frozen=True)
class CapacityState:
    """What a municipality can still take in a round, in persons. ``decided`` is the capacity
    in force: the council's decision, else the county's recommendation, else the profile's
    stated number (``source`` says which). Minors have their own pools, inside ``decided``."""

    number: str
    name: str
    county: str
    decided: int
    source: str
    minors_under_15: int
    minors_15_18: int
    allocated: int
    allocated_under_15: int
    allocated_15_18: int
    decided_on: str = ""
    decision_source: str = ""

    @property
    def general(self) -> int:
        return max(0, self.decided - self.minors_under_15 - self.minors_15_18)

    @property
    def allocated_general(self) -> int:
        return self.allocated - self.allocated_under_15 - self.allocated_15_18

    @property
    def remaining_general(self) -> int:
        return max(0, self.general - self.allocated_general)

    @property
    def remaining_under_15(self) -> int:
        return max(0, self.minors_under_15 - self.allocated_under_15)

    @property
    def remaining_15_18(self) -> int:
        return max(0, self.minors_15_18 - self.allocated_15_18)

    @property
    def remaining(self) -> int:
        return self.remaining_general + self.remaining_under_15 + self.remaining_15_18

    def remaining_for(self, minor_group: str) -> int:
        if minor_group == MinorGroup.UNDER_15:
            return self.remaining_under_15
        if minor_group == MinorGroup.FROM_15:
            return self.remaining_15_18
        return self.remaining_general

    @property
    def source_label(self) -> str:
        return str(CapacitySource(self.source).label)

    @property
    def free_share(self) -> float:
        return self.remaining / self.decided if self.decided else 0.0

    @property
    def label(self) -> str:
        """«Ledig 12 av 20», with the source when it is not a decision."""
        text = _("Ledig %(remaining)s av %(decided)s") % {
            "remaining": self.remaining,
            "decided": self.decided,
        }
        if self.source in (CapacitySource.RECOMMENDED, CapacitySource.PROFILE):
            text += f" ({self.source_label})"
        elif self.source == CapacitySource.NONE:
            text = str(CapacitySource.NONE.label).capitalize()
        return text


class DecisionRow(NamedTuple):
    """The fields of a ``Capacity`` that ``capacity_state`` reads, as a plain row."""

    decided: int | None
    decided_minors_under_15: int
    decided_minors_15_18: int
    decided_on: datetime.date | None
    source: str


def _allocated(round_: Round, municipality_ids=None) -> dict[int, dict[str, int]]:
    rows = Allocation.objects.filter(round=round_, status__in=ACTIVE_STATES)
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    totals: dict[int, dict[str, int]] = {}
    for municipality_id, group, persons in (
        rows.values("municipality_id", "minor_group")
        .annotate(persons=Sum("persons"))
        .values_list("municipality_id", "minor_group", "persons")
    ):
        totals.setdefault(municipality_id, {})[group] = persons
    return totals


def capacity_state(
    *,
    number: str,
    name: str,
    county: str,
    capacity: Capacity | DecisionRow | None,
    facts: MunicipalityFacts | None,
    allocated: dict[str, int],
) -> CapacityState:
    profile = facts.profile if facts else None
    under_15 = from_15 = 0
    decided_on = decision_source = ""
    if capacity is not None and capacity.decided is not None:
        decided, source = capacity.decided, CapacitySource.DECISION
        under_15, from_15 = capacity.decided_minors_under_15, capacity.decided_minors_15_18
        decided_on = capacity.decided_on.isoformat() if capacity.decided_on else ""
        decision_source = capacity.source
    else:
        if facts is not None and facts.recommended is not None:
            decided, source = facts.recommended, CapacitySource.RECOMMENDED
        elif profile is not None and profile.capacity is not None:
            decided, source = profile.capacity, CapacitySource.PROFILE
        else:
            decided, source = 0, CapacitySource.NONE
        if profile is not None and profile.takes_unaccompanied_minors:
            under_15 = profile.minors_under_15 or 0
            from_15 = profile.minors_15_18 or 0
            # Stated minors' places never make the capacity in force larger than stated.
            if under_15 + from_15 > decided:
                from_15 = max(0, decided - under_15)
                under_15 = min(under_15, decided)
    return CapacityState(
        number=number,
        name=name,
        county=county,
        decided=decided,
        source=str(source),
        minors_under_15=under_15,
        minors_15_18=from_15,
        allocated=sum(allocated.values()),
        allocated_under_15=allocated.get(MinorGroup.UNDER_15, 0),
        allocated_15_18=allocated.get(MinorGroup.FROM_15, 0),
        decided_on=decided_on,
        decision_source=decision_source,
    )


def capacity_list(
    *,
    round_: Round,
    county: str | None = None,
    facts: dict[str, MunicipalityFacts] | None = None,
    municipalities=None,
) -> list[CapacityState]:
    """Every municipality of the round (or of one county), in number order."""
    municipalities = municipalities or municipalities_for_round(round_)
    facts = facts if facts is not None else round_facts_cached(round_, municipalities)
    if county:
        municipalities = [m for m in municipalities if m.county_number == county]
    # Plain rows, not model instances: 357 instances per ranking were a third of its time.
    capacities = {
        row[0]: DecisionRow(*row[1:])
        for row in Capacity.objects.filter(round=round_).values_list(
            "municipality_id",
            "decided",
            "decided_minors_under_15",
            "decided_minors_15_18",
            "decided_on",
            "source",
        )
    }
    allocated = _allocated(round_)
    return [
        capacity_state(
            number=m.number,
            name=m.name,
            county=m.county_number or "",
            capacity=capacities.get(m.pk),
            facts=facts.get(m.number),
            allocated=allocated.get(m.pk, {}),
        )
        for m in municipalities
    ]


def capacity_by_number(*, round_: Round, numbers: list[str]) -> dict[str, CapacityState]:
    """«Ledig N av M» for a few municipalities (a search page, a dashboard): fixed queries."""
    wanted = set(numbers)
    return {state.number: state for state in capacity_list(round_=round_) if state.number in wanted}


def household_list(*, user, query: str = ""):
    households = Household.objects.visible_to(user).annotate(
        adults_count=Count("adults", distinct=True),
        active_allocations=Count(
            "allocations", filter=Q(allocations__status__in=ACTIVE_STATES), distinct=True
        ),
    )
    if query:
        households = households.filter(case_reference__icontains=query)
    return households


def household_get(*, user, pk: int) -> Household | None:
    return (
        Household.objects.visible_to(user)
        .select_related("connection_municipality")
        .prefetch_related("adults__education_route")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class ChoiceStatistics:
    total: int
    in_top_3: int
    first: int
    overrides: list

    @property
    def share_top_3(self) -> float:
        return self.in_top_3 / self.total if self.total else 0.0


def choice_statistics(*, recent: int = 50) -> ChoiceStatistics:
    counts = PlacementChoice.objects.aggregate(
        total=Count("id"),
        in_top_3=Count("id", filter=Q(in_top_3=True)),
        first=Count("id", filter=Q(position=1)),
    )
    overrides = list(
        PlacementChoice.objects.filter(in_top_3=False)
        .select_related("municipality", "by", "ranking__round")
        .order_by("-at")[:recent]
    )
    return ChoiceStatistics(counts["total"], counts["in_top_3"], counts["first"], overrides)


_NAMES: dict[str, tuple[tuple, dict[str, str]]] = {}


def _register_names(model) -> dict[str, str]:
    """Code → name of a register table, reloaded when its size or newest row changes."""
    from django.db.models import Count, Max

    stamp = tuple(model.objects.aggregate(n=Count("id"), last=Max("id")).values())
    cached = _NAMES.get(model.__name__)
    if cached is None or cached[0] != stamp:
        cached = (stamp, dict(model.objects.values_list("code", "name")))
        _NAMES[model.__name__] = cached
    return cached[1]


@dataclass
class RankingContext:
    """What one ranking reads, loaded once: facts, capacity and display names."""

    round: Round
    facts: dict[str, MunicipalityFacts]
    states: dict[str, CapacityState]
    names: object


def ranking_context(*, round_: Round) -> RankingContext:
    from portal.register.models import Occupation, ProgrammeArea
    from portal.register.selectors import neighbour_numbers

    from .ranking import Lookups

    municipalities = municipalities_for_round(round_)
    facts = round_facts_cached(round_, municipalities)
    states = {
        s.number: s
        for s in capacity_list(round_=round_, facts=facts, municipalities=municipalities)
    }
    names = Lookups(
        occupations=_register_names(Occupation),
        areas=_register_names(ProgrammeArea),
        municipalities={number: f.name for number, f in facts.items()},
        neighbours=neighbour_numbers(),
    )
    return RankingContext(round_, facts, states, names)
