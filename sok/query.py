"""A profile search as data: text, filters, sort and page; and its result. Both backends take
a ProfileQuery and return a SearchResult with the same meaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache

from .analysis import analyse, analyse_query, is_prefix_term

# Weight of a match per field; a prefix (compound) match counts half. Powers of two, so the
# sums are exact in Elasticsearch's float32 scores too and both backends rank identically.
FIELD_WEIGHTS = {"name": 4.0, "code": 2.0, "body": 1.0}
PREFIX_FACTOR = 0.5
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Slot:
    """One query word and its synonyms: a document matches the slot if it has any of them."""

    terms: tuple[str, ...]

    @property
    def prefixes(self) -> tuple[str, ...]:
        return tuple(t for t in self.terms if is_prefix_term(t))


@dataclass
class ProfileQuery:
    text: str = ""
    round_year: int | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    # A minimum per number of the registry (``sok.dimensions.Number``), e.g. {"capacity": 20}.
    minimums: dict[str, int | Decimal] = field(default_factory=dict)
    # The built-in two, also in ``minimums`` (kept in step by __post_init__).
    capacity_min: int | None = None
    result_min: Decimal | None = None
    # "relevance", "name", or the key of a number with a sort (largest first, missing last).
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20

    def __post_init__(self):
        self.minimums = dict(self.minimums)
        for key in ("capacity", "result"):
            given = getattr(self, f"{key}_min")
            if given is not None:
                self.minimums[key] = given
            elif key in self.minimums:
                setattr(self, f"{key}_min", self.minimums[key])

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def slots(self) -> list[Slot]:
        groups = synonym_index()
        slots = []
        for term in analyse_query(self.text):
            alternatives = {term, *groups.get(term, ())}
            slots.append(Slot(tuple(sorted(alternatives))))
        return slots


@dataclass
class Hit:
    key: str
    score: float
    payload: dict
    highlights: list[dict] = field(default_factory=list)
    # Registered numbers without a column of their own (``sok.dimensions.Number``).
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    backend: str
    engine_ms: float | None = None
    degraded: bool = False


# The synonym list is read on nearly every search; it changes a few times a year. Cached for a
# short while, and dropped at once in this process when an entry is saved or deleted, so an
# edit applies to the next search here and within SYNONYMS_SECONDS in every other process.
SYNONYMS_KEY = "sok:synonyms:v1"
SYNONYMS_SECONDS = 30


def _load_synonym_index() -> dict[str, frozenset[str]]:
    from .models import SynonymGroup

    index: dict[str, set[str]] = {}
    for terms in SynonymGroup.objects.values_list("terms", flat=True):
        single = set()
        for word in terms.split(","):
            analysed = analyse(word, keep_stop_words=True)
            if len(analysed) == 1:
                single.add(analysed[0])
        for term in single:
            index.setdefault(term, set()).update(single - {term})
    return {k: frozenset(v) for k, v in index.items()}


def synonym_index() -> dict[str, frozenset[str]]:
    """Each analysed word of the editable synonym list -> the words it also stands for."""
    index = cache.get(SYNONYMS_KEY)
    if index is None:
        index = _load_synonym_index()
        cache.set(SYNONYMS_KEY, index, SYNONYMS_SECONDS)
    return index


def forget_synonyms(**kwargs) -> None:
    cache.delete(SYNONYMS_KEY)


def score_terms(slots: list[Slot], doc_terms: dict[str, set[str]]) -> float:
    """The relevance of a document with these terms per field (the database backend's scoring;
    the Elasticsearch query is built to give exactly the same sum)."""
    score = 0.0
    for slot in slots:
        for field_name, weight in FIELD_WEIGHTS.items():
            terms = doc_terms.get(field_name) or ()
            if not terms:
                continue
            if any(t in terms for t in slot.terms):
                score += weight
            if slot.prefixes and any(
                term.startswith(prefix) for term in terms for prefix in slot.prefixes
            ):
                score += weight * PREFIX_FACTOR
    return score
