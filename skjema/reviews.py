"""IMDi's review operations: return for correction (with a correction deadline), accept (one,
or many at once when they have no open comments), reopen. Each is one transaction under a row
lock on the submission; signals go after commit. Re-exported by ``skjema.services``."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts import rules

from . import signals
from .exceptions import InvalidTransition, NotAllowed
from .models import ReviewComment, Status, Submission, Transition
from .models.submissions import AWAITING_REVIEW_STATES
from .reading.review_queue import open_comment_count
from .sections import sections_for
from .service_support import BulkOutcome, locked, record, refusal_messages, send_after_commit

# The correction deadline IMDi's return form proposes, in days from today.
DEFAULT_CORRECTION_DAYS = 14
# A correction deadline further ahead than this is a typing error.
MAX_CORRECTION_DAYS = 366

_REVIEW_VERBS = {
    Transition.Action.RETURN: gettext_lazy("returneres"),
    Transition.Action.ACCEPT: gettext_lazy("godkjennes"),
    Transition.Action.REOPEN: gettext_lazy("gjenåpnes"),
}


def default_correction_deadline(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=DEFAULT_CORRECTION_DAYS)


def correction_deadline_error(day, today: datetime.date | None = None) -> str | None:
    """Why ``day`` cannot be a correction deadline, in Norwegian, or None."""
    today = today or timezone.localdate()
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        return _("Skriv fristen for retting som en dato, for eksempel 21.12.2026.")
    if day < today:
        return _("Fristen for retting kan ikke være før i dag (%(today)s).") % {
            "today": today.strftime("%d.%m.%Y")
        }
    if day > today + datetime.timedelta(days=MAX_CORRECTION_DAYS):
        return _("Fristen for retting kan være høyst ett år fram i tid.")
    return None


def _review(submission, user, allowed_from, action, to_status, reason, require_reason, **extra):
    submission = locked(submission)
    if not rules.can_review(user):
        raise NotAllowed(_("Bare IMDi kan returnere, godkjenne og gjenåpne innsendinger."))
    if submission.status not in allowed_from:
        raise InvalidTransition(
            _("Innsendingen er %(status)s og kan ikke %(verb)s nå.")
            % {"status": submission.get_status_display().lower(), "verb": _REVIEW_VERBS[action]}
        )
    reason = (reason or "").strip()
    if require_reason and not reason:
        raise InvalidTransition(_("Skriv en begrunnelse."))
    from_status = submission.status
    submission.status = to_status
    submission.correction_deadline = extra.get("correction_deadline")
    submission.updated_by = user
    submission.save(update_fields=["status", "correction_deadline", "updated_by", "updated_at"])
    version = submission.latest_version()
    return submission, record(submission, action, from_status, user, reason, version, **extra)


@transaction.atomic
def return_submission(
    submission: Submission,
    user,
    *,
    reason: str,
    comments=(),
    correction_deadline: datetime.date | None = None,
) -> Transition:
    """IMDi returns a submission for correction, with a reason and comments per section/field,
    and a correction deadline (default: 14 days from today). Corrected and sent in by the end
    of that day, the submission is not late.

    ``comments`` is an iterable of (section_key, field_name_or_blank, text)."""
    if correction_deadline is None:
        correction_deadline = default_correction_deadline()
    problem = correction_deadline_error(correction_deadline)
    if problem:
        raise InvalidTransition(problem)
    comments = [(s, f or "", (t or "").strip()) for s, f, t in comments if (t or "").strip()]
    if not (reason or "").strip() and not comments:
        raise InvalidTransition(_("Skriv hva fylket må rette: en begrunnelse eller kommentarer."))
    submission, transition = _review(
        submission,
        user,
        AWAITING_REVIEW_STATES,
        Transition.Action.RETURN,
        Status.RETURNED,
        reason,
        require_reason=False,
        correction_deadline=correction_deadline,
    )
    keys = {section.key for section in sections_for(submission.kind)}
    for section_key, field_name, text in comments:
        if section_key not in keys:
            raise InvalidTransition(_("Ukjent del «%(key)s».") % {"key": section_key})
        ReviewComment.objects.create(
            submission=submission,
            version=transition.version,
            transition=transition,
            section=section_key,
            field=field_name,
            text=text,
            by=user,
        )
    send_after_commit(signals.submission_returned, submission, transition)
    return transition


@transaction.atomic
def accept(
    submission: Submission, user, *, reason: str = "", refuse_open_comments: bool = False
) -> Transition:
    """IMDi accepts the latest version. With ``refuse_open_comments`` (the bulk accept), a
    submission whose last return's comments are still open is refused: it needs a review of
    its own."""
    if refuse_open_comments:
        count = open_comment_count(submission=locked(submission))
        if count:
            raise InvalidTransition(
                _(
                    "Har %(n)s åpne kommentarer fra forrige retur. Gå gjennom den enkeltvis "
                    "før du godkjenner."
                )
                % {"n": count}
            )
    submission, transition = _review(
        submission,
        user,
        AWAITING_REVIEW_STATES,
        Transition.Action.ACCEPT,
        Status.ACCEPTED,
        reason,
        require_reason=False,
    )
    send_after_commit(signals.submission_accepted, submission, transition)
    return transition


def bulk_accept(submissions, user) -> list[BulkOutcome]:
    """Accept each submission that has no open comments; each in its own transaction, so a
    refused one (open comments, already handled by someone else) leaves the others accepted."""
    if not rules.can_review(user):
        raise NotAllowed(_("Bare IMDi kan godkjenne innsendinger."))
    outcomes = []
    for submission in submissions:
        try:
            accept(submission, user, refuse_open_comments=True)
        except (InvalidTransition, NotAllowed) as refused:
            outcomes.append(BulkOutcome(submission, False, refusal_messages(refused)))
        else:
            outcomes.append(BulkOutcome(submission, True))
    return outcomes


@transaction.atomic
def reopen(submission: Submission, user, *, reason: str) -> Transition:
    """IMDi reopens an accepted submission; the county can correct and resubmit it (by the
    round's deadline: a reopening sets no correction deadline)."""
    submission, transition = _review(
        submission,
        user,
        {Status.ACCEPTED},
        Transition.Action.REOPEN,
        Status.RETURNED,
        reason,
        require_reason=True,
    )
    send_after_commit(signals.submission_reopened, submission, transition)
    return transition
