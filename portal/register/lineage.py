"""Code history: which earlier municipality codes a code continues. The register keeps the
data (``Municipality.current`` from SSB's grouping, ``CodeChange`` for renumberings, mergers
and splits); this is the one function that reads it, for the register's statistics, for
skjema's profile history and carry-forward, and for search (through ``skjema.reading``)."""

from __future__ import annotations

from .models import CodeChange, Municipality


def codes_resolving_to(municipality: Municipality, *, through_splits: bool = False) -> set[int]:
    """Ids of ``municipality`` and of every code whose history it continues.

    Followed backwards from ``municipality``: codes whose ``current`` (SSB's grouping) is it, and
    predecessors by renumbering or merger (``CodeChange``). With ``through_splits`` a split
    predecessor counts for each of its successors too (a profile continues in every part);
    without it (statistics) it is followed only through ``current``, so its numbers belong to
    one successor and are never counted twice. One query: the links form a small table.
    """
    return codes_resolving_to_many([municipality], through_splits=through_splits)[municipality.pk]


def codes_resolving_to_many(municipalities, *, through_splits: bool = False) -> dict[int, set[int]]:
    """``codes_resolving_to`` for several municipalities at once: {id: ids it continues}. One
    query, whatever the number of municipalities (none for none)."""
    municipalities = list(municipalities)
    if not municipalities:
        return {}
    changes = CodeChange.objects.order_by()
    if not through_splits:
        changes = changes.exclude(kind=CodeChange.Kind.SPLIT)
    links = (
        Municipality.objects.filter(current__isnull=False)
        .order_by()
        .values_list("pk", "current_id")
        .union(changes.values_list("predecessor_id", "successor_id"), all=True)
    )
    earlier: dict[int, set[int]] = {}
    for older, newer in links:
        earlier.setdefault(newer, set()).add(older)
    out: dict[int, set[int]] = {}
    for municipality in municipalities:
        found, frontier = {municipality.pk}, [municipality.pk]
        while frontier:
            frontier = [o for pk in frontier for o in earlier.get(pk, ()) if o not in found]
            found.update(frontier)
        out[municipality.pk] = found
    return out
