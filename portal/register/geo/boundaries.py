"""The portal's boundary file, read once per process: municipalities as rings of shared arcs,
counties as the arcs where the county changes, and simplified arcs per drawing scale."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .topology import Point, decode_arc, douglas_peucker, ring_points

BOUNDARIES_FILE = Path(__file__).with_name("norway-2024.json")

# Simplification levels (metres) a drawing picks from, so each is computed once per process.
TOLERANCE_LADDER = (0, 60, 120, 250, 500, 1000, 2000)

BBox = tuple[float, float, float, float]


def _bbox(points) -> BBox:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return (min(xs), min(ys), max(xs), max(ys))


def union_bbox(boxes) -> BBox:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True)
class MunicipalityShape:
    number: str
    name: str
    county: str
    label: Point
    area_km2: float
    polygons: tuple[tuple[tuple[int, ...], ...], ...]
    bbox: BBox = field(compare=False)


@dataclass(frozen=True)
class CountyShape:
    number: str
    name: str
    municipalities: tuple[str, ...]
    bbox: BBox


class Boundaries:
    def __init__(self, data: dict):
        self.attribution: str = data["attribution"]
        self.source: str = data["source"]
        self.licence: str = data["licence"]
        self.structure: str = data["structure"]
        self.arcs: list[list[Point]] = [decode_arc(values) for values in data["arcs"]]
        self.bbox: BBox = tuple(data["bbox"])
        owners: list[list[str]] = [[] for _ in self.arcs]
        self.municipalities: dict[str, MunicipalityShape] = {}
        for number, record in data["municipalities"].items():
            polygons = tuple(
                tuple(tuple(refs) for refs in polygon) for polygon in record["polygons"]
            )
            for polygon in polygons:
                for refs in polygon:
                    for ref in refs:
                        owners[ref if ref >= 0 else ~ref].append(number)
            outer_points = [
                point for polygon in polygons for point in ring_points(self.arcs, polygon[0])
            ]
            self.municipalities[number] = MunicipalityShape(
                number=number,
                name=record["name"],
                county=record["county"],
                label=tuple(record["label"]),
                area_km2=record["area_km2"],
                polygons=polygons,
                bbox=_bbox(outer_points),
            )
        self.arc_owners: list[tuple[str, ...]] = [tuple(o) for o in owners]
        self.counties: dict[str, CountyShape] = {}
        for number, record in data["counties"].items():
            members = tuple(sorted(n for n, m in self.municipalities.items() if m.county == number))
            if members:
                self.counties[number] = CountyShape(
                    number=number,
                    name=record["name"],
                    municipalities=members,
                    bbox=union_bbox(self.municipalities[n].bbox for n in members),
                )

    @cached_property
    def county_border_arcs(self) -> dict[str, list[int]]:
        """Per county, the arcs of its borders with other counties (the coast and the national
        border are the edges of the municipalities already)."""
        out: dict[str, list[int]] = {number: [] for number in self.counties}
        for index, owners in enumerate(self.arc_owners):
            sides = {self.municipalities[n].county for n in owners}
            if len(sides) > 1:
                for county in sides:
                    out[county].append(index)
        return out

    @cached_property
    def arc_bboxes(self) -> list[BBox]:
        return [_bbox(arc) for arc in self.arcs]

    @cached_property
    def shared_arcs(self) -> dict[frozenset[str], list[int]]:
        """Arcs on the border between two municipalities, by the pair."""
        out: dict[frozenset[str], list[int]] = {}
        for index, owners in enumerate(self.arc_owners):
            pair = frozenset(owners)
            if len(pair) == 2:
                out.setdefault(pair, []).append(index)
        return out

    def simplified_arcs(self, tolerance: float) -> list[list[Point]]:
        return _simplified(self, pick_tolerance(tolerance))

    def rings(self, number: str, tolerance: float = 0) -> list[list[list[Point]]]:
        arcs = self.simplified_arcs(tolerance)
        return [
            [ring_points(arcs, refs) for refs in polygon]
            for polygon in self.municipalities[number].polygons
        ]


def pick_tolerance(tolerance: float) -> int:
    """The coarsest ladder level not above ``tolerance``."""
    chosen = 0
    for level in TOLERANCE_LADDER:
        if level <= tolerance:
            chosen = level
    return chosen


@lru_cache(maxsize=len(TOLERANCE_LADDER))
def _simplified(boundaries: Boundaries, tolerance: int) -> list[list[Point]]:
    if tolerance == 0:
        return boundaries.arcs
    return [douglas_peucker(arc, tolerance) for arc in boundaries.arcs]


@lru_cache(maxsize=4)
def load_boundaries(path: Path = BOUNDARIES_FILE) -> Boundaries:
    return Boundaries(json.loads(path.read_text(encoding="utf-8")))
