"""Placement models: the capacity ledger, households, allocations with their transitions, and
the ranking records (weights, rankings, choices, batches)."""

from .allocations import (
    ACTIVE_STATES,
    TRANSITIONS,
    Allocation,
    AllocationStatus,
    AllocationTransition,
    MinorGroup,
)
from .capacity import Capacity, CapacityChange, CapacitySource
from .households import (
    PROTECTED_FIELDS,
    Adult,
    EducationLevel,
    Household,
    HouseholdAccess,
    Need,
    NorwegianLevel,
)
from .ranking import (
    CRITERIA,
    CRITERION_LABELS,
    Batch,
    BatchProposal,
    PlacementChoice,
    Ranking,
    WeightSet,
)

__all__ = [
    "ACTIVE_STATES",
    "CRITERIA",
    "CRITERION_LABELS",
    "PROTECTED_FIELDS",
    "TRANSITIONS",
    "Adult",
    "Allocation",
    "AllocationStatus",
    "AllocationTransition",
    "Batch",
    "BatchProposal",
    "Capacity",
    "CapacityChange",
    "CapacitySource",
    "EducationLevel",
    "Household",
    "HouseholdAccess",
    "MinorGroup",
    "Need",
    "NorwegianLevel",
    "PlacementChoice",
    "Ranking",
    "WeightSet",
]
