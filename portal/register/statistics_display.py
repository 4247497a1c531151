"""The municipality page's statistics: requested, decided and settled per year as a table, and
the same numbers as a server-rendered SVG line chart (no JavaScript), plus any
introduction-programme results.

Two queries (``StatisticValue.objects.series_for``). Where a year holds several parts of a later
merger (0104 Moss and 0136 Rygge in 2019), the persons are summed and the cell says so.

The suppression rule lives here, once (``combine``): a year whose parts include a withheld value
is withheld as a whole, never summed from the visible parts. Register pages, the API
(``year_totals``), search hits (``latest_settlement``) and IMDi's preparatory documents all ask
``combine`` – through ``settlement_cells``/``settlement_numbers`` for requested, decided and
settled per year, and ``year_totals`` for any one indicator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from portal.formats import number

from .models import Indicator, Municipality, StatisticValue, plain_decimal
from .statistics import INTRO_PREFIX

Status = StatisticValue.Status

# What the page charts: persons only, so a year's parts can be summed.
SETTLEMENT = (
    ("anmodning", _("Anmodet")),
    ("vedtak", _("Vedtatt")),
    ("bosatt", _("Bosatt")),
)
SYMBOLS = {
    Status.NOT_APPLICABLE: ("–", _("ikke aktuelt")),
    Status.MISSING: ("..", _("mangler")),
    Status.SUPPRESSED: (":", _("skjermet")),
}
# Line colours have at least 3:1 contrast against white (WCAG 1.4.11); dashes and marker
# shapes tell the lines apart without colour (1.4.1).
STYLES = (
    {"colour": "#0b4a6f", "dash": "", "marker": "circle"},
    {"colour": "#a3480b", "dash": "8 4", "marker": "square"},
    {"colour": "#0f6b3a", "dash": "2 3", "marker": "diamond"},
)


def display_number(value: Decimal) -> str:
    """Norwegian: «1 000», «33,3» (a thin no-break space between thousands)."""
    return number(plain_decimal(value))


@dataclass
class TableCell:
    value: Decimal | None
    status: str
    parts: list[str] = field(default_factory=list)  # "0104 Moss", when several were summed

    @property
    def text(self) -> str:
        if self.status == Status.VALUE:
            return display_number(self.value)
        return SYMBOLS[self.status][0]

    @property
    def meaning(self) -> str:
        return SYMBOLS[self.status][1] if self.status != Status.VALUE else ""

    @property
    def summed(self) -> bool:
        return len(self.parts) > 1 and self.status == Status.VALUE


def combine(values: list[StatisticValue], *, parts: bool = True) -> TableCell | None:
    """A year's values (one per code, see ``series_for``) as one cell; persons are summed.

    The one suppression rule: if any part is withheld («:»), the whole is withheld. A sum of the
    visible parts would pass for the municipality's figure and, beside a published total, give
    the withheld part away. ``parts=False`` skips naming the codes (no municipality is read)."""
    if not values:
        return None
    names = [f"{v.municipality.number} {v.municipality.name}" for v in values] if parts else []
    if len(values) == 1:
        return TableCell(values[0].value, values[0].status, names)
    statuses = {v.status for v in values}
    if Status.SUPPRESSED in statuses:
        return TableCell(None, Status.SUPPRESSED, names)
    numbers = [v.value for v in values if v.status == Status.VALUE]
    if numbers:
        return TableCell(sum(numbers, Decimal(0)), Status.VALUE, names)
    for status in (Status.NOT_APPLICABLE, Status.MISSING, Status.SUPPRESSED):
        if status in statuses:
            return TableCell(None, status, names)
    return TableCell(None, Status.MISSING, names)


@dataclass
class Line:
    label: str
    colour: str
    dash: str
    marker: str
    segments: list[str]  # SVG polyline points, one string per unbroken run of years
    points: list[tuple[float, float, str]]  # x, y, "2016: 1 000"


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    lines: list[Line]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    description: str

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


@dataclass
class SettlementOverview:
    labels: list[str]
    rows: list[tuple[int, list[TableCell | None]]]
    chart: Chart | None
    recorded_as: list[str]  # other codes whose numbers are included
    sources: list[str]
    has_summed: bool
    symbols_used: list[tuple[str, str]]
    intro: list[IntroSeries]


@dataclass
class IntroSeries:
    indicator: Indicator
    rows: list[tuple[int, TableCell | None]]


def settlement_overview(municipality: Municipality) -> SettlementOverview | None:
    """Everything the page shows; None when there are no statistics for the municipality."""
    series = {s.indicator.code: s for s in StatisticValue.objects.series_for(municipality)}
    chosen = [(series.get(code), label) for code, label in SETTLEMENT]
    intro = [_intro(s) for code, s in series.items() if code.startswith(INTRO_PREFIX) and s.values]
    if not any(s for s, _ in chosen) and not intro:
        return None

    by_year: dict[int, list[list[StatisticValue]]] = {}
    for position, (s, _label) in enumerate(chosen):
        for value in s.values if s else ():
            by_year.setdefault(value.year, [[] for _ in chosen])[position].append(value)
    rows = [(year, [combine(values) for values in by_year[year]]) for year in sorted(by_year)]
    labels = [label for _, label in chosen]

    others, sources = set(), set()
    for s, _label in chosen:
        if s:
            sources.add(s.indicator.source)
            others.update(
                f"{v.municipality.number} {v.municipality.name}"
                for v in s.values
                if v.municipality_id != municipality.pk
            )
    used = {cell.status for _, cells in rows for cell in cells if cell}
    used.update(cell.status for s in intro for _, cell in s.rows if cell)
    return SettlementOverview(
        labels=labels,
        rows=rows,
        chart=_chart(labels, rows, municipality) if rows else None,
        recorded_as=sorted(others),
        sources=sorted(filter(None, sources)),
        has_summed=any(cell and cell.summed for _, cells in rows for cell in cells),
        symbols_used=[SYMBOLS[status] for status in SYMBOLS if status in used],
        intro=intro,
    )


def year_totals(series) -> list[tuple[int, TableCell]]:
    """One cell per year for an ``IndicatorSeries``: the municipality's own figure, parts of a
    merger combined by the suppression rule (``combine``). Percentages of different parts cannot
    be summed: a year with several parts has none, unless one of them is withheld."""
    by_year: dict[int, list[StatisticValue]] = {}
    for value in series.values:
        by_year.setdefault(value.year, []).append(value)
    rows = []
    for year, values in sorted(by_year.items()):
        cell = combine(values)
        several_percentages = series.indicator.unit == Indicator.Unit.PERCENT and len(values) > 1
        if several_percentages and cell.status != Status.SUPPRESSED:
            cell = TableCell(None, Status.MISSING, cell.parts)
        rows.append((year, cell))
    return rows


def _intro(series) -> IntroSeries:
    return IntroSeries(series.indicator, year_totals(series))


def _nice_step(maximum: float, ticks: int = 5) -> float:
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _chart(labels, rows, municipality) -> Chart | None:
    width, height = 720, 320
    left, right, top, bottom = 56, 16, 16, 40
    years = [year for year, _ in rows]
    highest = max(
        (cell.value for _, cells in rows for cell in cells if cell and cell.value is not None),
        default=None,
    )
    if highest is None:
        return None
    step = _nice_step(float(highest)) if highest > 0 else 1
    top_value = step * max(1, math.ceil(float(highest) / step))
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = years[0], years[-1]
    span = max(1, last - first)

    def x(year):
        return round(left + (year - first) * plot_w / span, 1)

    def y(value):
        return round(top + plot_h - float(value) * plot_h / top_value, 1)

    lines = []
    for position, label in enumerate(labels):
        style = STYLES[position % len(STYLES)]
        segments, current, points = [], [], []
        previous_year = None
        for year, cells in rows:
            cell = cells[position]
            if cell is None or cell.status != Status.VALUE:
                if current:
                    segments.append(current)
                current, previous_year = [], None
                continue
            if previous_year is not None and year != previous_year + 1 and current:
                segments.append(current)
                current = []
            point = (x(year), y(cell.value))
            current.append(point)
            points.append((*point, f"{label} {year}: {cell.text}"))
            previous_year = year
        if current:
            segments.append(current)
        lines.append(
            Line(
                label,
                style["colour"],
                style["dash"],
                style["marker"],
                [" ".join(f"{px},{py}" for px, py in segment) for segment in segments],
                points,
            )
        )

    y_ticks = []
    tick = 0.0
    while tick <= top_value + 1e-9:
        y_ticks.append((y(tick), display_number(Decimal(str(tick)))))
        tick += step
    every = 1 if span <= 12 else 5
    x_ticks = [(x(year), str(year)) for year in years if year % every == 0 or span <= 12]

    peak_year, peak_label, peak = None, "", Decimal(-1)
    for year, cells in rows:
        for label, cell in zip(labels, cells, strict=True):
            if cell and cell.value is not None and cell.value > peak:
                peak_year, peak_label, peak = year, label, cell.value
    description = _(
        "Linjediagram over %(series)s og %(last_series)s i %(municipality)s, antall personer "
        "per år fra %(first)s til %(last)s. Høyeste verdi: %(peak)s (%(peak_label)s) i "
        "%(peak_year)s. Alle tallene står i tabellen under diagrammet."
    ) % {
        "series": ", ".join(str(label).lower() for label in labels[:-1]),
        "last_series": str(labels[-1]).lower(),
        "municipality": municipality.name,
        "first": first,
        "last": last,
        "peak": display_number(peak),
        "peak_label": str(peak_label).lower(),
        "peak_year": peak_year,
    }
    return Chart(width, height, left, top, right, bottom, lines, y_ticks, x_ticks, description)


# The key figures a search hit shows: (payload key, indicator code).
KEY_FIGURES = (("requested", "anmodning"), ("decided", "vedtak"), ("settled", "bosatt"))


def settlement_series(municipality: Municipality) -> dict[str, list[StatisticValue]]:
    """The municipality's requested, decided and settled values (``series_for``), by indicator
    code. Two queries."""
    codes = [code for _key, code in KEY_FIGURES]
    return {
        s.indicator.code: s.values
        for s in StatisticValue.objects.series_for(municipality, indicators=codes)
    }


def settlement_cells(
    series: dict[str, list[StatisticValue]], before_year: int
) -> dict[int, dict[str, TableCell | None]]:
    """Requested, decided and settled per year before ``before_year``: ``{2022: {"requested":
    cell, "decided": cell, "settled": cell}}`` (None where the year has no value), each year's
    parts combined by the one suppression rule (``combine``). Reads nothing more."""
    years: dict[int, dict[str, list[StatisticValue]]] = {}
    for key, code in KEY_FIGURES:
        for value in series.get(code, ()):
            if value.year < before_year:
                years.setdefault(value.year, {}).setdefault(key, []).append(value)
    return {
        year: {key: combine(found.get(key, []), parts=False) for key, _code in KEY_FIGURES}
        for year, found in sorted(years.items())
    }


def cell_number(cell: TableCell | None) -> int | None:
    """A cell's whole number, or None when it is not a number (withheld, not applicable,
    missing): a withheld figure is never used in a sum, a comparison or a search filter."""
    return int(cell.value) if cell is not None and cell.status == Status.VALUE else None


def settlement_numbers(
    series: dict[str, list[StatisticValue]], before_year: int
) -> dict[int, dict[str, int | None]]:
    """``settlement_cells`` as whole numbers (``cell_number``), oldest year first."""
    return {
        year: {key: cell_number(cell) for key, cell in cells.items()}
        for year, cells in settlement_cells(series, before_year).items()
    }


def latest_settlement(series: dict[str, list[StatisticValue]], before_year: int) -> dict | None:
    """The newest year before ``before_year`` with a requested, decided or settled number (old
    codes included, parts of a merger combined by ``combine``), as plain data for the search
    index: ``{"year": 2022, "requested": 30, "decided": 30, "settled": 28}``. A figure that is
    not a number that year (withheld, not applicable, missing) is None."""
    for year, figures in sorted(settlement_numbers(series, before_year).items(), reverse=True):
        if any(v is not None for v in figures.values()):
            return {"year": year, **figures}
    return None


@dataclass
class YearFigures:
    """One year's requested, decided and settled cells (``SETTLEMENT`` order; None: no row)."""

    year: int
    cells: list[TableCell | None]


