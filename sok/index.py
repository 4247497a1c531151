"""Keeping the database index current: one document per municipality and round, rebuilt from
the latest submitted version whenever the workflow says something changed. Elasticsearch is
told afterwards (``sok.sync``), from a pending list written in the same transaction."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q

from skjema.models import MunicipalityProfile
from skjema.models.submissions import SUBMITTED_STATES

from .documents import DocumentData, _Lookups, build, document_key, indexable_profiles
from .models import PendingIndexUpdate, SearchDocument, SearchFacet, SearchTerm

log = logging.getLogger(__name__)

# The rounds that have profiles change when a round gets its first or loses its last one.
# Cached for as long as the freshness promise allows (a profile is searchable within two
# seconds), and dropped at once in this process whenever the index is written.
ROUNDS_KEY = "sok:rounds:v1"
ROUNDS_SECONDS = 2


def available_rounds() -> list[int]:
    """Rounds that have searchable profiles, newest first (at most one query)."""
    rounds = cache.get(ROUNDS_KEY)
    if rounds is None:
        rounds = list(
            SearchDocument.objects.order_by("-round_year")
            .values_list("round_year", flat=True)
            .distinct()
        )
        cache.set(ROUNDS_KEY, rounds, ROUNDS_SECONDS)
    return rounds


def forget_rounds() -> None:
    cache.delete(ROUNDS_KEY)


def newest_round() -> int | None:
    """The newest round with searchable profiles."""
    rounds = available_rounds()
    return rounds[0] if rounds else None


def _mirror_enabled() -> bool:
    return settings.SOK_BACKEND == "elasticsearch"


def _write(doc: DocumentData) -> SearchDocument:
    document, _ = SearchDocument.objects.update_or_create(
        key=doc.key,
        defaults={
            "round_year": doc.round_year,
            "municipality": doc.municipality,
            "county": doc.submission.county,
            "submission_id": doc.submission.pk,
            "version_number": doc.version.number,
            "status": doc.submission.status,
            "sort_name": doc.payload["municipality"]["name"].lower(),
            "capacity": doc.capacity,
            "result": doc.result,
            "last_change": doc.version.created_at,
            "payload": doc.payload,
        },
    )
    document.terms.all().delete()
    document.facets.all().delete()
    SearchTerm.objects.bulk_create(
        SearchTerm(document=document, field=field_name, term=term)
        for field_name, terms in doc.terms.items()
        for term in sorted(terms)
    )
    SearchFacet.objects.bulk_create(
        SearchFacet(document=document, dimension=dimension, value=value[:100])
        for dimension, values in doc.facets.items()
        for value in sorted(values)
    )
    return document


def _mark_pending(keys) -> None:
    if not _mirror_enabled():
        return
    for key in keys:
        if not PendingIndexUpdate.objects.filter(key=key).update(generation=F("generation") + 1):
            PendingIndexUpdate.objects.get_or_create(key=key)


@transaction.atomic
def refresh_profile(profile: MunicipalityProfile, lookups=None) -> str:
    """Index the profile's latest submitted version, or remove it if it has none. Returns the
    document key; Elasticsearch gets it after commit (or later, if it is down)."""
    profile = MunicipalityProfile.objects.select_related("round", "county", "municipality").get(
        pk=profile.pk
    )
    key = document_key(profile.round.year, profile.municipality.number)
    version = profile.versions.order_by("-number").first()
    if profile.status in SUBMITTED_STATES and version is not None:
        _write(build(profile, version, lookups))
    else:
        SearchDocument.objects.filter(key=key).delete()
    _mark_pending([key])
    forget_rounds()
    transaction.on_commit(forget_rounds)
    _push_later([key])
    return key


def rebuild_database_index(progress=None) -> int:
    """Rebuild every document from the versions. Each document is replaced in its own small
    transaction, so searching keeps working during a rebuild."""
    lookups = _Lookups()
    keys = []
    profiles = list(indexable_profiles())
    for profile in profiles:
        version = profile.versions.order_by("-number").first()
        if version is None:
            continue
        with transaction.atomic():
            keys.append(_write(build(profile, version, lookups)).key)
        if progress:
            progress(1)
    stale = SearchDocument.objects.exclude(key__in=keys)
    with transaction.atomic():
        stale.delete()
    forget_rounds()
    _analyse_tables()
    return len(keys)


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


def _analyse_tables() -> None:
    """Refresh the planner's statistics after a bulk rebuild: without them PostgreSQL picks
    slow plans for filtered searches on a freshly filled index (3–5× in the benchmark)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (SearchDocument, SearchTerm, SearchFacet):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def push_pending(keys=None) -> int:
    """Send pending documents to Elasticsearch. A document stays pending, with the reason, if
    the engine cannot be reached or refuses it (a mapping older than the code, say: run
    ``sok_reindex``). Returns how many were sent."""
    if not _mirror_enabled():
        return 0
    from .backends import get_backend
    from .backends.base import SearchUnavailable

    pending = PendingIndexUpdate.objects.order_by("attempts", "pk")
    if keys is not None:
        pending = pending.filter(key__in=keys)
    generations = dict(pending.values_list("key", "generation")[:1000])
    batch = list(generations)
    if not batch:
        return 0
    try:
        refused = get_backend().index_documents(batch)
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
