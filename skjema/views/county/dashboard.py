"""The county's entry points: the current round, the county dashboard, its own submission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from portal.accounts import rules

from ... import worklist
from ...forms import SubmitForm
from ...models import (
    CountySubmission,
    Round,
)

COLUMNS = [
    ("kommune", gettext_lazy("Kommune")),
    ("nummer", gettext_lazy("Nr.")),
    ("region", gettext_lazy("Region")),
    ("status", gettext_lazy("Status")),
    ("deler", gettext_lazy("Deler")),
    ("endret", gettext_lazy("Sist endret")),
    ("av", gettext_lazy("Endret av")),
]


def _columns(request, listing) -> list[dict]:
    """Each column header links to the list sorted by it (again: the other way round)."""
    columns = []
    for key, label in COLUMNS:
        current = listing.sort == key
        params = request.GET.copy()
        params["sorter"] = f"-{key}" if current and not listing.descending else key
        aria = ""
        if current:
            aria = "descending" if listing.descending else "ascending"
        columns.append({"key": key, "label": label, "href": "?" + params.urlencode(), "aria": aria})
    return columns


# ---------------------------------------------------------------------------------------------
# index and dashboard


@login_required
def index(request):
    rounds = Round.objects.exclude(status=Round.Status.PLANNING)
    round_ = rounds.filter(status=Round.Status.OPEN).order_by("-year").first()
    round_ = round_ or rounds.order_by("-year").first()
    if round_ is None:
        return render(request, "skjema/county/no_round.html", status=404)
    return redirect("skjema:dashboard", round_.year)


@login_required
def dashboard(request, year: int):
    round_ = get_object_or_404(Round.objects.select_related("structure"), year=year)
    county = rules.county_of(request.user)
    if county is None:
        if rules.can_view_submitted(request.user):
            # IMDi's (and KS's) overview of the round lives on the review side.
            return redirect("skjema:round-overview", year)
        raise PermissionDenied
    listing = worklist.round_list(user=request.user, round_=round_, params=request.GET)
    county_submission = (
        CountySubmission.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("round", "county", "updated_by")
        .first()
    )
    profiles = [row.profile for row in listing.rows]
    context = {
        "round": round_,
        "county": county,
        "listing": listing,
        "rows": listing.rows,
        "columns": _columns(request, listing),
        "county_submission": county_submission,
        "submitted_count": listing.total - listing.counts["draft"],
        "late_count": sum(profile.is_late for profile in profiles),
        "is_past_deadline": round_.is_past_deadline(),
        "submit_form": SubmitForm(),
        "can_edit": round_.is_open and rules.can_edit_county_data(request.user, county),
    }
    return render(request, "skjema/county/dashboard.html", context)


@login_required
def own_county_submission(request, year: int):
    county = rules.county_of(request.user)
    if county is None:
        raise Http404
    return redirect("skjema:county-submission", year, county.number)
