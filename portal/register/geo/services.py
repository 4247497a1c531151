"""Store the neighbour relation computed from the boundary file (idempotent, atomic)."""

from __future__ import annotations

from django.db import transaction

from ..models import Municipality, MunicipalityNeighbour
from ..sync import Tally
from .boundaries import load_boundaries
from .neighbours import compute_neighbours


def sync_neighbours():
    """Make the stored neighbour rows exactly the computed pairs, both directions.

    Numbers of the boundary file that the register does not know yet are left out. Returns the
    register's ``Tally`` ("nabopar": pairs stored, created, changed).
    """
    pairs = compute_neighbours(load_boundaries())
    with transaction.atomic():
        ids = dict(Municipality.objects.filter(valid_to__isnull=True).values_list("number", "pk"))
        wanted: dict[tuple[int, int], tuple[str, int]] = {}
        for pair in pairs:
            if pair.a in ids and pair.b in ids:
                wanted[(ids[pair.a], ids[pair.b])] = (pair.kind, pair.distance_m)
                wanted[(ids[pair.b], ids[pair.a])] = (pair.kind, pair.distance_m)
        existing = {
            (row.municipality_id, row.neighbour_id): row
            for row in MunicipalityNeighbour.objects.select_for_update()
        }
        stale = [row.pk for key, row in existing.items() if key not in wanted]
        MunicipalityNeighbour.objects.filter(pk__in=stale).delete()
        new, changed = [], []
        for (a, b), (kind, distance) in wanted.items():
            row = existing.get((a, b))
            if row is None:
                new.append(
                    MunicipalityNeighbour(
                        municipality_id=a, neighbour_id=b, kind=kind, distance_m=distance
                    )
                )
            elif (row.kind, row.distance_m) != (kind, distance):
                row.kind, row.distance_m = kind, distance
                changed.append(row)
        MunicipalityNeighbour.objects.bulk_create(new, batch_size=500)
        MunicipalityNeighbour.objects.bulk_update(changed, ["kind", "distance_m"], batch_size=500)
    return Tally(
        "nabopar",
        total=len(wanted) // 2,
        created=len(new) // 2,
        updated=(len(changed) + len(stale)) // 2,
    )
