"""Placement operations that change rows: decisions in the capacity ledger (one, or a whole
import all-or-nothing), allocations and their transitions, the officer's choice from a
ranking, households, and the deletion of households whose placement is over.

Each is atomic. Everything that spends capacity locks the municipality's ``Capacity`` row
first (``select_for_update``), so two officers taking the last places are served one after
the other: the second gets ``NotEnoughCapacity`` and nothing is written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.register.models import Municipality
from skjema.models import Round

from . import sources
from .models import (
    ACTIVE_STATES,
    TRANSITIONS,
    Adult,
    Allocation,
    AllocationStatus,
    AllocationTransition,
    Capacity,
    CapacityChange,
    Household,
    HouseholdAccess,
    MinorGroup,
    PlacementChoice,
    Ranking,
)
from .selectors import CapacityState, _allocated, capacity_state


class PlacementError(ValidationError):
    """A refused placement operation, with a Norwegian message; nothing was changed."""


class NotEnoughCapacity(PlacementError):
    """Fewer places remain than the allocation needs (HTTP 409 in the API)."""


def _lock_capacity(round_: Round, municipality: Municipality) -> Capacity:
    """The municipality's ledger row for the round, locked until the transaction ends. Made on
    first use; a concurrent first use meets the unique constraint and then waits for the lock."""
    try:
        with transaction.atomic():
            capacity, _created = Capacity.objects.select_for_update().get_or_create(
                round=round_, municipality=municipality
            )
    except IntegrityError:
        capacity = Capacity.objects.select_for_update().get(round=round_, municipality=municipality)
    return capacity


def _refresh_search(round_: Round, numbers) -> None:
    """Search documents carry «ledig»: rebuild theirs in this transaction (sok sends them to
    the engine after commit, through its pending list)."""
    from sok.index import mark_stale

    mark_stale(round_year=round_.year, municipalities=list(numbers))


def _state(round_: Round, municipality: Municipality, capacity: Capacity) -> CapacityState:
    """The capacity in force, read under the lock."""
    facts = None
    if capacity.decided is None:
        facts = sources.round_facts_for(round_, [municipality.number]).get(municipality.number)
    return capacity_state(
        number=municipality.number,
        name=municipality.name,
        county=municipality.county.number if municipality.county_id else "",
        capacity=capacity,
        facts=facts,
        allocated=_allocated(round_, [municipality.pk]).get(municipality.pk, {}),
    )


# ---------------------------------------------------------------------------------------------
# decisions


@dataclass(frozen=True)
class DecisionInput:
    municipality: str
    decided: int | None
    decided_minors_under_15: int = 0
    decided_minors_15_18: int = 0
    decided_on: datetime.date | None = None
    source: str = ""


def _decision_values(capacity: Capacity) -> dict:
    return {
        "decided": capacity.decided,
        "decided_minors_under_15": capacity.decided_minors_under_15,
        "decided_minors_15_18": capacity.decided_minors_15_18,
        "decided_on": capacity.decided_on.isoformat() if capacity.decided_on else None,
        "source": capacity.source,
    }


def _check_decision(entry: DecisionInput, allocated: dict[str, int], name: str) -> None:
    if entry.decided is None:
        if sum(allocated.values()):
            raise PlacementError(
                _("%(name)s: vedtaket kan ikke fjernes mens det finnes aktive tildelinger.")
                % {"name": name}
            )
        return
    minors = entry.decided_minors_under_15 + entry.decided_minors_15_18
    if minors > entry.decided:
        raise PlacementError(
            _(
                "%(name)s: enslige mindreårige (%(minors)s) kan ikke være flere enn det "
                "vedtatte antallet (%(decided)s)."
            )
            % {"name": name, "minors": minors, "decided": entry.decided}
        )
    pools = (
        (MinorGroup.UNDER_15, entry.decided_minors_under_15, _("enslige mindreårige under 15 år")),
        (MinorGroup.FROM_15, entry.decided_minors_15_18, _("enslige mindreårige 15–18 år")),
        (MinorGroup.NONE, entry.decided - minors, _("andre enn enslige mindreårige")),
    )
    for group, places, label in pools:
        taken = allocated.get(group, 0)
        if places < taken:
            raise PlacementError(
                _(
                    "%(name)s: %(taken)s personer (%(label)s) er allerede tildelt; vedtaket gir "
                    "bare %(places)s plasser. Trekk tildelinger først."
                )
                % {"name": name, "taken": taken, "label": label, "places": places}
            )


def _apply_decision(round_: Round, municipality: Municipality, entry: DecisionInput, by, channel):
    capacity = _lock_capacity(round_, municipality)
    allocated = _allocated(round_, [municipality.pk]).get(municipality.pk, {})
    _check_decision(entry, allocated, f"{municipality.number} {municipality.name}")
    old = _decision_values(capacity)
    capacity.decided = entry.decided
    capacity.decided_minors_under_15 = entry.decided_minors_under_15
    capacity.decided_minors_15_18 = entry.decided_minors_15_18
    capacity.decided_on = entry.decided_on
    capacity.source = entry.source
    capacity.is_demo = channel == CapacityChange.Channel.DEMO
    capacity.updated_by = by
    new = _decision_values(capacity)
    if new != old:
        capacity.save()
        CapacityChange.objects.create(capacity=capacity, by=by, channel=channel, old=old, new=new)
    return capacity, new != old


@transaction.atomic
def set_decision(
    round_: Round, municipality: Municipality, entry: DecisionInput, *, by, channel: str
) -> Capacity:
    """Record the council's decision; refused when it leaves fewer places than are allocated."""
    capacity, changed = _apply_decision(round_, municipality, entry, by, channel)
    if changed:
        _refresh_search(round_, [municipality.number])
    return capacity


