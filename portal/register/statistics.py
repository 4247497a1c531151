"""IMDi's settlement statistics: the indicators, and importing a file all or nothing.

``import_statistics`` reads the file (``statistics_files``, no database access), then inside one
transaction matches the cells to indicators and municipalities and to the values already stored
(the plan, which is all a dry run does) and writes the differences in bulk. Any problem raises
``StatisticsFileError`` naming the line, and nothing is written.

An empty cell is stored (as missing) only where it replaces a stored value: half of the wide file
is empty (codes before they existed or after they ended), and no row already means missing.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, connection, transaction

from .importers import base_name, clean_text
from .models import CodeChange, Indicator, Municipality, StatisticValue
from .signals import statistics_changed
from .statistics_files import (
    FORMAT_LABELS,
    NUMBERED,
    Cell,
    ParsedStatistics,
    ProblemList,
    Skipped,
    StatisticsFileError,
    column_letter,
    fold,
    quoted,
    read_statistics_file,
)

__all__ = [
    "CATALOGUE",
    "INTRO_PREFIX",
    "StatisticsFileError",
    "StatisticsReport",
    "column_letter",
    "import_statistics",
    "read_statistics_file",
]

Status = StatisticValue.Status
Unit = Indicator.Unit
_VALIDITY = re.compile(r"\s*\((?:[ft]\.o\.m\.)[^()]*\)\s*$", re.IGNORECASE)

# --- the indicators IMDi's files carry ------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    description: str
    position: int
    source: str = "IMDi: bosatt og anmodede"


def _pair(code, name, position, persons, percent=None):
    specs = [IndicatorSpec(code, name, Unit.PERSONS, persons, position)]
    if percent:
        specs.append(IndicatorSpec(f"{code}_prosent", name, Unit.PERCENT, percent, position + 1))
    return specs


_OF_REQUEST = "i prosent av anmodningen samme år (IMDis beregning)."
CATALOGUE: tuple[IndicatorSpec, ...] = (
    *_pair(
        "anmodning",
        "Anmodning om bosetting",
        10,
        "Antall flyktninger IMDi har anmodet kommunen om å bosette.",
        "Anmodningen " + _OF_REQUEST,
    ),
    *_pair(
        "anmodning_opprinnelig",
        "Opprinnelig anmodning",
        20,
        "IMDis første anmodning til kommunen, før eventuelle justeringer gjennom året.",
        "Opprinnelig anmodning " + _OF_REQUEST,
    ),
    *_pair(
        "vedtak",
        "Vedtak om bosetting",
        30,
        "Antall flyktninger kommunestyret har vedtatt å bosette.",
        "Vedtaket " + _OF_REQUEST,
    ),
    *_pair(
        "bosatt",
        "Faktisk bosetting",
        40,
        "Antall flyktninger som faktisk ble bosatt i kommunen.",
        "Faktisk bosetting " + _OF_REQUEST,
    ),
    *_pair(
        "bosatt_sammenslatt",
        "Faktisk bosetting (sammenslått for tidligere fylker)",
        50,
        "Faktisk bosetting slik IMDi sammenstiller den for tidligere fylker.",
        "Faktisk bosetting (sammenslått for tidligere fylker) " + _OF_REQUEST,
    ),
)
# Shown on the municipality page when such indicators have values (none in IMDi's current files).
INTRO_PREFIX = "intro_"

# --- the report ------------------------------------------------------------------------------


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class StatisticsReport:
    filename: str
    format: str
    dry_run: bool = False
    municipalities: int = 0
    tally: Tally = field(default_factory=Tally)
    by_indicator: dict[str, Tally] = field(default_factory=dict)
    indicator_names: dict[str, str] = field(default_factory=dict)
    indicators_created: list[str] = field(default_factory=list)
    empty: int = 0  # empty cells where nothing is stored: absence already means missing
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    @property
    def created(self) -> int:
        return self.tally.created

    @property
    def updated(self) -> int:
        return self.tally.updated

    @property
    def unchanged(self) -> int:
        return self.tally.unchanged

    @property
    def indicator_rows(self) -> list[tuple[str, str, Tally]]:
        return [
            (code, self.indicator_names.get(code, code), tally)
            for code, tally in self.by_indicator.items()
        ]

    def summary(self) -> str:
        verb = "ville blitt" if self.dry_run else "ble"
        return (
            f"{self.filename} ({self.format_label}): {self.tally.total} verdier for "
            f"{self.municipalities} kommuner; {self.created} nye, {self.updated} endret, "
            f"{self.unchanged} uendret {verb} lagret"
            + (f"; {self.empty} tomme celler uten tidligere verdi" if self.empty else "")
            + (f"; {len(self.skipped)} rader hoppet over" if self.skipped else "")
            + "."
        )


# --- matching against the database ---------------------------------------------------------


def _indicator_lookup() -> dict[tuple[str, str], Indicator | IndicatorSpec]:
    """Indicators by (folded name, unit): those stored, and the catalogue's not yet stored."""
    existing = list(Indicator.objects.all())
    by_code = {indicator.code: indicator for indicator in existing}
    lookup: dict[tuple[str, str], Indicator | IndicatorSpec] = {
        (fold(indicator.name), indicator.unit): indicator for indicator in existing
    }
    for spec in CATALOGUE:
        lookup[(fold(spec.name), spec.unit)] = by_code.get(spec.code, spec)
    return lookup


