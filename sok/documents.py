"""From a submitted profile version to a search document: its display payload, the texts that
highlights are cut from, the analysed terms per field, and the facet values per dimension."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from portal.register.models import Municipality, Occupation, ProgrammeArea, StatisticValue
from portal.register.statistics_display import (
    KEY_FIGURES,
    latest_settlement,
    settlement_numbers,
    settlement_series,
)
from skjema.models import MunicipalityProfile, Submission, Version
from skjema.models.submissions import SUBMITTED_STATES
from skjema.reading import PROFILE_SECTIONS

from . import dimensions
from .analysis import analyse, fold, pairs


@dataclass
class DocumentData:
    key: str
    round_year: int
    municipality: Municipality
    submission: Submission
    version: Version
    capacity: int | None
    result: Decimal | None
    payload: dict
    terms: dict[str, set[str]] = field(default_factory=dict)
    facets: dict[str, set[str]] = field(default_factory=dict)
    # Registered numbers without a column of their own (``dimensions.Number.column`` is None).
    numbers: dict[str, float] = field(default_factory=dict)


def document_key(round_year: int, municipality_number: str) -> str:
    return f"{round_year}-{municipality_number}"


class _Lookups:
    """Register names for the codes a version mentions, loaded once per batch."""

    def __init__(self):
        self.areas = {a.code: a for a in ProgrammeArea.objects.select_related("programme")}
        self.occupations = dict(Occupation.objects.values_list("code", "name"))
        self.municipalities = dict(Municipality.objects.values_list("number", "name"))
        self._settlement: dict[str, dict] = {}
        self._any_statistics: bool | None = None
        self.sections = {s.key: s for s in PROFILE_SECTIONS}

    def settlement(self, municipality: Municipality, round_year: int) -> dict | None:
        """IMDi's figures before the round's year (read once per municipality, whatever the
        number of rounds; not at all while no figures are imported)."""
        if self._any_statistics is None:
            codes = [code for _key, code in KEY_FIGURES]
            self._any_statistics = StatisticValue.objects.filter(indicator__code__in=codes).exists()
        if not self._any_statistics:
            return None
        if municipality.number not in self._settlement:
            self._settlement[municipality.number] = settlement_series(municipality)
        return settlement_figures(self._settlement[municipality.number], round_year)


RECENT_YEARS = 3


def settlement_figures(series: dict, before_year: int) -> dict | None:
    """The newest year before ``before_year`` that has a settled number (a year with only
    requests does not count), with that year's requested/decided/settled, and the settled and
    decided numbers of the last three years up to it (``recent``, oldest first). A figure that
    is not a number (withheld, not applicable, missing) is None. Falls back to the newest year
    with any figure when no year has a settled number."""
    figures_by_year = settlement_numbers(series, before_year)
    settled = [y for y, f in figures_by_year.items() if f["settled"] is not None]
    if settled:
        year = max(settled)
    else:
        latest = latest_settlement(series, before_year)
        return {**latest, "recent": []} if latest else None
    recent = [
        {
            "year": y,
            "settled": figures_by_year.get(y, {}).get("settled"),
            "decided": figures_by_year.get(y, {}).get("decided"),
        }
        for y in range(year - RECENT_YEARS + 1, year + 1)
        if y in figures_by_year
    ]
    return {"year": year, **figures_by_year[year], "recent": recent}


@dataclass
class Source:
    """What the registry's extractors read: one submitted version as plain data (the sections'
    own format: codes, choice values), its submission, and the register's names."""

    submission: Submission
    version: Version
    lookups: _Lookups

    @property
    def key(self) -> str:
        return document_key(self.round_year, self.municipality.number)

    @property
    def data(self) -> dict:
        return self.version.data

    @property
    def municipality(self) -> Municipality:
        return self.submission.municipality

    @property
    def county(self):
        return self.submission.county

    @property
    def round_year(self) -> int:
        return self.submission.round.year

    def rows(self, section_key: str | None) -> list[dict]:
        """The rows of a section (one row for a section that does not repeat); the document
        itself as one empty row for section None."""
        if section_key is None:
            return [{}]
        value = self.data.get(section_key)
        if self.lookups.sections[section_key].is_repeating:
            return list(value or [])
        return [value or {}]

    def section(self, key: str):
        return self.lookups.sections[key]

    def area(self, code: str | None):
        return self.lookups.areas.get(code or "")

    def occupation_name(self, code: str) -> str:
        return self.lookups.occupations.get(code, "")

    def municipality_name(self, number: str) -> str:
        return self.lookups.municipalities.get(number, number)