@transaction.atomic
def import_decisions(round_: Round, entries: list[DecisionInput], *, by, channel: str) -> int:
    """All rows or none: the first refused row rolls every row back. Returns rows changed."""
    municipalities = {
        m.number: m
        for m in Municipality.objects.in_structure(round_.structure).select_related("county")
    }
    unknown = sorted({e.municipality for e in entries} - set(municipalities))
    if unknown:
        raise PlacementError(
            _("Kommunenummer som ikke finnes i kommunestrukturen for %(year)s: %(n)s.")
            % {"year": round_.year, "n": ", ".join(unknown)}
        )
    changed = []
    for entry in sorted(entries, key=lambda e: e.municipality):  # a fixed lock order
        _capacity, did = _apply_decision(
            round_, municipalities[entry.municipality], entry, by, channel
        )
        if did:
            changed.append(entry.municipality)
    if changed:
        _refresh_search(round_, changed)
    return len(changed)


# ---------------------------------------------------------------------------------------------
# allocations


def minor_group_for(age: int | None) -> str:
    if age is None:
        return MinorGroup.NONE
    return MinorGroup.UNDER_15 if age < 15 else MinorGroup.FROM_15


@transaction.atomic
def propose_allocation(
    round_: Round,
    municipality: Municipality,
    *,
    persons: int,
    case_reference: str,
    by,
    minor_group: str = MinorGroup.NONE,
    household: Household | None = None,
    on: datetime.date | None = None,
) -> Allocation:
    if persons < 1:
        raise PlacementError(_("En tildeling må gjelde minst én person."))
    if minor_group and persons != 1:
        raise PlacementError(_("En tildeling av en enslig mindreårig gjelder én person."))
    capacity = _lock_capacity(round_, municipality)
    state = _state(round_, municipality, capacity)
    left = state.remaining_for(minor_group)
    if left < persons:
        pool = {
            MinorGroup.UNDER_15: _(" for enslige mindreårige under 15 år"),
            MinorGroup.FROM_15: _(" for enslige mindreårige 15–18 år"),
        }.get(minor_group, "")
        raise NotEnoughCapacity(
            _(
                "%(name)s har bare %(left)s ledige plasser%(pool)s, men tildelingen gjelder "
                "%(persons)s personer. Ingenting er lagret."
            )
            % {"name": municipality.name, "left": left, "pool": pool, "persons": persons}
        )
    allocation = Allocation.objects.create(
        round=round_,
        municipality=municipality,
        household=household,
        case_reference=case_reference,
        persons=persons,
        minor_group=minor_group,
        proposed_on=on or timezone.localdate(),
        created_by=by,
        is_demo=bool(household and household.is_demo),
    )
    AllocationTransition.objects.create(
        allocation=allocation,
        action="propose",
        from_status="",
        to_status=AllocationStatus.PROPOSED,
        by=by,
        at=timezone.now(),
    )
    _refresh_search(round_, [municipality.number])
    return allocation