@dataclass
class _Place:
    pk: int
    number: str
    name: str
    parallel_names: list[str]
    county: str | None
    valid_to: date | None
    current_id: int | None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def __str__(self):
        return f"{self.number} {self.name}"


class _NameIndex:
    """Municipalities by name, with where each one's code history leads today. Two queries."""

    def __init__(self):
        self.places: dict[int, _Place] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        rows = Municipality.objects.values_list(
            "pk", "number", "name", "parallel_names", "county__number", "valid_to", "current_id"
        )
        for row in rows:
            place = _Place(*row)
            self.places[place.pk] = place
            names = {place.name, base_name(place.name), *(place.parallel_names or [])}
            for name in names:
                self.by_name[fold(name)].add(place.pk)
        self.successor: dict[int, int] = {}
        for predecessor, successor in CodeChange.objects.exclude(
            kind=CodeChange.Kind.SPLIT
        ).values_list("predecessor_id", "successor_id"):
            self.successor[predecessor] = successor

    def today(self, place: _Place) -> _Place:
        seen = set()
        while not place.is_current and place.pk not in seen:
            seen.add(place.pk)
            following = place.current_id or self.successor.get(place.pk)
            if following is None:
                break
            place = self.places[following]
        return place

    def in_county(self, place: _Place, county: str) -> bool:
        # A number's first two digits are its county when the code was given (0814 → 08).
        return county in {place.number[:2], place.county, self.today(place).county}

    def resolve(self, name: str, county: str | None) -> tuple[_Place | None, str]:
        """The municipality a name means, or None and why not."""
        stripped = _VALIDITY.sub("", clean_text(name))
        ids = self.by_name.get(fold(stripped)) or self.by_name.get(fold(base_name(stripped)))
        candidates = [self.places[pk] for pk in sorted(ids or ())]
        if county:
            candidates = [place for place in candidates if self.in_county(place, county)]
        where = f" i fylke {county}" if county else ""
        if not candidates:
            return None, f"finner ingen kommune som heter {quoted(name)}{where} i registeret."
        if len(candidates) == 1:
            return candidates[0], ""
        # Several codes with the name are fine when they are one municipality's history.
        todays = {self.today(place).pk for place in candidates}
        if len(todays) == 1:
            target = self.places[todays.pop()]
            if target in candidates:
                return target, ""
            # Only ended codes carry the name: take the one that ended last.
            return max(candidates, key=lambda place: (place.valid_to or date.max, place.number)), ""
        listed = ", ".join(str(place) for place in candidates[:6])
        return None, (
            f"{quoted(name)} er flertydig{where}: {listed}. Oppgi fylket (for eksempel "
            "«--county 40» for Telemark) eller bruk kommunenummer."
        )


