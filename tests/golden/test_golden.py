"""Golden snapshots of what the demo shows, taken before the read side was restructured: the
search documents, the API's profiles and county submissions (as IMDi and as a county officer),
the receipts (page and Word file), the preparatory document and the URL table.

A refactoring must leave every snapshot identical. A deliberate change of behaviour rewrites
them: ``UPDATE_GOLDEN=1 make test-fast PYTEST_ARGS=tests/golden`` and review the JSON diff in
git before committing it.

Determinism: a fixed clock (time-machine, not ticking), ids from sequences reset to the first
free value before the demo is built, seeded row uids, and sets sorted. Nothing else is stripped."""

from __future__ import annotations

import datetime
import difflib
import io
import json
import os
import random
import re
import uuid
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_GOLDEN", "") == "1"
# A Thursday late in November: the demo's current round (2027) is past its deadline, with
# every state present, and its autumn meetings lie ahead.
NOW = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))


# ---------------------------------------------------------------------------------------------
# the demo, built once for the module inside a transaction that is rolled back


def _reset_sequences() -> None:
    """Make ids start where the table's rows end, whatever earlier tests consumed (sequences
    are not rolled back on PostgreSQL)."""
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    with connection.cursor() as cursor:
        for model in models:
            pk = model._meta.pk
            if pk.get_internal_type() not in {"AutoField", "BigAutoField", "SmallAutoField"}:
                continue
            table = model._meta.db_table
            column = pk.column
            # Names from the models' own metadata, not from input.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "  # noqa: S608
                f'coalesce(max("{column}"), 0) + 1, false) FROM "{table}"'
            )


@contextmanager
def _deterministic_uuids():
    """Row uids are random (uuid4); the demo's get a seeded sequence instead."""
    rng = random.Random(2027)

    def uuid4():
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    original = uuid.uuid4
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is original
    ]
    for field in fields:
        field.default = uuid4
        field.__dict__.pop("_get_default", None)
    uuid.uuid4 = uuid4
    try:
        yield
    finally:
        uuid.uuid4 = original
        for field in fields:
            field.default = original
            field.__dict__.pop("_get_default", None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        # The snapshots are PostgreSQL's (production and CI). On SQLite the demo itself comes
        # out differently (row uids drawn in another order, one county's recommendation rows).
        pytest.skip("the golden snapshots are taken on PostgreSQL (set DATABASE_URL)")
    from portal.register.models import Municipality

    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        _deterministic_uuids(),
        transaction.atomic(),
    ):
        if not Municipality.objects.filter(number="0301").exists():
            call_command("load_register", verbosity=0)
        _reset_sequences()
        with override_settings(DEBUG=True):
            call_command("load_demo", verbosity=0)
        with override_settings(SOK_BACKEND="database"):
            call_command("sok_reindex", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def golden(demo, db, settings):
    settings.SOK_BACKEND = "database"
    with time_machine.travel(NOW, tick=False):
        yield


def _client(username: str) -> Client:
    from portal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


# ---------------------------------------------------------------------------------------------
# comparing


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"


def check(name: str, value) -> None:
    path = SNAPSHOTS / f"{name}.json"
    actual = _dump(value)
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing: run with UPDATE_GOLDEN=1 to write it")
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            fromfile=f"golden/{name}.json",
            tofile="now",
            lineterm="",
            n=2,
        )
        lines = list(diff)
        shown = "\n".join(lines[:200])
        more = f"\n… {len(lines) - 200} more diff lines" if len(lines) > 200 else ""
        pytest.fail(
            f"{name} differs from its golden snapshot (UPDATE_GOLDEN=1 rewrites it if the "
            f"change is meant):\n{shown}{more}",
            pytrace=False,
        )


class _Text(HTMLParser):
    """The visible text of a page, one line per block of text."""

    SKIP = {"script", "style", "template", "svg"}

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            text = re.sub(r"\s+", " ", data).strip()
            if text:
                self.lines.append(text)


