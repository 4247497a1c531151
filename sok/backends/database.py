"""The embedded search backend: searches the index tables in the portal's own database
(SQLite or PostgreSQL); no service needed. Scoring and facets follow ``sok.query``."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q

from .. import dimensions
from ..highlight import explain
from ..models import SearchDocument, SearchFacet, SearchTerm
from ..query import (
    FILTER_WEIGHT,
    PREFIX_FIELDS,
    Hit,
    ProfileQuery,
    SearchResult,
    score_terms,
    slot_score,
)
from ..store import rebuild_database_index
from .base import BackendStatus, SearchBackend


def filtered_documents(query: ProfileQuery, *, skip: Iterable[str] = ()):
    """The documents every filter lets through, but the facet dimensions in ``skip`` (a
    chosen dimension's facet counts what the other filters let through)."""
    docs = SearchDocument.objects.all()
    if query.round_year is not None:
        docs = docs.filter(round_year=query.round_year)
    if query.near:
        docs = docs.filter(municipality__number__in=query.nearby)
    for dimension, values in sorted(query.filters.items()):
        if values and dimension not in skip:
            docs = docs.filter(
                pk__in=SearchFacet.objects.filter(dimension=dimension, value__in=values).values(
                    "document_id"
                )
            )
    registered = dimensions.numbers()
    for key, minimum in sorted(query.minimums.items()):
        column = registered[key].column
        if column:
            docs = docs.filter(**{f"{column}__gte": minimum})
        else:
            docs = docs.filter(**{f"numbers__{key}__gte": float(minimum)})
    return docs


def _all(slots, terms) -> bool:
    return all(slot_score(slot, terms) for slot in slots)


def _number(row: dict, key: str):
    column = dimensions.numbers()[key].column
    return row[column] if column else (row["numbers"] or {}).get(key)


def _order_key(query: ProfileQuery, score: float, row: dict):
    name_key = (row["sort_name"], row["key"])
    if query.sort == "name":
        return name_key
    if query.sort in dimensions.numbers():
        value = _number(row, query.sort)
        return (value is None, -(value or 0), *name_key)
    return (-score, *name_key)


class DatabaseBackend(SearchBackend):
    name = "database"

    def status(self) -> BackendStatus:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:  # any driver error means the backend cannot answer
            return BackendStatus(False, f"databasen svarer ikke: {exc.__class__.__name__}")
        return BackendStatus(True, "database")

    def search(self, query: ProfileQuery) -> SearchResult:
        started = time.perf_counter()
        slots = query.slots()
        chosen = sorted(dimension for dimension, values in query.filters.items() if values)
        docs = filtered_documents(query)
        rows = {
            row["id"]: row
            for row in docs.values("id", "key", "sort_name", "capacity", "result", "numbers")
        }
        scores: dict[int, float] = {}
        slot_hits: dict[int, int] = {}
        doc_terms: dict = {}
        partial = False
        if slots:
            # With chosen facet values, the text is matched on every document of the other
            # filters too: each chosen dimension's facet counts what its other values would give.
            scope = filtered_documents(query, skip=chosen) if chosen else docs
            doc_terms = self._terms(slots, scope)
            full = {pk: terms for pk, terms in doc_terms.items() if _all(slots, terms)}
            if not any(pk in rows for pk in full) and len(slots) > 1:
                partial = True
            for pk, terms in (doc_terms if partial else full).items():
                scores[pk], slot_hits[pk] = score_terms(slots, terms, partial=partial)
            matched = [pk for pk in rows if pk in scores]
        else:
            matched = list(rows)
        chosen_values = self._chosen_values(query, matched) if chosen else {}
        for pk, values in chosen_values.items():
            count = sum(len(v) for v in values.values())
            scores[pk] = scores.get(pk, 0.0) + count * FILTER_WEIGHT
        matched.sort(key=lambda pk: _order_key(query, scores.get(pk, 0.0), rows[pk]))
        page_ids = matched[query.offset : query.offset + query.page_size]
        payloads = dict(SearchDocument.objects.filter(pk__in=page_ids).values_list("id", "payload"))
        page = [payloads[pk] for pk in page_ids]
        satisfied = chosen_values
        hits = []
        for pk, payload, found in zip(page_ids, page, explain(page, slots), strict=True):
            terms = doc_terms.get(pk, {}) if slots else {}
            words = [slot.text for slot in slots if slot_score(slot, terms)]
            hits.append(
                Hit(
                    key=rows[pk]["key"],
                    score=scores.get(pk, 0.0),
                    payload=payload,
                    highlights=found,
                    numbers=rows[pk]["numbers"] or {},
                    matched_all_terms=not partial,
                    matched_terms=words,
                    filters=satisfied.get(pk, {}),
                )
            )
        facets = self._facets(matched if slots else docs)
        for dimension in chosen:
            others = filtered_documents(query, skip=[dimension])
            if slots:
                others = others.filter(pk__in=list(scores))
            facets.pop(dimension, None)
            facets.update(self._facets(others, dimension=dimension))
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(
            0 if partial else len(matched),
            hits,
            facets,
            self.name,
            engine_ms=elapsed,
            partial=partial,
            partial_count=len(matched) if partial else 0,
        )

    @staticmethod
    def _terms(slots, docs) -> dict[int, dict[str, set[str]]]:
        """The terms that matter to these slots, per document of ``docs`` that has any."""
        exact = {t for slot in slots for t in slot.terms} | {
            p for slot in slots for p in slot.pair_terms
        }
        prefixes = {p for slot in slots for p in slot.prefixes}
        condition = Q(term__in=exact)
        for prefix in prefixes:
            condition |= Q(term__startswith=prefix, field__in=PREFIX_FIELDS)
        doc_terms: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for document_id, field_name, term in (
            SearchTerm.objects.filter(condition, document__in=docs)
            .values_list("document_id", "field", "term")
            .iterator()
        ):
            doc_terms[document_id][field_name].add(term)
        return doc_terms

    @staticmethod
    def _chosen_values(query: ProfileQuery, ids) -> dict[int, dict[str, list[str]]]:
        """The chosen filter values each of these documents has (one query): they add
        FILTER_WEIGHT each to the score, and the hit says which filters it satisfies."""
        condition = Q()
        for dimension, values in query.filters.items():
            if values:
                condition |= Q(dimension=dimension, value__in=values)
        out: dict[int, dict[str, list[str]]] = defaultdict(dict)
        for document_id, dimension, value in (
            SearchFacet.objects.filter(condition, document_id__in=ids)
            .order_by("dimension", "value")
            .values_list("document_id", "dimension", "value")
        ):
            out[document_id].setdefault(dimension, []).append(value)
        return out

    def _facets(self, documents, dimension: str | None = None) -> dict[str, list[tuple[str, int]]]:
        if isinstance(documents, list):
            facet_rows = SearchFacet.objects.filter(document_id__in=documents)
        else:
            facet_rows = SearchFacet.objects.filter(document__in=documents)
        if dimension is not None:
            facet_rows = facet_rows.filter(dimension=dimension)
        counts: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for row in (
            facet_rows.values("dimension", "value")
            .annotate(n=Count("document_id"))
            .order_by("dimension", "-n", "value")
        ):
            counts[row["dimension"]].append((row["value"], row["n"]))
        return dict(counts)

    def index_documents(self, keys: list[str]) -> dict[str, str]:
        """Nothing to do: the database index is written by ``sok.index`` itself."""
        return {}

    def rebuild(self, progress=None) -> int:
        return rebuild_database_index(progress)