def recent_settlement(
    municipalities, *, before_year: int, years: int = 3
) -> dict[str, list[YearFigures]]:
    """{municipality number: the requested, decided and settled figures of the last ``years``
    years before ``before_year`` that have any of them, oldest first}. A year counts when one of
    its figures is a number or withheld; a withheld figure stays withheld (``combine``). Old
    codes are included as on the municipality page. Two queries for any number of
    municipalities."""
    municipalities = list(municipalities)
    codes = [code for code, _label in SETTLEMENT]
    series = StatisticValue.objects.series_for_many(municipalities, indicators=codes)
    out: dict[str, list[YearFigures]] = {}
    for municipality in municipalities:
        by_year: dict[int, list[list[StatisticValue]]] = {}
        for s in series.get(municipality.pk, []):
            position = codes.index(s.indicator.code)
            for value in s.values:
                if value.year < before_year:
                    by_year.setdefault(value.year, [[] for _ in codes])[position].append(value)
        shown = []
        for year in sorted(by_year, reverse=True):
            cells = [combine(values) for values in by_year[year]]
            if any(c and c.status in (Status.VALUE, Status.SUPPRESSED) for c in cells):
                shown.append(YearFigures(year, cells))
            if len(shown) == years:
                break
        out[municipality.number] = shown[::-1]
    return out
