"""Request ids, JSON logs, liveness/readiness and the administrators' counter page."""

import datetime
import json
import logging

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from portal.observability import JsonFormatter, RequestIdFilter, request_id_var
from sok.models import PendingIndexUpdate


def test_live_answers_without_database(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_503_when_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


@pytest.mark.django_db
def test_ready_ok(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_ready_degraded_not_503_when_search_is_down(client, settings):
    settings.SOK_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # the discard port: nothing answers
    response = client.get("/healthz/ready")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def _old_ready_job(minutes: int) -> DBTaskResult:
    result = DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        run_after=get_date_max(),
        task_path="portal.jobs.tasks.prune_jobs",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
    )
    # enqueued_at is auto_now_add: age it afterwards, as time would.
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return result


@pytest.mark.django_db
def test_ready_degraded_when_no_worker_takes_jobs(client, settings):
    settings.HEALTH_QUEUE_AGE_SECONDS = 300
    _old_ready_job(minutes=10)
    response = client.get("/healthz/ready")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["queue"]["ok"] is False


def test_request_id_generated_and_returned(client):
    response = client.get("/healthz/live")
    assert len(response["X-Request-ID"]) == 32


def test_request_id_from_proxy_kept_and_bad_one_replaced(client):
    good = client.get("/healthz/live", headers={"X-Request-ID": "lb-1234abcd"})
    assert good["X-Request-ID"] == "lb-1234abcd"
    bad = client.get("/healthz/live", headers={"X-Request-ID": "x\n{injected}"})
    assert bad["X-Request-ID"] != "x\n{injected}"
    assert len(bad["X-Request-ID"]) == 32


def test_json_log_line_carries_request_id():
    token = request_id_var.set("abc12345")
    try:
        record = logging.LogRecord("portal", logging.INFO, __file__, 1, "lagret %s", ("del",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "abc12345"
    assert line["message"] == "lagret del"
    assert line["level"] == "INFO"


@pytest.mark.django_db
def test_counter_page_for_administrators(client, users):
    _old_ready_job(minutes=1)
    PendingIndexUpdate.objects.create(key="p-1")
    client.force_login(users["admin"])
    response = client.get("/drift/tellere/")
    assert response.status_code == 200
    assert response.context["counters"]["queue_length"] == 1
    assert response.context["counters"]["outbox_backlog"] == 1
    assert response.context["counters"]["failed"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["imdi", "fylke_a", "editor", "ks", "outsider"])
def test_counter_page_refused_to_non_admins(client, users, role):
    client.force_login(users[role])
    assert client.get("/drift/tellere/").status_code == 403


@pytest.mark.django_db
def test_counter_page_asks_anonymous_to_log_in(client):
    response = client.get("/drift/tellere/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_job_enqueued_during_a_request_carries_its_request_id(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from portal.jobs.models import JobState
    from portal.jobs.tasks import prune_jobs

    token = request_id_var.set("req-98765432")
    try:
        result = prune_jobs.enqueue()
    finally:
        request_id_var.reset(token)
    assert JobState.objects.get(result_id=result.id).request_id == "req-98765432"
