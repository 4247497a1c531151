"""IMDi pages: round dashboard, review of a submission, version comparison, opening a round.

Who may do what (rules in ``portal.accounts.rules``):
- Following rounds (dashboard, a county's list, review pages) is for IMDi officers and
  administrators, and read-only for KS readers, who take part in the county meetings and may read
  everything submitted. County officers, editors and outsiders get 403. Drafts appear only as
  numbers; a review page shows submitted versions, never the county's working copy.
- Returning, accepting and reopening: ``rules.can_review`` (IMDi, administrators), through the
  services; opening a round: ``rules.is_imdi``.
- Versions and comparisons: any version of a submission in ``Submission.objects.visible_to``,
  so a county officer may also compare the county's own versions; anything else is 404.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import extensions
from portal.accounts import rules
from portal.register.models import County, Municipality

from .. import reading, services
from ..dashboards import round_overview as build_overview
from ..exceptions import InvalidTransition, NotAllowed, SkjemaError
from ..maps import round_status_map
from ..models import ReviewComment, Round, Submission, Transition, Version
from ..models.submissions import AWAITING_REVIEW_STATES, Status
from ..reading import ReadSection, plan_documents, present_sections
from ..review_forms import AcceptForm, ReopenForm, ReturnForm
from ..sections import CodeNames, diff_section, sections_for


def _require_follower(user) -> None:
    if not rules.can_follow_rounds(user):
        raise PermissionDenied("Bare IMDi og KS har tilgang til oversikten over runden.")


def _round_or_404(year: int) -> Round:
    return get_object_or_404(Round.objects.select_related("structure"), year=year)


# ---------------------------------------------------------------------------------------------
# presenting a version's content


def present_version(data: dict, kind: str, names: CodeNames, documents=None) -> list[ReadSection]:
    """A version's plain data as the review pages show it (``skjema.reading``)."""
    return present_sections(
        kind=kind, data=data, names=names, documents=documents or {}, review_style=True
    )


def version_diff(old: dict, new: dict, kind: str, names: CodeNames | None = None):
    names = names or CodeNames()
    return [
        diff_section(
            section, (old or {}).get(section.key), (new or {}).get(section.key), kind, names
        )
        for section in sections_for(kind)
    ]


def _label_comment(comment: ReviewComment, kind: str) -> None:
    """Set ``label`` (section and field) and ``field_label`` for the templates."""
    section = next((s for s in sections_for(kind) if s.key == comment.section), None)
    comment.field_label = ""
    if section is None:
        comment.label = comment.section
        return
    comment.label = f"Del {section.number}: {section.title}"
    if comment.field and comment.field in section.fields:
        comment.field_label = section.field_label(comment.field, kind)
        comment.label += f" – {comment.field_label}"


def submission_title(submission: Submission) -> str:
    if submission.kind == Submission.Kind.PROFILE:
        return f"{submission.municipality.name} – kommuneprofil {submission.round.year}"
    return f"{submission.county.name} – fylkets innspill {submission.round.year}"


# ---------------------------------------------------------------------------------------------
# dashboard


@login_required
@require_GET
def round_overview(request, year: int):
    _require_follower(request.user)
    round_ = _round_or_404(year)
    overview = build_overview(round_)
    extra_columns = extensions.columns(
        extensions.ROUND_DASHBOARD,
        request=request,
        keys=[row.county.number for row in overview.statuses.rows],
        round_=round_,
    )
    return render(
        request,
        "skjema/review/overview.html",
        {
            "round": round_,
            "overview": overview,
            "extra_columns": extra_columns,
            "status_map": round_status_map(round_),
            "can_review": rules.can_review(request.user),
            "can_open": rules.is_imdi(request.user)
            and round_.status in {Round.Status.PLANNING, Round.Status.OPEN},
        },
    )


@login_required
@require_GET
def round_county(request, year: int, county_number: str):
    """Every submission of one county in the round, with its status and a way to review it."""
    _require_follower(request.user)
    round_ = _round_or_404(year)
    county = get_object_or_404(County.objects.in_structure(round_.structure), number=county_number)
    submissions = list(
        Submission.objects.filter(round=round_, county=county)
        .select_related("municipality")
        .order_by("-kind", "municipality__number")  # "profile" > "county": the county first
    )
    return render(
        request,
        "skjema/review/county.html",
        {"round": round_, "county": county, "submissions": submissions},
    )


# ---------------------------------------------------------------------------------------------
# review


def _reviewable(request, year: int, submission_id: int) -> Submission:
    _require_follower(request.user)
    return get_object_or_404(
        reading.submissions_visible_to(user=request.user).select_related(
            "round", "county", "municipality"
        ),
        pk=submission_id,
        round__year=year,
    )


