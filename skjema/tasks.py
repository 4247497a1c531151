"""skjema's background jobs (``portal.jobs``): e-mail delivery, deadline reminders, workbook
imports, the clean-up of replaced plan documents, and IMDi's preparatory documents (made again
on request, sent on their day). Each is a thin caller of a service."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation

from portal.jobs import job


class DeliveryFailed(Exception):
    """Some e-mails could not be handed to the mail server; the job is retried for them."""


@job(max_attempts=6, backoff_seconds=60, max_backoff_seconds=3600, time_limit_seconds=300)
def deliver_notifications(ids: list[int]) -> int:
    """Send the given notification rows. A row the mail server refused stays «failed» and is
    tried again by the job's next attempt (backoff 1, 2, 4, 8, 16 min); a row with no address
    is not retried. Returns how many were sent by this attempt."""
    from .models import Notification
    from .notifications import deliver

    sent = deliver(ids)
    waiting = Notification.objects.filter(
        pk__in=ids, status=Notification.Status.FAILED, recipient__email__gt=""
    ).count()
    if waiting:
        raise DeliveryFailed(f"{waiting} av {len(ids)} e-poster ble ikke sendt; prøver igjen.")
    return sent


@job(max_attempts=2, time_limit_seconds=600)
def send_reminders() -> dict:
    """The deadline reminders (and retries of older failed sends); periodic, see JOBS_SCHEDULE."""
    from . import notifications

    run = notifications.send_reminders()
    return {"created": len(run.created), "skipped": run.skipped, "retried": run.retried}


@job(max_attempts=3, backoff_seconds=30, time_limit_seconds=300)
def regenerate_preparatory_document(meeting_id: int, user_id: int, asked_at: str) -> int:
    """Make the meeting's preparatory document again («Lag på nytt» on the meeting page) as
    ``user`` (IMDi). Safe to repeat: if the current snapshot was made after ``asked_at`` (a
    retry after it was done, or a second click), nothing new is made. Returns its number."""
    from django.contrib.auth import get_user_model

    from portal.content.models import MeetingPage

    from . import meetings
    from .models import PreparatoryDocument

    asked = datetime.datetime.fromisoformat(asked_at)
    current = (
        PreparatoryDocument.objects.filter(meeting_id=meeting_id)
        .select_related("current")
        .values_list("current__number", "current__generated_at")
        .first()
    )
    if current and current[1] is not None and current[1] >= asked:
        return current[0]
    meeting = MeetingPage.objects.defer_streamfields().select_related("county").get(pk=meeting_id)
    user = get_user_model().objects.get(pk=user_id)
    return meetings.generate(meeting, user).number


@job(max_attempts=2, time_limit_seconds=600)
def send_preparatory_documents() -> dict:
    """The approved preparatory documents due three weeks before their meeting, and IMDi's
    reminders of documents not approved; periodic, see JOBS_SCHEDULE."""
    from . import meeting_dispatch

    run = meeting_dispatch.dispatch()
    return {"sent": run.sent, "reminded": run.reminded}


def plan_documents_to_delete(*, now: datetime.datetime | None = None):
    """Plan documents that were replaced or removed: in the plan collection, not the current
    document of any county form, in no submitted version, and older than the grace period
    (PLAN_DOCUMENT_GRACE_DAYS, so an upload being saved right now is never taken)."""
    from wagtail.documents import get_document_model

    from . import plan_documents
    from .models import CountySubmission, Version

    now = now or timezone.now()
    grace = datetime.timedelta(days=getattr(settings, "PLAN_DOCUMENT_GRACE_DAYS", 7))
    current = CountySubmission.objects.filter(plan_document__isnull=False).values("plan_document")
    submitted = {
        value
        for value in Version.objects.filter(data__plans__plan_document__isnull=False).values_list(
            "data__plans__plan_document", flat=True
        )
        if isinstance(value, int)
    }
    return (
        get_document_model()
        .objects.filter(collection=plan_documents.collection(), created_at__lt=now - grace)
        .exclude(pk__in=current)
        .exclude(pk__in=submitted)
    )


@job(max_attempts=3, time_limit_seconds=900)
def delete_replaced_plan_documents() -> int:
    """Delete replaced plan documents and their files; returns how many. Periodic (daily)."""
    deleted = 0
    for document in plan_documents_to_delete().iterator():
        document.file.delete(save=False)
        document.delete()
        deleted += 1
    return deleted


@job(max_attempts=1, time_limit_seconds=120, memory_limit_mb=768)
def preview_workbook_upload(file_id: str, round_id: int, county_id: int) -> dict:
    """Parse an uploaded county workbook (``portal.jobs.models.JobFile``) into a pending import,
    in the worker's child process with a time and memory limit; a refusal is an outcome, not a
    failure, so it is not retried. Writes the outcome on the file row and drops its bytes."""
    import io

    from portal.jobs.models import JobFile
    from portal.register.models import County

    from .exceptions import SkjemaError
    from .models import Round
    from .spreadsheets.importer import create_pending_import

    upload = JobFile.objects.select_related("owner").get(pk=file_id)
    if upload.outcome is not None:
        return upload.outcome  # already done (a repeated run)
    workbook = io.BytesIO(bytes(upload.data or b""))
    workbook.size = len(workbook.getvalue())
    try:
        # The preview's messages in the uploader's written standard (the job has no request).
        with translation.override(upload.owner.preferred_language):
            pending = create_pending_import(
                workbook,
                Round.objects.get(pk=round_id),
                County.objects.get(pk=county_id),
                upload.owner,
                filename=upload.name,
            )
        outcome = {"token": str(pending.token)}
    except SkjemaError as exc:
        outcome = {"error": exc.message}
    JobFile.objects.filter(pk=file_id).update(outcome=outcome, data=None)
    return outcome