@transaction.atomic
def transition_allocation(
    allocation: Allocation, action: str, *, by, reason: str = ""
) -> Allocation:
    if action not in TRANSITIONS:
        raise PlacementError(_("Ukjent handling «%(action)s».") % {"action": action})
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    sources_, target, needs_reason = TRANSITIONS[action]
    if allocation.status not in sources_:
        raise PlacementError(
            _("Tildelingen er «%(status)s» og kan ikke endres slik.")
            % {"status": allocation.get_status_display()}
        )
    reason = (reason or "").strip()
    if needs_reason and not reason:
        raise PlacementError(_("Oppgi en begrunnelse."))
    previous = allocation.status
    now = timezone.now()
    allocation.status = target
    if target not in (AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED):
        allocation.closed_at = now
    allocation.save(update_fields=["status", "closed_at"])
    AllocationTransition.objects.create(
        allocation=allocation,
        action=action,
        from_status=previous,
        to_status=target,
        reason=reason,
        by=by,
        at=now,
    )
    if previous in ACTIVE_STATES and target not in ACTIVE_STATES:
        _refresh_search(allocation.round, [allocation.municipality.number])
    return allocation


# ---------------------------------------------------------------------------------------------
# choices


@transaction.atomic
def choose_municipality(
    ranking: Ranking, municipality: Municipality, *, by, reason: str = ""
) -> PlacementChoice:
    """The officer's choice: a proposed allocation. Outside the top 3 a reason is required
    (the override log)."""
    position = ranking.position_of(municipality.number)
    in_top_3 = position is not None and position <= 3
    reason = (reason or "").strip()
    if not in_top_3 and not reason:
        raise PlacementError(
            _(
                "%(name)s er ikke blant de tre øverste i rangeringen. Skriv hvorfor du velger "
                "denne kommunen."
            )
            % {"name": municipality.name}
        )
    household = ranking.household
    if household is None:
        raise PlacementError(_("Rangeringen gjelder ingen lagret husholdning."))
    allocation = propose_allocation(
        ranking.round,
        municipality,
        persons=household.persons,
        case_reference=household.case_reference,
        by=by,
        minor_group=minor_group_for(household.unaccompanied_minor_age),
        household=household,
    )
    return PlacementChoice.objects.create(
        ranking=ranking,
        municipality=municipality,
        position=position,
        in_top_3=in_top_3,
        reason=reason,
        allocation=allocation,
        by=by,
    )


# ---------------------------------------------------------------------------------------------
# households


def log_access(household_id: int, user, action: str, path: str = "") -> None:
    HouseholdAccess.objects.create(
        household_id_value=household_id, by=user, action=action, path=path[:255]
    )


@transaction.atomic
def save_household(data: dict, *, by, household: Household | None = None) -> Household:
    """Create or replace a household from validated plain data (``HouseholdSerializer`` or the
    form): its fields and its adults."""
    created = household is None
    household = household or Household(created_by=by)
    household.case_reference = data["case_reference"]
    household.children_ages = sorted(data.get("children_ages") or [])
    household.unaccompanied_minor_age = data.get("unaccompanied_minor_age")
    household.needs = sorted(set(data.get("needs") or []))
    connection = data.get("connection") or {}
    household.connection_municipality = connection.get("municipality")
    household.connection_reason = connection.get("reason") or ""
    household.connection_required = bool(connection.get("required"))
    household.note = data.get("note") or ""
    household.is_demo = bool(data.get("is_demo"))
    household.save()
    household.adults.all().delete()
    Adult.objects.bulk_create(
        Adult(
            household=household,
            position=index,
            education_level=adult.get("education_level") or "",
            occupations=list(adult.get("occupations") or []),
            education_route=adult.get("education_route"),
            norwegian_level=adult.get("norwegian_level") or "",
        )
        for index, adult in enumerate(data.get("adults") or [])
    )
    log_access(
        household.pk, by, HouseholdAccess.Action.CREATE if created else HouseholdAccess.Action.EDIT
    )
    return household


def households_due_for_deletion(now: datetime.datetime | None = None, days: int | None = None):
    """Households whose every allocation is closed (settled, withdrawn or declined), the last
    one more than ``days`` (PLASSERING_HOUSEHOLD_RETENTION_DAYS) ago."""
    now = now or timezone.now()
    days = settings.PLASSERING_HOUSEHOLD_RETENTION_DAYS if days is None else days
    cutoff = now - datetime.timedelta(days=days)
    return (
        Household.objects.exclude(allocations__status__in=ACTIVE_STATES[:2])
        .annotate(last_closed=Max("allocations__closed_at"))
        .filter(last_closed__isnull=False, last_closed__lt=cutoff)
    )


@transaction.atomic
def delete_expired_households(now=None, days=None) -> int:
    """Delete them (adults, rankings and batch lines go with them; allocations keep the case
    reference and the numbers, the ledger needs those). Returns how many."""
    due = list(households_due_for_deletion(now, days).values_list("pk", flat=True))
    for pk in due:
        log_access(pk, None, HouseholdAccess.Action.DELETE)
    Household.objects.filter(pk__in=due).delete()
    return len(due)


