"""Writing the database index: documents, their terms and facet values, in bulk and in chunks
of their own transactions (searching keeps working during a rebuild: a reader sees each
chunk's old documents until the chunk commits). Knows nothing of the engines: ``sok.index``
decides when to write and tells Elasticsearch; ``sok.backends.database`` reads what is here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from skjema.models import Version

from .documents import DocumentData, Source, _bulk, _Lookups, build, indexable_profiles
from .models import SearchDocument, SearchFacet, SearchTerm

# The rounds that have profiles change when a round gets its first or loses its last one.
# Cached for as long as the freshness promise allows (a profile is searchable within two
# seconds), and dropped at once in this process whenever the index is written.
ROUNDS_KEY = "sok:rounds:v1"
ROUNDS_SECONDS = 2
CHUNK = 200


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


_DOCUMENT_FIELDS = (
    "round_year",
    "municipality",
    "county",
    "submission_id",
    "version_number",
    "status",
    "sort_name",
    "capacity",
    "result",
    "last_change",
    "payload",
    "numbers",
)


def _document(doc: DocumentData) -> SearchDocument:
    return SearchDocument(
        key=doc.key,
        round_year=doc.round_year,
        municipality=doc.municipality,
        county=doc.submission.county,
        submission_id=doc.submission.pk,
        version_number=doc.version.number,
        status=doc.submission.status,
        sort_name=doc.payload["municipality"]["name"].lower(),
        capacity=doc.capacity,
        result=doc.result,
        last_change=doc.version.created_at,
        payload=doc.payload,
        numbers=doc.numbers,
    )


def write_documents(docs: Sequence[DocumentData]) -> list[str]:
    """Replace these documents (insert or update by key) with their terms and facets: a fixed
    number of statements whatever the number of documents. Call inside a transaction."""
    if not docs:
        return []
    SearchDocument.objects.bulk_create(
        [_document(doc) for doc in docs],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=[*_DOCUMENT_FIELDS, "updated_at"],
    )
    ids = dict(
        SearchDocument.objects.filter(key__in=[d.key for d in docs]).values_list("key", "id")
    )
    SearchTerm.objects.filter(document_id__in=ids.values()).delete()
    SearchFacet.objects.filter(document_id__in=ids.values()).delete()
    SearchTerm.objects.bulk_create(
        (
            SearchTerm(document_id=ids[doc.key], field=field_name, term=term)
            for doc in docs
            for field_name, terms in doc.terms.items()
            for term in sorted(terms)
        ),
        batch_size=5000,
    )
    SearchFacet.objects.bulk_create(
        (
            SearchFacet(document_id=ids[doc.key], dimension=dimension, value=value[:100])
            for doc in docs
            for dimension, values in doc.facets.items()
            for value in sorted(values)
        ),
        batch_size=5000,
    )
    return [doc.key for doc in docs]


def latest_versions(profiles: Iterable) -> dict[int, Version]:
    """Submission id -> its latest version, for many submissions in one query."""
    ids = [profile.pk for profile in profiles]
    newest = (
        Version.objects.filter(submission=OuterRef("submission"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = Version.objects.filter(submission_id__in=ids, number=Subquery(newest))
    return {version.submission_id: version for version in versions}


def build_documents(profiles: Sequence, lookups: _Lookups | None = None) -> list[DocumentData]:
    """The documents of these profiles (those with a version), with their versions fetched in
    bulk and the registry's batch extractors run once."""
    lookups = lookups or _Lookups()
    versions = latest_versions(profiles)
    sources = [
        Source(profile, versions[profile.pk], lookups)
        for profile in profiles
        if profile.pk in versions
    ]
    bulk = _bulk(sources)
    return [build(s.submission, s.version, lookups, bulk) for s in sources]


def rebuild_database_index(
    progress: Callable[[int], None] | None = None, chunk: int = CHUNK
) -> int:
    """Rebuild every document from the versions, chunk by chunk, each chunk in its own
    transaction, so searching keeps working during a rebuild; then drop documents that no
    longer belong."""
    lookups = _Lookups()
    profiles = list(indexable_profiles())
    keys: list[str] = []
    for start in range(0, len(profiles), chunk):
        docs = build_documents(profiles[start : start + chunk], lookups)
        with transaction.atomic():
            keys.extend(write_documents(docs))
        if progress:
            progress(len(docs))
    with transaction.atomic():
        SearchDocument.objects.exclude(key__in=keys).delete()
    forget_rounds()
    analyse_tables()
    return len(keys)


def analyse_tables() -> None:
    """Refresh the planner's statistics after a bulk rebuild: without them PostgreSQL picks
    slow plans for filtered searches on a freshly filled index (3–5× in the benchmark)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (SearchDocument, SearchTerm, SearchFacet):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