def _pieces(value) -> list[str]:
    """A part's value as clean texts: lists flattened, empty values dropped, spaces trimmed."""
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if v not in (None, "", []) and str(v).strip()]


@lru_cache(maxsize=16_384)
def _analysed_piece(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A text's terms and adjacent pairs (texts repeat across profiles and rounds: occupation
    and programme names, choice labels)."""
    analysed = analyse(text)
    return frozenset(analysed), frozenset(pairs(analysed))


def _bulk(sources: list[Source]) -> dict[str, dict]:
    """What the registry's batch extractors say about these documents: {entry key: {document
    key: value}}, one call per entry for the whole batch."""
    out = {}
    for entry in (*dimensions.facets().values(), *dimensions.numbers().values()):
        if entry.bulk is not None:
            out[entry.key] = dict(entry.bulk(sources)) if sources else {}
    return out


def build(
    submission: Submission,
    version: Version,
    lookups: _Lookups | None = None,
    bulk: dict[str, dict] | None = None,
) -> DocumentData:
    source = Source(submission, version, lookups or _Lookups())
    if bulk is None:
        bulk = _bulk([source])
    municipality = submission.municipality
    county = submission.county
    texts: list[dict] = []
    terms: dict[str, set[str]] = {"name": set(), "body": set(), "code": set(), "pair": set()}
    facet_entries = dimensions.facets()
    facets: dict[str, set[str]] = {key: set() for key in facet_entries}

    names = [municipality.name, *municipality.parallel_names]
    terms["name"].update(analyse(" ".join(names), keep_stop_words=True))

    for facet in facet_entries.values():
        if facet.bulk is not None:
            facets[facet.key].update(bulk[facet.key].get(source.key) or ())
            continue
        for row in source.rows(facet.section):
            found = facet.values(row, source)
            facets[facet.key].update(found)
            if facet.searchable_codes:
                terms["code"].update(fold(code).strip("-") for code in found)

    for entry in dimensions.texts():
        for row in source.rows(entry.section):
            pieces = []
            for part in entry.parts:
                for piece in _pieces(part.get(row, source)):
                    if piece not in pieces:
                        pieces.append(piece)
            if not pieces:
                continue
            label = entry.label(row, source)
            for piece in pieces:
                texts.append({"section": entry.section, "label": label, "text": piece})
                analysed, adjacent = _analysed_piece(piece)
                terms["body"].update(analysed)
                terms["pair"].update(adjacent)

    values = {}
    for number in dimensions.numbers().values():
        if number.bulk is not None:
            values[number.key] = bulk[number.key].get(source.key)
        else:
            values[number.key] = number.value(source)
    capacity = values.get("capacity")
    result = values.get("result")
    capacity_data = source.data.get("capacity") or {}
    minors = capacity_data.get("takes_unaccompanied_minors")
    payload = {
        "municipality": {
            "number": municipality.number,
            "name": municipality.name,
            "parallel_names": municipality.parallel_names,
        },
        "county": {"number": county.number, "name": county.name},
        "round": submission.round.year,
        "status": submission.status,
        "version": version.number,
        "last_change": version.created_at.isoformat(),
        "capacity": capacity,
        "wants_to_settle": capacity_data.get("wants_to_settle") or None,
        "takes_minors": minors,
        "result": str(result) if result is not None else None,
        "statistics": source.lookups.settlement(municipality, submission.round.year),
        "texts": texts,
    }
    return DocumentData(
        key=source.key,
        round_year=submission.round.year,
        municipality=municipality,
        submission=submission,
        version=version,
        capacity=capacity,
        result=result,
        payload=payload,
        terms={k: {t[:64] for t in v if t} for k, v in terms.items()},
        facets={k: v for k, v in facets.items() if v},
        numbers={
            key: float(value)
            for key, value in values.items()
            if value is not None and dimensions.numbers()[key].column is None
        },
    )


def indexable_profiles():
    """Profiles that belong in the index: submitted at least once, never drafts."""
    return (
        MunicipalityProfile.objects.filter(status__in=SUBMITTED_STATES)
        .select_related("round", "county", "municipality")
        .order_by("round__year", "municipality__number")
    )
