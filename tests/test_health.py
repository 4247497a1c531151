"""``/healthz`` reports the database and the search backend, 503 when one is down."""

import pytest

from sok.backends import get_backend


@pytest.mark.django_db
def test_healthz_ok(client, settings):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["search"]["ok"] is True
    assert body["checks"]["search"]["detail"].startswith(settings.SOK_BACKEND)


@pytest.mark.django_db
def test_healthz_503_when_search_is_down(client, settings):
    settings.SOK_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # the discard port: nothing answers
    assert get_backend().name == "elasticsearch"
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "feil"
    assert body["checks"]["search"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_503_when_database_is_down(client, settings, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    # Simulate the outside failure (the driver), not the code under test.
    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
