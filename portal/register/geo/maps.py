"""The municipality map: a server-rendered SVG of Norway with a legend and the same data as a
table. Pages build a ``MunicipalityMap`` (what to show) and render it with
``{% municipality_map the_map %}``; ``render_map`` gives the parts to templates and exports.

Nothing here asks another host for tiles or fonts: the boundaries are the project's own file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.formats import number as portal_number

from .boundaries import BBox, Boundaries, load_boundaries, union_bbox
from .topology import Point

# Okabe & Ito's palette, distinguishable with every common colour-vision deficiency.
CATEGORICAL = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# ColorBrewer YlGnBu (light → dark) and PuOr (low ↔ high), both colour-blind safe.
SEQUENTIAL = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
DIVERGING = ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99")
NO_DATA = "__ingen_data__"
WIDTH = 1000  # viewBox units across, whatever the extent


@dataclass
class LegendEntry:
    key: str
    label: str
    colour: str | None = None  # None: the next colour of the palette


@dataclass
class Region:
    """One municipality's value on the map. ``number`` may be an older code (e.g. "3001"): it
    is drawn with the boundaries of its 2024 successor(s)."""

    number: str
    value: str = ""
    category: str | None = None  # a LegendEntry key; None: no data (patterned)
    href: str | None = None  # default: the municipality's page
    detail: str = ""
    excluded: str = ""  # a reason: the region is hatched and the reason shown
    marker: str = ""  # a short label drawn on the map, e.g. the rank "1"
    name: str = ""  # default: the register's name


@dataclass
class MunicipalityMap:
    """What a map shows. ``focus``: None for all of Norway, a county number ("46"), or a list
    of municipality numbers to frame."""

    title: str
    regions: list[Region]
    legend: list[LegendEntry] = field(default_factory=list)
    description: str = ""
    value_label: str = ""
    focus: str | Sequence[str] | None = None
    counties: dict[str, str] | None = None  # county number → text (e.g. sums) for its table
    county_label: str = ""
    no_data_label: str = ""
    marker_label: str = ""  # what the markers mean, e.g. "plass i rangeringen"
    excluded_label: str = ""
    context: bool = True  # draw the surrounding municipalities faintly
    export: tuple[str, str] | None = None  # (builder name, key) for the SVG/PNG links
    export_query: str = ""  # a query string the builder reads (e.g. the search's filters)
    id: str = ""
    table_first: bool = False


@dataclass
class TableRow:
    number: str
    name: str
    href: str
    value: str
    category_label: str
    colour: str
    pattern: bool
    excluded: str
    marker: str
    note: str
    drawn_as: list[str]


@dataclass
class RenderedMap:
    spec: MunicipalityMap
    id: str
    svg: SafeString
    legend: list[dict]
    rows: list[TableRow]
    county_rows: list[tuple[str, str, str]]
    drawn_as_note: str
    attribution: str
    has_markers: bool
    has_excluded: bool
    zoomable: bool
    view_box: str


# --- numbers ---------------------------------------------------------------------------------


def format_number(value, decimals: int = 0) -> str:
    """Norwegian number text for maps, their tables and tooltips: ``portal.formats.number``
    (decimal comma, a thin no-break space between thousands: «1 234,5»)."""
    if value is None:
        return ""
    return portal_number(Decimal(str(value)), decimals)


def sequential_legend(
    breaks: Sequence[float], *, unit: str = "", palette: Sequence[str] = SEQUENTIAL
) -> list[LegendEntry]:
    """Legend entries for values binned at ``breaks`` (ascending): "under b1", "b1–b2", …,
    "b_n og over"; keys "0", "1", …; use ``bin_key`` for a value's key."""
    if len(breaks) + 1 > len(palette):
        raise ValueError("for mange klasser for fargeskalaen")
    colours = _spread(palette, len(breaks) + 1)
    suffix = f" {unit}" if unit else ""
    labels = [_("under %(value)s") % {"value": format_number(breaks[0])} + suffix]
    for low, high in zip(breaks, breaks[1:], strict=False):
        labels.append(f"{format_number(low)}–{format_number(high)}{suffix}")
    labels.append(_("%(value)s og over") % {"value": format_number(breaks[-1])} + suffix)
    return [
        LegendEntry(str(i), label, colour)
        for i, (label, colour) in enumerate(zip(labels, colours, strict=True))
    ]


