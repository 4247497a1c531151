"""Faults: with Elasticsearch down or hanging, saving and submitting still succeed, updates
wait in the pending list and are applied when it is back, and search answers from the
database with a plain notice — never a 500. The node is really stopped here (CI)."""

import socket
import subprocess
import threading
from pathlib import Path

import pytest

from skjema import services
from sok.backends import get_backend
from sok.index import push_pending
from sok.models import PendingIndexUpdate
from sok.query import ProfileQuery
from sok.service import search_profiles
from tests.conftest import require_service
from tests.fixtures.skjema import fill_profile
from tests.sok.conftest import ES_URL, elasticsearch_available

pytestmark = pytest.mark.django_db
ES_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "ci" / "elasticsearch.sh"


def _script(*args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        ["bash", str(ES_SCRIPT), *args], capture_output=True, text=True, timeout=240
    )


@pytest.fixture
def hanging_server():
    """A TCP server that accepts connections and never answers: a 'slow' Elasticsearch."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    stop = threading.Event()
    held = []

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def test_slow_elasticsearch_falls_back_and_keeps_updates(
    settings, skien, users, hanging_server, django_capture_on_commit_callbacks
):
    settings.SOK_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = hanging_server
    county = users["fylke_b"]
    with django_capture_on_commit_callbacks(execute=True):
        skien = fill_profile(skien, county)
        services.submit(skien, county)  # succeeds although the engine hangs
    assert PendingIndexUpdate.objects.filter(key="2027-4003").exists()
    result = search_profiles(ProfileQuery(round_year=2027, text="helsefagarbeider"))
    assert result.degraded and result.backend == "database"
    assert [h.payload["municipality"]["number"] for h in result.hits] == ["4003"]
    assert not get_backend().status().ok


def test_stopped_node_then_back_loses_nothing(
    settings, skien, users, elasticsearch_backend, django_capture_on_commit_callbacks
):
    managed = ES_SCRIPT.exists() and _script("status").returncode == 0
    require_service(managed, "an Elasticsearch node managed by scripts/ci/elasticsearch.sh")
    county = users["fylke_b"]
    elasticsearch_backend.ensure_index()
    stopped = _script("stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        assert not elasticsearch_available(ES_URL)
        with django_capture_on_commit_callbacks(execute=True):
            skien = fill_profile(skien, county)
            services.submit(skien, county)
        assert PendingIndexUpdate.objects.filter(key="2027-4003").exists()
        result = search_profiles(ProfileQuery(round_year=2027, text="helsefagarbeider"))
        assert result.degraded
        assert [h.payload["municipality"]["number"] for h in result.hits] == ["4003"]
    finally:
        started = _script("start")
        assert started.returncode == 0, started.stdout + started.stderr
    assert push_pending() == 1
    assert not PendingIndexUpdate.objects.exists()
    elasticsearch_backend.refresh()
    result = search_profiles(ProfileQuery(round_year=2027, text="helsefagarbeider"))
    assert not result.degraded and result.backend == "elasticsearch"
    assert [h.payload["municipality"]["number"] for h in result.hits] == ["4003"]
