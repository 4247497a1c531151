"""The benchmark machinery on a handful of documents: seeded data, the query mix, the
measurements and the table. No timing is asserted; only that the machinery works."""

import threading
from collections import Counter

import pytest
from django.http import QueryDict
from django.test import Client

from portal.accounts.tokens import issue_token
from skjema.models import MunicipalityProfile, Version
from sok import bench
from sok.forms import SearchForm
from sok.index import rebuild_database_index
from sok.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_seed_builds_realistic_profiles_and_the_index_takes_them(users, database_backend):
    summary = bench.seed(users["imdi"], rounds=[2031, 2032], municipalities=6)
    assert summary.profiles == 12
    profiles = MunicipalityProfile.objects.filter(round__year__in=[2031, 2032])
    assert profiles.count() == 12
    versions = list(Version.objects.filter(submission__in=profiles))
    assert len(versions) == summary.versions
    assert Counter(p.status for p in profiles)["draft"] == 12 - summary.versions
    for version in versions:
        data = version.data
        assert 2 <= len(data["qualification"]) <= 6
        assert 1 <= len(data["upper_secondary"]) <= 5
        assert 0 <= len(data["cooperation"]) <= 3
        assert 1 <= len(data["labour"]) <= 6
        assert data["capacity"]["wants_to_settle"] in {"yes", "partly", "no"}
    assert rebuild_database_index() == summary.versions
    assert SearchDocument.objects.count() == summary.versions


def test_seed_is_deterministic(users):
    register = bench.Register.load(4)
    first = [
        bench.profile_data(bench.random.Random(1), m, register) for m in register.municipalities
    ]
    again = [
        bench.profile_data(bench.random.Random(1), m, register) for m in register.municipalities
    ]
    assert first == again


def test_query_mix_is_fixed_and_every_query_is_valid(db, register):
    mix = bench.query_mix()
    assert len(mix) == bench.QUERY_COUNT == 50
    assert mix == bench.query_mix()
    for path in mix:
        assert path.startswith(bench.SEARCH_PATH)
        form = SearchForm(QueryDict(path.split("?", 1)[1]))
        assert form.is_valid(), (path, form.errors)
    assert sum("q=" in path for path in mix) > 20
    assert sum("county=" in path or "occupation=" in path for path in mix) > 10


def test_latency_through_the_api(users, database_backend):
    bench.seed(users["imdi"], rounds=[2031], municipalities=5)
    rebuild_database_index()
    token = issue_token(users["imdi"], name="bench", days=1)[1]
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    paths = bench.query_mix()[:4]
    samples = bench.measure_latency(client, paths, repeat=2, warmup=1)
    assert len(samples) == 8
    assert {s.status for s in samples} == {200}
    assert all(s.ms > 0 and s.engine_ms is not None for s in samples)


def test_engine_time_header():
    assert bench.engine_time("engine;dur=3.5") == 3.5
    assert bench.engine_time("app;dur=1, engine;dur=12.0") == 12.0
    assert bench.engine_time(None) is None
    assert bench.engine_time("engine;dur=abc") is None


def test_throughput_against_a_pooled_server():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = bench.make_server(app, threads=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address
        result = bench.measure_throughput(host, port, ["/a", "/b"], clients=3, requests=12)
    finally:
        server.shutdown()
        server.server_close()
    assert (result.requests, result.errors) == (12, 0)
    assert result.per_second > 0


def test_table():
    row = bench.BackendFigures("elasticsearch", "postgresql", 10, 1.5, target_p95=50)
    row.latencies = [10.0, 12.0, 40.0, 60.0]
    row.engine = [5.0, 6.0]
    row.throughput = bench.Throughput(100, 0, 2.0)
    table = bench.format_table([row])
    header, rule, line = table.splitlines()
    assert header.split()[:2] == ["backend", "database"]
    assert set(rule) <= {"-", " "}
    assert "elasticsearch" in line and "50.0" in line  # throughput 100 / 2 s
    assert "< 50 ms MISSED" in line  # p95 57 ms
    assert "4.73 MISSED" in line  # median API 26 ms over median engine 5.5 ms


def test_the_ratio_is_explained_with_the_fixed_costs():
    row = bench.BackendFigures("elasticsearch", "postgresql", 10, 1.0, target_p95=50)
    row.latencies = [6.0, 6.0, 6.0]
    row.engine = [1.0, 1.0, 2.0]
    assert bench.explain_ratio(row) is None  # fixed costs not measured
    row.api_floor, row.client_floor = 1.0, 0.5
    text = bench.explain_ratio(row)
    assert "median 1.0 ms" in text and "5.0 ms utenom motoren" in text
    assert "forholdet 2.50" in text  # (1 + 1 + 0.5) / 1
    assert "Resten (3.5 ms)" in text


def test_fixed_costs_are_measured(users, elasticsearch_backend):
    from sok.index import rebuild_database_index

    rebuild_database_index()
    elasticsearch_backend.rebuild()
    token = issue_token(users["imdi"], name="bench-2", days=1)[1]
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    api, engine = bench.fixed_costs(client, elasticsearch_backend, repeat=5)
    assert 0 < api < 1000
    assert 0 <= engine < 1000