def _review_context(request, submission: Submission, forms: dict | None = None) -> dict:
    kind = submission.kind
    versions = list(submission.versions.select_related("created_by").order_by("number"))
    transitions = list(submission.transitions.select_related("by", "version").order_by("at", "id"))
    comments = list(
        submission.review_comments.select_related("by", "version", "answered_by").order_by(
            "at", "id"
        )
    )
    names = CodeNames()
    latest = versions[-1] if versions else None
    for previous, version in zip([None, *versions], versions, strict=False):
        version.previous = previous
    documents = plan_documents(kind=kind, data_list=[v.data for v in versions[-2:]])

    by_transition = defaultdict(list)
    for comment in comments:
        _label_comment(comment, kind)
        by_transition[comment.transition_id].append(comment)
    for transition in transitions:
        transition.comment_list = by_transition.get(transition.pk, [])
    # Comments made outside a return (none today) still show, under the history.
    loose_comments = by_transition.get(None, [])

    last_return = reading.last_return(transitions)
    returned_version = last_return.version if last_return else None
    since_return = None
    if returned_version is not None and latest is not None and returned_version.pk != latest.pk:
        since_return = version_diff(returned_version.data, latest.data, kind, names)

    content = present_version(latest.data, kind, names, documents) if latest else []
    if last_return is not None:
        reading.attach_comments(sections=content, comments=last_return.comment_list)

    can_review = rules.can_review(request.user)
    next_url = ""
    if rules.can_work_review_queue(request.user):
        next_url = reverse("skjema:review-next", args=[submission.round.year, submission.pk])
        county = request.GET.get("fylke", "")
        if county.isdigit() and len(county) == 2:
            next_url += "?" + urlencode({"fylke": county})
    forms = forms or {}
    context = {
        "submission": submission,
        "title": submission_title(submission),
        "round": submission.round,
        "versions": versions,
        "latest": latest,
        "transitions": transitions,
        "loose_comments": loose_comments,
        "content": content,
        "last_return": last_return,
        "returned_version": returned_version,
        "since_return": since_return,
        "since_return_labels": (
            (
                f"Versjon {returned_version.number} ("
                + ("returnert" if last_return.action == Transition.Action.RETURN else "gjenåpnet")
                + ")",
                f"Versjon {latest.number} (nyeste)",
            )
            if since_return is not None
            else ("", "")
        ),
        "can_review": can_review,
        "next_url": next_url,
        "awaits_review": submission.status in AWAITING_REVIEW_STATES,
        "is_accepted": submission.status == Status.ACCEPTED,
    }
    if can_review:
        context["return_form"] = forms.get("return") or ReturnForm(kind=kind)
        context["accept_form"] = forms.get("accept") or AcceptForm()
        context["reopen_form"] = forms.get("reopen") or ReopenForm()
        failed = next(iter(forms.values()), None)
        context["failed_form"] = failed
        context["error_summary"] = _error_summary(failed) if failed is not None else []
    return context


def _error_summary(form) -> list[tuple[str, str]]:
    """(anchor, message) for every error, the non-field ones pointing at the first field."""
    first = next(iter(form), None)
    items = [(first.id_for_label if first else "", str(e)) for e in form.non_field_errors()]
    for bound in form:
        items += [(bound.id_for_label, f"{bound.label}: {error}") for error in bound.errors]
    return items


@login_required
@require_GET
def review(request, year: int, submission_id: int):
    submission = _reviewable(request, year, submission_id)
    return render(request, "skjema/review/review.html", _review_context(request, submission))


_ACTIONS = {
    "return": (
        lambda request, submission: ReturnForm(request.POST, kind=submission.kind),
        lambda submission, user, data: services.return_submission(
            submission,
            user,
            reason=data["reason"],
            comments=data["comments"],
            correction_deadline=data["correction_deadline"],
        ),
        gettext_lazy("Innsendingen er returnert til fylket for retting."),
    ),
    "accept": (
        lambda request, submission: AcceptForm(request.POST),
        lambda submission, user, data: services.accept(submission, user, reason=data["reason"]),
        gettext_lazy("Innsendingen er godkjent."),
    ),
    "reopen": (
        lambda request, submission: ReopenForm(request.POST),
        lambda submission, user, data: services.reopen(submission, user, reason=data["reason"]),
        gettext_lazy("Innsendingen er gjenåpnet. Fylket kan rette og sende inn på nytt."),
    ),
}


def _act(request, year: int, submission_id: int, action: str):
    submission = _reviewable(request, year, submission_id)
    if not rules.can_review(request.user):
        raise PermissionDenied(_("Bare IMDi kan returnere, godkjenne og gjenåpne innsendinger."))
    make_form, operation, success = _ACTIONS[action]
    form = make_form(request, submission)
    status = 400
    if form.is_valid():
        try:
            operation(submission, request.user, form.cleaned_data)
        except (InvalidTransition, NotAllowed) as exc:
            # Nothing was written (each service is one transaction); the input is kept.
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, success)
            return redirect("skjema:review", year, submission.pk)
    submission.refresh_from_db()
    context = _review_context(request, submission, {action: form})
    return render(request, "skjema/review/review.html", context, status=status)


