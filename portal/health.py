"""Health endpoints for the load balancer and the administrators' counter page.

- ``/healthz/live``: the process answers (no dependencies), for restarts.
- ``/healthz/ready``: 503 only when the database is down; a search outage (the outbox keeps the
  updates), a slow queue or a silent worker is reported as ``degraded`` with 200, so an
  Elasticsearch outage never takes the web nodes out of rotation.
- ``/healthz``: the old strict check (database and search), 503 when either is down.
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Max, Min
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.jobs.models import JobState
from sok.backends import get_backend
from sok.models import PendingIndexUpdate, SearchDocument


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "down"; health must answer, not raise
        return {"ok": False, "detail": exc.__class__.__name__}
    return {"ok": True, "detail": connection.vendor}


def _search_status() -> dict:
    search = get_backend().status()
    return {"ok": search.ok, "detail": search.detail}


def job_counters(now: datetime.datetime | None = None) -> dict:
    """Queue length and age, failed jobs, the worker's last sign of life, the outbox."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    last_beat = JobState.objects.aggregate(last=Max("heartbeat_at"))["last"]
    outbox = PendingIndexUpdate.objects.aggregate(oldest=Min("created_at"))["oldest"]
    return {
        "queue_length": ready.count(),
        "queue_age_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        "failed": DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count(),
        "worker_last_heartbeat": last_beat.isoformat() if last_beat else None,
        "outbox_backlog": PendingIndexUpdate.objects.count(),
        "outbox_age_seconds": int((now - outbox).total_seconds()) if outbox else 0,
        "last_index_update": (
            SearchDocument.objects.aggregate(last=Max("updated_at"))["last"] or None
        ),
    }


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_status(), "search": _search_status()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "feil", "checks": checks}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    database = _database_status()
    if not database["ok"]:
        return JsonResponse({"status": "feil", "checks": {"database": database}}, status=503)
    checks = {"database": database, "search": _search_status()}
    counters = job_counters()
    limit = settings.HEALTH_QUEUE_AGE_SECONDS
    checks["queue"] = {
        "ok": counters["queue_age_seconds"] <= limit,
        "detail": f"{counters['queue_length']} i kø, eldste {counters['queue_age_seconds']} s",
    }
    checks["worker"] = {
        # A job waiting longer than the limit means no worker is taking jobs.
        "ok": counters["queue_age_seconds"] <= limit,
        "detail": f"siste livstegn {counters['worker_last_heartbeat'] or 'aldri'}",
    }
    degraded = not all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "degraded" if degraded else "ok", "checks": checks})


@never_cache
@require_GET
@login_required
def counters(request):
    """The administrators' counter page: queue, failed jobs, outbox, last index update."""
    if not request.user.is_superuser:
        raise PermissionDenied
    return render(
        request,
        "portal/counters.html",
        {"counters": job_counters(), "search": _search_status(), "database": _database_status()},
    )
