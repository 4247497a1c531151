"""What every skjema operation does alike: re-read the submission under a row lock, check that
the round is open, record a transition, and send a domain signal once the transaction commits.
Used by ``skjema.services`` (the county's side) and ``skjema.reviews`` (IMDi's side)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import InvalidTransition, SubmissionInvalid
from .models import (
    CountySubmission,
    MunicipalityProfile,
    Round,
    Submission,
    Transition,
    Version,
)


def locked(submission: Submission):
    """Re-read the submission under a row lock, as its specific type."""
    model = MunicipalityProfile if submission.kind == Submission.Kind.PROFILE else CountySubmission
    # Lock the submission's own rows (child and parent table), not the joined round and county:
    # on PostgreSQL those would otherwise be locked too and serialise every save in a round.
    return (
        model.objects.select_for_update(of=("self", "submission_ptr"))
        .select_related("round", "county")
        .get(pk=submission.pk)
    )


def require_open_round(submission) -> None:
    """The county works only while the round is open; after the deadline it is still open
    (late submissions are marked, not blocked) until IMDi closes it."""
    if submission.round.status != Round.Status.OPEN:
        raise InvalidTransition(
            _("Runden for %(year)s er %(status)s; skjemaene kan ikke endres eller sendes inn.")
            % {
                "year": submission.round.year,
                "status": submission.round.get_status_display().lower(),
            }
        )


def send_after_commit(signal, submission, transition):
    transaction.on_commit(
        partial(signal.send, sender=type(submission), submission=submission, transition=transition)
    )


def record(submission, action, from_status, user, reason="", version=None, at=None, **extra):
    return Transition.objects.create(
        submission=submission,
        action=action,
        from_status=from_status,
        to_status=submission.status,
        by=user,
        at=at or timezone.now(),
        reason=reason,
        version=version,
        **extra,
    )


@dataclass
class BulkOutcome:
    """What a bulk action did to one submission: done, or refused and why."""

    submission: Submission
    done: bool
    messages: list[str] = field(default_factory=list)
    version: Version | None = None
    confirmed: list[str] = field(default_factory=list)


def refusal_messages(exc) -> list[str]:
    if isinstance(exc, SubmissionInvalid):
        return [p.message for p in exc.problems] or [exc.message]
    return [exc.message]