# ---------------------------------------------------------------------------------------------
# rankings and batches


def spec_from_household(household: Household):
    from .ranking import AdultSpec, HouseholdSpec

    return HouseholdSpec(
        adults=tuple(
            AdultSpec(
                occupations=tuple(adult.occupations or ()),
                education_level=adult.education_level,
                education_route=adult.education_route.code if adult.education_route_id else "",
                norwegian_level=adult.norwegian_level,
            )
            for adult in household.adults.all()
        ),
        children_ages=tuple(sorted(household.children_ages or ())),
        unaccompanied_minor_age=household.unaccompanied_minor_age,
        needs=frozenset(household.needs or ()),
        connection=household.connection_municipality.number
        if household.connection_municipality_id
        else "",
        connection_required=household.connection_required,
    )


def spec_from_data(data: dict):
    """A household as validated plain data (the API's ``household``) → the engine's input."""
    from .ranking import AdultSpec, HouseholdSpec

    connection = data.get("connection") or {}
    municipality = connection.get("municipality")
    return HouseholdSpec(
        adults=tuple(
            AdultSpec(
                occupations=tuple(a.get("occupations") or ()),
                education_level=a.get("education_level") or "",
                education_route=a["education_route"].code if a.get("education_route") else "",
                norwegian_level=a.get("norwegian_level") or "",
            )
            for a in data.get("adults") or []
        ),
        children_ages=tuple(sorted(data.get("children_ages") or ())),
        unaccompanied_minor_age=data.get("unaccompanied_minor_age"),
        needs=frozenset(data.get("needs") or ()),
        connection=municipality.number if municipality is not None else "",
        connection_required=bool(connection.get("required")),
    )


def spec_as_data(spec) -> dict:
    return {
        "adults": [
            {
                "occupations": list(a.occupations),
                "education_level": a.education_level,
                "education_route": a.education_route,
                "norwegian_level": a.norwegian_level,
            }
            for a in spec.adults
        ],
        "children_ages": list(spec.children_ages),
        "unaccompanied_minor_age": spec.unaccompanied_minor_age,
        "needs": sorted(spec.needs),
        "connection": {"municipality": spec.connection, "required": spec.connection_required},
    }


def make_ranking(
    round_: Round,
    spec,
    *,
    by,
    household: Household | None = None,
    custom_weights: dict | None = None,
    context=None,
):
    """Rank every municipality of the round for the household, store what was shown with the
    weights used, and return (the stored ``Ranking``, the engine's ``RankingResult``)."""
    from .ranking import collector_paused

    # The collector is paused for the reading too: its rows are as short-lived as the scoring's.
    with collector_paused():
        return _make_ranking(round_, spec, by, household, custom_weights, context)


def _make_ranking(round_, spec, by, household, custom_weights, context):
    from .models import WeightSet
    from .ranking import rank
    from .selectors import ranking_context

    weight_set = WeightSet.objects.current()
    weights = {k: float(v) for k, v in weight_set.as_dict().items()}
    if custom_weights:
        weights = {k: float(custom_weights.get(k, 0)) for k in weights}
    context = context or ranking_context(round_=round_)
    result = rank(spec, context.facts, context.states, weights, context.names, round_.year)
    stored = Ranking.objects.create(
        round=round_,
        household=household,
        weights=weight_set,
        custom_weights={k: v for k, v in result.weights.items()} if custom_weights else None,
        input=spec_as_data(spec),
        results=[[r.number, r.score] for r in result.results],
        excluded_count=len(result.excluded),
        created_by=by,
    )
    if household is not None:
        log_access(household.pk, by, HouseholdAccess.Action.RANK)
    return stored, result


def batch_inputs(specs, context, weights: dict):
    """Scores of every household against every municipality that passes its hard filters."""
    from .batch import BatchHousehold
    from .ranking import normalise_weights, score_all, total, translations_cached

    weights = normalise_weights(weights)
    households, scores = [], {}
    for index, spec in enumerate(specs):
        households.append(BatchHousehold(spec.persons, spec.minor_group))
        with translations_cached():
            scored, _excluded = score_all(
                spec, context.facts, context.states, weights, context.names, context.round.year
            )
        for number, criteria in scored.items():
            scores[(index, number)] = total(criteria)
    remaining = {}
    for number, state in context.states.items():
        remaining[(number, "")] = state.remaining_general
        remaining[(number, "under_15")] = state.remaining_under_15
        remaining[(number, "15_18")] = state.remaining_15_18
    return households, scores, remaining


