"""The county's entry points: the current round, the county dashboard, its own submission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from portal.accounts import rules

from ...models import (
    CountySubmission,
    MunicipalityProfile,
    Round,
)
from .lookups import (
    section_states,
)

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
    profiles = list(
        MunicipalityProfile.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("round", "municipality", "updated_by")
        .order_by("municipality__number")
    )
    county_submission = (
        CountySubmission.objects.visible_to(request.user)
        .filter(round=round_)
        .select_related("round", "county", "updated_by")
        .first()
    )
    rows = [{"profile": profile, "states": section_states(profile)} for profile in profiles]
    context = {
        "round": round_,
        "county": county,
        "rows": rows,
        "county_submission": county_submission,
        "submitted_count": sum(profile.has_been_submitted for profile in profiles),
        "late_count": sum(profile.is_late for profile in profiles),
        "is_past_deadline": round_.is_past_deadline(),
    }
    return render(request, "skjema/county/dashboard.html", context)


@login_required
def own_county_submission(request, year: int):
    county = rules.county_of(request.user)
    if county is None:
        raise Http404
    return redirect("skjema:county-submission", year, county.number)
