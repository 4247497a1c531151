"""What the ranking engine works on and returns: the household (``HouseholdSpec``), display
names (``Lookups``), criteria and results; and one ranking's scope (messages translated once,
the cyclic garbage collector paused). No queries."""

from __future__ import annotations

import contextvars
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils.translation import gettext as _gettext
from django.utils.translation import ngettext as _ngettext

from .models import CRITERION_LABELS
from .selectors import CapacityState
from .sources import Source

# One ranking asks for the same few hundred messages thousands of times; within one ranking the
# language does not change, so each message is translated once (per ranking, per context).
_translations: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "plassering_translations", default=None
)


def _(message: str) -> str:
    cache = _translations.get()
    if cache is None:
        return _gettext(message)
    found = cache.get(message)
    if found is None:
        found = cache[message] = _gettext(message)
    return found


def ngettext(singular: str, plural: str, count: int) -> str:
    cache = _translations.get()
    key = (singular, plural, count == 1)
    if cache is None:
        return _ngettext(singular, plural, count)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _ngettext(singular, plural, count)
    return found


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector for one ranking (re-entrant).

    A ranking allocates some thousands of small objects (criteria, sources, reasons, rows),
    all acyclic and freed by reference counting. With the collector running, it ran about ten
    times per ranking, promoted these objects to the oldest generation while they were still
    in use, and so triggered a full collection of the whole process (some 280 000 objects,
    140–190 ms) every dozen rankings: that was the benchmark's p95, 4× its p50. Paused, the
    ranking's objects die young; any cyclic garbage is left to the next collection after."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@contextmanager
def translations_cached():
    """One ranking's scope: each message translated once; the collector paused."""
    token = _translations.set({})
    try:
        with collector_paused():
            yield
    finally:
        _translations.reset(token)


def _label(lazy) -> str:
    """A lazy label (a choice's label) translated through the same cache."""
    cache = _translations.get()
    if cache is None:
        return str(lazy)
    key = ("lazy", id(lazy))
    found = cache.get(key)
    if found is None:
        found = cache[key] = str(lazy)
    return found


NEUTRAL = 0.5
UPPER_SECONDARY_AGES = range(15, 19)


@dataclass(frozen=True)
class AdultSpec:
    occupations: tuple[str, ...] = ()
    education_level: str = ""
    education_route: str = ""  # Udir programme area code
    norwegian_level: str = ""


@dataclass(frozen=True)
class HouseholdSpec:
    adults: tuple[AdultSpec, ...] = ()
    children_ages: tuple[int, ...] = ()
    unaccompanied_minor_age: int | None = None
    needs: frozenset[str] = frozenset()
    connection: str = ""
    connection_required: bool = False

    @property
    def is_minor(self) -> bool:
        return self.unaccompanied_minor_age is not None

    @property
    def persons(self) -> int:
        return 1 if self.is_minor else len(self.adults) + len(self.children_ages)

    @property
    def minor_group(self) -> str:
        if not self.is_minor:
            return ""
        return "under_15" if self.unaccompanied_minor_age < 15 else "15_18"

    @property
    def household_type(self) -> str:
        """The profile's household type this household needs («Store familier» from 5)."""
        if self.children_ages:
            if self.persons >= 5:
                return "large_family"
            return "family" if len(self.adults) >= 2 else "single_parent"
        return "single" if len(self.adults) <= 1 else "couple"

    @property
    def youths(self) -> list[int]:
        ages = [a for a in self.children_ages if a in UPPER_SECONDARY_AGES]
        if self.is_minor and self.unaccompanied_minor_age in UPPER_SECONDARY_AGES:
            ages.append(self.unaccompanied_minor_age)
        return ages


@dataclass
class Lookups:
    """Display names for codes the reasons mention (loaded once by the caller)."""

    occupations: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)
    municipalities: dict[str, str] = field(default_factory=dict)
    neighbours: dict[str, set[str]] = field(default_factory=dict)  # the register's relation

    def occupation(self, code: str) -> str:
        name = self.occupations.get(code)
        return f"{code} {name}" if name else code

    def area(self, code: str) -> str:
        name = self.areas.get(code)
        return f"{name} ({code})" if name else code


@dataclass
class CriterionResult:
    key: str
    weight: float
    score: float
    reason: str
    sources: list[Source] = field(default_factory=list)
    missing_data: bool = False
    applies: bool = True
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _label(CRITERION_LABELS[self.key])

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def contribution(self) -> float:
        return self.weight * self.score


@dataclass
class RankedMunicipality:
    number: str
    name: str
    county: str
    url: str
    score: float
    capacity: CapacityState
    criteria: list[CriterionResult]
    position: int = 0

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def missing_data(self) -> list[str]:
        return [c.label for c in self.criteria if c.missing_data]


@dataclass(frozen=True)
class Exclusion:
    number: str
    name: str
    county: str
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class RankingResult:
    household: HouseholdSpec
    weights: dict[str, float]
    results: list[RankedMunicipality]
    excluded: list[Exclusion]

    def top(self, limit: int) -> list[RankedMunicipality]:
        return self.results[:limit]
