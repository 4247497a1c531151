"""``/healthz``: is the database up, and can the search backend answer? 503 when not."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sok.backends import get_backend


def _database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "down"; health must answer, not raise
        return {"ok": False, "detail": exc.__class__.__name__}
    return {"ok": True, "detail": connection.vendor}


@never_cache
@require_GET
def healthz(request):
    search = get_backend().status()
    checks = {
        "database": _database_status(),
        "search": {"ok": search.ok, "detail": search.detail},
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "feil", "checks": checks}, status=200 if healthy else 503
    )
