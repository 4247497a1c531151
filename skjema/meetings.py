"""The meetings of a round and IMDi's preparatory documents for the county meetings.

- ``meeting_page_document`` is one county meeting's document state, for its Wagtail page.
- ``round_schedule`` reads a round's meetings (the meeting pages with its ``round_year``) with
  each county meeting's document state and due date: 21 days before the meeting, from the page's
  ``starts_at``, so a meeting moved in Wagtail moves its due date.
- ``schedule``, ``generate`` and ``mark_sent`` are the services: one transaction each, a row
  lock on the document where two IMDi officers can race. Regenerating is ``generate`` again.
- ``build_demo_meetings`` gives the demo a round with its meetings scheduled and one document
  ready.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts import rules
from portal.content.models import MeetingKind, MeetingPage
from portal.content.models.meetings import PREPARATION_LEAD_TIME

from .exceptions import InvalidTransition, NotAllowed
from .models import (
    DocumentState,
    Notification,
    PreparatoryDocument,
    PreparatorySnapshot,
    Round,
    Submission,
)
from .models.submissions import SUBMITTED_STATES
from .notifications import by_language, county_officers, ks_representatives, notify
from .preparatory import build_content, format_moment

DUE_SOON = datetime.timedelta(days=30)


def due_date(meeting: MeetingPage) -> datetime.date | None:
    """When the preparatory document must be sent: three weeks before the meeting's day."""
    if meeting.starts_at is None:
        return None
    return timezone.localdate(meeting.starts_at) - PREPARATION_LEAD_TIME


def document_url(meeting: MeetingPage) -> str:
    return reverse("skjema:meeting-document", args=[meeting.round_year, meeting.pk])


# ---------------------------------------------------------------------------------------------
# reading the schedule


@dataclass
class ScheduledMeeting:
    meeting: MeetingPage
    document: PreparatoryDocument | None
    today: datetime.date

    @property
    def is_county_meeting(self) -> bool:
        return self.meeting.kind == MeetingKind.COUNTY_COOPERATION

    @property
    def county(self):
        return self.meeting.county

    @property
    def due(self) -> datetime.date | None:
        return due_date(self.meeting) if self.is_county_meeting else None

    @property
    def state(self) -> str:
        if not self.is_county_meeting:
            return ""
        return self.document.state if self.document else DocumentState.DUE

    @property
    def state_label(self) -> str:
        return str(DocumentState(self.state).label) if self.state else ""

    @property
    def is_overdue(self) -> bool:
        return bool(self.due and self.state != DocumentState.SENT and self.due < self.today)

    @property
    def days_until_due(self) -> int | None:
        return (self.due - self.today).days if self.due else None

    @property
    def sent_snapshot(self) -> PreparatorySnapshot | None:
        return self.document.last_sent if self.document else None

    @property
    def url(self) -> str:
        return document_url(self.meeting)


@dataclass
class TimelineEntry:
    at: datetime.datetime
    label: str
    kind: str  # "deadline" or a MeetingKind
    meeting: ScheduledMeeting | None = None

    @property
    def kind_label(self) -> str:
        if self.kind == "deadline":
            return _("Frist for innspill")
        return str(MeetingKind(self.kind).label)


@dataclass
class RoundSchedule:
    round: Round
    today: datetime.date
    meetings: list[ScheduledMeeting] = field(default_factory=list)

    @property
    def county_meetings(self) -> list[ScheduledMeeting]:
        return [m for m in self.meetings if m.is_county_meeting]

    @property
    def timeline(self) -> list[TimelineEntry]:
        entries = [TimelineEntry(self.round.deadline, _("Frist for fylkenes innspill"), "deadline")]
        entries += [
            TimelineEntry(m.meeting.starts_at, m.meeting.title, m.meeting.kind, m)
            for m in self.meetings
        ]
        return sorted(entries, key=lambda entry: (entry.at, entry.kind != "deadline"))

    @property
    def due_limit(self) -> datetime.date:
        return self.today + DUE_SOON

    @property
    def due_soon(self) -> list[ScheduledMeeting]:
        """Documents not sent yet that are due within 30 days, overdue ones included."""
        limit = self.due_limit
        return sorted(
            (
                m
                for m in self.county_meetings
                if m.state != DocumentState.SENT and m.due is not None and m.due <= limit
            ),
            key=lambda m: (m.due, m.county.number if m.county else ""),
        )

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(DocumentState.values, 0)
        for m in self.county_meetings:
            counts[m.state] += 1
        return counts

    def for_county(self, county) -> ScheduledMeeting | None:
        """The county's meeting (its earliest, if IMDi has made two)."""
        return next((m for m in self.county_meetings if m.meeting.county_id == county.pk), None)