@transaction.atomic
def run_batch(round_: Round, households: list[Household], *, by):
    """Solve the batch exactly and store one proposal per household (confirmed one by one)."""
    from .batch import best_per_household, greedy, solve
    from .models import Batch, BatchProposal, WeightSet
    from .selectors import ranking_context

    weight_set = WeightSet.objects.current()
    context = ranking_context(round_=round_)
    specs = [spec_from_household(h) for h in households]
    inputs, scores, remaining = batch_inputs(specs, context, weight_set.as_dict())
    optimum = solve(inputs, scores, remaining)
    baseline = greedy(inputs, scores, remaining)
    best = best_per_household(scores, len(inputs))
    municipalities = {m.number: m for m in Municipality.objects.in_structure(round_.structure)}
    batch = Batch.objects.create(
        round=round_,
        weights=weight_set,
        objective=optimum.objective,
        greedy_objective=baseline.objective,
        best_bound=optimum.best_bound,
        solve_ms=optimum.solve_seconds * 1000,
        created_by=by,
    )
    BatchProposal.objects.bulk_create(
        BatchProposal(
            batch=batch,
            household=household,
            municipality=municipalities.get(optimum.chosen[index] or ""),
            score=scores.get((index, optimum.chosen[index])) if optimum.chosen[index] else None,
            best_municipality=municipalities.get(best[index][0] or ""),
            best_score=best[index][1] if best[index][0] else None,
        )
        for index, household in enumerate(households)
    )
    for household in households:
        log_access(household.pk, by, HouseholdAccess.Action.RANK)
    return batch


@transaction.atomic
def confirm_proposal(proposal, *, by) -> Allocation:
    from .models import BatchProposal

    proposal = (
        # lock the proposal row only: PostgreSQL cannot lock the nullable side of the outer
        # join to the municipality (a proposal may have none)
        BatchProposal.objects.select_for_update(of=("self",))
        .select_related("batch__round", "household", "municipality")
        .get(pk=proposal.pk)
    )
    if proposal.allocation_id:
        raise PlacementError(_("Forslaget er allerede bekreftet."))
    if proposal.municipality is None:
        raise PlacementError(_("Forslaget har ingen kommune å bekrefte."))
    household = proposal.household
    allocation = propose_allocation(
        proposal.batch.round,
        proposal.municipality,
        persons=household.persons,
        case_reference=household.case_reference,
        by=by,
        minor_group=minor_group_for(household.unaccompanied_minor_age),
        household=household,
    )
    proposal.allocation = allocation
    proposal.save(update_fields=["allocation"])
    return allocation


def decisions_from_statistics() -> int:
    """Fill each round's ledger from IMDi's «vedtak» figures for the round's year, where no
    decision was entered by an officer (page, API, import). A figure below what is already
    allocated is left out (logged), never forced. Returns how many decisions changed."""
    import logging

    from portal.register.models import StatisticValue

    changed = 0
    for round_ in Round.objects.all():
        values = StatisticValue.objects.filter(
            indicator__code="vedtak",
            indicator__unit="persons",
            year=round_.year,
            status=StatisticValue.Status.VALUE,
        ).select_related("municipality")
        current = {
            m.pk: m
            for m in Municipality.objects.in_structure(round_.structure).select_related("county")
        }
        latest_channel = CapacityChange.objects.filter(capacity=OuterRef("pk")).order_by(
            "-at", "-id"
        )
        manual = set(
            Capacity.objects.filter(round=round_, decided__isnull=False)
            .annotate(channel=Subquery(latest_channel.values("channel")[:1]))
            .exclude(channel=CapacityChange.Channel.STATISTICS)
            .values_list("municipality_id", flat=True)
        )
        numbers = []
        for value in values:
            municipality = current.get(value.municipality_id)
            if municipality is None or municipality.pk in manual:
                continue
            try:
                with transaction.atomic():
                    _capacity, did = _apply_decision(
                        round_,
                        municipality,
                        DecisionInput(
                            municipality.number,
                            int(value.value),
                            source=_("IMDi-statistikk: vedtak %(year)s") % {"year": round_.year},
                        ),
                        None,
                        CapacityChange.Channel.STATISTICS,
                    )
                if did:
                    changed += 1
                    numbers.append(municipality.number)
            except PlacementError as error:
                logging.getLogger(__name__).warning("%s", error.messages[0])
        if numbers:
            _refresh_search(round_, numbers)
    return changed
