"""The Elasticsearch backend (production): the official client and its DSL, one index alias
per document type, rebuilt into a fresh index and swapped in without downtime.

Text arrives already analysed (``sok.analysis``), so the mapping uses only the core
``whitespace`` analyzer; scoring uses constant-score clauses with the weights of
``sok.query`` so the order matches the database backend exactly."""

from __future__ import annotations

import datetime
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection
from elastic_transport import OrjsonSerializer
from elasticsearch import Elasticsearch, helpers
from elasticsearch import exceptions as es_exceptions

from .. import dimensions
from ..documents import document_key
from ..highlight import explain
from ..models import SearchDocument, SearchFacet, SearchTerm
from ..query import (
    FIELD_WEIGHTS,
    FILTER_WEIGHT,
    PAIR_WEIGHT,
    PREFIX_FACTOR,
    PREFIX_FIELDS,
    SLOT_BONUS,
    SYNONYM_FACTOR,
    Hit,
    ProfileQuery,
    SearchResult,
)
from .base import BackendStatus, SearchBackend, SearchUnavailable

# Errors that mean "the engine cannot answer now": keep pending, fall back, say so.
UNAVAILABLE = (
    es_exceptions.ConnectionError,
    es_exceptions.ConnectionTimeout,
    es_exceptions.TransportError,
    OSError,
)


def number_field(key: str) -> str:
    """Where a number of the registry lives in a document."""
    return dimensions.numbers()[key].column or f"n_{key}"


# A document's terms are a set (each once) and no query asks for positions (phrases are pair
# terms), so only which documents hold a term is indexed: the same scores, a faster rebuild.
TERMS_FIELD = {"type": "text", "analyzer": "whitespace", "norms": False, "index_options": "docs"}


def mapping() -> dict:
    """The index mapping, from the registry (apps above sok add facets and numbers)."""
    return {
        "dynamic": "strict",
        "properties": {
            "key": {"type": "keyword"},
            "round_year": {"type": "integer"},
            "sort_name": {"type": "keyword"},
            "capacity": {"type": "integer"},
            "result": {"type": "float"},
            **{f"{name}_terms": TERMS_FIELD for name in ("name", "body", "code", "pair")},
            **{f"f_{dimension}": {"type": "keyword"} for dimension in dimensions.facets()},
            **{
                f"n_{key}": {"type": "double"}
                for key, number in dimensions.numbers().items()
                if not number.column
            },
            "payload": {"type": "object", "enabled": False},
        },
    }


SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}


def _nearby(query: ProfileQuery) -> dict:
    """Documents of the municipalities in ``query.nearby``, by their keys («2027-0301»)."""
    if query.round_year is not None:
        keys = [document_key(query.round_year, number) for number in query.nearby]
        return {"terms": {"key": keys}}
    return {"bool": {"should": [{"wildcard": {"key": f"*-{n}"}} for n in query.nearby]}}


def _bool(**parts) -> dict:
    """A bool query without its empty clauses."""
    return {"bool": {name: part for name, part in parts.items() if part != []}}


