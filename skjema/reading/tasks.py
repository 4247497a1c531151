"""«Mine oppgaver»: what each role has to do in a round. For a county officer: counts per
status and the returned submissions first (with IMDi's open comments and the correction
deadline). For IMDi: the top of the review queue, the counties with overdue submissions and
what changed since a given moment. Each function is one query (or a fixed few)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, OuterRef, Q
from django.utils import timezone

from portal.register.models import County

from ..models import ReviewComment, Round, Submission, Transition
from ..models.submissions import Status
from .review_queue import _open_comments, review_queue


def task_round() -> Round | None:
    """The round the start page is about: the newest open one, else the newest not being
    planned. At most two queries."""
    rounds = Round.objects.exclude(status=Round.Status.PLANNING).select_related("structure")
    found = list(rounds.filter(status=Round.Status.OPEN).order_by("-year")[:1])
    return found[0] if found else rounds.order_by("-year").first()


def county_status_counts(*, round_: Round, county: County) -> dict[str, int]:
    """{status: count} of the county's submissions in the round, every status present. One
    query."""
    counts = {status.value: 0 for status in Status}
    rows = (
        Submission.objects.filter(round=round_, county=county)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def county_work_list(*, round_: Round, county: County) -> list[Submission]:
    """The county's submissions that are not done (returned, then drafts), returned first with
    ``open_comments`` and their correction deadline, then by municipality. One query."""
    rows = (
        Submission.objects.filter(
            round=round_, county=county, status__in=[Status.RETURNED, Status.DRAFT]
        )
        .select_related("round", "county", "municipality")
        .annotate(open_comments=_open_comments(OuterRef(OuterRef("pk"))))
    )
    order = {Status.RETURNED: 0, Status.DRAFT: 1}
    return sorted(
        rows,
        key=lambda s: (
            order[s.status],
            s.correction_deadline or datetime.date.max,
            s.kind != Submission.Kind.COUNTY,
            s.municipality.name if s.municipality_id else "",
        ),
    )


def overdue_counties(*, round_: Round, now=None) -> list[County]:
    """Counties with submissions past their deadline and not sent in: drafts once the round's
    deadline has passed, returned ones once their correction deadline (when later) has passed
    too. Each county gets ``overdue``. Empty before the deadline. One query."""
    now = now or timezone.now()
    if not round_.is_past_deadline(now):
        return []
    today = timezone.localdate(now)
    late = Q(submissions__round=round_) & (
        Q(submissions__status=Status.DRAFT)
        | Q(submissions__status=Status.RETURNED)
        & (
            Q(submissions__correction_deadline__isnull=True)
            | Q(submissions__correction_deadline__lt=today)
        )
    )
    return list(
        County.objects.annotate(overdue=Count("submissions", filter=late))
        .filter(overdue__gt=0)
        .order_by("number")
    )


def changes_since(*, round_: Round, since: datetime.datetime | None, limit: int = 20) -> dict:
    """What happened in the round after ``since`` (None: nothing is new): submissions sent in
    (or again), returned, and IMDi's comments the counties answered. ``{"transitions": [...],
    "answers": [...], "submitted": n, "returned": n, "answered": n}``. Three queries."""
    empty = {"transitions": [], "answers": [], "submitted": 0, "returned": 0, "answered": 0}
    if since is None:
        return empty
    transitions = Transition.objects.filter(
        submission__round=round_,
        at__gt=since,
        action__in=[Transition.Action.SUBMIT, Transition.Action.RETURN],
    )
    counted = transitions.aggregate(
        submitted=Count("pk", filter=Q(action=Transition.Action.SUBMIT)),
        returned=Count("pk", filter=Q(action=Transition.Action.RETURN)),
    )
    answers = ReviewComment.objects.filter(submission__round=round_, answered_at__gt=since)
    latest_answers = (
        answers.values("submission").annotate(n=Count("pk"), at=Max("answered_at")).order_by("-at")
    )
    answer_rows = list(latest_answers[:limit])
    by_pk = (
        {
            s.pk: s
            for s in Submission.objects.filter(
                pk__in=[row["submission"] for row in answer_rows]
            ).select_related("round", "county", "municipality")
        }
        if answer_rows
        else {}
    )
    return {
        "transitions": list(
            transitions.select_related(
                "submission__round", "submission__county", "submission__municipality", "by"
            ).order_by("-at", "-pk")[:limit]
        ),
        "answers": [
            {"submission": by_pk[row["submission"]], "count": row["n"], "at": row["at"]}
            for row in answer_rows
            if row["submission"] in by_pk
        ],
        "submitted": counted["submitted"],
        "returned": counted["returned"],
        "answered": answers.count(),
    }


def queue_top(*, round_: Round, limit: int = 5) -> tuple[int, list[Submission]]:
    """How many wait for IMDi's review, and the oldest ``limit`` of them. Two queries."""
    queue = review_queue(round_=round_)
    return queue.count(), list(queue[:limit])
