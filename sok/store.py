"""Writing the database index: documents, their terms and facet values, in bulk; a rebuild
by build-then-swap on PostgreSQL (``sok.swap``), elsewhere in chunks of their own
transactions (searching keeps working during a rebuild either way). Knows nothing of the engines: ``sok.index``
decides when to write and tells Elasticsearch; ``sok.backends.database`` reads what is here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.core.cache import cache
from django.db import connection, transaction
from psycopg.types.json import Jsonb

from skjema import reading
from skjema.models import Version

from . import swap
from .documents import (
    DocumentData,
    Source,
    _bulk,
    _Lookups,
    build,
    document_key,
    indexable_profiles,
)
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
    _write_rows(docs, ids)
    return [doc.key for doc in docs]


def _delete_documents(ids: list[int]) -> None:
    """Delete documents, and with them their terms and facets, by id (read first: a subquery by
    key lets PostgreSQL scan the whole term table, still without statistics in a rebuild, once
    per chunk). No ids, no statement: a first rebuild finds no documents."""
    if ids:
        SearchDocument.objects.filter(pk__in=ids).delete()


# The document's columns as COPY names them (foreign keys by their id column).
_COPY_COLUMNS = (
    "key",
    *(f"{name}_id" if name in ("municipality", "county") else name for name in _DOCUMENT_FIELDS),
    "updated_at",
)


def _copy_value(value):
    return Jsonb(value) if isinstance(value, dict | list) else value


def _write_rows(docs: Sequence[DocumentData], ids: dict[str, int]) -> None:
    _insert_rows(
        SearchTerm,
        ("document_id", "field", "term"),
        (
            (ids[doc.key], field_name, term)
            for doc in docs
            for field_name, terms in doc.terms.items()
            for term in sorted(terms)
        ),
    )
    _insert_rows(
        SearchFacet,
        ("document_id", "dimension", "value"),
        (
            (ids[doc.key], dimension, value[:100])
            for doc in docs
            for dimension, values in doc.facets.items()
            for value in sorted(values)
        ),
    )


def _insert_rows(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Insert plain rows: hundreds of thousands of terms in a rebuild, so no model instances.
    PostgreSQL gets them by COPY, other databases by executemany."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        statement = f"COPY {table} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        rows = list(rows)
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 (own names)
                rows[start : start + 10_000],
            )


def latest_versions(profiles: Iterable) -> dict[int, Version]:
    """Submission id -> its latest version, for many submissions in one query."""
    return reading.latest_by_submission(submissions=list(profiles))


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
    """Rebuild every document from the versions. On PostgreSQL into new tables swapped in at
    the end (``sok.swap``); elsewhere chunk by chunk, each chunk in its own transaction, then
    dropping documents that no longer belong. Searching keeps working either way."""
    lookups = _Lookups()
    ids = list(indexable_profiles().values_list("pk", flat=True))
    # Each chunk reads its profiles when it is built: one withdrawn meanwhile is left out.
    chunks = (
        build_documents(
            list(indexable_profiles().filter(pk__in=ids[start : start + chunk])), lookups
        )
        for start in range(0, len(ids), chunk)
    )
    if connection.vendor == "postgresql":
        keys = swap.rebuild(chunks, _reconcile, progress)
    else:
        keys = []
        for docs in chunks:
            with transaction.atomic():
                keys.extend(write_documents(docs))
            if progress:
                progress(len(docs))
        with transaction.atomic():
            _delete_documents(
                list(SearchDocument.objects.exclude(key__in=keys).values_list("id", flat=True))
            )
    forget_rounds()
    analyse_tables()
    return len(keys)


def _reconcile(changed: set[str]) -> None:
    """After a swap, with the index locked: write again the documents live updates wrote
    while the rebuild ran (``changed``) and those it did not see, remove those withdrawn."""
    wanted = {
        document_key(year, number): pk
        for pk, year, number in indexable_profiles().values_list(
            "pk", "round__year", "municipality__number"
        )
    }
    have = set(SearchDocument.objects.values_list("key", flat=True))
    again = [pk for key, pk in wanted.items() if key in changed or key not in have]
    if again:
        write_documents(build_documents(list(indexable_profiles().filter(pk__in=again))))
    _delete_documents(
        list(SearchDocument.objects.filter(key__in=have - set(wanted)).values_list("id", flat=True))
    )


def analyse_tables() -> None:
    """Refresh the planner's statistics after a bulk rebuild: without them PostgreSQL picks
    slow plans for filtered searches on a freshly filled index (3–5× in the benchmark)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (SearchDocument, SearchTerm, SearchFacet):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
