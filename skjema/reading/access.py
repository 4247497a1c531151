"""Who may read which submissions and versions, and which profiles count as published.

Built on ``Submission.objects.visible_to`` (the one visibility rule) and
``portal.accounts.rules``; every reader (pages, API, exports, documents, search, placement)
asks here instead of filtering on roles or statuses itself."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts import rules

from ..models import (
    CountySubmission,
    MunicipalityProfile,
    ReviewComment,
    Round,
    Submission,
    Transition,
    Version,
)
from ..models.submissions import SUBMITTED_STATES, Status
from ..sections import sections_for

# Transitions after which the county corrects a version IMDi sent back.
RETURN_ACTIONS = (Transition.Action.RETURN, Transition.Action.REOPEN)


def submissions_visible_to(*, user, kind: str | None = None) -> QuerySet:
    """The submissions ``user`` may read (drafts only for the county's own officers).
    No query until evaluated."""
    model = {
        None: Submission,
        Submission.Kind.PROFILE: MunicipalityProfile,
        Submission.Kind.COUNTY: CountySubmission,
    }[kind]
    return model.objects.visible_to(user)


def versions_visible_to(*, user) -> QuerySet:
    """Versions of the submissions ``user`` may read, with submission, round, county,
    municipality and author selected. No query until evaluated."""
    return Version.objects.filter(
        submission__in=Submission.objects.visible_to(user)
    ).select_related(
        "submission__round", "submission__county", "submission__municipality", "created_by"
    )


def version_get(*, user, version_id: int, year: int | None = None) -> Version | None:
    """One version ``user`` may read (optionally of the round ``year``), else None. One query."""
    versions = versions_visible_to(user=user).filter(pk=version_id)
    if year is not None:
        versions = versions.filter(submission__round__year=year)
    return versions.first()


def reads_working_copy(*, user, submission: Submission) -> bool:
    """The county's own officers read the working copy; everyone else the latest version."""
    return rules.can_view_county_drafts(user, submission.county)


def published_profiles(*, round_: Round | int | None = None) -> QuerySet:
    """Profiles that count as published: submitted at least once (returned, resubmitted and
    accepted included), never drafts. All rounds when ``round_`` is None. No query until
    evaluated."""
    profiles = MunicipalityProfile.objects.filter(status__in=SUBMITTED_STATES)
    if isinstance(round_, Round):
        profiles = profiles.filter(round=round_)
    elif round_ is not None:
        profiles = profiles.filter(round__year=round_)
    return profiles


def is_published(*, submission: Submission) -> bool:
    return submission.status in SUBMITTED_STATES


def current_return(*, submission: Submission, label: bool = True):
    """IMDi's latest return (or reopening) while the county is correcting: ``(transition,
    comments)``, or ``(None, [])`` when the submission is not returned. Each comment gets
    ``field_label`` when ``label``. Two queries."""
    if submission.status != Status.RETURNED:
        return None, []
    transition = (
        submission.transitions.filter(action__in=RETURN_ACTIONS)
        .select_related("by")
        .order_by("-at", "-id")
        .first()
    )
    if transition is None:
        return None, []
    comments = list(
        ReviewComment.objects.filter(transition=transition).select_related("by", "answered_by")
    )
    if label:
        keys = {section.key: section for section in sections_for(submission.kind)}
        for comment in comments:
            section = keys.get(comment.section)
            comment.field_label = (
                section.field_label(comment.field, submission.kind)
                if section and comment.field in section.fields
                else ""
            )
    return transition, comments


def last_return(transitions) -> Transition | None:
    """The latest return or reopening among already fetched ``transitions`` (oldest first)."""
    return next((t for t in reversed(list(transitions)) if t.action in RETURN_ACTIONS), None)
