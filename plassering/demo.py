"""Demo data for placement: a fictitious decision (vedtak) for every municipality of the
current demo round, some allocations in every state, and the five example households of
issue 9. Everything is marked as demo and goes through the services; idempotent."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from portal.accounts.models import Role, User
from portal.register.models import Municipality
from skjema.models import Round

from . import selectors, services
from .models import Capacity, CapacityChange, Household

DEMO_SOURCE = "Demoinnhold – fiktivt vedtak"

HOUSEHOLDS = [
    {
        "case_reference": "DEMO-01 familie på fem",
        "adults": [
            {
                "occupations": ["7212"],
                "education_level": "upper_secondary",
                "norwegian_level": "A2",
            },
            {"occupations": ["2221"], "education_level": "higher", "norwegian_level": "A1"},
        ],
        "children_ages": [4, 9, 15],
        "note": "Demo: sveiser og sykepleier med tre barn.",
    },
    {
        "case_reference": "DEMO-02 enslig mindreårig 16 år",
        "unaccompanied_minor_age": 16,
        "needs": ["adapted_schooling"],
        "note": "Demo: trenger tilpasset videregående opplæring.",
    },
    {
        "case_reference": "DEMO-03 helsearbeider",
        "adults": [
            {
                "occupations": ["5321"],
                "education_level": "upper_secondary",
                "education_route": "HSHSF1----",
                "norwegian_level": "none",
            }
        ],
        "note": "Demo: enslig helsefagarbeider som trenger norskopplæring.",
    },
    {
        "case_reference": "DEMO-04 rullestolbruker",
        "adults": [{"occupations": ["4110"], "education_level": "higher", "norwegian_level": "B1"}],
        "needs": ["accessible_dwelling", "health_followup"],
        "note": "Demo: rullestolbruker som trenger tilrettelagt bolig og helseoppfølging.",
    },
    {
        "case_reference": "DEMO-05 storfamilie på sju",
        "adults": [
            {"occupations": ["9112"], "education_level": "primary", "norwegian_level": "none"},
            {"occupations": ["8332"], "education_level": "primary", "norwegian_level": "A1"},
        ],
        "children_ages": [2, 5, 8, 11, 14],
        "note": "Demo: stor familie; trenger stor bolig.",
    },
]


def _officer() -> User:
    return (
        User.objects.filter(role=Role.IMDI_OFFICER).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def _valid_codes(adult: dict) -> dict:
    """Level-4 STYRK codes are kept when the register has them, else their sub-major group."""
    from .serializers import occupation_code_error

    codes = []
    for code in adult.get("occupations") or []:
        codes.append(code if occupation_code_error(code) is None else code[:2])
    return {**adult, "occupations": codes}


def households(by) -> list[Household]:
    from .serializers import HouseholdSerializer

    made = []
    for data in HOUSEHOLDS:
        existing = Household.objects.filter(
            case_reference=data["case_reference"], is_demo=True
        ).first()
        if existing is not None:
            made.append(existing)
            continue
        data = {**data, "adults": [_valid_codes(a) for a in data.get("adults") or []]}
        serializer = HouseholdSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        made.append(services.save_household({**serializer.validated_data, "is_demo": True}, by=by))
    return made


def decisions(round_: Round, by) -> int:
    """A fictitious decision for every municipality of the round: the stated capacity where a
    profile states one, else a number from the municipality's number (stable between runs)."""
    if Capacity.objects.filter(round=round_, is_demo=True).exists():
        return 0
    stated = {s.number: s for s in selectors.capacity_list(round_=round_)}
    entries = []
    for municipality in Municipality.objects.in_structure(round_.structure).order_by("number"):
        rng = random.Random(f"vedtak-{round_.year}-{municipality.number}")
        state = stated.get(municipality.number)
        base = (
            state.decided if state and state.source != "none" else rng.choice([5, 10, 15, 20, 30])
        )
        decided = max(2, base + rng.randint(-3, 3))
        entries.append(
            services.DecisionInput(
                municipality.number,
                decided,
                min(decided // 8, rng.choice([0, 0, 0, 1, 2])),
                min(decided // 4, rng.choice([0, 0, 2, 3, 4])),
                datetime.date(round_.year - 1, 10, rng.randint(1, 28)),
                DEMO_SOURCE,
            )
        )
    return services.import_decisions(round_, entries, by=by, channel=CapacityChange.Channel.DEMO)


def allocations(round_: Round, by) -> int:
    """Some allocations in every state, with fictitious case references."""
    from .models import Allocation

    if Allocation.objects.filter(round=round_, is_demo=True).exists():
        return 0
    plan = [
        ("0301", 5, None),
        ("4601", 4, "accept"),
        ("5001", 3, "settle"),
        ("1103", 2, "withdraw"),
        ("3201", 6, "decline"),
        ("4003", 1, None),
        ("1508", 4, "accept"),
    ]
    count = 0
    for index, (number, persons, action) in enumerate(plan, start=1):
        municipality = (
            Municipality.objects.in_structure(round_.structure).filter(number=number).first()
        )
        if municipality is None:
            continue
        try:
            allocation = services.propose_allocation(
                round_, municipality, persons=persons, case_reference=f"DEMO-T{index:02d}", by=by
            )
        except services.PlacementError:
            continue
        Allocation.objects.filter(pk=allocation.pk).update(is_demo=True)
        if action == "settle":
            services.transition_allocation(allocation, "accept", by=by)
        if action:
            services.transition_allocation(
                allocation, action, by=by, reason="Demo: fiktiv begrunnelse"
            )
        count += 1
    return count


def load(round_year: int) -> dict:
    """The placement demo for the round of ``round_year`` (call after skjema's demo)."""
    round_ = Round.objects.filter(year=round_year).first()
    by = _officer()
    if round_ is None or by is None:
        return {"decisions": 0, "allocations": 0, "households": 0}
    with transaction.atomic():
        made_decisions = decisions(round_, by)
        made_allocations = allocations(round_, by)
        made_households = households(by)
    return {
        "decisions": made_decisions,
        "allocations": made_allocations,
        "households": len(made_households),
    }
