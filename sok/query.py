"""A profile search as data: text, filters, sort and page; and its result. Both backends take
a ProfileQuery and return a SearchResult with the same meaning."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .analysis import (
    MAX_QUERY_TERMS,
    analyse,
    clean_query,
    is_prefix_term,
    is_stop_word,
    stem,
)
from .shared import forget, shared_value

# Weight of a match per field; a prefix (compound) match counts half; a phrase or multi-word
# synonym (adjacent terms, the «pair» field) counts PAIR_WEIGHT. Powers of two, so the sums are
# exact in Elasticsearch's float32 scores too and both backends rank identically.
FIELD_WEIGHTS = {"name": 4.0, "code": 2.0, "body": 1.0}
PREFIX_FACTOR = 0.5
PAIR_WEIGHT = 2.0
SYNONYM_FACTOR = 0.5
# Fields matched by prefix (compound parts); names only as whole words («stor» is not Storfjord).
PREFIX_FIELDS = ("code", "body")
# Each chosen filter value a profile has adds this (a profile with both chosen occupations
# ranks above one with only one of them).
FILTER_WEIGHT = 0.25
# Partial matches (no profile has every word): ranked by how many of the words they have first.
SLOT_BONUS = 64.0
MAX_PAGE_SIZE = 100
_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Slot:
    """One thing the query asks for, a word or a quoted phrase, with its synonyms. A document
    matches the slot if it has any alternative: a single term (by prefix too, unless quoted),
    or a group of adjacent-term pairs that must all be present (a phrase)."""

    text: str
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    exact: bool = False
    # What was typed (the rest are synonyms): a match on these counts in full, a match on a
    # synonym only half (SYNONYM_FACTOR).
    own: tuple[str, ...] = ()
    own_phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def prefixes(self) -> tuple[str, ...]:
        if self.exact:
            return ()
        return tuple(t for t in self.own if is_prefix_term(t))

    @property
    def pair_terms(self) -> set[str]:
        return {p for phrase in (*self.phrases, *self.own_phrases) for p in phrase}


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
    # «I nærheten av»: a municipality number; ``nearby`` is it and its neighbours (the
    # register's neighbour relation), the municipalities a hit must be one of.
    near: str = ""
    nearby: tuple[str, ...] = ()
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
        return parse(self.text)


@dataclass
class Hit:
    key: str
    score: float
    payload: dict
    highlights: list[dict] = field(default_factory=list)
    # Registered numbers without a column of their own (``sok.dimensions.Number``).
    numbers: dict[str, float] = field(default_factory=dict)
    matched_all_terms: bool = True
    # The query's words and phrases this hit matched (its slots' text).
    matched_terms: list[str] = field(default_factory=list)
    # The chosen filter values this hit has, per dimension.
    filters: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    backend: str
    engine_ms: float | None = None
    degraded: bool = False
    # No profile has every word: ``hits`` are the best partial matches, ``count`` stays 0 and
    # ``partial_count`` says how many partial matches there are.
    partial: bool = False
    partial_count: int = 0


# The synonym list is read on nearly every search; it changes a few times a year. Cached for a
# short while, and dropped at once in this process when an entry is saved or deleted, so an
# edit applies to the next search here and within SYNONYMS_SECONDS in every other process.
SYNONYMS_KEY = "sok:synonyms:v1"
SYNONYMS_SECONDS = 30


@dataclass(frozen=True)
class Synonyms:
    """The editable synonym list, analysed: each entry (a tuple of terms) -> the alternatives
    of its group (single terms, and phrases as tuples of pair terms)."""

    groups: dict[tuple[str, ...], tuple[frozenset[str], frozenset[tuple[str, ...]]]]
    longest: int

    def get(self, entry: tuple[str, ...]):
        return self.groups.get(entry)


def _phrase_pairs(terms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{a}_{b}" for a, b in zip(terms, terms[1:], strict=False))


def _load_synonym_index() -> Synonyms:
    from .models import SynonymGroup

    groups: dict[tuple[str, ...], tuple[set[str], set[tuple[str, ...]]]] = {}
    for line in SynonymGroup.objects.values_list("terms", flat=True):
        entries = {tuple(analyse(word)) for word in line.split(",")}
        entries.discard(())
        singles = {entry[0] for entry in entries if len(entry) == 1}
        phrases = {_phrase_pairs(entry) for entry in entries if len(entry) > 1}
        for entry in entries:
            known = groups.setdefault(entry, (set(), set()))
            known[0].update(singles)
            known[1].update(phrases)
    frozen = {k: (frozenset(t), frozenset(p)) for k, (t, p) in groups.items()}
    return Synonyms(frozen, max((len(k) for k in frozen), default=1))


def parse(text: str) -> list[Slot]:
    """The slots of a query: quoted phrases, then the other words, a run of words that is a
    multi-word synonym entry («særskilte behov») taken as one slot; deduplicated, bounded."""
    synonyms = synonym_index()
    text = clean_query(text)
    slots: list[Slot] = []
    for quoted in _PHRASE.findall(text):
        terms = tuple(analyse(quoted))
        if len(terms) == 1:
            slots.append(Slot(quoted.strip(), terms=terms, exact=True, own=terms))
        elif terms:
            group = synonyms.get(terms)
            phrases = {_phrase_pairs(terms)} | set(group[1] if group else ())
            slots.append(
                Slot(
                    quoted.strip(),
                    terms=tuple(sorted(group[0])) if group else (),
                    phrases=tuple(sorted(phrases)),
                    exact=True,
                    own_phrases=(_phrase_pairs(terms),),
                )
            )
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    words, hyphenated = [], {}
    for word in _WORD.findall(unicodedata.normalize("NFKC", rest).lower()):
        parts = [p for p in re.split(r"[-']", word) if p and not is_stop_word(p)]
        if not parts:
            continue
        if len(parts) > 1:  # «helse-arbeider»: the joined word, or the parts side by side
            joined = stem("".join(parts))
            hyphenated[joined] = _phrase_pairs(tuple(stem(p) for p in parts))
            words.append((word, joined))
        else:
            words.append((parts[0], stem(parts[0])))
    position = 0
    while position < len(words):
        taken = 1
        for size in range(min(synonyms.longest, len(words) - position), 1, -1):
            entry = tuple(term for _token, term in words[position : position + size])
            if synonyms.get(entry):
                taken = size
                break
        entry = tuple(term for _token, term in words[position : position + taken])
        group = synonyms.get(entry)
        shown = " ".join(token for token, _term in words[position : position + taken])
        if taken > 1:
            slot = Slot(
                shown,
                terms=tuple(sorted(group[0])),
                phrases=tuple(sorted(group[1])),
                own_phrases=(_phrase_pairs(entry),),
            )
        else:
            singles = {entry[0], *(group[0] if group else ())}
            phrases = set(group[1] if group else ())
            own_phrases = ()
            if entry[0] in hyphenated:
                phrases.add(hyphenated[entry[0]])
                own_phrases = (hyphenated[entry[0]],)
            slot = Slot(
                shown,
                terms=tuple(sorted(singles)),
                phrases=tuple(sorted(phrases)),
                own=(entry[0],),
                own_phrases=own_phrases,
            )
        slots.append(slot)
        position += taken
    unique: dict[tuple, Slot] = {}
    for slot in slots:
        unique.setdefault((slot.terms, slot.phrases, slot.exact), slot)
        if len(unique) >= MAX_QUERY_TERMS:
            break
    return list(unique.values())


def synonym_index() -> Synonyms:
    """The analysed synonym list (cached; see SYNONYMS_SECONDS)."""
    return shared_value(SYNONYMS_KEY, SYNONYMS_SECONDS, _load_synonym_index)


def forget_synonyms(**kwargs) -> None:
    forget(SYNONYMS_KEY)


def slot_score(slot: Slot, doc_terms: dict[str, set[str]]) -> float:
    """What one slot adds to a document's relevance; 0 when the document lacks it. The
    Elasticsearch query is built to give exactly the same sum."""
    score = 0.0
    for field_name, weight in FIELD_WEIGHTS.items():
        terms = doc_terms.get(field_name) or ()
        if not terms:
            continue
        if any(t in terms for t in slot.terms):
            score += weight * SYNONYM_FACTOR
        if any(t in terms for t in slot.own):
            score += weight * (1 - SYNONYM_FACTOR)
        if (
            field_name in PREFIX_FIELDS
            and slot.prefixes
            and any(term.startswith(slot.prefixes) for term in terms)
        ):
            score += weight * PREFIX_FACTOR
    pairs = doc_terms.get("pair") or ()
    if pairs and any(all(p in pairs for p in phrase) for phrase in slot.phrases):
        score += PAIR_WEIGHT * SYNONYM_FACTOR
    if pairs and any(all(p in pairs for p in phrase) for phrase in slot.own_phrases):
        score += PAIR_WEIGHT * (1 - SYNONYM_FACTOR)
    return score


def score_terms(
    slots: list[Slot], doc_terms: dict[str, set[str]], *, partial: bool = False
) -> tuple[float, int]:
    """(relevance, slots matched) of a document with these terms per field. With ``partial``
    each matched slot also adds SLOT_BONUS, so more words matched ranks first."""
    score, matched = 0.0, 0
    for slot in slots:
        found = slot_score(slot, doc_terms)
        if found:
            matched += 1
            score += found + (SLOT_BONUS if partial else 0.0)
    return score, matched
