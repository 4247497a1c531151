"""Neighbouring municipalities from the boundaries: a shared border, or less than 2 km apart
across water (the simplified coastline separates islands such as Askøy from Bergen).

"Across water" means the straight line between the two nearest points leaves land: its
quarter, middle and three-quarter points lie in no municipality. So two municipalities a thin
strip of a third apart are not neighbours.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .boundaries import Boundaries
from .topology import Point, ring_points

WATER_DISTANCE = 2000.0  # metres


@dataclass(frozen=True)
class NeighbourPair:
    a: str  # the lower number
    b: str
    kind: str  # "border" or "water"
    distance_m: int  # 0 for a shared border


def _closest_on_segment(p: Point, a: Point, b: Point) -> tuple[float, float, float]:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length_sq = dx * dx + dy * dy
    t = 0.0 if length_sq == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_sq))
    cx, cy = ax + t * dx, ay + t * dy
    return math.hypot(px - cx, py - cy), cx, cy


class _Land:
    """Point-in-land for the municipalities, by bounding box then even–odd crossing."""

    def __init__(self, boundaries: Boundaries):
        self.polygons: list[tuple[tuple[float, float, float, float], list[list[Point]]]] = []
        for number in boundaries.municipalities:
            for rings in boundaries.rings(number):
                xs = [x for x, _ in rings[0]]
                ys = [y for _, y in rings[0]]
                self.polygons.append(((min(xs), min(ys), max(xs), max(ys)), rings))

    def contains(self, x: float, y: float) -> bool:
        for (x0, y0, x1, y1), rings in self.polygons:
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                continue
            inside = False
            for ring in rings:
                for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False):
                    if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                        inside = not inside
            if inside:
                return True
        return False


def compute_neighbours(
    boundaries: Boundaries, water_distance: float = WATER_DISTANCE
) -> list[NeighbourPair]:
    pairs: dict[tuple[str, str], NeighbourPair] = {}
    for pair in boundaries.shared_arcs:
        a, b = sorted(pair)
        pairs[(a, b)] = NeighbourPair(a, b, "border", 0)

    # Segments in a grid of water_distance cells; each vertex looks in its 3×3 cells.
    cell = water_distance
    grid: dict[tuple[int, int], list[tuple[str, Point, Point]]] = defaultdict(list)
    vertices: list[tuple[str, Point]] = []
    for number in boundaries.municipalities:
        for rings in boundaries.rings(number):
            for ring in rings:
                for a, b in zip(ring, ring[1:], strict=False):
                    vertices.append((number, a))
                    for gx in range(int(min(a[0], b[0]) // cell), int(max(a[0], b[0]) // cell) + 1):
                        for gy in range(
                            int(min(a[1], b[1]) // cell), int(max(a[1], b[1]) // cell) + 1
                        ):
                            grid[(gx, gy)].append((number, a, b))

    candidates: dict[tuple[str, str], list[tuple[float, Point, tuple[float, float]]]] = defaultdict(
        list
    )
    for number, point in vertices:
        gx, gy = int(point[0] // cell), int(point[1] // cell)
        for cx in (gx - 1, gx, gx + 1):
            for cy in (gy - 1, gy, gy + 1):
                for other, a, b in grid.get((cx, cy), ()):
                    if other == number:
                        continue
                    key = (number, other) if number < other else (other, number)
                    if key in pairs:
                        continue
                    distance, x, y = _closest_on_segment(point, a, b)
                    if distance < water_distance:
                        candidates[key].append((distance, point, (x, y)))

    land = _Land(boundaries)
    for key, found in candidates.items():
        # The nearest connections first; a handful is enough to find one across open water.
        for distance, (px, py), (qx, qy) in sorted(set(found))[:12]:
            if distance < 1 or all(
                not land.contains(px + (qx - px) * t, py + (qy - py) * t) for t in (0.25, 0.5, 0.75)
            ):
                pairs[key] = NeighbourPair(key[0], key[1], "water", round(distance))
                break
    return sorted(pairs.values(), key=lambda p: (p.a, p.b))


def outer_points(boundaries: Boundaries, number: str) -> list[Point]:
    shape = boundaries.municipalities[number]
    return [p for polygon in shape.polygons for p in ring_points(boundaries.arcs, polygon[0])]
