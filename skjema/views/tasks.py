"""«Mine oppgaver»: the start page of each role in the current round.

A county officer sees the round's deadline and the time left, the county's submissions counted
per status, and what is not done yet (returned ones first, with IMDi's open comments and the
correction deadline). An IMDi officer sees the review queue (count and the oldest few), the
counties with overdue submissions and what changed since the previous visit to this page.

The previous visit is kept on the user (``User.tasks_seen_at``), so "since last time" survives
logging out and in (a session lasts at most 8 hours). KS, editors and others get
403 (``rules.can_see_task_page``), anonymous visitors the login page."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.accounts import rules

from .. import reading
from ..models import Submission
from ..models.submissions import Status

# Drafts listed by name on the page; the rest are counted, with a link to the round list.
DRAFTS_SHOWN = 10


def _submission_url(submission: Submission) -> str:
    year = submission.round.year
    if submission.kind == Submission.Kind.PROFILE:
        return reverse("skjema:profile", args=[year, submission.municipality.number])
    return reverse("skjema:county-submission", args=[year, submission.county.number])


def _title(submission: Submission) -> str:
    if submission.kind == Submission.Kind.PROFILE:
        return _("%(name)s – kommuneprofil") % {"name": submission.municipality.name}
    return _("%(name)s – fylkets innspill") % {"name": submission.county.name}


def _previous_visit(request) -> datetime.datetime | None:
    """The time of the previous visit (then this one is stored); None on the first."""
    user = request.user
    previous, now = user.tasks_seen_at, timezone.now()
    get_user_model().objects.filter(pk=user.pk).update(tasks_seen_at=now)
    user.tasks_seen_at = now
    return previous


def _county_context(round_, county) -> dict:
    counts = reading.county_status_counts(round_=round_, county=county)
    work = reading.county_work_list(round_=round_, county=county)
    for row in work:
        row.title = _title(row)
        row.url = _submission_url(row)
    labels = dict(Status.choices)
    drafts = [row for row in work if row.status == Status.DRAFT]
    return {
        "county": county,
        "status_counts": [
            {"status": status, "label": labels[status], "count": counts[status]}
            for status in counts
        ],
        "total": sum(counts.values()),
        "returned": [row for row in work if row.status == Status.RETURNED],
        "drafts": drafts[:DRAFTS_SHOWN],
        "drafts_more": max(len(drafts) - DRAFTS_SHOWN, 0),
    }


def _imdi_context(request, round_) -> dict:
    since = _previous_visit(request)
    waiting, top = reading.queue_top(round_=round_)
    for row in top:
        row.title = _title(row)
        row.url = reverse("skjema:review", args=[round_.year, row.pk])
    changes = reading.changes_since(round_=round_, since=since)
    for transition in changes["transitions"]:
        transition.title = _title(transition.submission)
        transition.url = reverse("skjema:review", args=[round_.year, transition.submission.pk])
    for answer in changes["answers"]:
        answer["title"] = _title(answer["submission"])
        answer["url"] = reverse("skjema:review", args=[round_.year, answer["submission"].pk])
    return {
        "waiting": waiting,
        "queue_top": top,
        "next_url": reverse("skjema:review", args=[round_.year, top[0].pk]) if top else "",
        "overdue": reading.overdue_counties(round_=round_),
        "since": since,
        "changes": changes,
    }


@login_required
@require_GET
def tasks(request):
    if not rules.can_see_task_page(request.user):
        raise PermissionDenied(
            _("«Mine oppgaver» er for fylkenes saksbehandlere og IMDi."),
        )
    round_ = reading.task_round()
    context = {"round": round_, "now": timezone.now()}
    if round_ is not None:
        context["is_past_deadline"] = round_.is_past_deadline()
        county = rules.county_of(request.user)
        if county is not None:
            context.update(_county_context(round_, county), role="county")
        else:
            context.update(_imdi_context(request, round_), role="imdi")
    return render(request, "skjema/tasks/tasks.html", context)