def _resolve_codes(parsed: ParsedStatistics, problems: ProblemList, report: StatisticsReport):
    numbers = list(parsed.region_names)
    found = {
        number: (pk, name, parallel)
        for pk, number, name, parallel in Municipality.objects.filter(
            number__in=numbers
        ).values_list("pk", "number", "name", "parallel_names")
    }
    resolved: dict[str, int] = {}
    for number in numbers:
        line, file_name = parsed.region_names[number]
        if number not in found:
            if not file_name:
                report.skipped.append(
                    Skipped(
                        line,
                        f"K{number}",
                        "kommunenummeret finnes ikke i registeret, og filen oppgir ikke navn",
                    )
                )
                continue
            problems.add(
                f"linje {line}: ukjent kommunenummer K{number} ({file_name}) – finnes ikke i "
                "registeret. Er det en historisk kode, importer SSBs kommunegruppering først "
                "(manage.py import_register ssb-kommunegruppering-1994-2024.xlsx)."
            )
            continue
        pk, name, parallel = found[number]
        resolved[number] = pk
        if file_name and not _same_name(file_name, name, parallel):
            report.warnings.append(
                f"linje {line}: K{number} heter «{file_name}» i filen, men «{name}» i registeret."
            )
    return resolved


def _name_forms(name: str) -> set[str]:
    name = _VALIDITY.sub("", clean_text(name))
    parts = {name, base_name(name), *name.split(" - ")}
    return {fold(base_name(part)) for part in parts if part.strip()}


def _same_name(file_name: str, name: str, parallel: list[str]) -> bool:
    known = set().union(*(_name_forms(n) for n in [name, *(parallel or [])]))
    return bool(_name_forms(file_name) & known)


def _resolve_names(parsed: ParsedStatistics, county: str | None, problems: ProblemList):
    index = _NameIndex()
    first_line: dict[str, int] = {}
    for cell in parsed.cells:
        first_line.setdefault(cell.region, cell.line)
    resolved: dict[str, int] = {}
    for name, line in first_line.items():
        place, why = index.resolve(name, county)
        if place is None:
            problems.add(f"linje {line}: {why}")
        else:
            resolved[name] = place.pk
    return resolved


@dataclass
class _Plan:
    report: StatisticsReport
    specs: list[IndicatorSpec]
    # (indicator key, municipality id, year, value, status); the key is an id or a spec's code
    creates: list[tuple]
    updates: list[tuple]  # (pk, value, status)


def _plan(parsed: ParsedStatistics, county: str | None) -> _Plan:
    report = StatisticsReport(parsed.filename, parsed.format)
    report.skipped.extend(parsed.skipped)
    report.notes.extend(parsed.notes)
    problems = ProblemList(parsed.filename)
    if county is not None and not re.fullmatch(r"\d{2}", county):
        raise StatisticsFileError(
            parsed.filename,
            [f"fylket må være et fylkesnummer med to sifre, ikke {quoted(county)}."],
        )

    lookup = _indicator_lookup()
    indicators: dict[tuple[str, str], Indicator | IndicatorSpec] = {}
    for measure, unit in parsed.measure_places:
        target = lookup.get((fold(measure), unit))
        if target is None:
            known = ", ".join(sorted({f"«{key[0]}»" for key in lookup}))
            problems.add(
                f"{parsed.measure_places[(measure, unit)]}: ukjent måltall «{measure}» "
                f"({Unit(unit).label}). Kjente: {known}."
            )
        else:
            indicators[(measure, unit)] = target
    if parsed.format in NUMBERED:
        if county:
            report.notes.append("Fylke brukes bare for filer som navngir kommuner; ignorert.")
        regions = _resolve_codes(parsed, problems, report)
    else:
        regions = _resolve_names(parsed, county, problems)
    problems.raise_if_any()

    stored = [target for target in indicators.values() if isinstance(target, Indicator)]
    existing: dict[tuple[int, int, int], tuple[int, Decimal | None, str]] = {}
    municipality_ids = set(regions.values())
    if stored:
        rows = StatisticValue.objects.filter(indicator__in=stored).values_list(
            "pk", "indicator_id", "municipality_id", "year", "value", "status"
        )
        for pk, indicator_id, municipality_id, year, value, status in rows.iterator(
            chunk_size=10_000
        ):
            if municipality_id in municipality_ids:
                existing[(indicator_id, municipality_id, year)] = (pk, value, status)

    def key_of(target):
        return target.pk if isinstance(target, Indicator) else target.code

    for target in indicators.values():
        report.indicator_names[target.code] = str(_label(target))
    seen: dict[tuple, Cell] = {}
    creates, updates = [], []
    for cell in parsed.cells:
        municipality_id = regions.get(cell.region)
        if municipality_id is None:  # a skipped row
            continue
        target = indicators[(cell.measure, cell.unit)]
        key = (key_of(target), municipality_id, cell.year)
        earlier = seen.get(key)
        if earlier is not None:
            if (earlier.value, earlier.status) != (cell.value, cell.status):
                problems.add(
                    f"linje {cell.line}: {cell.region}, {cell.measure} {cell.year} står også på "
                    f"linje {earlier.line}, med en annen verdi."
                )
            continue
        seen[key] = cell
        tally = report.by_indicator.setdefault(target.code, Tally())
        found = existing.get(key)
        if found is None:
            if cell.status == Status.MISSING:
                report.empty += 1  # nothing stored, nothing to overwrite
                continue
            creates.append((key[0], municipality_id, cell.year, cell.value, cell.status))
            tally.created += 1
        elif (found[1], found[2]) != (cell.value, cell.status):
            updates.append((found[0], cell.value, cell.status))
            tally.updated += 1
        else:
            tally.unchanged += 1
    problems.raise_if_any()

    report.by_indicator = {
        spec_code: report.by_indicator[spec_code]
        for spec_code in sorted(report.by_indicator, key=lambda c: _position(indicators, c))
    }
    for tally in report.by_indicator.values():
        report.tally.created += tally.created
        report.tally.updated += tally.updated
        report.tally.unchanged += tally.unchanged
    report.municipalities = len({key[1] for key in seen})
    specs = list({t.code: t for t in indicators.values() if isinstance(t, IndicatorSpec)}.values())
    report.indicators_created = [spec.code for spec in specs]
    return _Plan(report, specs, creates, updates)


