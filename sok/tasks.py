"""sok's background jobs (``portal.jobs``): the outbox push and a full reindex, calling the
existing functions of ``sok.index`` and the backends."""

from __future__ import annotations

from portal.jobs import job


@job(max_attempts=5, backoff_seconds=30, time_limit_seconds=300)
def push_search_updates(keys: list[str] | None = None) -> int:
    """Send pending index updates to the engine (the given keys, or all); what the engine does
    not take now stays in the outbox for the periodic run. Returns how many were sent."""
    from .index import push_all_pending, push_pending

    return push_pending(keys) if keys else push_all_pending()


@job(max_attempts=2, time_limit_seconds=3600, memory_limit_mb=2048)
def reindex_search() -> int:
    """Rebuild the search index from the submitted versions (as ``manage.py sok_reindex``)."""
    from django.core.management import call_command

    call_command("sok_reindex", verbosity=0)
    from .models import SearchDocument

    return SearchDocument.objects.count()