def bin_key(value, breaks: Sequence[float]) -> str | None:
    if value is None:
        return None
    return str(sum(1 for b in breaks if value >= b))


def _spread(palette: Sequence[str], n: int) -> list[str]:
    if n >= len(palette):
        return list(palette[:n])
    step = (len(palette) - 1) / max(n - 1, 1)
    return [palette[round(i * step)] for i in range(n)]


# --- geometry to SVG -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    x0: float
    y1: float
    scale: float  # metres per unit
    width: int
    height: int

    @property
    def tolerance(self) -> float:
        return self.scale * 0.8

    def point(self, p: Point) -> tuple[int, int]:
        return (round((p[0] - self.x0) / self.scale), round((self.y1 - p[1]) / self.scale))


def _frame(bbox: BBox, margin: float = 0.04) -> _Frame:
    x0, y0, x1, y1 = bbox
    # Very small or very flat extents get room around them, so a neighbour shows as one.
    w, h = max(x1 - x0, 8000), max(y1 - y0, 8000)
    if w < h * 0.6:
        w = h * 0.6
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = w * (1 + 2 * margin), h * (1 + 2 * margin)
    scale = w / WIDTH
    return _Frame(cx - w / 2, cy + h / 2, scale, WIDTH, round(h / scale))


def _ring_path(points: Iterable[tuple[int, int]]) -> str:
    out: list[str] = []
    last = None
    first = None
    for x, y in points:
        if last is None:
            out.append(f"M{x} {y}")
            first = (x, y)
        elif (x, y) != last:
            out.append(f"l{x - last[0]} {y - last[1]}")
        last = (x, y)
    if len(out) < 3 or first is None:
        return ""
    if last == first:
        out.pop()
    return "".join(out) + "z"


def _line_path(points: Iterable[tuple[int, int]]) -> str:
    out: list[str] = []
    last = None
    for x, y in points:
        if last is None:
            out.append(f"M{x} {y}")
        elif (x, y) != last:
            out.append(f"l{x - last[0]} {y - last[1]}")
        last = (x, y)
    return "".join(out) if len(out) > 1 else ""


def _too_small(ring: Sequence[Point], size: float) -> bool:
    xs = [x for x, _ in ring]
    ys = [y for _, y in ring]
    return max(xs) - min(xs) < size and max(ys) - min(ys) < size


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


@lru_cache(maxsize=64)
def _municipality_paths(frame: _Frame, boundaries: Boundaries) -> dict[str, str]:
    extent = _extent(frame)
    out: dict[str, str] = {}
    for number, shape in boundaries.municipalities.items():
        if not _intersects(shape.bbox, extent):
            continue
        parts = []
        for i, rings in enumerate(boundaries.rings(number, frame.tolerance)):
            if i > 0 and _too_small(rings[0], frame.scale * 2):
                continue  # an island smaller than two units is noise at this scale
            outer = _ring_path(frame.point(p) for p in rings[0])
            if not outer:
                if i == 0:  # never lose a municipality: a small diamond at its label point
                    x, y = frame.point(shape.label)
                    outer = f"M{x} {y - 2}l2 2-2 2-2-2z"
                else:
                    continue
            parts.append(outer)
            parts.extend(
                filter(None, (_ring_path(frame.point(p) for p in hole) for hole in rings[1:]))
            )
        out[number] = "".join(parts)
    return out


@lru_cache(maxsize=64)
def _county_paths(frame: _Frame, boundaries: Boundaries) -> dict[str, str]:
    arcs = boundaries.simplified_arcs(frame.tolerance)
    extent = _extent(frame)
    return {
        number: "".join(
            _line_path(frame.point(p) for p in arcs[i])
            for i in indices
            if _intersects(boundaries.arc_bboxes[i], extent)
        )
        for number, indices in boundaries.county_border_arcs.items()
    }


