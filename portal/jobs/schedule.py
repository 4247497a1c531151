"""Periodic jobs: ``JOBS_SCHEDULE = {"name": ("dotted.path.to.task", seconds)}``. Every worker
calls ``enqueue_due``; a row lock per entry makes each due job enqueued once in all."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduleEntry

logger = logging.getLogger(__name__)


def enqueue_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs whose interval has passed; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for name, (path, seconds) in getattr(settings, "JOBS_SCHEDULE", {}).items():
        with transaction.atomic():
            ScheduleEntry.objects.get_or_create(name=name)
            entry = ScheduleEntry.objects.select_for_update().get(name=name)
            due = entry.last_enqueued_at is None or (
                now - entry.last_enqueued_at >= datetime.timedelta(seconds=seconds)
            )
            if not due:
                continue
            import_string(path).enqueue()
            entry.last_enqueued_at = now
            entry.save(update_fields=["last_enqueued_at"])
        enqueued.append(name)
        logger.info("Periodic job %s enqueued", name)
    return enqueued
