"""plassering's background jobs (``portal.jobs``): the scheduled deletion of households whose
retention period has run out. A thin caller of the service, safe to run twice."""

from __future__ import annotations

from portal.jobs import job


@job(max_attempts=3, time_limit_seconds=600)
def delete_expired_households() -> int:
    """Delete households PLASSERING_HOUSEHOLD_RETENTION_DAYS after their last allocation ended."""
    from .services import delete_expired_households as delete

    return delete()