def _extent(frame: _Frame) -> BBox:
    return (
        frame.x0,
        frame.y1 - frame.height * frame.scale,
        frame.x0 + frame.width * frame.scale,
        frame.y1,
    )


def _view(frame: _Frame, bbox: BBox) -> str:
    """A viewBox (in this frame's units) framing ``bbox``, for zooming to a county."""
    inner = _frame(bbox)
    x, y = frame.point((inner.x0, inner.y1))
    return f"{x} {y} {round(WIDTH * inner.scale / frame.scale)} {round(inner.height * inner.scale / frame.scale)}"


# --- resolving numbers -----------------------------------------------------------------------


def _resolve(
    numbers: set[str], boundaries: Boundaries
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each number → the 2024 numbers it is drawn as, and names of the old codes (≤ 2 queries)."""
    drawn = {n: [n] for n in numbers if n in boundaries.municipalities}
    names: dict[str, str] = {}
    missing = numbers - set(drawn)
    if missing:
        from ..models import Municipality

        for old in (
            Municipality.objects.filter(number__in=missing)
            .select_related("current")
            .prefetch_related("successors")
        ):
            names[old.number] = old.name
            # A split code covers all its successors; otherwise SSB's grouping says where it went.
            targets = sorted(
                s.number for s in old.successors.all() if s.number in boundaries.municipalities
            )
            if not targets and old.current_id and old.current.number in boundaries.municipalities:
                targets = [old.current.number]
            if targets:
                drawn[old.number] = targets
    return drawn, names


# --- render ----------------------------------------------------------------------------------


def render_map(spec: MunicipalityMap, *, standalone: bool = False) -> RenderedMap:
    boundaries = load_boundaries()
    drawn, old_names = _resolve({r.number for r in spec.regions}, boundaries)
    map_id = spec.id or "kart-" + (
        slugify(spec.title)[:40] or hashlib.sha256(spec.title.encode()).hexdigest()[:8]
    )

    # Legend: the caller's entries with palette colours filled in, then "no data".
    legend: list[dict] = []
    colours: dict[str, str] = {}
    palette = iter(CATEGORICAL * 3)
    for entry in spec.legend:
        colour = entry.colour or next(palette)
        colours[entry.key] = colour
        legend.append(
            {"key": entry.key, "label": entry.label, "colour": colour, "pattern": False, "count": 0}
        )
    no_data_label = spec.no_data_label or _("Ingen data")
    labels = {e["key"]: e["label"] for e in legend}

    rows: list[TableRow] = []
    by_region: dict[str, list[Region]] = {}
    for region in spec.regions:
        targets = drawn.get(region.number, [])
        category = region.category if region.category in colours else None
        name = region.name or (
            boundaries.municipalities[region.number].name
            if region.number in boundaries.municipalities
            else old_names.get(region.number, region.number)
        )
        note = region.detail
        if targets and targets != [region.number]:
            shown = ", ".join(f"{t} {boundaries.municipalities[t].name}" for t in targets)
            note = " ".join(filter(None, [note, _("Tegnet som %(names)s.") % {"names": shown}]))
        elif not targets:
            note = " ".join(filter(None, [note, _("Finnes ikke på kartet.")]))
        rows.append(
            TableRow(
                number=region.number,
                name=name,
                href=region.href or reverse("register:municipality", args=[region.number]),
                value=region.value,
                category_label=labels.get(category, no_data_label),
                colour=colours.get(category, "#f3f4f6"),
                pattern=category is None,
                excluded=region.excluded,
                marker=region.marker,
                note=note,
                drawn_as=targets,
            )
        )
        for target in targets:
            by_region.setdefault(target, []).append(region)
        for entry in legend:
            if entry["key"] == category:
                entry["count"] += 1
    missing_data = sum(1 for row in rows if row.pattern)
    if missing_data:
        legend.append(
            {
                "key": NO_DATA,
                "label": no_data_label,
                "colour": "#f3f4f6",
                "pattern": True,
                "count": missing_data,
            }
        )
    for entry in legend:
        entry["count_text"] = format_number(entry["count"])

    # Extent.
    if spec.focus is None:
        bbox = boundaries.bbox
    elif isinstance(spec.focus, str) and spec.focus in boundaries.counties:
        bbox = boundaries.counties[spec.focus].bbox
    else:
        focus = [spec.focus] if isinstance(spec.focus, str) else list(spec.focus)
        targets = [t for n in focus for t in drawn.get(n, [n]) if t in boundaries.municipalities]
        bbox = (
            union_bbox(boundaries.municipalities[t].bbox for t in targets)
            if targets
            else boundaries.bbox
        )
    frame = _frame(bbox)
    paths = _municipality_paths(frame, boundaries)
    county_paths = _county_paths(frame, boundaries)

    svg = _svg(
        spec,
        map_id,
        frame,
        boundaries,
        paths,
        county_paths,
        rows,
        by_region,
        colours,
        standalone,
        legend,
    )
    county_rows = []
    if spec.counties:
        for number, text in spec.counties.items():
            county = boundaries.counties.get(number)
            county_rows.append((number, county.name if county else number, text))
    drawn_as_note = ""
    moved = [row for row in rows if row.drawn_as and row.drawn_as != [row.number]]
    if moved:
        drawn_as_note = _(
            "Kommuner fra en eldre kommunestruktur er tegnet med grensene til kommunen de ble "
            "videreført i fra 2024 (registerets kodehistorikk): %(list)s."
        ) % {"list": "; ".join(f"{r.number} {r.name} → {', '.join(r.drawn_as)}" for r in moved)}
    return RenderedMap(
        spec=spec,
        id=map_id,
        svg=svg,
        legend=legend,
        rows=rows,
        county_rows=county_rows,
        drawn_as_note=drawn_as_note,
        attribution=boundaries.attribution,
        has_markers=any(r.marker for r in rows),
        has_excluded=any(r.excluded for r in rows),
        zoomable=spec.focus is None,
        view_box=f"0 0 {frame.width} {frame.height}",
    )


def _region_label(row: TableRow) -> str:
    parts = [f"{row.name}: {row.value or row.category_label}"]
    value, category = row.value.casefold(), row.category_label.casefold()
    if value and category and category not in value and value not in category:
        parts.append(f"({row.category_label})")
    if row.marker:
        parts.append(_("nr. %(marker)s") % {"marker": row.marker})
    if row.excluded:
        parts.append(_("utelatt: %(reason)s") % {"reason": row.excluded})
    return " ".join(parts)


def _svg(
    spec,
    map_id,
    frame,
    boundaries,
    paths,
    county_paths,
    rows,
    by_region,
    colours,
    standalone,
    legend,
) -> SafeString:
    e = escape
    title_id, desc_id = f"{map_id}-tittel", f"{map_id}-beskrivelse"
    nodata, hatch = f"{map_id}-ingen-data", f"{map_id}-skravur"
    legend_height = (22 * (len(legend) + 2) + 40) if standalone else 0
    height = frame.height + legend_height
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {height}" width="{frame.width}" height="{height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">'
        )
        out.append(f"<style>{STANDALONE_CSS}</style>")
        out.append(f'<rect width="{frame.width}" height="{height}" fill="#ffffff"/>')
    else:
        out.append(
            f'<svg class="geo-map__svg" id="{map_id}-svg" viewBox="0 0 {frame.width} {frame.height}" '
            f'data-full-view="0 0 {frame.width} {frame.height}" role="group" '
            f'aria-labelledby="{title_id}" aria-describedby="{desc_id}">'
        )
    description = spec.description or _("Kart over %(n)s kommuner. Samme tall står i tabellen.") % {
        "n": len(rows)
    }
    out.append(
        f'<title id="{title_id}">{e(spec.title)}</title><desc id="{desc_id}">{e(description)}</desc>'
    )
    out.append(
        "<defs>"
        f'<pattern id="{nodata}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#f3f4f6"/><line x1="0" y1="0" x2="0" y2="8" stroke="#8a939e" stroke-width="2.5"/></pattern>'
        f'<pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#111827" stroke-width="1.6"/></pattern>'
        "</defs>"
    )
    if spec.context:
        context = [d for n, d in paths.items() if n not in by_region]
        if context:
            out.append(
                f'<path class="geo-map__context" aria-hidden="true" fill="#e9ecef" stroke="#c3c9d0" stroke-width="0.5" d="{"".join(context)}"/>'
            )
    row_by_target: dict[str, TableRow] = {}
    for row in rows:
        for target in row.drawn_as:
            row_by_target.setdefault(target, row)
    out.append('<g class="geo-map__regions" stroke="#ffffff" stroke-width="0.8">')
    hatched, markers = [], []
    for row in rows:
        # Each 2024 municipality is drawn once, for the first row that lands on it.
        targets = [t for t in row.drawn_as if row_by_target.get(t) is row and t in paths]
        if not targets:
            continue
        d = "".join(paths[t] for t in targets)
        fill = f"url(#{nodata})" if row.pattern else row.colour
        label = e(_region_label(row))
        link_open = (
            ""
            if standalone
            else f'<a class="geo-map__region" href="{e(row.href)}" aria-label="{label}" data-number="{e(row.number)}">'
        )
        out.append(
            f'{link_open}<path d="{d}" fill="{fill}"><title>{label}</title></path>'
            + ("" if standalone else "</a>")
        )
        if row.excluded:
            hatched.append(d)
        if row.marker:
            shape = boundaries.municipalities[targets[0]]
            markers.append((frame.point(shape.label), row.marker))
    out.append("</g>")
    counties = [d for n, d in county_paths.items() if d]
    out.append(
        f'<path class="geo-map__counties" aria-hidden="true" fill="none" stroke="#1f2937" stroke-width="1.3" stroke-linejoin="round" d="{"".join(counties)}"/>'
    )
    if not standalone:
        for number, county in boundaries.counties.items():
            out.append(
                f'<g class="geo-map__county" data-county="{number}" data-name="{e(county.name)}" data-view="{_view(frame, county.bbox)}"></g>'
            )
    if hatched:
        out.append(
            f'<path class="geo-map__hatch" aria-hidden="true" fill="url(#{hatch})" stroke="#111827" stroke-width="1" d="{"".join(hatched)}"/>'
        )
    if markers:
        out.append('<g class="geo-map__markers" aria-hidden="true">')
        for (x, y), text in markers:
            out.append(
                f'<circle cx="{x}" cy="{y}" r="11" fill="#ffffff" stroke="#111827" stroke-width="2"/>'
                f'<text x="{x}" y="{y + 4.5}" text-anchor="middle" font-size="13" font-weight="700" fill="#111827">{e(text)}</text>'
            )
        out.append("</g>")
    if standalone:
        out.append(
            f'<rect y="{frame.height}" width="{frame.width}" height="{legend_height}" fill="#ffffff"/>'
        )
        y = frame.height + 24
        out.append(f'<text x="16" y="{y}" font-size="18" font-weight="700">{e(spec.title)}</text>')
        for entry in legend:
            y += 22
            fill = f"url(#{nodata})" if entry["pattern"] else entry["colour"]
            out.append(
                f'<rect x="16" y="{y - 13}" width="24" height="16" fill="{fill}" stroke="#4b5563"/>'
            )
            out.append(
                f'<text x="48" y="{y}" font-size="14">{e(entry["label"])} ({e(entry["count_text"])})</text>'
            )
        if any(r.excluded for r in rows):
            y += 22
            out.append(
                f'<rect x="16" y="{y - 13}" width="24" height="16" fill="url(#{hatch})" stroke="#4b5563"/>'
            )
            out.append(
                f'<text x="48" y="{y}" font-size="14">{e(spec.excluded_label or _("Utelatt (skravert)"))}</text>'
            )
        y += 26
        out.append(
            f'<text x="16" y="{y}" font-size="13" fill="#374151">{e(boundaries.attribution)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


STANDALONE_CSS = "text{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif}"
