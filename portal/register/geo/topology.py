"""Shared-border topology for the municipality map: arcs stored once, rings built from arcs.

Each border between two municipalities is one arc, used forwards by one side and backwards
(``~index``) by the other, so simplifying an arc simplifies both sides the same way and the map
never shows gaps or overlaps along a border. Counties are drawn from the same arcs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

Point = tuple[int, int]


def ring_area(points: Sequence[Point]) -> float:
    """Signed area (shoelace); positive for anticlockwise rings with y pointing north."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return total / 2


def _dedupe(points: Iterable[Point]) -> list[Point]:
    out: list[Point] = []
    for point in points:
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _canonical_closed(points: list[Point]) -> tuple[list[Point], bool]:
    """A closed ring's canonical form (start at its least point, lesser direction) and whether
    that form runs against ``points``."""
    body = points[:-1]
    start = body.index(min(body))
    forward = body[start:] + body[:start]
    backward = [forward[0], *reversed(forward[1:])]
    if backward < forward:
        return [*backward, backward[0]], True
    return [*forward, forward[0]], False


def build_topology(
    shapes: dict[str, list[list[list[Point]]]],
) -> tuple[list[list[Point]], dict[str, list[list[list[int]]]]]:
    """Arcs and, per key, polygons → rings → arc references from ``shapes`` (key → polygons →
    rings → closed point lists, already projected and rounded, shared vertices identical)."""
    rings: list[tuple[str, list[Point]]] = []
    layout: dict[str, list[list[int]]] = {}
    for key, polygons in shapes.items():
        layout[key] = []
        for polygon in polygons:
            indices = []
            for ring in polygon:
                points = _dedupe(ring)
                if len(points) < 4:
                    continue
                indices.append(len(rings))
                rings.append((key, points))
            if indices:
                layout[key].append(indices)

    owners: dict[tuple[Point, Point], set[int]] = defaultdict(set)
    for index, (_key, points) in enumerate(rings):
        for a, b in zip(points, points[1:], strict=False):
            owners[(a, b) if a < b else (b, a)].add(index)

    def edge_owners(a: Point, b: Point) -> frozenset[int]:
        return frozenset(owners[(a, b) if a < b else (b, a)])

    arcs: list[list[Point]] = []
    arc_index: dict[tuple[Point, ...], int] = {}

    def reference(points: list[Point], closed: bool) -> int:
        if closed:
            canonical, reversed_ = _canonical_closed(points)
        else:
            reversed_ = points[::-1] < points
            canonical = points[::-1] if reversed_ else points
        key = tuple(canonical)
        if key not in arc_index:
            arc_index[key] = len(arcs)
            arcs.append(canonical)
        return ~arc_index[key] if reversed_ else arc_index[key]

    ring_arcs: list[list[int]] = []
    for _key, points in rings:
        n = len(points) - 1
        sets = [edge_owners(points[i], points[i + 1]) for i in range(n)]
        junctions = [i for i in range(n) if sets[i - 1] != sets[i]]
        if not junctions:
            ring_arcs.append([reference(points, closed=True)])
            continue
        refs = []
        for j, start in enumerate(junctions):
            end = junctions[(j + 1) % len(junctions)]
            if end <= start:
                end += n
            refs.append(reference([points[i % n] for i in range(start, end + 1)], closed=False))
        ring_arcs.append(refs)

    return arcs, {
        key: [[ring_arcs[i] for i in polygon] for polygon in polygons]
        for key, polygons in layout.items()
    }


def _perpendicular_sq(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return (px - ax) ** 2 + (py - ay) ** 2
    cross = (px - ax) * dy - (py - ay) * dx
    return cross * cross / (dx * dx + dy * dy)


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, keeping both ends; a closed arc also keeps its farthest vertex, so it
    stays a ring."""
    n = len(points)
    if n <= 2:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    if points[0] == points[-1]:
        far = max(range(1, n - 1), key=lambda i: _dist_sq(points[i], points[0]))
        keep[far] = True
        stack = [(0, far), (far, n - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        best, best_index = -1.0, first
        a, b = points[first], points[last]
        for i in range(first + 1, last):
            d = _perpendicular_sq(points[i], a, b)
            if d > best:
                best, best_index = d, i
        if best > limit:
            keep[best_index] = True
            stack.append((first, best_index))
            stack.append((best_index, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _dist_sq(a: Point, b: Point) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def ring_points(arcs: Sequence[Sequence[Point]], refs: Sequence[int]) -> list[Point]:
    """The closed point list of a ring from its arc references."""
    points: list[Point] = []
    for ref in refs:
        arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def encode_arc(points: Sequence[Point]) -> list[int]:
    """Flat delta encoding: x0, y0, dx1, dy1, …"""
    out = [points[0][0], points[0][1]]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        out += [x2 - x1, y2 - y1]
    return out


def decode_arc(values: Sequence[int]) -> list[Point]:
    x, y = values[0], values[1]
    points = [(x, y)]
    for i in range(2, len(values), 2):
        x += values[i]
        y += values[i + 1]
        points.append((x, y))
    return points