def round_meetings(round_: Round):
    """Every meeting page of the round, published or not: IMDi plans before publishing."""
    return (
        MeetingPage.objects.filter(round_year=round_.year)
        .defer_streamfields()
        .select_related("county")
        .order_by("starts_at", "path")
    )


def round_schedule(round_: Round, *, today: datetime.date | None = None) -> RoundSchedule:
    """The round's meetings with each county meeting's document. Two queries."""
    today = today or timezone.localdate()
    meetings = list(round_meetings(round_))
    documents = {
        document.meeting_id: document
        for document in PreparatoryDocument.objects.filter(
            meeting_id__in=[m.pk for m in meetings]
        ).select_related(
            "current", "current__generated_by", "last_sent", "last_sent__sent_by", "county"
        )
    }
    return RoundSchedule(
        round_, today, [ScheduledMeeting(m, documents.get(m.pk), today) for m in meetings]
    )


def meeting_page_document(
    *, meeting: MeetingPage, user, today: datetime.date | None = None
) -> ScheduledMeeting | None:
    """The preparatory document of a county meeting as its Wagtail page shows it, for a user
    who may open the document (``rules.can_open_meeting_document``: IMDi, KS, the county's own
    officers); None for other meetings and other users. One query."""
    if meeting.kind != MeetingKind.COUNTY_COOPERATION or meeting.county_id is None:
        return None
    if not rules.can_open_meeting_document(user, meeting.county):
        return None
    document = (
        PreparatoryDocument.objects.select_related("current", "last_sent")
        .filter(meeting_id=meeting.pk)
        .first()
    )
    return ScheduledMeeting(meeting, document, today or timezone.localdate())


# ---------------------------------------------------------------------------------------------
# services


def _require_preparer(user) -> None:
    if not rules.can_prepare_meeting_documents(user):
        raise NotAllowed(_("Bare IMDi kan lage og sende saksforberedende dokumenter."))


def _round_for(meeting: MeetingPage) -> Round:
    if meeting.kind != MeetingKind.COUNTY_COOPERATION or meeting.county_id is None:
        raise InvalidTransition(
            _("Saksforberedende dokumenter lages bare for samarbeidsmøter med et fylke.")
        )
    round_ = Round.objects.select_related("structure").filter(year=meeting.round_year).first()
    if round_ is None:
        raise InvalidTransition(
            _("Det finnes ingen runde for bosettingsåret %(year)s.") % {"year": meeting.round_year}
        )
    return round_


@transaction.atomic
def schedule(round_: Round) -> list[PreparatoryDocument]:
    """A document (state «due») for every county meeting of the round. Idempotent; a document
    not generated yet follows its meeting to another county if IMDi changed the meeting."""
    documents = []
    for meeting in round_meetings(round_).filter(
        kind=MeetingKind.COUNTY_COOPERATION, county__isnull=False
    ):
        document, created = PreparatoryDocument.objects.get_or_create(
            meeting=meeting, defaults={"round": round_, "county_id": meeting.county_id}
        )
        if (
            not created
            and document.current_id is None
            and (document.county_id != meeting.county_id or document.round_id != round_.pk)
        ):
            document.county_id, document.round = meeting.county_id, round_
            document.save(update_fields=["county", "round"])
        documents.append(document)
    return documents


