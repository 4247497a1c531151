"""Read side of the register for other apps: plain functions with keyword-only options."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Municipality, MunicipalityNeighbour


def neighbours_of(number: str, *, kind: str | None = None) -> list[Municipality]:
    """Today's neighbours of municipality ``number`` ("0301"), ordered by number; one query.

    ``kind``: only "border" (shared border) or only "water" (under 2 km across water). An old
    code (e.g. "3001" Halden before 2024) is answered through its 2024 municipality.
    """
    links = MunicipalityNeighbour.objects.filter(municipality__number=number)
    if kind:
        links = links.filter(kind=kind)
    neighbours = list(
        Municipality.objects.filter(pk__in=links.values("neighbour_id")).order_by("number")
    )
    if neighbours or kind:
        return neighbours
    current = (
        Municipality.objects.filter(number=number, valid_to__isnull=False)
        .select_related("current")
        .first()
    )
    if current is not None and current.current_id:
        return neighbours_of(current.current.number)
    return []


def neighbour_numbers(numbers: Iterable[str] | None = None) -> dict[str, set[str]]:
    """Municipality number → its neighbours' numbers, for ``numbers`` (default: all); one query.

    For scoring many municipalities at once (search "i nærheten av", placement's connection
    criterion) without a query per municipality.
    """
    links = MunicipalityNeighbour.objects.all()
    if numbers is not None:
        links = links.filter(municipality__number__in=list(numbers))
    out: dict[str, set[str]] = {}
    for a, b in links.values_list("municipality__number", "neighbour__number"):
        out.setdefault(a, set()).add(b)
    return out


def are_neighbours(a: str, b: str) -> bool:
    """Whether municipalities ``a`` and ``b`` are neighbours (shared border or across water)."""
    return MunicipalityNeighbour.objects.filter(
        municipality__number=a, neighbour__number=b
    ).exists()
