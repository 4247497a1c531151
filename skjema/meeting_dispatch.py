"""IMDi's preparatory documents after they are made: what the county changed since, IMDi's
approval, the scheduled send and the reminder to IMDi.

- ``changes_since(document)``: the county's submissions whose status or version changed after
  the current snapshot read the data (the meeting page warns and offers «Lag på nytt»).
- ``approve``: IMDi approves the current snapshot. Only an approved snapshot is sent.
- ``dispatch(now=...)``, run by the periodic job ``skjema.tasks.send_preparatory_documents``:
  on the send day – three weeks before the meeting (``meetings.due_date``) – or later but
  before the meeting, the current snapshot is sent to the participants if IMDi has approved
  it, once (``meetings.mark_sent(scheduled=True)``). From PREPARATORY_APPROVAL_REMINDER_DAYS
  before the send day, IMDi's officers get one reminder per meeting and send day while the
  current snapshot is not approved (or no document is made).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.content.models import MeetingKind, MeetingPage

from .exceptions import InvalidTransition
from .meetings import _require_preparer, document_url, due_date, mark_sent
from .models import Notification, PreparatoryDocument, Round, Transition
from .notifications import by_language, imdi_officers, notify
from .preparatory import format_day, format_moment

CHANGING_ACTIONS = (
    Transition.Action.SUBMIT,
    Transition.Action.RETURN,
    Transition.Action.ACCEPT,
    Transition.Action.REOPEN,
)


@dataclass
class Change:
    label: str  # «4003 Skien» or «Fylkets innspill»
    action: str  # «Sendt inn», «Returnert», …
    at: datetime.datetime


def changes_since(document: PreparatoryDocument | None) -> list[Change]:
    """The county's submissions in the document's round that were submitted, returned,
    accepted or reopened after the current snapshot read the data, the latest change of each,
    in the order they happened. One query."""
    if document is None or document.current is None:
        return []
    transitions = (
        Transition.objects.filter(
            submission__round_id=document.round_id,
            submission__county_id=document.county_id,
            action__in=CHANGING_ACTIONS,
            at__gt=document.current.generated_at,
        )
        .select_related("submission__municipality")
        .order_by("at", "id")
    )
    latest: dict[int, Change] = {}
    for transition in transitions:
        municipality = transition.submission.municipality
        label = (
            f"{municipality.number} {municipality.name}" if municipality else _("Fylkets innspill")
        )
        latest.pop(transition.submission_id, None)
        latest[transition.submission_id] = Change(
            label, transition.get_action_display(), transition.at
        )
    return list(latest.values())


@transaction.atomic
def approve(document: PreparatoryDocument, user, *, now: datetime.datetime | None = None):
    """IMDi approves the current snapshot for sending; approving it again changes nothing."""
    _require_preparer(user)
    document = (
        PreparatoryDocument.objects.select_for_update(of=("self",))
        .select_related("current")
        .get(pk=document.pk)
    )
    snapshot = document.current
    if snapshot is None:
        raise InvalidTransition(_("Lag dokumentet før du godkjenner det."))
    if snapshot.approved_at is None:
        snapshot.approved_at, snapshot.approved_by = now or timezone.now(), user
        snapshot.save(update_fields=["approved_at", "approved_by"])
    return snapshot


def reminder_days() -> int:
    return settings.PREPARATORY_APPROVAL_REMINDER_DAYS


@dataclass
class DispatchRun:
    sent: list[int] = field(default_factory=list)  # snapshot ids sent now
    reminded: list[int] = field(default_factory=list)  # meeting ids IMDi was reminded of


def _upcoming_meetings(now: datetime.datetime):
    return (
        MeetingPage.objects.filter(
            kind=MeetingKind.COUNTY_COOPERATION, county__isnull=False, starts_at__gt=now
        )
        .defer_streamfields()
        .select_related("county")
        .order_by("starts_at", "pk")
    )


def dispatch(*, now: datetime.datetime | None = None) -> DispatchRun:
    """Send the approved documents that are due and remind IMDi of those not approved. Safe to
    run every few minutes, from several workers: each snapshot is sent once and each reminder
    goes to each IMDi officer once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = DispatchRun()
    meetings = list(_upcoming_meetings(now))
    documents = {
        document.meeting_id: document
        for document in PreparatoryDocument.objects.filter(
            meeting_id__in=[m.pk for m in meetings]
        ).select_related("current", "current__approved_by", "round")
    }
    for meeting in meetings:
        due = due_date(meeting)
        document = documents.get(meeting.pk)
        snapshot = document.current if document else None
        approved = snapshot is not None and snapshot.approved_at is not None
        if approved and snapshot.sent_at is None and today >= due:
            sending = mark_sent(document, snapshot.approved_by, now=now, scheduled=True)
            if sending is not None:
                run.sent.append(sending.snapshot.pk)
        elif (
            not approved
            and today >= due - datetime.timedelta(days=reminder_days())
            and _remind(meeting, due, snapshot, now)
        ):
            run.reminded.append(meeting.pk)
    return run


def _remind(meeting: MeetingPage, due: datetime.date, snapshot, now) -> bool:
    round_ = Round.objects.filter(year=meeting.round_year).first()
    created = []
    for language, group in by_language(imdi_officers()).items():
        with translation.override(language):
            subject = _("Godkjenn det saksforberedende dokumentet: %(meeting)s") % {
                "meeting": meeting.title
            }
            body = render_to_string(
                "skjema/meetings/email/document_approval.txt",
                {
                    "meeting": meeting,
                    "county": meeting.county,
                    "when": format_moment(meeting.starts_at),
                    "due": format_day(due),
                    "overdue": timezone.localdate(now) >= due,
                    "snapshot": snapshot,
                },
            ).strip()
            created += notify(
                group,
                Notification.Kind.DOCUMENT_APPROVAL,
                f"document-approval:{meeting.pk}:{due.isoformat()}",
                subject,
                body,
                document_url(meeting),
                round=round_,
                now=now,
            )
    return bool(created)
