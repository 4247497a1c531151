"""IMDi's review queue across counties: what waits for review, oldest first, filtered by
county; «Neste til gjennomgang» from a review page; and bulk accept of the submissions that
have no open comments (a checkbox list, one confirmation, a result page).

All of it is for reviewers only (``rules.can_work_review_queue``): KS, counties, editors and
outsiders get 403, anonymous visitors the login page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.accounts import rules

from .. import reading, services
from ..models import Round, Submission
from ..service_support import BulkOutcome


def _require_reviewer(user) -> None:
    if not rules.can_work_review_queue(user):
        raise PermissionDenied(_("Bare IMDi har tilgang til køen av innsendinger til gjennomgang."))


def _round_or_404(year: int) -> Round:
    return get_object_or_404(Round.objects.select_related("structure"), year=year)


class QueueFilterForm(forms.Form):
    fylke = forms.ChoiceField(
        label=gettext_lazy("Fylke"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Velg et fylke fra listen.")},
    )

    def __init__(self, *args, counties, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.counties = {county.number: county for county in counties}
        self.fields["fylke"].choices = [("", _("Alle fylker"))] + [
            (county.number, county.name) for county in self.counties.values()
        ]

    def county(self):
        return self.counties.get(self.cleaned_data.get("fylke") or "")


def _county_filter(request, round_):
    """(form, county or None, status): a bad county is refused with a message and the whole
    queue shown."""
    counties = list(round_.counties().order_by("number"))
    if "fylke" not in request.GET:
        return QueueFilterForm(counties=counties), None, 200
    form = QueueFilterForm(request.GET, counties=counties)
    if not form.is_valid():
        return form, None, 400
    return form, form.county(), 200


def _title(submission: Submission) -> str:
    if submission.kind == Submission.Kind.PROFILE:
        return _("%(name)s – kommuneprofil") % {"name": submission.municipality.name}
    return _("%(name)s – fylkets innspill") % {"name": submission.county.name}


def _review_url(submission, county=None) -> str:
    url = reverse("skjema:review", args=[submission.round.year, submission.pk])
    return f"{url}?{urlencode({'fylke': county.number})}" if county is not None else url


@login_required
@require_GET
def queue(request, year: int):
    _require_reviewer(request.user)
    round_ = _round_or_404(year)
    form, county, status = _county_filter(request, round_)
    rows = list(reading.review_queue(round_=round_, county=county))
    for row in rows:
        row.title = _title(row)
        row.review_url = _review_url(row, county)
    return render(
        request,
        "skjema/review/queue.html",
        {
            "round": round_,
            "form": form,
            "county": county,
            "rows": rows,
            "without_comments": sum(1 for row in rows if not row.open_comments),
        },
        status=status,
    )


@login_required
@require_GET
def next_for_review(request, year: int, submission_id: int):
    """From a review page to the next submission in the queue (the county filter kept)."""
    _require_reviewer(request.user)
    round_ = _round_or_404(year)
    submission = get_object_or_404(
        Submission.objects.select_related("round"), pk=submission_id, round=round_
    )
    _form, county, _status = _county_filter(request, round_)
    following = reading.next_for_review(submission=submission, county=county)
    if following is None:
        messages.info(request, _("Ingen andre innsendinger venter på gjennomgang."))
        url = reverse("skjema:review-queue", args=[year])
        return redirect(f"{url}?{urlencode({'fylke': county.number})}" if county else url)
    return redirect(_review_url(following, county))


def _selected_ids(request) -> list[int] | None:
    """The chosen submissions; with «Velg alle viste» (also without JavaScript) every one the
    queue showed. None when a value is not an id."""
    values = request.POST.getlist("valgt")
    if request.POST.get("alle_viste"):
        values = request.POST.getlist("viste")
    if not all(value.isdigit() and len(value) < 19 for value in values):
        return None
    return sorted({int(value) for value in values})


@login_required
@require_POST
def bulk_accept(request, year: int):
    """First POST (from the queue's checkboxes): the confirmation page. Second POST, with
    ``bekreft``: accept each, then the result page. Nothing is accepted without confirming."""
    _require_reviewer(request.user)
    round_ = _round_or_404(year)
    back = reverse("skjema:review-queue", args=[year])
    ids = _selected_ids(request)
    if ids is None:
        messages.error(request, _("Ugyldig valg av innsendinger. Ingenting er godkjent."))
        return redirect(back)
    if not ids:
        messages.error(request, _("Velg minst én innsending å godkjenne."))
        return redirect(back)
    waiting = {s.pk: s for s in reading.review_queue(round_=round_).filter(pk__in=ids)}
    gone = [pk for pk in ids if pk not in waiting]
    selected = sorted(waiting.values(), key=lambda s: (s.last_submitted_at, s.pk))
    for submission in selected:
        submission.title = _title(submission)
        submission.review_url = _review_url(submission)
    if "bekreft" not in request.POST:
        return render(
            request,
            "skjema/review/bulk_accept.html",
            {
                "round": round_,
                "confirming": True,
                "accepting": [s for s in selected if not s.open_comments],
                "with_comments": [s for s in selected if s.open_comments],
                "gone": len(gone),
            },
        )
    outcomes = services.bulk_accept(selected, request.user)
    for pk in gone:
        outcomes.append(
            BulkOutcome(
                None,
                False,
                [_("Innsending %(id)s venter ikke lenger på gjennomgang.") % {"id": pk}],
            )
        )
    accepted = [o for o in outcomes if o.done]
    refused = [o for o in outcomes if not o.done]
    return render(
        request,
        "skjema/review/bulk_accept.html",
        {"round": round_, "confirming": False, "accepted": accepted, "refused": refused},
    )