def _label(target) -> str:
    unit = Unit(target.unit).label
    return f"{target.name} ({unit})"


def _position(indicators, code: str) -> tuple[int, str]:
    for target in indicators.values():
        if target.code == code:
            return (target.position, code)
    return (10_000, code)


def _apply(plan: _Plan) -> None:
    ids: dict = {}
    if plan.specs:
        Indicator.objects.bulk_create(
            [
                Indicator(
                    code=spec.code,
                    name=spec.name,
                    unit=spec.unit,
                    source=spec.source,
                    description=spec.description,
                    position=spec.position,
                )
                for spec in plan.specs
            ]
        )
        ids = dict(
            Indicator.objects.filter(code__in=[spec.code for spec in plan.specs]).values_list(
                "code", "pk"
            )
        )
    StatisticValue.objects.bulk_create(
        [
            StatisticValue(
                indicator_id=ids.get(key, key),
                municipality_id=municipality_id,
                year=year,
                value=value,
                status=status,
            )
            for key, municipality_id, year, value, status in plan.creates
        ],
        batch_size=2000,
    )
    # Grouped by new content: one UPDATE per distinct value, far faster than bulk_update's CASE.
    by_content: dict[tuple, list[int]] = defaultdict(list)
    for pk, value, status in plan.updates:
        by_content[(value, status)].append(pk)
    for (value, status), pks in by_content.items():
        for start in range(0, len(pks), 500):
            StatisticValue.objects.filter(pk__in=pks[start : start + 500]).update(
                value=value, status=status
            )


def _refresh_planner_statistics(written: int) -> None:
    """After a large import, PostgreSQL's planner still thinks the table is small until
    autovacuum gets to it, and picks nested loops that turn a one-row update into minutes."""
    if written < 1000 or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {StatisticValue._meta.db_table}")


def import_statistics(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    county: str | None = None,
    dry_run: bool = False,
) -> StatisticsReport:
    """Import one file all or nothing; with ``dry_run`` only report what would change."""
    started = time.monotonic()
    if isinstance(source, bytes):
        raw, filename = source, filename or "opplastet fil"
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise StatisticsFileError(filename, [f"finner ikke filen {path}."]) from None
        except OSError as exc:
            raise StatisticsFileError(
                filename, [f"kan ikke lese {path}: {exc.strerror or exc}."]
            ) from None
    parsed = read_statistics_file(filename, raw)
    county = county.strip() if county else None
    try:
        with transaction.atomic():
            plan = _plan(parsed, county)
            if not dry_run:
                _apply(plan)
                _refresh_planner_statistics(len(plan.creates) + len(plan.updates))
    except IntegrityError as exc:
        raise StatisticsFileError(
            filename,
            [f"en annen import endret statistikken samtidig ({exc}); prøv igjen."],
        ) from exc
    report = plan.report
    report.dry_run = dry_run
    report.seconds = time.monotonic() - started
    if not dry_run and (report.created or report.updated):
        statistics_changed.send(sender=StatisticValue, report=report)
    return report