@login_required
@require_POST
def return_view(request, year: int, submission_id: int):
    return _act(request, year, submission_id, "return")


@login_required
@require_POST
def accept_view(request, year: int, submission_id: int):
    return _act(request, year, submission_id, "accept")


@login_required
@require_POST
def reopen_view(request, year: int, submission_id: int):
    return _act(request, year, submission_id, "reopen")


# ---------------------------------------------------------------------------------------------
# versions and comparison


def _visible_versions(user):
    return reading.versions_visible_to(user=user)


def _version_label(version: Version) -> str:
    """«Skien 2027, versjon 2»: the subject too, since versions of different municipalities
    (or rounds) may be compared."""
    submission = version.submission
    subject = submission.municipality.name if submission.municipality_id else submission.county.name
    return f"{subject} {submission.round.year}, versjon {version.number}"


@login_required
@require_GET
def versions(request, submission_id: int):
    """The versions of a submission and of the same municipality's (or county's) submissions in
    other rounds, with links to compare them."""
    visible = reading.submissions_visible_to(user=request.user)
    submission = get_object_or_404(
        visible.select_related("round", "county", "municipality"), pk=submission_id
    )
    if submission.kind == Submission.Kind.PROFILE:
        related = visible.filter(
            kind=submission.kind,
            municipality__in=reading.earlier_codes(municipality=submission.municipality),
        )
    else:
        related = visible.filter(kind=submission.kind, county=submission.county)
    version_list = list(
        Version.objects.filter(submission__in=related)
        .select_related(
            "submission__round", "submission__county", "submission__municipality", "created_by"
        )
        .order_by("-submission__round__year", "-number")
    )
    # "Compare with the one before" in the list's order (newest first), across rounds too.
    for index, version in enumerate(version_list):
        version.previous = version_list[index + 1] if index + 1 < len(version_list) else None
        version.label = _version_label(version)
    return render(
        request,
        "skjema/review/versions.html",
        {
            "submission": submission,
            "title": submission_title(submission),
            "versions": version_list,
            "can_follow": rules.can_follow_rounds(request.user),
        },
    )


@login_required
@require_GET
def compare_pick(request):
    """The no-JavaScript target of the version list's form: two radio choices to a URL."""
    try:
        a_id, b_id = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        messages.error(request, _("Velg to versjoner å sammenligne: én i «Fra» og én i «Til»."))
        back = request.GET.get("innsending", "")
        if back.isdigit():
            return redirect("skjema:versions", int(back))
        raise Http404(_("Ingen versjoner valgt.")) from None
    return redirect("skjema:compare", a_id, b_id)


@login_required
@require_GET
def compare(request, a_id: int, b_id: int):
    visible = _visible_versions(request.user)
    old = get_object_or_404(visible, pk=a_id)
    new = get_object_or_404(visible, pk=b_id)
    context = {
        "can_follow": rules.can_follow_rounds(request.user),
        "old": old,
        "new": new,
        "old_label": _version_label(old),
        "new_label": _version_label(new),
    }
    if old.submission.kind != new.submission.kind:
        context["error"] = _(
            "Versjonene er av ulik type (en kommuneprofil og et fylkesinnspill) og kan ikke "
            "sammenlignes felt for felt."
        )
        return render(request, "skjema/review/compare.html", context, status=400)
    context["diffs"] = version_diff(old.data, new.data, old.submission.kind)
    return render(request, "skjema/review/compare.html", context)


# ---------------------------------------------------------------------------------------------
# opening a round


@login_required
@require_http_methods(["GET", "POST"])
def open_round(request, year: int):
    if not rules.is_imdi(request.user):
        raise PermissionDenied("Bare IMDi kan åpne en runde.")
    round_ = _round_or_404(year)
    if request.method == "POST":
        try:
            result = services.open_round(round_, request.user)
        except SkjemaError as exc:
            messages.error(request, exc.message)
            return redirect("skjema:open-round", year)
        messages.success(
            request,
            (
                f"Runden {round_.year} er åpen. Opprettet {result['profiles']} kommuneprofiler og "
                f"{result['county_submissions']} fylkesinnspill som utkast; "
                f"{result['carried_forward']} kommuneprofiler er forhåndsutfylt fra tidligere "
                "runder."
            ),
        )
        return redirect("skjema:round-overview", year)
    structure = round_.structure
    municipalities = (
        Municipality.objects.in_structure(structure).filter(county__isnull=False).count()
    )
    existing = Submission.objects.filter(round=round_).aggregate(
        profiles=_count(Submission.Kind.PROFILE), counties=_count(Submission.Kind.COUNTY)
    )
    return render(
        request,
        "skjema/review/open_round.html",
        {
            "round": round_,
            "can_open": round_.status in {Round.Status.PLANNING, Round.Status.OPEN},
            "counties": round_.counties().count(),
            "municipalities": municipalities,
            "existing": existing,
        },
    )


def _count(kind: str):
    return Count("pk", filter=Q(kind=kind))
