"""IMDi's review queue: what is sent in and waits for review, across counties, oldest first;
the next one to review; and how many of IMDi's comments are still open on a submission (those
of a return that no acceptance has closed since)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import ReviewComment, Round, Submission, Transition
from ..models.submissions import AWAITING_REVIEW_STATES


def _open_comments(submission_ref) -> Subquery:
    last_accept = (
        Transition.objects.filter(submission=submission_ref, action=Transition.Action.ACCEPT)
        .order_by("-id")
        .values("id")[:1]
    )
    counted = (
        ReviewComment.objects.filter(submission=OuterRef("pk"))
        .filter(transition_id__gt=Coalesce(Subquery(last_accept), 0))
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def review_queue(*, round_: Round, county=None) -> QuerySet:
    """Submissions of ``round_`` waiting for IMDi (sent in or sent in again), oldest first,
    each with ``open_comments``. One query when evaluated."""
    queue = Submission.objects.filter(round=round_, status__in=AWAITING_REVIEW_STATES)
    if county is not None:
        queue = queue.filter(county=county)
    return (
        queue.select_related("round", "county", "municipality")
        .annotate(open_comments=_open_comments(OuterRef(OuterRef("pk"))))
        .order_by("last_submitted_at", "pk")
    )


def open_comment_count(*, submission: Submission) -> int:
    """IMDi's comments on ``submission`` that no acceptance has closed since. One query."""
    return (
        Submission.objects.filter(pk=submission.pk)
        .annotate(open_comments=_open_comments(OuterRef(OuterRef("pk"))))
        .values_list("open_comments", flat=True)
        .first()
        or 0
    )


def next_for_review(*, submission: Submission, county=None) -> Submission | None:
    """The one after ``submission`` in the queue (from the start again after the last), never
    ``submission`` itself; None when nothing else waits. At most two queries."""
    queue = review_queue(round_=submission.round, county=county).exclude(pk=submission.pk)
    if submission.last_submitted_at is not None:
        after = Q(last_submitted_at__gt=submission.last_submitted_at) | Q(
            last_submitted_at=submission.last_submitted_at, pk__gt=submission.pk
        )
        candidates = list(queue.filter(after)[:1]) or list(queue[:1])
    else:
        candidates = list(queue[:1])
    return candidates[0] if candidates else None
