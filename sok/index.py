"""Keeping the database index current: one document per municipality and round, rebuilt from
the latest submitted version whenever the workflow says something changed. Elasticsearch is
told afterwards (``sok.sync``), from a pending list written in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from skjema.models import MunicipalityProfile
from skjema.models.submissions import SUBMITTED_STATES

from . import backends
from .backends.base import SearchUnavailable
from .documents import _Lookups, document_key
from .models import PendingIndexUpdate, SearchDocument
from .store import (
    ROUNDS_KEY,
    ROUNDS_SECONDS,
    available_rounds,
    build_documents,
    forget_rounds,
    newest_round,
    rebuild_database_index,
    write_documents,
)

__all__ = [
    "ROUNDS_KEY",
    "ROUNDS_SECONDS",
    "available_rounds",
    "forget_rounds",
    "mark_stale",
    "newest_round",
    "push_all_pending",
    "push_pending",
    "rebuild_database_index",
    "refresh_profile",
    "refresh_statistics",
]

log = logging.getLogger(__name__)


def _mirror_enabled() -> bool:
    return settings.SOK_BACKEND == "elasticsearch"


def _mark_pending(keys) -> None:
    if not _mirror_enabled():
        return
    for key in keys:
        if not PendingIndexUpdate.objects.filter(key=key).update(generation=F("generation") + 1):
            PendingIndexUpdate.objects.get_or_create(key=key)


def _after_write(keys: list[str]) -> None:
    _mark_pending(keys)
    forget_rounds()
    transaction.on_commit(forget_rounds)
    _push_later(keys)


@transaction.atomic
def refresh_profile(profile: MunicipalityProfile, lookups=None) -> str:
    """Index the profile's latest submitted version, or remove it if it has none. Returns the
    document key; Elasticsearch gets it after commit (or later, if it is down)."""
    profile = MunicipalityProfile.objects.select_related("round", "county", "municipality").get(
        pk=profile.pk
    )
    key = document_key(profile.round.year, profile.municipality.number)
    docs = build_documents([profile], lookups) if profile.status in SUBMITTED_STATES else []
    if docs:
        write_documents(docs)
    else:
        SearchDocument.objects.filter(key=key).delete()
    _after_write([key])
    return key


@transaction.atomic
def mark_stale(*, round_year: int | None = None, municipalities: Iterable[str] | None = None):
    """Rebuild the documents of these municipalities (numbers) in this round (or every round),
    in the caller's transaction: for apps above sok whose registered extractors read data that
    has changed (placement's remaining capacity, say). The documents are written with the
    caller's data and go to Elasticsearch after commit through the pending list, so nothing
    is lost if the engine is down. ``municipalities=None`` means all. Returns the keys."""
    profiles = MunicipalityProfile.objects.select_related("round", "county", "municipality")
    existing = SearchDocument.objects.all()
    if round_year is not None:
        profiles = profiles.filter(round__year=round_year)
        existing = existing.filter(round_year=round_year)
    if municipalities is not None:
        numbers = sorted({str(n) for n in municipalities})
        profiles = profiles.filter(municipality__number__in=numbers)
        existing = existing.filter(municipality__number__in=numbers)
    keys = set(existing.values_list("key", flat=True))
    lookups = _Lookups()
    written: list[str] = []
    indexable = list(profiles.filter(status__in=SUBMITTED_STATES).order_by("pk"))
    for start in range(0, len(indexable), 200):
        written += write_documents(build_documents(indexable[start : start + 200], lookups))
    gone = keys - set(written)
    if gone:
        SearchDocument.objects.filter(key__in=gone).delete()
    changed = sorted(keys | set(written))
    if changed:
        _after_write(changed)
    return changed


def refresh_statistics() -> list[str]:
    """After a statistics import: bring the figures every document shows up to date (the
    texts, terms and facets do not depend on them). Returns the keys of changed documents;
    Elasticsearch gets them after commit, like any other update."""
    lookups = _Lookups()
    changed = []
    with transaction.atomic():
        documents = SearchDocument.objects.select_related("municipality").order_by("pk")
        for document in documents.iterator(chunk_size=500):
            figures = lookups.settlement(document.municipality, document.round_year)
            if document.payload.get("statistics") != figures:
                document.payload["statistics"] = figures
                document.save(update_fields=["payload", "updated_at"])
                changed.append(document.key)
        _mark_pending(changed)
    if changed:
        _push_later()
    return changed


def _push_later(keys=None) -> None:
    """After commit, a background job sends the updates to the engine (platform: portal.jobs)."""
    from portal.jobs import enqueue_on_commit

    from .tasks import push_search_updates

    enqueue_on_commit(push_search_updates, keys)


def push_all_pending() -> int:
    """Send every pending update, batch by batch, until none is left or the engine is down."""
    sent = 0
    while batch := push_pending():
        sent += batch
    return sent


def push_pending(keys=None) -> int:
    """Send pending documents to Elasticsearch. A document stays pending, with the reason, if
    the engine cannot be reached or refuses it (a mapping older than the code, say: run
    ``sok_reindex``). Returns how many were sent."""
    if not _mirror_enabled():
        return 0
    pending = PendingIndexUpdate.objects.order_by("attempts", "pk")
    if keys is not None:
        pending = pending.filter(key__in=keys)
    generations = dict(pending.values_list("key", "generation")[:1000])
    batch = list(generations)
    if not batch:
        return 0
    try:
        refused = backends.get_backend().index_documents(batch)
    except SearchUnavailable as exc:
        refused = dict.fromkeys(batch, str(exc)[:255])
    for update in PendingIndexUpdate.objects.filter(key__in=list(refused)):
        update.attempts += 1
        update.last_error = refused[update.key]
        update.save(update_fields=["attempts", "last_error"])
    sent = [key for key in batch if key not in refused]
    for start in range(0, len(sent), 100):  # SQLite bounds the depth of an OR chain
        unchanged = Q()
        for key in sent[start : start + 100]:
            unchanged |= Q(key=key, generation=generations[key])
        PendingIndexUpdate.objects.filter(unchanged).delete()
    if refused:
        log.warning("%d søkeoppdateringer venter: %s", len(refused), next(iter(refused.values())))
    return len(sent)
