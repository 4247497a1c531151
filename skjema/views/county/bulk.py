"""Bulk actions on the county's round list: confirm the unchanged carried-forward parts of the
chosen municipalities, or submit them with one late reason; a result page says what happened
to each. The services decide; this only collects the selection."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import rules

from ... import services, worklist
from ...forms import SubmitForm
from ...models import MunicipalityProfile, Round
from ...models.submissions import EDITABLE_STATES
from ...receipts import format_time
from .lookups import SHORT_TITLES

CONFIRM, SUBMIT = "bekreft", "send"


def _selection(request, round_) -> list:
    ids = request.POST.getlist("valgt")
    queryset = (
        MunicipalityProfile.objects.editable_by(request.user)
        .filter(round=round_)
        .select_related("round", "county", "municipality")
    )
    if request.POST.get("alle_viste"):
        # «Velg alle viste» without JavaScript: every shown municipality that is not done.
        ids = request.POST.getlist("viste")
        queryset = queryset.filter(status__in=EDITABLE_STATES)
    return worklist.selected(queryset, ids)


@login_required
@require_POST
def bulk(request, year: int):
    round_ = get_object_or_404(Round, year=year)
    county = rules.county_of(request.user)
    if county is None or not rules.can_edit_county_data(request.user, county):
        raise PermissionDenied
    action = request.POST.get("handling")
    chosen = _selection(request, round_)
    back = request.POST.get("tilbake") or ""
    # Back to the list as it was filtered; only a query string, never another address.
    back_url = reverse("skjema:dashboard", args=[year]) + (back if back.startswith("?") else "")
    if action not in {CONFIRM, SUBMIT}:
        messages.error(request, _("Velg en handling: bekreft uendrede deler eller send inn."))
        return redirect(back_url)
    if not chosen:
        messages.error(request, _("Velg minst én kommune i listen. Ingenting er endret."))
        return redirect(back_url)
    form = SubmitForm(request.POST)
    form.is_valid()
    late_reason = form.cleaned_data.get("late_reason", "")
    if action == CONFIRM:
        outcomes = services.bulk_confirm(chosen, request.user)
    else:
        outcomes = services.bulk_submit(chosen, request.user, late_reason=late_reason)
    for outcome in outcomes:
        outcome.confirmed_titles = [str(SHORT_TITLES[k]).lower() for k in outcome.confirmed]
    done = [o for o in outcomes if o.done]
    refused = [o for o in outcomes if not o.done]
    # After confirming, the same selection can be submitted right away from the result page.
    submittable = [o.submission for o in outcomes if o.done and o.submission.is_editable]
    context = {
        "round": round_,
        "county": county,
        "action": action,
        "done": done,
        "refused": refused,
        "back_url": back_url,
        "back": back,
        "submittable": submittable if action == CONFIRM else [],
        "submit_form": SubmitForm(initial={"late_reason": late_reason}),
        "is_past_deadline": round_.is_past_deadline(),
        "deadline": format_time(round_.deadline),
    }
    return render(request, "skjema/county/bulk_result.html", context)