@transaction.atomic
def generate(meeting: MeetingPage, user, *, now: datetime.datetime | None = None):
    """Make (or make again) the document from what the county has submitted: a new frozen
    snapshot becomes the current one. A snapshot that was sent stays as it was sent."""
    _require_preparer(user)
    round_ = _round_for(meeting)
    now = now or timezone.now()
    document, _created = PreparatoryDocument.objects.get_or_create(
        meeting=meeting, defaults={"round": round_, "county_id": meeting.county_id}
    )
    document = PreparatoryDocument.objects.select_for_update().get(pk=document.pk)
    document.round, document.county = round_, meeting.county
    content = build_content(round_, meeting, meeting.county, now=now)
    number = (document.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = PreparatorySnapshot.objects.create(
        document=document, number=number, content=content, generated_at=now, generated_by=user
    )
    document.current = snapshot
    document.save(update_fields=["round", "county", "current"])
    return snapshot


@dataclass
class Sending:
    snapshot: PreparatorySnapshot
    notifications: list[Notification]
    first_time: bool


@transaction.atomic
def mark_sent(
    document: PreparatoryDocument,
    user,
    *,
    now: datetime.datetime | None = None,
    scheduled: bool = False,
):
    """Record that the current snapshot is sent, and e-mail the participants (the county's
    officers and KS) a link. Each participant gets one e-mail per snapshot, however often this
    runs; running it again reaches only participants added since. IMDi sending by hand
    approves the snapshot too.

    ``scheduled``: the job's send of an approved snapshot on IMDi's behalf (``user`` is the
    approver): returns None, sending nothing, when the snapshot is no longer the current one,
    is not approved or was sent already – so it is sent once, however often the job runs."""
    if not scheduled:
        _require_preparer(user)
    now = now or timezone.now()
    document = (
        # Lock only the document row: the joined rows are read, not changed (and PostgreSQL
        # refuses FOR UPDATE on the nullable side of the outer join to «current»).
        PreparatoryDocument.objects.select_for_update(of=("self",))
        .select_related("round", "county", "meeting", "current")
        .get(pk=document.pk)
    )
    snapshot = document.current
    if snapshot is None:
        raise InvalidTransition(_("Lag dokumentet før du sender det."))
    if scheduled and (snapshot.approved_at is None or snapshot.sent_at is not None):
        return None
    first_time = snapshot.sent_at is None
    if snapshot.approved_at is None:
        snapshot.approved_at, snapshot.approved_by = now, user
    if first_time:
        snapshot.sent_at, snapshot.sent_by = now, user
    snapshot.save(update_fields=["approved_at", "approved_by", "sent_at", "sent_by"])
    document.last_sent = snapshot
    document.save(update_fields=["last_sent"])
    meeting = document.meeting
    recipients = [*county_officers(document.county), *ks_representatives()]
    notifications = []
    # County officers get it in their own language or the county's målform (språklova).
    for language, group in by_language(recipients).items():
        with translation.override(language):
            subject = _("Saksforberedende dokument: %(meeting)s") % {"meeting": meeting.title}
            body = render_to_string(
                "skjema/meetings/email/document_sent.txt",
                {
                    "meeting": meeting,
                    "county": document.county,
                    "round": document.round,
                    "when": format_moment(meeting.starts_at) if meeting.starts_at else "",
                    "version": snapshot.number,
                    "first_time": first_time,
                },
            ).strip()
            notifications += notify(
                group,
                Notification.Kind.DOCUMENT_SENT,
                f"document-sent:{document.pk}:{snapshot.pk}",
                subject,
                body,
                document_url(meeting),
                round=document.round,
                now=now,
            )
    return Sending(snapshot, notifications, first_time)


# ---------------------------------------------------------------------------------------------
# demo

DEMO_SLUG = "{year}-samarbeidsmote-{number}"
DEMO_SUMMARY_SLUG = "{year}-felles-oppsummeringsmote"
# When the demo's county meetings have all passed, the first is moved this far ahead: its
# document is due in a week, and several more fall due within the next 30 days.
DEMO_FIRST_MEETING = datetime.timedelta(days=28)


# Christmas and New Year: no demo meeting on these days.
DEMO_DAYS_OFF = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5 or (day.month, day.day) in DEMO_DAYS_OFF:
        day += datetime.timedelta(days=1)
    return day


def _move(page: MeetingPage, start: datetime.datetime, user) -> None:
    length = (page.ends_at - page.starts_at) if page.ends_at and page.starts_at else None
    page.starts_at = start
    page.ends_at = start + length if length else None
    page.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)


