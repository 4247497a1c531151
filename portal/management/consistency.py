"""Does the search index agree with the database? Used after a restore and after a load test.

Every published profile has one search document for its latest version, no other profile has
one, the outbox is empty, and Elasticsearch (when configured) holds exactly those documents
with the same payload."""

import json
import time

from django.db.models import Max
from elasticsearch import helpers

from skjema.models import Version
from skjema.reading import published_profiles
from sok.backends import get_backend
from sok.backends.elasticsearch import ElasticsearchBackend
from sok.documents import document_key
from sok.models import PendingIndexUpdate, SearchDocument


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def wait_for_outbox(seconds: float) -> int:
    """Wait until the worker has pushed every pending update; the backlog left."""
    deadline = time.monotonic() + seconds
    while (backlog := PendingIndexUpdate.objects.count()) and time.monotonic() < deadline:
        time.sleep(2)
    return backlog


def search_problems(*, limit: int = 20) -> tuple[list[str], dict]:
    """(problems, figures): an empty list when the index agrees with the database."""
    problems: list[str] = []
    latest = dict(Version.objects.values_list("submission_id").annotate(n=Max("number")).order_by())
    expected = {
        document_key(year, number): (pk, latest.get(pk))
        for pk, year, number in published_profiles().values_list(
            "pk", "round__year", "municipality__number"
        )
    }
    documents = {
        d.key: d
        for d in SearchDocument.objects.only("key", "submission_id", "version_number", "payload")
    }
    for key, (pk, number) in sorted(expected.items()):
        document = documents.get(key)
        if document is None:
            problems.append(f"{key}: publisert profil mangler i søkeindeksen")
        elif (document.submission_id, document.version_number) != (pk, number):
            problems.append(
                f"{key}: søkedokumentet har versjon {document.version_number}, databasen {number}"
            )
    problems += [
        f"{key}: søkedokument for en profil som ikke er publisert"
        for key in sorted(set(documents) - set(expected))
    ]
    backlog = PendingIndexUpdate.objects.count()
    if backlog:
        problems.append(f"{backlog} oppdateringer venter fortsatt i utboksen")
    figures = {"published": len(expected), "documents": len(documents), "outbox": backlog}

    backend = get_backend()
    if isinstance(backend, ElasticsearchBackend):
        # The web's short timeout is for pages; a check may wait for a busy node.
        client = backend.client.options(request_timeout=30)
        client.indices.refresh(index=backend.alias)
        indexed = {
            hit["_id"]: hit["_source"].get("payload")
            for hit in helpers.scan(client, index=backend.alias, _source=["payload"], size=500)
        }
        figures["elasticsearch"] = len(indexed)
        problems += [
            f"{key}: mangler i Elasticsearch" for key in sorted(set(documents) - set(indexed))
        ]
        problems += [
            f"{key}: finnes i Elasticsearch, ikke i databasen"
            for key in sorted(set(indexed) - set(documents))
        ]
        problems += [
            f"{key}: Elasticsearch har et annet innhold enn databasen"
            for key in sorted(set(indexed) & set(documents))
            if _canonical(indexed[key]) != _canonical(documents[key].payload)
        ]
    if len(problems) > limit:
        problems = [*problems[:limit], f"… og {len(problems) - limit} til"]
    return problems, figures
