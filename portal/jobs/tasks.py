"""The jobs app's own periodic job: prune old results and job files."""

import datetime

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .api import job
from .models import JobFile

KEEP_RESULTS = datetime.timedelta(days=30)
KEEP_FILES = datetime.timedelta(days=1)


@job(max_attempts=2, time_limit_seconds=600)
def prune_jobs() -> dict:
    """Delete finished jobs older than 30 days (failed ones too: their errors are logged) and
    job files older than a day."""
    now = timezone.now()
    results, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - KEEP_RESULTS,
    ).delete()
    files, _ = JobFile.objects.filter(created_at__lt=now - KEEP_FILES).delete()
    return {"results": results, "files": files}