def _reschedule_demo(round_: Round, user, now: datetime.datetime) -> int:
    """Put the demo's autumn meetings ahead of ``now`` when all of them have passed, so the
    round reads as mid-way. Only the demo's own pages (by slug) are moved."""
    county_slugs = {
        DEMO_SLUG.format(year=round_.year, number=county.number) for county in round_.counties()
    }
    pages = list(
        MeetingPage.objects.filter(round_year=round_.year, slug__in=county_slugs)
        .select_related("county")
        .order_by("county__number")
    )
    if not pages or any(page.starts_at > now for page in pages):
        return 0
    day = _weekday_on_or_after(timezone.localdate(now) + DEMO_FIRST_MEETING)
    for page in pages:
        local = timezone.localtime(page.starts_at)
        _move(page, timezone.make_aware(datetime.datetime.combine(day, local.time())), user)
        for _step in range(3):  # every third weekday, as the content demo spaces them
            day = _weekday_on_or_after(day + datetime.timedelta(days=1))
    summary = MeetingPage.objects.filter(
        round_year=round_.year, slug=DEMO_SUMMARY_SLUG.format(year=round_.year)
    ).first()
    if summary is not None and summary.starts_at <= now:
        local = timezone.localtime(summary.starts_at)
        summary_day = _weekday_on_or_after(day + datetime.timedelta(days=7))
        _move(
            summary, timezone.make_aware(datetime.datetime.combine(summary_day, local.time())), user
        )
    return len(pages)


def _demo_county(round_: Round, documents: list[PreparatoryDocument]):
    """The county for the demo's ready document: one that has submitted its recommendations
    and profiles, the earliest meeting first."""
    submitted = Submission.objects.filter(round=round_, status__in=SUBMITTED_STATES)
    with_county = set(
        submitted.filter(kind=Submission.Kind.COUNTY).values_list("county_id", flat=True)
    )
    with_profiles = set(
        submitted.filter(kind=Submission.Kind.PROFILE).values_list("county_id", flat=True)
    )
    candidates = [d for d in documents if d.county_id in with_county & with_profiles]
    return min(candidates, key=lambda d: d.meeting.starts_at, default=None)


def build_demo_meetings(round_year: int, *, now: datetime.datetime | None = None) -> dict:
    """The demo round mid-way: every county meeting scheduled with a document, and one document
    ready (generated, not sent). Idempotent: a round that has a generated document is left as
    it is. Call after the content and skjema demos."""
    from portal.accounts.models import Role, User

    now = now or timezone.now()
    round_ = Round.objects.filter(year=round_year).first()
    imdi = User.objects.filter(role=Role.IMDI_OFFICER, is_active=True).order_by("pk").first()
    if round_ is None or imdi is None:
        return {"round": None, "scheduled": 0, "moved": 0, "ready": None}
    with transaction.atomic():
        if PreparatoryDocument.objects.filter(round=round_, current__isnull=False).exists():
            return {"round": round_year, "scheduled": 0, "moved": 0, "ready": None}
        editor = User.objects.filter(role=Role.EDITOR).order_by("pk").first() or imdi
        moved = _reschedule_demo(round_, editor, now)
        before = PreparatoryDocument.objects.filter(round=round_).count()
        documents = schedule(round_)
        chosen = _demo_county(round_, [d for d in documents if d.meeting.starts_at is not None])
        ready = None
        if chosen is not None:
            generate(chosen.meeting, imdi, now=now)
            ready = chosen.county.number
    return {
        "round": round_year,
        "scheduled": len(documents) - before,
        "moved": moved,
        "ready": ready,
    }