def page_text(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    parser = _Text()
    parser.feed(response.content.decode())
    return parser.lines


def docx_text(content: bytes) -> list[str]:
    from docx import Document

    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return lines


def _get_json(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.json()


# ---------------------------------------------------------------------------------------------
# the snapshots


def test_search_documents(golden):
    from sok.models import SearchDocument

    documents = {}
    for document in SearchDocument.objects.prefetch_related("terms", "facets").order_by("key"):
        terms: dict[str, list[str]] = {}
        for term in document.terms.all():
            terms.setdefault(term.field, []).append(term.term)
        facets: dict[str, list[str]] = {}
        for facet in document.facets.all():
            facets.setdefault(facet.dimension, []).append(facet.value)
        documents[document.key] = {
            "round_year": document.round_year,
            "municipality": document.municipality.number,
            "county": document.county.number,
            "submission_id": document.submission_id,
            "version_number": document.version_number,
            "status": document.status,
            "sort_name": document.sort_name,
            "capacity": document.capacity,
            "result": str(document.result) if document.result is not None else None,
            "last_change": document.last_change.isoformat(),
            "payload": document.payload,
            "terms": {k: sorted(v) for k, v in terms.items()},
            "facets": {k: sorted(v) for k, v in facets.items()},
        }
    assert len(documents) > 50
    check("search_documents", documents)


@pytest.mark.parametrize("username", ["imdi", "fylke-40"])
@pytest.mark.parametrize("resource", ["profiles", "county-submissions"])
def test_api(golden, resource, username):
    client = _client(username)
    listing = _get_json(client, f"/api/v1/{resource}/?page_size=200")
    assert listing["next"] is None
    details = {}
    for row in listing["results"]:
        details[str(row["id"])] = _get_json(client, f"/api/v1/{resource}/{row['id']}/")
    assert details
    check(f"api_{resource}_{username}", {"list": listing, "detail": details})


def _versions():
    from skjema.models import Version

    return Version.objects.select_related(
        "submission__round", "submission__county", "submission__municipality"
    ).order_by("submission__round__year", "submission__kind", "submission_id", "number")


def _version_key(version) -> str:
    submission = version.submission
    subject = submission.municipality.number if submission.municipality_id else "fylke"
    return (
        f"{submission.round.year}-{submission.kind}-{submission.county.number}-{subject}"
        f"-v{version.number}"
    )


def test_receipts(golden):
    client = _client("imdi")
    receipts = {}
    for version in _versions():
        year = version.submission.round.year
        page = client.get(f"/skjema/{year}/kvittering/{version.pk}/")
        document = client.get(f"/skjema/{year}/kvittering/{version.pk}.docx")
        assert document.status_code == 200
        receipts[_version_key(version)] = {
            "page": page_text(page),
            "docx": docx_text(document.content),
            "filename": document["Content-Disposition"],
        }
    assert len(receipts) > 50
    check("receipts", receipts)


def test_preparatory_documents(golden):
    from skjema.models import PreparatoryDocument
    from skjema.preparatory import build_content, document_docx

    client = _client("imdi")
    documents = {}
    for document in PreparatoryDocument.objects.select_related(
        "round", "county", "meeting", "current"
    ).order_by("round__year", "county__number"):
        content = build_content(document.round, document.meeting, document.county, now=NOW)
        entry = {
            "state": document.state,
            "content": content,
            "docx": docx_text(document_docx(content, version=1)),
        }
        if document.current is not None:
            url = f"/skjema/{document.round.year}/moter/{document.meeting_id}/dokument"
            entry["page"] = page_text(client.get(f"{url}/"))
            entry["stored"] = document.current.content
            stored_docx = client.get(f"{url}.docx")
            assert stored_docx.status_code == 200
            entry["stored_docx"] = docx_text(stored_docx.content)
        documents[f"{document.round.year}-{document.county.number}"] = entry
    assert any("page" in entry for entry in documents.values())
    check("preparatory_documents", documents)


def _patterns(resolver, prefix: str = "", namespace: str = "") -> list[dict]:
    rows = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            rows.extend(_patterns(entry, route, full))
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            rows.append({"name": name, "route": route})
    return rows


def test_url_table(golden):
    rows = _patterns(get_resolver())
    assert len(rows) > 50
    check("urls", [f"{row['name']}  {row['route']}" for row in rows])
