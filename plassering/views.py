"""Placement pages (server-rendered, no JavaScript needed): capacity with decisions and the
decisions import, households, the ranking with the choice, allocations with their
transitions, batches, and the choice statistics for administrators. Thin callers of
``services`` and ``selectors``; every rule comes from ``portal.accounts.rules``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import rules
from portal.register.models import Municipality
from skjema.models import Round

from . import selectors, services
from .forms import (
    BatchForm,
    ChoiceForm,
    DecisionForm,
    DecisionImportForm,
    HouseholdForm,
    TransitionForm,
    WeightsForm,
    parse_decisions,
    refused_protected,
)
from .maps import ranking_map
from .models import (
    ACTIVE_STATES,
    CRITERIA,
    CRITERION_LABELS,
    Allocation,
    AllocationStatus,
    AllocationTransition,
    Batch,
    Capacity,
    CapacityChange,
    HouseholdAccess,
    Ranking,
    WeightSet,
)
from .models.allocations import ACTION_LABELS
from .serializers import HouseholdSerializer

IMPORT_SESSION_KEY = "plassering-import"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Plassering er bare for IMDis saksbehandlere."))


def _round(year: int) -> Round:
    return get_object_or_404(Round, year=year)


def _default_round() -> Round | None:
    return Round.objects.exclude(status=Round.Status.ARCHIVED).order_by("-year").first()


@login_required
def index(request):
    _require(rules.can_place_households(request.user))
    rounds = list(Round.objects.order_by("-year")[:5])
    return render(
        request,
        "plassering/index.html",
        {
            "rounds": rounds,
            "households": selectors.household_list(user=request.user)[:10],
            "can_see_statistics": rules.can_view_placement_statistics(request.user),
        },
    )


# ---------------------------------------------------------------------------------------------
# capacity


@login_required
def capacity(request, year: int):
    _require(rules.can_view_capacity(request.user))
    round_ = _round(year)
    county = request.GET.get("fylke", "")
    if county and not (len(county) == 2 and county.isdigit()):
        county = ""
    states = selectors.capacity_list(round_=round_, county=county or None)
    from portal.register.models import County

    return render(
        request,
        "plassering/capacity.html",
        {
            "round": round_,
            "states": states,
            "county": county,
            "counties": County.objects.in_structure(round_.structure).order_by("number"),
            "totals": {
                "decided": sum(s.decided for s in states),
                "allocated": sum(s.allocated for s in states),
                "remaining": sum(s.remaining for s in states),
            },
            "can_manage": rules.can_manage_capacity(request.user),
        },
    )


@login_required
def capacity_edit(request, year: int, number: str):
    _require(rules.can_manage_capacity(request.user))
    round_ = _round(year)
    municipality = get_object_or_404(
        Municipality.objects.in_structure(round_.structure).select_related("county"), number=number
    )
    existing = Capacity.objects.filter(round=round_, municipality=municipality).first()
    initial = {}
    if existing is not None:
        initial = {
            "decided": existing.decided,
            "decided_minors_under_15": existing.decided_minors_under_15,
            "decided_minors_15_18": existing.decided_minors_15_18,
            "decided_on": existing.decided_on,
            "source": existing.source,
        }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.DecisionInput(
            number,
            data["decided"],
            data["decided_minors_under_15"] or 0,
            data["decided_minors_15_18"] or 0,
            data["decided_on"],
            data["source"] or "",
        )
        try:
            services.set_decision(
                round_, municipality, entry, by=request.user, channel=CapacityChange.Channel.PAGE
            )
        except services.PlacementError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(
                request, _("Vedtaket for %(name)s er lagret.") % {"name": municipality.name}
            )
            return redirect(
                reverse("plassering:capacity", args=[year]) + f"?fylke={municipality.county.number}"
            )
    state = next(
        s
        for s in selectors.capacity_list(round_=round_, county=municipality.county.number)
        if s.number == number
    )
    changes = (
        CapacityChange.objects.filter(capacity=existing).select_related("by") if existing else []
    )
    return render(
        request,
        "plassering/capacity_edit.html",
        {
            "round": round_,
            "municipality": municipality,
            "form": form,
            "state": state,
            "changes": changes,
        },
    )


@login_required
def capacity_import(request, year: int):
    """Upload → preview (nothing saved) → confirm (all rows or none)."""
    _require(rules.can_manage_capacity(request.user))
    round_ = _round(year)
    preview, problems = None, []
    form = DecisionImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.pop(IMPORT_SESSION_KEY, None)
        if not stored or stored.get("year") != year:
            messages.error(request, _("Forhåndsvisningen er utløpt. Last opp filen på nytt."))
            return redirect("plassering:capacity-import", year=year)
        entries = [
            services.DecisionInput(
                e["municipality"],
                e["decided"],
                e["decided_minors_under_15"],
                e["decided_minors_15_18"],
                _date(e["decided_on"]),
                e["source"],
            )
            for e in stored["entries"]
        ]
        try:
            changed = services.import_decisions(
                round_, entries, by=request.user, channel=CapacityChange.Channel.IMPORT
            )
        except services.PlacementError as error:
            problems = list(error.messages)
            messages.error(request, _("Ingenting er lagret."))
        else:
            messages.success(
                request,
                _("%(n)s vedtak er importert (%(changed)s endret).")
                % {"n": len(entries), "changed": changed},
            )
            return redirect("plassering:capacity", year=year)
    elif request.method == "POST":
        form = DecisionImportForm(request.POST, request.FILES)
        if form.is_valid():
            entries, problems = parse_decisions(form.cleaned_data["file"])
            valid = set(
                Municipality.objects.in_structure(round_.structure).values_list("number", flat=True)
            )
            unknown = sorted({e.municipality for e in entries} - valid)
            if unknown:
                problems.append(
                    _("Kommunenummer som ikke finnes i kommunestrukturen for %(y)s: %(n)s.")
                    % {"y": year, "n": ", ".join(unknown)}
                )
            if not problems:
                preview = entries
                request.session[IMPORT_SESSION_KEY] = {
                    "year": year,
                    "entries": [
                        {
                            "municipality": e.municipality,
                            "decided": e.decided,
                            "decided_minors_under_15": e.decided_minors_under_15,
                            "decided_minors_15_18": e.decided_minors_15_18,
                            "decided_on": e.decided_on.isoformat() if e.decided_on else None,
                            "source": e.source,
                        }
                        for e in entries
                    ],
                }
    return render(
        request,
        "plassering/capacity_import.html",
        {"round": round_, "form": form, "preview": preview, "problems": problems},
        status=400 if problems else 200,
    )


def _date(value):
    import datetime

    return datetime.date.fromisoformat(value) if value else None


# ---------------------------------------------------------------------------------------------
# households


@login_required
def household_list(request):
    _require(rules.can_view_households(request.user))
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "plassering/household_list.html",
        {"households": selectors.household_list(user=request.user, query=query)[:200], "q": query},
    )


def _household_or_404(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk)
    if household is None:
        raise Http404(_("Fant ikke husholdningen."))
    return household


@login_required
def household_form(request, pk: int | None = None):
    _require(rules.can_place_households(request.user))
    household = _household_or_404(request, pk) if pk else None
    if request.method == "POST":
        refused = refused_protected(request.POST)
        if refused:
            return HttpResponseBadRequest(refused, content_type="text/plain; charset=utf-8")
        form = HouseholdForm(request.POST)
        if form.is_valid():
            serializer = HouseholdSerializer(data=form.plain_data())
            if serializer.is_valid():
                data = serializer.validated_data
                household = services.save_household(data, by=request.user, household=household)
                messages.success(request, _("Husholdningen er lagret."))
                return redirect("plassering:household", pk=household.pk)
            for message in _flatten(serializer.errors):
                form.add_error(None, message)
    else:
        form = HouseholdForm(initial=HouseholdForm.initial_for(household) if household else None)
    return render(
        request,
        "plassering/household_form.html",
        {"form": form, "household": household},
        status=400 if form.errors else 200,
    )


def _flatten(errors, prefix="") -> list[str]:
    out = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            label = "" if key == "non_field_errors" else f"{key}: "
            out.extend(_flatten(value, prefix + label))
    elif isinstance(errors, list):
        for value in errors:
            out.extend(_flatten(value, prefix))
    else:
        out.append(f"{prefix}{errors}")
    return out


@login_required
def household_detail(request, pk: int):
    _require(rules.can_view_households(request.user))
    household = _household_or_404(request, pk)
    services.log_access(household.pk, request.user, HouseholdAccess.Action.VIEW, request.path)
    allocations = household.allocations.select_related("municipality", "round").prefetch_related(
        Prefetch("transitions", queryset=AllocationTransition.objects.select_related("by"))
    )
    return render(
        request,
        "plassering/household_detail.html",
        {
            "household": household,
            "allocations": allocations,
            "round": _default_round(),
            "access": HouseholdAccess.objects.filter(
                household_id_value=household.pk
            ).select_related("by")[:20],
        },
    )


# ---------------------------------------------------------------------------------------------
# ranking and choice


@login_required
def ranking(request, pk: int):
    _require(rules.can_place_households(request.user))
    household = _household_or_404(request, pk)
    year = request.GET.get("runde", "")
    round_ = _round(int(year)) if year.isdigit() else _default_round()
    if round_ is None:
        raise Http404(_("Det finnes ingen runde å plassere i."))
    current = WeightSet.objects.current()
    weights_form = WeightsForm(
        request.GET if any(k.startswith("w_") for k in request.GET) else None,
        initial_weights=current.as_dict(),
    )
    custom = weights_form.weights()
    stored, result = services.make_ranking(
        round_,
        services.spec_from_household(household),
        by=request.user,
        household=household,
        custom_weights=custom,
    )
    services.log_access(household.pk, request.user, HouseholdAccess.Action.VIEW, request.path)
    return render(
        request,
        "plassering/ranking.html",
        _ranking_context(household, round_, stored, result, weights_form, current),
    )


def _ranking_context(
    household, round_, stored, result, weights_form, current, choice_form=None, chosen=""
):
    top = result.top(10)
    return {
        "household": household,
        "round": round_,
        "ranking": stored,
        "result": result,
        "top": top,
        "excluded": result.excluded,
        "weights_form": weights_form,
        "weights_set": current,
        "weights": [(CRITERION_LABELS[k], result.weights[k]) for k in CRITERIA],
        "custom": stored.custom_weights is not None,
        "choice_form": choice_form,
        "chosen": chosen,
        "ranking_map": ranking_map(
            result, title=_("Rangeringen på kartet: %(ref)s") % {"ref": household.case_reference}
        ),
    }


@login_required
@require_POST
def choose(request, pk: int):
    _require(rules.can_place_households(request.user))
    household = _household_or_404(request, pk)
    form = ChoiceForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Ugyldig valg."))
    stored = get_object_or_404(Ranking, pk=form.cleaned_data["ranking"], household=household)
    municipality = get_object_or_404(Municipality, number=form.cleaned_data["municipality"])
    try:
        services.choose_municipality(
            stored, municipality, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.PlacementError as error:
        messages.error(request, " ".join(error.messages))
        query = f"?runde={stored.round.year}"
        return redirect(
            reverse("plassering:ranking", args=[household.pk])
            + query
            + f"#valg-{municipality.number}"
        )
    messages.success(
        request,
        _("%(name)s er foreslått for %(case)s.")
        % {"name": municipality.name, "case": household.case_reference},
    )
    return redirect("plassering:household", pk=household.pk)


# ---------------------------------------------------------------------------------------------
# allocations


@login_required
def allocations(request, year: int):
    _require(rules.can_place_households(request.user))
    round_ = _round(year)
    status = request.GET.get("status", "")
    rows = (
        Allocation.objects.filter(round=round_)
        .select_related("municipality", "household", "created_by")
        .prefetch_related(
            Prefetch("transitions", queryset=AllocationTransition.objects.select_related("by"))
        )
        .order_by("-created_at", "-id")
    )
    if status in AllocationStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "plassering/allocations.html",
        {
            "round": round_,
            "allocations": rows[:300],
            "status": status,
            "statuses": AllocationStatus.choices,
            "action_labels": ACTION_LABELS,
            "active_states": ACTIVE_STATES,
        },
    )


@login_required
@require_POST
def allocation_transition(request, allocation_id: int, action: str):
    _require(rules.can_place_households(request.user))
    allocation = get_object_or_404(Allocation.objects.select_related("round"), pk=allocation_id)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.transition_allocation(
            allocation, action, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except services.PlacementError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Tildelingen for %(case)s er endret.") % {"case": allocation.case_reference}
        )
    return redirect(
        request.POST.get("next") or reverse("plassering:allocations", args=[allocation.round.year])
    )


# ---------------------------------------------------------------------------------------------
# batches


@login_required
def batch_new(request, year: int):
    _require(rules.can_place_households(request.user))
    round_ = _round(year)
    households = (
        selectors.household_list(user=request.user)
        .filter(active_allocations=0)
        .order_by("case_reference")
    )
    choices = [(str(h.pk), h.case_reference) for h in households[:300]]
    form = BatchForm(request.POST or None, household_choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = list(
            selectors.household_list(user=request.user)
            .filter(pk__in=form.cleaned_data["households"])
            .prefetch_related("adults__education_route")
            .select_related("connection_municipality")
            .order_by("pk")
        )
        batch = services.run_batch(round_, chosen, by=request.user)
        return redirect("plassering:batch", batch_id=batch.pk)
    return render(
        request,
        "plassering/batch_new.html",
        {"round": round_, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def batch_detail(request, batch_id: int):
    _require(rules.can_place_households(request.user))
    batch = get_object_or_404(Batch.objects.select_related("round", "weights"), pk=batch_id)
    proposals = list(
        batch.proposals.select_related(
            "household", "municipality", "best_municipality", "allocation"
        )
    )
    return render(
        request,
        "plassering/batch_detail.html",
        {
            "batch": batch,
            "proposals": proposals,
            "gain": batch.objective - batch.greedy_objective,
            "assigned": sum(1 for p in proposals if p.municipality_id),
        },
    )


@login_required
@require_POST
def batch_confirm(request, batch_id: int, proposal_id: int):
    _require(rules.can_place_households(request.user))
    batch = get_object_or_404(Batch, pk=batch_id)
    proposal = get_object_or_404(batch.proposals, pk=proposal_id)
    try:
        services.confirm_proposal(proposal, by=request.user)
    except services.PlacementError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Forslaget er bekreftet som tildeling."))
    return redirect("plassering:batch", batch_id=batch.pk)


# ---------------------------------------------------------------------------------------------
# statistics


@login_required
def statistics(request):
    if not rules.can_view_placement_statistics(request.user):
        raise PermissionDenied(_("Statistikken over valg er for IMDis administratorer."))
    return render(request, "plassering/statistics.html", {"stats": selectors.choice_statistics()})
