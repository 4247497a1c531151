"""From a submitted profile version to a search document: its display payload, the texts that
highlights are cut from, the analysed terms per field, and the facet values per dimension."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from portal.register.models import Municipality, Occupation, ProgrammeArea
from portal.register.statistics_display import latest_settlement, settlement_series
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
        self.sections = {s.key: s for s in PROFILE_SECTIONS}

    def settlement(self, municipality: Municipality, round_year: int) -> dict | None:
        """IMDi's latest requested/decided/settled figures before the round's year (read once
        per municipality, whatever the number of rounds)."""
        if municipality.number not in self._settlement:
            self._settlement[municipality.number] = settlement_series(municipality)
        return latest_settlement(self._settlement[municipality.number], round_year)


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
                analysed = analyse(piece)
                terms["body"].update(analysed)
                terms["pair"].update(pairs(analysed))

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
