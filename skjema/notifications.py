"""Notifications: e-mail to users when something needs their attention. Every message is a row
in ``Notification`` (one per recipient), so it is sent at most once and users can see it.

- ``notify(...)`` is the one way to send; other features call it too (meeting documents).
- ``notify_transition`` writes the workflow notices (submit, return, accept, reopen); it is
  called from skjema's signals by ``notification_receivers``.
- ``send_reminders(now=...)`` sends the deadline reminders and retries failed sends; it is
  run by ``manage.py send_reminders`` from cron every few minutes.
- ``mark_read(user, ids=...)`` marks the user's own notifications read (page and API).
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import Role

from .models import Notification, Round, Status, Submission, Transition
from .sections import sections_for
from .templatetags.skjema_tags import time_left

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_DAYS = (14, 7, 1)
# A failed send is retried by every send_reminders run for this long (or until expires_at).
RETRY_WINDOW = datetime.timedelta(days=2)
# The «fristen har gått ut» notice goes out once, and only this soon after the deadline: a job
# that was down for longer, or first deployed long after, does not nag about an old deadline.
OVERDUE_NOTICE_WINDOW = datetime.timedelta(days=3)
# Submissions that need the county's action before the deadline: not sent in yet, or returned.
ACTION_NEEDED = (Status.DRAFT, Status.RETURNED)

Kind = Notification.Kind
NotificationStatus = Notification.Status


# ---------------------------------------------------------------------------------------------
# recipients and formatting


def _active_users():
    return get_user_model().objects.filter(is_active=True).select_related("county")


def by_language(recipients: Iterable) -> dict[str, list]:
    """The recipients grouped by the language of what is sent to them: their own choice, else
    their county's målform (språklova), else bokmål. Build each group's message inside
    ``translation.override(language)``."""
    groups: dict[str, list] = {}
    for user in recipients:
        groups.setdefault(user.preferred_language, []).append(user)
    return groups


def imdi_officers():
    return _active_users().filter(role=Role.IMDI_OFFICER)


def county_officers(county):
    return _active_users().filter(role=Role.COUNTY_OFFICER, county=county)


def ks_representatives():
    return _active_users().filter(role=Role.KS_READER)


def base_url() -> str:
    """The portal's address for links in e-mails: PORTAL_BASE_URL, else WAGTAILADMIN_BASE_URL."""
    url = getattr(settings, "PORTAL_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return url.rstrip("/")


def absolute_url(url: str) -> str:
    if not url or urlsplit(url).scheme:
        return url
    return base_url() + (url if url.startswith("/") else f"/{url}")


def format_moment(moment: datetime.datetime) -> str:
    """«10. juni 2026 kl. 23.59», in Norwegian time."""
    return dateformat.format(timezone.localtime(moment), r"j. F Y \k\l. H.i")


def time_left_words(deadline: datetime.datetime, now: datetime.datetime) -> str:
    """«7 dager igjen». Whole days are rounded, not floored: a reminder sent a few minutes
    after the 7-day mark says 7 days, not 6."""
    seconds = (deadline - now).total_seconds()
    if seconds >= 23.5 * 3600:
        days = round(seconds / 86400)
        return ngettext("%(n)s dag igjen", "%(n)s dager igjen", days) % {"n": days}
    return time_left(deadline, now)


def reminder_days() -> list[int]:
    """SKJEMA_REMINDER_DAYS as whole days before the deadline, largest first."""
    raw = getattr(settings, "SKJEMA_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    try:
        days = sorted({int(day) for day in raw}, reverse=True)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"SKJEMA_REMINDER_DAYS must be whole days, e.g. '14,7,1', got {raw!r}"
        ) from exc
    if any(day <= 0 for day in days):
        raise ImproperlyConfigured(f"SKJEMA_REMINDER_DAYS must be positive, got {raw!r}")
    return days


def _render(template: str, context: dict) -> str:
    """The template in the active language (callers override it per recipient group)."""
    text = render_to_string(template, context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _one_line(text: str, limit: int = 255) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# notify and delivery


def notify(
    recipients: Iterable,
    kind: str,
    dedupe_key: str,
    subject: str,
    body: str,
    url: str = "",
    *,
    round=None,
    submission=None,
    expires_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """E-mail each recipient once: never twice for the same recipient and ``dedupe_key``.

    - ``recipients``: users; inactive users are left out.
    - ``kind``: a ``Notification.Kind`` (e.g. ``Notification.Kind.DOCUMENT_SENT``).
    - ``dedupe_key``: names the message, e.g. ``f"document-sent:{document.pk}"``. A recipient
      who already has a notification with this key gets nothing, so a re-run, a race or a
      signal received twice never sends twice.
    - ``subject``, ``body``: plain text in the recipients' language (group them with
      ``by_language`` and call once per group, inside ``translation.override``). A footer with the link and the address of
      «Varsler til meg» is added to the body; the stored body is exactly what was sent.
    - ``url``: a path in the portal ("/skjema/2027/") or an absolute URL; absolute in e-mails.
    - ``round``, ``submission``: what the message is about (optional).
    - ``expires_at``: a failed send is not retried after this (default: two days).

    The rows are written in the caller's transaction and a background job
    (``skjema.tasks.deliver_notifications``) is enqueued after it commits, so a rolled-back
    change sends nothing and no page waits for the mail server. A failed send is recorded on
    the row and retried by the job with backoff, then by ``send_reminders``. Returns the rows
    created now.
    """
    now = now or timezone.now()
    recipients = [user for user in recipients if user.is_active]
    if not recipients:
        return []
    already = set(
        Notification.objects.filter(
            dedupe_key=dedupe_key, recipient__in=[user.pk for user in recipients]
        ).values_list("recipient_id", flat=True)
    )
    full_body = _with_footer(body, url)
    created = []
    for user in recipients:
        if user.pk in already:
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        dedupe_key=dedupe_key,
                        subject=_one_line(subject),
                        body=full_body,
                        url=url,
                        round=round,
                        submission=submission,
                        created_at=now,
                        expires_at=expires_at,
                    )
                )
        except IntegrityError:
            continue  # a concurrent run created it first; that run sends it
    if created:
        # A job sends them, so a slow or dead mail server never holds up the caller's page.
        from portal.jobs import enqueue_on_commit

        from .tasks import deliver_notifications

        enqueue_on_commit(deliver_notifications, [row.pk for row in created])
    return created


@dataclass
class MarkedRead:
    marked: list[int]  # unread until now, read from now on
    unknown: list[int]  # not among the user's notifications (someone else's, or none)


def mark_read(user, *, ids: Iterable[int] | None = None, now=None) -> MarkedRead:
    """Mark the given notifications of ``user`` read, or all unread ones when ``ids`` is None.
    Only the user's own are touched: an id of someone else's notification is reported as
    unknown, exactly like an id that does not exist, so nothing is told about other users."""
    now = now or timezone.now()
    mine = Notification.objects.for_recipient(user)
    with transaction.atomic():
        if ids is None:
            unread = mine.filter(read_at__isnull=True)
            known, wanted = set(), []
        else:
            wanted = list(dict.fromkeys(ids))
            known = set(mine.filter(pk__in=wanted).values_list("pk", flat=True))
            unread = mine.filter(pk__in=known, read_at__isnull=True)
        marked = sorted(unread.select_for_update().values_list("pk", flat=True))
        Notification.objects.filter(pk__in=marked).update(read_at=now)
    return MarkedRead(marked=marked, unknown=[pk for pk in wanted if pk not in known])


def _with_footer(body: str, url: str) -> str:
    footer = _render(
        "skjema/email/footer.txt",
        {
            "url": absolute_url(url),
            "notifications_url": absolute_url(reverse("skjema:notifications")),
        },
    )
    return f"{body.rstrip()}\n\n{footer}\n"


def _claim(pk: int, now: datetime.datetime) -> bool:
    """Take the row for sending. Only one process can move it out of pending/failed, so two
    runs that both see it never both send it."""
    return bool(
        Notification.objects.filter(
            pk=pk, status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED]
        ).update(status=NotificationStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    )


def message_id(pk: int) -> str:
    """The notification's stable Message-ID, under the portal's own host name."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "bosettingsportalen.local"
    return f"<varsel-{pk}@{host}>"


def deliver(ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Send the given pending or failed notifications; returns how many were sent.

    A row whose send was interrupted (status «sending» after a crash) is never sent again: we
    cannot know whether the e-mail left, and at most once is the promise."""
    connection = get_connection()
    sent = 0
    try:
        for pk in ids:
            if not _claim(pk, timezone.now() if now is None else now):
                continue
            row = Notification.objects.select_related("recipient").get(pk=pk)
            address = row.recipient.email
            if not address:
                _finish(
                    pk, NotificationStatus.FAILED, error=_("Mottakeren har ingen e-postadresse.")
                )
                continue
            message = EmailMessage(
                subject=row.subject,
                body=row.body,
                to=[address],
                # One Message-ID per notification row, the same on every attempt: a mail
                # system that sees it twice (a retry after a lost answer) can drop the copy.
                headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id(pk)},
                connection=connection,
            )
            try:
                connection.open()  # once: an open connection is reused for the next message
                if not message.send():
                    raise RuntimeError(_("E-posttjeneren tok ikke imot meldingen."))
            # Any backend error (SMTP, DNS, TLS, a full disk) must end up on the row, and must
            # not stop the other recipients or the caller's request.
            except Exception as exc:
                logger.warning("Notification %s to %s failed: %s", pk, address, exc)
                _close_quietly(connection)  # the next message reconnects
                _finish(pk, NotificationStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
                continue
            _finish(pk, NotificationStatus.SENT, sent_at=timezone.now() if now is None else now)
            sent += 1
    finally:
        _close_quietly(connection)
    return sent


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken connection must not hide what was recorded
        logger.warning("Could not close the e-mail connection", exc_info=True)


def _finish(pk: int, status: str, *, error: str = "", sent_at=None) -> None:
    Notification.objects.filter(pk=pk).update(status=status, error=error, sent_at=sent_at)


def retry_failed(*, now: datetime.datetime | None = None) -> int:
    """Send again what failed (or was never tried) recently; returns how many were sent."""
    now = now or timezone.now()
    ids = list(retryable(now=now).order_by("created_at", "id").values_list("pk", flat=True))
    return deliver(ids, now=now) if ids else 0


def retryable(*, now: datetime.datetime | None = None):
    """The notifications still to be sent that a retry would send: pending or failed, recent,
    not expired, to an active recipient with an address (reminders only while the round is
    open). What the load test's SMTP fault expects to be empty once the server answers again."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.FAILED],
            created_at__gte=now - RETRY_WINDOW,
            created_at__lte=now,
            recipient__is_active=True,
            recipient__email__gt="",
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(~Q(kind__in=[Kind.REMINDER, Kind.OVERDUE]) | Q(round__status=Round.Status.OPEN))
    )


# ---------------------------------------------------------------------------------------------
# workflow notices


def _names(submission) -> dict:
    if submission.kind == Submission.Kind.PROFILE:
        name = f"{submission.municipality.name} kommune"
        return {"name": name, "what": _("kommuneprofilen for %(name)s") % {"name": name}}
    name = _("Fylkets innspill fra %(county)s") % {"county": submission.county.name}
    return {"name": name, "what": name[0].lower() + name[1:]}


def _subject(round_, name: str, what_happened: str) -> str:
    return _("Innspill til bosetting %(year)s: %(name)s %(what)s") % {
        "year": round_.year,
        "name": name,
        "what": what_happened,
    }


def _comments_by_section(submission, transition) -> list[dict]:
    sections = sections_for(submission.kind)
    comments = list(transition.comments.order_by("at", "id"))
    grouped = []
    for section in sections:
        rows = [c for c in comments if c.section == section.key]
        if not rows:
            continue
        grouped.append(
            {
                "label": _("Del %(number)s: %(title)s")
                % {"number": section.number, "title": section.title},
                "comments": [
                    {
                        "field": section.field_label(c.field, submission.kind)
                        if c.field in section.fields
                        else "",
                        "text": c.text.strip().replace("\n", "\n  "),
                    }
                    for c in rows
                ],
            }
        )
    return grouped


def _actor(user) -> str:
    if user is None:
        return _("ukjent")
    return user.get_full_name() or user.username


# transition -> the notification kind (also the template's and the key's name)
_NOTICES = {
    Transition.Action.SUBMIT: Kind.SUBMITTED,
    Transition.Action.RETURN: Kind.RETURNED,
    Transition.Action.ACCEPT: Kind.ACCEPTED,
    Transition.Action.REOPEN: Kind.REOPENED,
}


def notify_transition(submission, transition) -> list[Notification]:
    """The e-mail for a workflow transition: IMDi's officers when a county submits, the
    county's officers when IMDi returns, accepts or reopens. Once per transition and user,
    each in the recipient's language."""
    kind = _NOTICES.get(transition.action)
    if kind is None:
        return []
    if type(submission) is Submission:
        submission = submission.specific
    round_ = submission.round
    if kind == Kind.SUBMITTED:
        recipients = imdi_officers()
        url = reverse("skjema:review", args=[round_.year, submission.pk])
    else:
        recipients = county_officers(submission.county)
        url = submission.get_absolute_url()
    created = []
    for language, users in by_language(recipients).items():
        with translation.override(language):
            created += _notify_transition_in(submission, transition, kind, users, url)
    return created


def _notify_transition_in(submission, transition, kind, recipients, url) -> list[Notification]:
    round_ = submission.round
    names = _names(submission)
    resubmitted = transition.to_status == Status.RESUBMITTED
    what_happened = {
        Kind.SUBMITTED: _("er sendt inn på nytt") if resubmitted else _("er sendt inn"),
        Kind.RETURNED: _("er returnert for retting"),
        Kind.ACCEPTED: _("er godkjent"),
        Kind.REOPENED: _("er gjenåpnet for retting"),
    }[kind]
    now = timezone.now()
    context = {
        **names,
        "round": round_,
        "submission": submission,
        "county": submission.county,
        "transition": transition,
        "resubmitted": resubmitted,
        "at": format_moment(transition.at),
        "actor": _actor(transition.by),
        "version_number": transition.version.number if transition.version_id else None,
        "is_late": transition.version.is_late if transition.version_id else False,
        "deadline": format_moment(round_.deadline),
        "time_left": time_left_words(round_.deadline, now),
        "past_deadline": round_.is_past_deadline(now),
        "sections": _comments_by_section(submission, transition) if kind == Kind.RETURNED else [],
        "correction_deadline": (
            transition.correction_deadline.strftime("%d.%m.%Y")
            if transition.correction_deadline
            else ""
        ),
    }
    return notify(
        recipients,
        kind,
        f"{kind}:{transition.pk}",
        _subject(round_, names["name"], what_happened),
        _render(f"skjema/email/{kind}.txt", context),
        url,
        round=round_,
        submission=submission,
    )


# ---------------------------------------------------------------------------------------------
# deadline reminders


@dataclass
class ReminderRun:
    """What one run of ``send_reminders`` did."""

    created: list[int] = field(default_factory=list)  # new notification ids
    skipped: int = 0  # older reminders recorded as skipped
    retried: int = 0  # earlier failures sent now


def _reminder_key(round_, county, deadline_day: str, days: int) -> str:
    return f"reminder:{round_.pk}:{county.number}:{deadline_day}:{days}d"


def _overdue_key(round_, county, deadline_day: str) -> str:
    return f"overdue:{round_.pk}:{county.number}:{deadline_day}"


def send_reminders(*, now: datetime.datetime | None = None) -> ReminderRun:
    """Deadline reminders for every open round, then retries of failed sends.

    At each offset in SKJEMA_REMINDER_DAYS before the deadline, each county with profiles or a
    county submission still in draft or returned gets one reminder. Safe to run every few
    minutes: each reminder is sent once per county officer. After downtime only the most recent
    passed offset is sent; older unsent ones are recorded as skipped and never sent. Offsets
    that passed before the round was opened do not apply. After the deadline: no reminders, but
    one «fristen har gått ut» notice within OVERDUE_NOTICE_WINDOW.

    The key includes the deadline's date, so a moved deadline gets a schedule of its own."""
    now = now or timezone.now()
    run = ReminderRun()
    run.retried = retry_failed(now=now)
    for round_ in Round.objects.filter(status=Round.Status.OPEN).order_by("deadline"):
        _remind_round(round_, now, run)
    return run


def _remind_round(round_, now, run: ReminderRun) -> None:
    deadline = round_.deadline
    overdue = now > deadline
    if overdue and now > deadline + OVERDUE_NOTICE_WINDOW:
        return
    passed = sorted(
        days
        for days in reminder_days()
        if (mark := deadline - datetime.timedelta(days=days)) <= now
        and (round_.opened_at is None or mark >= round_.opened_at)
    )
    if not overdue and not passed:
        return
    waiting = _waiting_by_county(round_)
    if not waiting:
        return
    deadline_day = timezone.localtime(deadline).date().isoformat()
    officers: dict[int, list] = {}
    for user in _active_users().filter(role=Role.COUNTY_OFFICER, county__in=list(waiting)):
        officers.setdefault(user.county_id, []).append(user)
    done = set(
        Notification.objects.filter(round=round_, kind__in=[Kind.REMINDER, Kind.OVERDUE])
        .values_list("recipient_id", "dedupe_key")
        .distinct()
    )
    for county, submissions in waiting.items():
        users = officers.get(county.pk, [])
        if overdue:
            key = _overdue_key(round_, county, deadline_day)
            todo = [user for user in users if (user.pk, key) not in done]
            if todo:
                run.created += _send_overdue(round_, county, submissions, todo, key, now)
            continue
        latest, *older = passed
        for days in older:
            key = _reminder_key(round_, county, deadline_day, days)
            run.skipped += _record_skipped(
                [user for user in users if (user.pk, key) not in done], round_, key, days, now
            )
        key = _reminder_key(round_, county, deadline_day, latest)
        todo = [user for user in users if (user.pk, key) not in done]
        if todo:
            run.created += _send_reminder(round_, county, submissions, todo, key, now)


def _waiting_by_county(round_) -> dict:
    """{county: [submissions that need the county's action]}, in county number order."""
    waiting: dict = {}
    submissions = (
        Submission.objects.filter(round=round_, status__in=ACTION_NEEDED)
        .select_related("county", "municipality")
        .order_by("county__number", "municipality__number")
    )
    for submission in submissions:
        waiting.setdefault(submission.county, []).append(submission)
    return waiting


def _reminder_context(round_, county, submissions, now) -> dict:
    profiles = [s for s in submissions if s.kind == Submission.Kind.PROFILE]
    county_submission = next((s for s in submissions if s.kind == Submission.Kind.COUNTY), None)
    drafts = [s.municipality.name for s in profiles if s.status == Status.DRAFT]
    returned = [s.municipality.name for s in profiles if s.status == Status.RETURNED]
    return {
        "round": round_,
        "county": county,
        "deadline": format_moment(round_.deadline),
        "time_left": time_left_words(round_.deadline, now),
        "profile_count": len(profiles),
        "drafts": drafts,
        "returned": returned,
        "county_submission": county_submission,
        "county_submission_status": county_submission.get_status_display().lower()
        if county_submission
        else "",
    }


def _count_phrase(count: int) -> str:
    return ngettext(
        "%(n)s kommuneprofil er ikke sendt inn",
        "%(n)s kommuneprofiler er ikke sendt inn",
        count,
    ) % {"n": count}


def _send_reminder(round_, county, submissions, users, key, now) -> list[int]:
    ids = []
    for language, group in by_language(users).items():
        with translation.override(language):
            ids += _send_reminder_in(round_, county, submissions, group, key, now)
    return ids


def _send_reminder_in(round_, county, submissions, users, key, now) -> list[int]:
    context = _reminder_context(round_, county, submissions, now)
    subject = _("Innspill til bosetting %(year)s: %(left)s til fristen") % {
        "year": round_.year,
        "left": context["time_left"].removesuffix(" igjen"),
    }
    if context["profile_count"]:
        subject += f" – {_count_phrase(context['profile_count'])}"
    rows = notify(
        users,
        Kind.REMINDER,
        key,
        subject,
        _render("skjema/email/reminder.txt", context),
        reverse("skjema:dashboard", args=[round_.year]),
        round=round_,
        expires_at=round_.deadline,
        now=now,
    )
    return [row.pk for row in rows]


def _send_overdue(round_, county, submissions, users, key, now) -> list[int]:
    ids = []
    for language, group in by_language(users).items():
        with translation.override(language):
            ids += _send_overdue_in(round_, county, submissions, group, key, now)
    return ids


def _send_overdue_in(round_, county, submissions, users, key, now) -> list[int]:
    context = _reminder_context(round_, county, submissions, now)
    rows = notify(
        users,
        Kind.OVERDUE,
        key,
        _("Innspill til bosetting %(year)s: fristen har gått ut") % {"year": round_.year},
        _render("skjema/email/overdue.txt", context),
        reverse("skjema:dashboard", args=[round_.year]),
        round=round_,
        expires_at=round_.deadline + OVERDUE_NOTICE_WINDOW,
        now=now,
    )
    return [row.pk for row in rows]


def _record_skipped(users, round_, key, days, now) -> int:
    """An older reminder that was never sent, recorded so it is never sent later."""
    if not users:
        return 0
    rows = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=Kind.REMINDER,
                dedupe_key=key,
                subject=ngettext(
                    "Påminnelse %(n)s dag før fristen",
                    "Påminnelse %(n)s dager før fristen",
                    days,
                )
                % {"n": days},
                round=round_,
                status=NotificationStatus.SKIPPED,
                error=_("Ikke sendt: en nyere påminnelse gikk ut i stedet."),
                created_at=now,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    return len(rows)
