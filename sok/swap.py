"""The rebuild on PostgreSQL by build-then-swap: the documents, terms and facets go by COPY
into new tables without indexes, the indexes and constraints are built once at the end (far
cheaper than keeping four b-trees up to date row by row), and the new tables take the place
of the old ones by rename in the same transaction. Searches read the old tables until then.
The indexes, constraints and identity sequences are copied from the catalogue, so the new
tables are what the migrations made, names included."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .documents import DocumentData
from .models import SearchDocument, SearchFacet, SearchTerm

MODELS = (SearchDocument, SearchTerm, SearchFacet)
SUFFIX = "__next"
# One rebuild at a time: a second one waits for the first (session advisory lock).
LOCK_ID = 0x736F6B  # "sok"
_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON \S+ (USING .+)$")


@dataclass
class _Table:
    name: str
    columns: tuple[str, ...]
    next_id: int = 1

    @property
    def new(self) -> str:
        return f"{self.name}{SUFFIX}"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables(cursor) -> dict[str, _Table]:
    out = {}
    for model in MODELS:
        name = model._meta.db_table
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_q(name)}")  # noqa: S608 (own names)
        columns = tuple(field.column for field in model._meta.concrete_fields)
        out[name] = _Table(name, columns, cursor.fetchone()[0] + 1)
    return out


def rebuild(
    chunks: Iterable[Sequence[DocumentData]],
    reconcile: Callable[[set[str]], None],
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Write these chunks of documents into new tables and swap them in. ``reconcile(keys)``
    runs after the swap, in the same transaction, with the old tables locked since before it:
    it writes again what live updates changed while the rebuild ran (the keys they wrote to
    the old tables, given) or removed. Returns the keys written."""
    started = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
    try:
        with transaction.atomic():
            return _rebuild(chunks, reconcile, progress, started)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])


def _rebuild(chunks, reconcile, progress, started) -> list[str]:
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        for table in tables.values():
            cursor.execute(f"DROP TABLE IF EXISTS {_q(table.new)}")
            cursor.execute(
                f"CREATE TABLE {_q(table.new)} (LIKE {_q(table.name)} INCLUDING DEFAULTS)"
            )
    documents, terms, facets = (tables[m._meta.db_table] for m in MODELS)
    keys: list[str] = []
    for docs in chunks:
        _copy(documents, _document_rows(docs, documents))
        first = documents.next_id - len(docs)
        _copy_text(terms, _term_rows(docs, first))
        _copy_text(facets, _facet_rows(docs, first))
        keys.extend(doc.key for doc in docs)
        if progress:
            progress(len(docs))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        renames = []
        for table in tables.values():
            renames += _copy_schema(cursor, table)
        # The tests' transaction (and a caller's) may hold deferred checks on the old tables:
        # PostgreSQL refuses to drop a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        names = ", ".join(_q(t.name) for t in tables.values())
        cursor.execute(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT key FROM {_q(documents.name)} WHERE updated_at >= %s",  # noqa: S608
            [started],
        )
        changed = {key for (key,) in cursor.fetchall()}
        for table in tables.values():
            cursor.execute(f"DROP TABLE {_q(table.name)}")
            cursor.execute(f"ALTER TABLE {_q(table.new)} RENAME TO {_q(table.name)}")
        for old, new in renames:
            cursor.execute(f"ALTER {old} RENAME TO {_q(new)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    reconcile(changed)
    return keys


def _copy_schema(cursor, table: _Table) -> list[tuple[str, str]]:
    """Give the new table the old one's indexes, constraints and identity column. Index names
    are unique in the schema, so those get a temporary name: (object to rename, name) pairs
    to apply once the old table is gone."""
    new = _q(table.new)
    renames = []
    cursor.execute(
        """
        SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = %s::regclass ORDER BY contype = 'f', conname
        """,
        [table.name],
    )
    constraints = cursor.fetchall()
    for name, kind, definition in constraints:
        if kind in ("p", "u"):
            temporary = f"{name[:50]}{SUFFIX}"
            cursor.execute(f"ALTER TABLE {new} ADD CONSTRAINT {_q(temporary)} {definition}")
            renames.append((f"INDEX {_q(temporary)}", name))
        else:
            cursor.execute(f"ALTER TABLE {new} ADD CONSTRAINT {_q(name)} {definition}")
    cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
        """,
        [table.name],
    )
    for name, definition in cursor.fetchall():
        match = _INDEX.match(definition)
        if match is None:
            raise RuntimeError(f"Uventet indeksdefinisjon: {definition}")
        temporary = f"{name[:50]}{SUFFIX}"
        unique = match.group(1) or ""
        cursor.execute(f"CREATE {unique}INDEX {_q(temporary)} ON {new} {match.group(2)}")
        renames.append((f"INDEX {_q(temporary)}", name))
    cursor.execute(
        f"ALTER TABLE {new} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
        f"(START WITH {table.next_id})"
    )
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table.new])
    sequence = cursor.fetchone()[0]
    renames.append((f"SEQUENCE {sequence}", f"{table.name}_id_seq"))
    return renames


def _copy(table: _Table, rows: Iterable[tuple]) -> None:
    names = ", ".join(_q(c) for c in table.columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {_q(table.new)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _document_rows(docs: Sequence[DocumentData], table: _Table):
    from .store import _copy_value, _document

    now = timezone.now()
    for doc in docs:
        document = _document(doc)
        document.updated_at = now
        document.id = table.next_id
        table.next_id += 1
        yield tuple(_copy_value(getattr(document, column)) for column in table.columns)


# COPY's text format: these four characters escaped, everything else as it is.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(table: _Table, rows: Iterable[tuple[int, str, str]]) -> None:
    """COPY (document id, text, text) rows, numbered from the table's next id: the terms and
    facets, hundreds of thousands of rows of plain strings, formatted here in bulk (three times
    faster than row by row through the driver's adapters)."""
    names = ", ".join(_q(c) for c in table.columns)
    rows = list(rows)
    start = table.next_id
    text = "".join(
        [f"{number}\t{document}\t{a}\t{b}\n" for number, (document, a, b) in enumerate(rows, start)]
    )
    # Terms and field names never hold the four characters COPY escapes, so the rows are
    # written as they are, unless a count says some value has one: then every value escaped.
    if (
        text.count("\t") != 3 * len(rows)
        or text.count("\n") != len(rows)
        or "\\" in text
        or "\r" in text
    ):
        text = "".join(
            [
                f"{number}\t{document}\t{a.translate(_ESCAPES)}\t{b.translate(_ESCAPES)}\n"
                for number, (document, a, b) in enumerate(rows, start)
            ]
        )
    table.next_id += len(rows)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {_q(table.new)} ({names}) FROM STDIN") as copy,
    ):
        copy.write(text.encode())


def _term_rows(docs: Sequence[DocumentData], first: int):
    for number, doc in enumerate(docs, start=first):
        for field_name, found in doc.terms.items():
            for term in sorted(found):
                yield (number, field_name, term)


def _facet_rows(docs: Sequence[DocumentData], first: int):
    for number, doc in enumerate(docs, start=first):
        for dimension, values in doc.facets.items():
            for value in sorted(values):
                yield (number, dimension, value[:100])
