"""The register's background job: a confirmed statistics import (``portal.jobs``), so a
70 000-value file is imported by the worker, not while the administrator's page waits."""

from __future__ import annotations

from portal.jobs import job


@job(max_attempts=1, time_limit_seconds=1800, memory_limit_mb=2048)
def import_statistics_file(file_id: str, county: str | None) -> dict:
    """Import the uploaded file (``portal.jobs.models.JobFile``) for real. The outcome (counts,
    or the file's problems) is written on the file row and returned; the bytes are dropped."""
    from portal.jobs.models import JobFile

    from .statistics import StatisticsFileError, import_statistics

    upload = JobFile.objects.get(pk=file_id)
    if upload.outcome is not None:
        return upload.outcome
    try:
        report = import_statistics(
            bytes(upload.data or b""), filename=upload.name, county=county, dry_run=False
        )
        outcome = {
            "file": report.filename,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "municipalities": report.municipalities,
            "seconds": report.seconds,
        }
    except StatisticsFileError as exc:
        outcome = {"error": {"filename": exc.filename, "problems": exc.problems, "more": exc.more}}
    JobFile.objects.filter(pk=file_id).update(outcome=outcome, data=None)
    return outcome