def _any(kind: str, path: str, values) -> dict:
    return {"bool": {"should": [{kind: {path: value}} for value in values]}}


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, timeout: float = 2.0):
        self.url = url
        self.client = Elasticsearch(
            url,
            request_timeout=timeout,
            retry_on_timeout=False,
            max_retries=0,
            # A search answer carries 20 payloads and hundreds of facet buckets; orjson reads
            # it several times faster than the standard library.
            serializer=OrjsonSerializer(),
        )
        self.alias = f"{settings.SOK_INDEX_PREFIX}-profiles"

    # -- health ---------------------------------------------------------------------------

    def status(self) -> BackendStatus:
        try:
            health = self.client.cluster.health()
        except UNAVAILABLE as exc:
            return BackendStatus(False, f"Elasticsearch svarer ikke: {exc.__class__.__name__}")
        except es_exceptions.ApiError as exc:
            return BackendStatus(False, f"Elasticsearch-feil: {exc.meta.status}")
        colour = health.get("status")
        return BackendStatus(colour in {"green", "yellow"}, f"elasticsearch ({colour})")

    # -- documents ------------------------------------------------------------------------

    @staticmethod
    def to_source(document: SearchDocument, terms, facets) -> dict:
        source = {
            "key": document.key,
            "round_year": document.round_year,
            "sort_name": document.sort_name,
            "capacity": document.capacity,
            "result": float(document.result) if document.result is not None else None,
            "payload": document.payload,
        }
        for field_name in (*FIELD_WEIGHTS, "pair"):
            found = terms.get(field_name, ())
            source[f"{field_name}_terms"] = (
                found if isinstance(found, str) else " ".join(sorted(found))
            )
        for dimension in dimensions.facets():
            source[f"f_{dimension}"] = sorted(facets.get(dimension, ()))
        for key, number in dimensions.numbers().items():
            if not number.column:
                source[f"n_{key}"] = (document.numbers or {}).get(key)
        return source

    def _actions(self, documents, index: str):
        documents = list(documents)
        terms, facets = _terms_and_facets([d.pk for d in documents])
        for document in documents:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": document.key,
                "_source": self.to_source(document, terms[document.pk], facets[document.pk]),
            }

    def ensure_index(self) -> str:
        """The index behind the alias, creating a first one if there is none."""
        try:
            aliases = self.client.indices.get_alias(name=self.alias)
            return next(iter(aliases))
        except es_exceptions.NotFoundError:
            index = self._new_index_name()
            self.client.indices.create(index=index, mappings=mapping(), settings=SETTINGS)
            self.client.indices.put_alias(index=index, name=self.alias)
            return index
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc

    def _new_index_name(self) -> str:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-{stamp}"

    def index_documents(self, keys: list[str]) -> dict[str, str]:
        try:
            self.ensure_index()
            documents = SearchDocument.objects.filter(key__in=keys)
            present = {d.key for d in documents}
            actions = list(self._actions(documents, self.alias))
            actions += [
                {"_op_type": "delete", "_index": self.alias, "_id": key}
                for key in keys
                if key not in present
            ]
            _ok, errors = helpers.bulk(
                self.client, actions, raise_on_error=False, raise_on_exception=True, refresh=False
            )
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc
        refused = {}
        for error in errors:
            ((operation, item),) = error.items()
            if operation == "delete" and item.get("status") == 404:
                continue  # already gone
            reason = (item.get("error") or {}).get("reason") or f"status {item.get('status')}"
            refused[item.get("_id", "")] = f"Elasticsearch avviste dokumentet: {reason}"[:255]
        return refused

    def rebuild(self, progress=None, batch_size: int = 500) -> int:
        """Index everything into a new index, then move the alias in one atomic step. Searches
        go to the old index until the swap; updates made meanwhile are re-sent after it."""
        started = datetime.datetime.now(datetime.UTC)
        new_index = self._new_index_name()
        try:
            self.client.indices.create(
                index=new_index, mappings=mapping(), settings={**SETTINGS, "refresh_interval": "-1"}
            )
            count = self._send_all(new_index, progress, batch_size)
            self.client.indices.put_settings(index=new_index, settings={"refresh_interval": "1s"})
            self.client.indices.refresh(index=new_index)
            try:
                old = list(self.client.indices.get_alias(name=self.alias))
            except es_exceptions.NotFoundError:
                old = []
            actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
            actions.append({"add": {"index": new_index, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            changed = list(
                SearchDocument.objects.filter(updated_at__gte=started).values_list("key", flat=True)
            )
            for index in old:
                self.client.indices.delete(index=index)
            if changed:
                # The new index was refreshed before the swap: only these need it again.
                self.index_documents(changed)
                self.client.indices.refresh(index=self.alias)
            return count
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc

    def _send_all(self, index: str, progress, batch_size: int) -> int:
        """Every document to ``index``, batch by batch: a batch is read here (the database
        connection belongs to this thread) while one thread sends the one before, so reading
        and Elasticsearch's indexing overlap."""
        count = 0
        queryset = SearchDocument.objects.order_by("pk")
        last_pk = 0
        with ThreadPoolExecutor(max_workers=1) as sender:
            sending = None
            while True:
                batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
                if not batch:
                    break
                actions = list(self._actions(batch, index))
                if sending is not None:
                    sending.result()
                sending = sender.submit(helpers.bulk, self.client, actions, refresh=False)
                count += len(batch)
                last_pk = batch[-1].pk
                if progress:
                    progress(len(batch))
            if sending is not None:
                sending.result()
        return count

    def refresh(self) -> None:
        self.client.indices.refresh(index=self.alias)

    # -- search ---------------------------------------------------------------------------

    @staticmethod
    def _slot(slot) -> tuple[list[dict], dict]:
        """The scoring clauses of one slot (mirroring ``sok.query.slot_score``) and the filter
        that says whether a document has the slot at all."""
        clauses, filters = [], []

        def add(condition: dict, boost: float) -> None:
            filters.append(condition)
            clauses.append({"constant_score": {"filter": condition, "boost": boost}})

        for field_name, weight in FIELD_WEIGHTS.items():
            path = f"{field_name}_terms"
            if slot.terms:
                add(_any("term", path, slot.terms), weight * SYNONYM_FACTOR)
            if slot.own:
                add(_any("term", path, slot.own), weight * (1 - SYNONYM_FACTOR))
            if field_name in PREFIX_FIELDS and slot.prefixes:
                add(_any("prefix", path, slot.prefixes), weight * PREFIX_FACTOR)
        for phrases, factor in (
            (slot.phrases, SYNONYM_FACTOR),
            (slot.own_phrases, 1 - SYNONYM_FACTOR),
        ):
            if phrases:
                every = [
                    {"bool": {"filter": [{"term": {"pair_terms": p}} for p in phrase]}}
                    for phrase in phrases
                ]
                add({"bool": {"should": every}}, PAIR_WEIGHT * factor)
        return clauses, {"bool": {"should": filters}}

    def _body(
        self,
        query: ProfileQuery,
        slots,
        *,
        partial: bool = False,
        includes: list[str],
        excludes: list[str],
    ) -> dict:
        """The request body, as plain data (building it with the DSL's objects cost more than
        the rest of the search's own work)."""
        filters: list[dict] = []
        if query.round_year is not None:
            filters.append({"term": {"round_year": query.round_year}})
        if query.near:
            filters.append(_nearby(query))
        for key, minimum in sorted(query.minimums.items()):
            filters.append({"range": {number_field(key): {"gte": float(minimum)}}})
        # Chosen facet values filter the hits after the query (post_filter), so that each
        # dimension's facet can count what the other filters let through.
        chosen = {
            dimension: {"terms": {f"f_{dimension}": list(values)}}
            for dimension, values in sorted(query.filters.items())
            if values
        }
        bonus = [
            {
                "constant_score": {
                    "filter": {"term": {f"f_{dimension}": value}},
                    "boost": FILTER_WEIGHT,
                }
            }
            for dimension, values in sorted(query.filters.items())
            for value in values
        ]
        named = []
        for index, slot in enumerate(slots):
            clauses, has = self._slot(slot)
            if partial:
                clauses = [*clauses, {"constant_score": {"filter": has, "boost": SLOT_BONUS}}]
            named.append(
                {"bool": {"should": clauses, "minimum_should_match": 1, "_name": f"s{index}"}}
            )
        if partial:
            text = _bool(should=named, minimum_should_match=1)
            main = _bool(filter=filters, must=[text], should=bonus)
        else:
            main = _bool(filter=filters, must=named, should=bonus, minimum_should_match=0)
        body: dict = {"query": main}
        if chosen:
            body["post_filter"] = {"bool": {"filter": list(chosen.values())}}
        body["aggs"] = {
            dimension: {
                "filter": _bool(
                    filter=[clause for name, clause in chosen.items() if name != dimension]
                ),
                "aggs": {"values": {"terms": {"field": f"f_{dimension}", "size": 2000}}},
            }
            for dimension in dimensions.facets()
        }
        name = [{"sort_name": "asc"}, {"key": "asc"}]
        if query.sort == "name":
            order = name
        elif query.sort in dimensions.numbers():
            field_name = number_field(query.sort)
            order = [{field_name: {"order": "desc", "missing": "_last"}}, *name]
        else:
            order = [{"_score": "desc"}, *name] if (slots or bonus) else name
        body["sort"] = order
        body["track_total_hits"] = True
        body["track_scores"] = True
        body["from"] = query.offset
        body["size"] = query.page_size
        body["_source"] = {"includes": includes, "excludes": excludes}
        return body

    def _send(self, body: dict) -> dict:
        try:
            return self.client.search(index=self.alias, body=body).body
        except UNAVAILABLE as exc:
            raise SearchUnavailable(str(exc)) from exc
        except es_exceptions.NotFoundError as exc:
            raise SearchUnavailable("indeksen finnes ikke ennå") from exc

    def search(self, query: ProfileQuery) -> SearchResult:
        slots = query.slots()
        # Only what a hit shows comes back (not the long term fields); the highlight texts only
        # when there is text to highlight. Body and answer are plain data: the DSL's objects
        # for every clause, hit and bucket cost more than the search itself.
        registered = [f"n_{k}" for k, n in dimensions.numbers().items() if not n.column]
        chosen = [f"f_{d}" for d, values in sorted(query.filters.items()) if values]
        includes = ["key", "payload", *registered, *chosen]
        excludes = [] if slots else ["payload.texts"]
        source = {"includes": includes, "excludes": excludes}
        response = self._send(self._body(query, slots, **source))
        partial = False
        took = float(response["took"])
        if slots and len(slots) > 1 and not response["hits"]["total"]["value"]:
            partial = True
            response = self._send(self._body(query, slots, partial=True, **source))
            took += float(response["took"])
        found = response.get("hits", {}).get("hits", [])
        payloads = [hit["_source"]["payload"] for hit in found]
        hits = []
        for hit, payload, highlighted in zip(
            found, payloads, explain(payloads, slots), strict=True
        ):
            source = hit["_source"]
            named = set(hit.get("matched_queries") or ())
            wanted = {d: set(query.filters[d[2:]]) for d in chosen}
            hits.append(
                Hit(
                    key=source["key"],
                    score=float(hit.get("_score") or 0.0) if (slots or chosen) else 0.0,
                    payload=payload,
                    highlights=highlighted,
                    numbers={
                        name[2:]: source[name]
                        for name in registered
                        if source.get(name) is not None
                    },
                    matched_all_terms=not partial,
                    matched_terms=[slot.text for i, slot in enumerate(slots) if f"s{i}" in named],
                    filters={
                        d[2:]: sorted(set(source.get(d) or ()) & wanted[d])
                        for d in chosen
                        if set(source.get(d) or ()) & wanted[d]
                    },
                )
            )
        facets = {}
        aggregations = response.get("aggregations", {})
        for dimension in dimensions.facets():
            buckets = aggregations.get(dimension, {}).get("values", {}).get("buckets")
            if buckets:
                facets[dimension] = [(b["key"], b["doc_count"]) for b in buckets]
        total = response["hits"]["total"]["value"]
        return SearchResult(
            count=0 if partial else total,
            hits=hits,
            facets=facets,
            backend=self.name,
            engine_ms=took,
            partial=partial,
            partial_count=total if partial else 0,
        )

    def delete_all_indices(self) -> None:
        """For tests: remove every index of this prefix."""
        try:
            indices = self.client.indices.get(index=f"{self.alias}-*")
        except es_exceptions.NotFoundError:
            return
        for index in indices:
            self.client.indices.delete(index=index)


def _terms_and_facets(ids: list[int]) -> tuple[dict, dict]:
    """{document id: {field: its terms}} and {document id: {dimension: its values}}. On
    PostgreSQL the terms come joined and sorted (byte order, as Python sorts) by the database:
    a few rows per document instead of hundreds, most of a rebuild's time otherwise."""
    terms: dict[int, dict] = defaultdict(dict)
    facets: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(SearchTerm._meta.db_table)
            cursor.execute(
                "SELECT document_id, field, string_agg(term, ' ' ORDER BY term COLLATE \"C\") "  # noqa: S608 (own name)
                f"FROM {table} WHERE document_id = ANY(%s) GROUP BY document_id, field",
                [ids],
            )
            for doc_id, field_name, joined in cursor.fetchall():
                terms[doc_id][field_name] = joined
    else:
        rows = SearchTerm.objects.filter(document_id__in=ids).values_list(
            "document_id", "field", "term"
        )
        for doc_id, field_name, term in rows:
            terms[doc_id].setdefault(field_name, set()).add(term)
    for doc_id, dimension, value in SearchFacet.objects.filter(document_id__in=ids).values_list(
        "document_id", "dimension", "value"
    ):
        facets[doc_id][dimension].add(value)
    return terms, facets
