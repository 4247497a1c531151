"""Convert Kartverket's GeoJSON boundaries (WGS84) into the portal's own boundary file.

Projected to UTM 33N, rounded to whole metres, turned into shared-border arcs, simplified once
per arc (Douglas–Peucker), islands too small to see dropped, and written as JSON with one arc per
line. The county outlines are not taken from the county file (its borders are simplified
differently and would not meet the municipalities'): they are the municipality arcs where the
county changes; the county file gives the counties' names and is checked against them.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from .projection import utm33
from .topology import (
    Point,
    build_topology,
    douglas_peucker,
    encode_arc,
    ring_area,
    ring_points,
)

FORMAT = "bosettingsportalen.geo"
SOURCE = (
    "Kartverket: kommuner og fylker 2024 (forenklet, klippet mot kystlinjen), "
    "via robhop/fylker-og-kommuner"
)
LICENCE = "CC BY 4.0"
ATTRIBUTION = "Kartgrunnlag: Kartverket (CC BY 4.0)"
DEFAULT_TOLERANCE = 40.0  # metres: well below a pixel even when one municipality fills a page
MIN_ISLAND_AREA = 200_000.0  # m²: smaller islands of a municipality are dropped (0.2 km²)


class GeoSourceError(Exception):
    """The source files are not what the conversion expects."""


@dataclass
class BuildReport:
    municipalities: int
    counties: int
    arcs: int
    vertices: int
    source_vertices: int
    dropped_islands: int
    raw_bytes: int
    gzip_bytes: int

    def summary(self) -> str:
        return (
            f"{self.municipalities} kommuner, {self.counties} fylker, {self.arcs} grenselinjer, "
            f"{self.vertices} punkter (fra {self.source_vertices}), {self.dropped_islands} små "
            f"øyer utelatt; {self.raw_bytes / 1024:.0f} KB, {self.gzip_bytes / 1024:.0f} KB "
            "komprimert"
        )


def _features(path: Path, number_key: str, name_key: str):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GeoSourceError(f"{path}: kan ikke leses som GeoJSON ({exc}).") from exc
    for feature in data.get("features", []):
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        number, name = properties.get(number_key), properties.get(name_key)
        if not number or not name or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise GeoSourceError(f"{path}: et objekt mangler {number_key}, {name_key} eller flate.")
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        yield str(number), str(name), polygons


def _project(polygons) -> list[list[list[Point]]]:
    return [
        [
            [(round(x), round(y)) for x, y in (utm33(lon, lat) for lon, lat, *_ in ring)]
            for ring in polygon
        ]
        for polygon in polygons
    ]


def label_point(rings: list[list[Point]]) -> Point:
    """A point well inside a polygon (outer ring first): the middle of the widest horizontal
    run through it, tried on lines across its height, preferring runs near the middle."""
    outer = rings[0]
    ys = [y for _, y in outer]
    low, high = min(ys), max(ys)
    best, best_score = outer[0], -1.0
    for step in range(1, 20):
        y = low + (high - low) * step / 20 + 0.5
        crossings = []
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 <= y) != (y2 <= y):
                    crossings.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        crossings.sort()
        centrality = 1 - abs(step - 10) / 12
        for left, right in zip(crossings[::2], crossings[1::2], strict=False):
            score = (right - left) * centrality
            if score > best_score:
                best, best_score = (round((left + right) / 2), round(y)), score
    return best


def build_boundaries(
    municipalities_path: Path,
    counties_path: Path,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    min_island_area: float = MIN_ISLAND_AREA,
    names: dict[str, str] | None = None,
) -> tuple[dict, BuildReport]:
    """The boundary file's data. ``names`` (number → name, from the register) replaces the
    source's names, which join the Norwegian and Sámi/Kven names in one string."""
    names = names or {}
    municipalities = {}
    shapes = {}
    source_vertices = 0
    for number, name, polygons in _features(municipalities_path, "kommunenummer", "kommunenavn"):
        if len(number) != 4 or not number.isdigit():
            raise GeoSourceError(f"{municipalities_path}: ugyldig kommunenummer «{number}».")
        shapes[number] = _project(polygons)
        source_vertices += sum(len(ring) for polygon in polygons for ring in polygon)
        municipalities[number] = names.get(number, name)
    counties = {
        number: names.get(number, name)
        for number, name, _ in _features(counties_path, "fylkesnummer", "fylkesnavn")
    }
    if unknown := sorted({n[:2] for n in municipalities} - set(counties)):
        raise GeoSourceError(f"kommuner i ukjente fylker: {', '.join(unknown)}.")

    arcs, layout = build_topology(shapes)
    arcs = [douglas_peucker(arc, tolerance) for arc in arcs]

    dropped = 0
    used: set[int] = set()
    out_municipalities = {}
    for number in sorted(layout):
        polygons = []
        for polygon in layout[number]:
            points = [ring_points(arcs, refs) for refs in polygon]
            area = abs(ring_area(points[0]))
            polygons.append((area, polygon, points))
        polygons.sort(key=lambda item: -item[0])
        kept = [
            item
            for i, item in enumerate(polygons)
            # An island's ring is its own arc; a polygon that shares a border is always kept.
            if i == 0 or item[0] >= min_island_area or len(item[1][0]) > 1
        ]
        dropped += len(polygons) - len(kept)
        for _, polygon, _ in kept:
            used.update(ref if ref >= 0 else ~ref for refs in polygon for ref in refs)
        out_municipalities[number] = {
            "name": municipalities[number],
            "county": number[:2],
            "label": list(label_point(kept[0][2])),
            "area_km2": round(sum(item[0] for item in kept) / 1e6, 1),
            "polygons": [polygon for _, polygon, _ in kept],
        }

    # Renumber the arcs that are still used, in first-use order.
    order = sorted(used)
    new_index = {old: new for new, old in enumerate(order)}
    for record in out_municipalities.values():
        record["polygons"] = [
            [[new_index[r] if r >= 0 else ~new_index[~r] for r in refs] for refs in polygon]
            for polygon in record["polygons"]
        ]
    arcs = [arcs[old] for old in order]
    xs = [x for arc in arcs for x, _ in arc]
    ys = [y for arc in arcs for _, y in arc]
    data = {
        "format": FORMAT,
        "version": 1,
        "structure": "2024",
        "source": SOURCE,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "projection": "EPSG:25833 (ETRS89 / UTM sone 33N), meter",
        "simplification": f"Douglas–Peucker {tolerance:g} m per grenselinje; øyer under "
        f"{min_island_area / 1e6:g} km² utelatt",
        "bbox": [min(xs), min(ys), max(xs), max(ys)],
        "counties": {number: {"name": counties[number]} for number in sorted(counties)},
        "municipalities": out_municipalities,
        "arcs": [encode_arc(arc) for arc in arcs],
    }
    raw = dumps(data).encode()
    report = BuildReport(
        municipalities=len(out_municipalities),
        counties=len(counties),
        arcs=len(arcs),
        vertices=sum(len(arc) for arc in arcs),
        source_vertices=source_vertices,
        dropped_islands=dropped,
        raw_bytes=len(raw),
        gzip_bytes=len(gzip.compress(raw, mtime=0)),
    )
    return data, report


def dumps(data: dict) -> str:
    """JSON with one municipality and one arc per line, so a rebuild reviews as a diff."""
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    lines = ["{"]
    for key, value in data.items():
        if key in {"municipalities", "counties", "arcs"}:
            continue
        lines.append(f"{json.dumps(key)}:{json.dumps(value, **compact)},")
    for key in ("counties", "municipalities"):
        items = [f"{json.dumps(k)}:{json.dumps(v, **compact)}" for k, v in data[key].items()]
        lines.append(f"{json.dumps(key)}:{{\n" + ",\n".join(items) + "\n},")
    lines.append('"arcs":[\n' + ",\n".join(json.dumps(a, **compact) for a in data["arcs"]) + "\n]")
    lines.append("}")
    return "\n".join(lines) + "\n"
