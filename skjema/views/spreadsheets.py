"""Spreadsheet pages: the county's workbook (download, upload, preview, confirm) and IMDi's
export of a round's profiles (XLSX, CSV)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts import rules
from portal.jobs.models import JobFile

from ..forms import SubmitForm
from ..models import PendingImport, Round
from ..receipts import format_time
from ..sections import FieldChange, RowChange, SectionDiff
from ..spreadsheets import export
from ..spreadsheets.importer import (
    MAX_UPLOAD_BYTES,
    ImportRefused,
    confirm_import,
    imported_profiles,
    submit_imported,
)
from ..spreadsheets.refused import build_refused_workbook, has_refused_rows, refused_filename
from ..spreadsheets.workbook import build_county_workbook, workbook_filename
from ..tasks import preview_workbook_upload
from .county.lookups import SHORT_TITLES

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _county_officer(request):
    county = rules.county_of(request.user)
    if county is None:
        raise PermissionDenied(_("Bare saksbehandlere i fylkeskommunen kan bruke regnearkene."))
    return county


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Arbeidsbok (.xlsx)"),
        help_text=gettext_lazy(
            "Last opp arbeidsboken du lastet ned her, etter at du har fylt den ut."
        ),
        error_messages={
            "required": gettext_lazy("Velg filen du vil laste opp."),
            "empty": gettext_lazy("Filen er tom."),
        },
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Filen må være en Excel-arbeidsbok (.xlsx). Lagre som .xlsx og prøv igjen.")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor. Største tillatte størrelse er %(mb)s MB.")
                % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet(request, year: int):
    county = _county_officer(request)
    round_ = get_object_or_404(Round, year=year)
    form = UploadForm()
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if round_.status != Round.Status.OPEN:
            form.add_error(
                None, _("Runden er ikke åpen for innspill, så du kan ikke laste opp nå.")
            )
        if form.is_valid():
            upload = form.cleaned_data["workbook"]
            # Parsed in a job (time and memory limits); with a quick worker, or the immediate
            # backend, the outcome is there at once and the user goes straight on.
            job_file = JobFile.objects.create(
                owner=request.user, name=upload.name[:255], data=upload.read()
            )
            result = preview_workbook_upload.enqueue(str(job_file.pk), round_.pk, county.pk)
            JobFile.objects.filter(pk=job_file.pk).update(job_id=str(result.id))
            job_file.refresh_from_db()
            outcome = _outcome_response(request, year, job_file, form)
            if outcome is not None:
                return outcome
            return redirect("skjema:spreadsheet-checking", year=year, file_id=job_file.pk)
        status = 400
    return render(
        request,
        "skjema/spreadsheets/county.html",
        {"round": round_, "county": county, "form": form},
        status=status,
    )


def _outcome_response(request, year: int, job_file, form):
    """Where an upload's parse has ended: the preview, or the form with the refusal. None while
    the job has not finished."""
    outcome = job_file.outcome or {}
    error = outcome.get("error") or (
        job_file.job_failed()
        and _(
            "Arbeidsboken kunne ikke leses innen tids- eller minnegrensen. Last ned en ny "
            "arbeidsbok fra portalen og lim inn bare verdiene."
        )
    )
    if outcome.get("token"):
        return redirect("skjema:spreadsheet-preview", year=year, token=outcome["token"])
    if error:
        if not form.is_bound:  # the waiting page: an unbound form gets the error too
            form.full_clean()
            form.cleaned_data = {}
        form.add_error("workbook", error)
        round_ = get_object_or_404(Round, year=year)
        return render(
            request,
            "skjema/spreadsheets/county.html",
            {"round": round_, "county": rules.county_of(request.user), "form": form},
            status=400,
        )
    return None


@login_required
@require_GET
def checking(request, year: int, file_id):
    """Waiting for the parse job: the page reloads itself (a meta refresh, no script)."""
    _county_officer(request)
    job_file = get_object_or_404(JobFile, pk=file_id, owner=request.user)
    outcome = _outcome_response(request, year, job_file, UploadForm())
    if outcome is not None:
        return outcome
    round_ = get_object_or_404(Round, year=year)
    return render(
        request, "skjema/spreadsheets/checking.html", {"round": round_, "job_file": job_file}
    )


@login_required
@require_GET
def download_workbook(request, year: int):
    county = _county_officer(request)
    round_ = get_object_or_404(Round, year=year)
    content = build_county_workbook(round_, county, request.user)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = workbook_filename(round_, county)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pending(request, year: int, token):
    county = _county_officer(request)
    pending = (
        PendingImport.objects.select_related("round", "county")
        .filter(token=token, round__year=year, user=request.user, county=county)
        .first()
    )
    if pending is None:
        raise Http404(_("Fant ikke opplastingen."))
    return pending


def _diff(data: dict) -> SectionDiff:
    return SectionDiff(
        data["key"],
        data["title"],
        [FieldChange(**change) for change in data["fields"]],
        [
            RowChange(
                row["uid"], row["label"], row["change"], [FieldChange(**f) for f in row["fields"]]
            )
            for row in data["rows"]
        ],
    )


def _preview_context(pending: PendingImport, user, *, refusal: str = "", conflicts=()) -> dict:
    report = pending.report
    municipalities = []
    unchanged = []
    result = pending.result or {}
    for refused in result.get("refused", []):
        conflicts = [*conflicts, *refused.get("conflicts", [])]
    for municipality in report.get("municipalities", []):
        if municipality["changed"] or municipality["invalid"]:
            municipality = {
                **municipality,
                "diffs": [_diff(section["diff"]) for section in municipality["sections"]],
            }
            municipalities.append(municipality)
        else:
            unchanged.append(municipality)
    refused = [m for m in municipalities if m.get("refused")]
    submittable = imported_profiles(pending, user) if pending.confirmed_at else []
    round_ = pending.round
    return {
        "pending": pending,
        "round": round_,
        "county": pending.county,
        "report": report,
        "municipalities": municipalities,
        "refused": refused,
        "importable": [m for m in municipalities if not m.get("refused") and m["changed"]],
        "unchanged": unchanged,
        "expired": pending.is_expired(),
        "can_confirm": pending.can_confirm and not pending.is_expired() and not refusal,
        "refusal": refusal,
        "conflicts": [{**c, "diffs": [_diff(c["diff"])]} for c in conflicts],
        "result": result,
        "has_refused_rows": has_refused_rows(pending),
        "submittable": submittable,
        "submit_form": SubmitForm(),
        "is_past_deadline": round_.is_past_deadline(),
        "deadline": format_time(round_.deadline),
    }


@login_required
@require_GET
def preview(request, year: int, token):
    pending = _pending(request, year, token)
    context = _preview_context(pending, request.user)
    return render(
        request,
        "skjema/spreadsheets/preview.html",
        context,
        status=410 if context["expired"] and not pending.confirmed_at else 200,
    )


@login_required
@require_POST
def confirm(request, year: int, token):
    pending = _pending(request, year, token)
    try:
        result = confirm_import(pending, request.user)
    except ImportRefused as exc:
        pending.refresh_from_db()
        context = _preview_context(
            pending, request.user, refusal=exc.message, conflicts=exc.conflicts
        )
        status = 409 if exc.conflicts else 400
        return render(request, "skjema/spreadsheets/preview.html", context, status=status)
    imported, refused = len(result["imported"]), len(result["refused"])
    message = ngettext(
        "Endringene for %(n)s kommune er lagret.",
        "Endringene for %(n)s kommuner er lagret.",
        imported,
    ) % {"n": imported}
    if refused:
        message += " " + ngettext(
            "%(n)s kommune ble ikke lagret; se under.",
            "%(n)s kommuner ble ikke lagret; se under.",
            refused,
        ) % {"n": refused}
    (messages.success if imported else messages.error)(request, message)
    # The result is the preview page of the confirmed upload: what was saved, what was not
    # (with the workbook of refused rows) and «Send inn de importerte».
    return redirect("skjema:spreadsheet-preview", year=year, token=pending.token)


@login_required
@require_GET
def refused_workbook(request, year: int, token):
    """The refused rows of an upload as a workbook to fix and upload again."""
    pending = _pending(request, year, token)
    if not has_refused_rows(pending):
        raise Http404(_("Opplastingen har ingen avviste rader."))
    response = HttpResponse(build_refused_workbook(pending), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{refused_filename(pending)}"'
    return response


@login_required
@require_POST
def submit(request, year: int, token):
    """«Send inn de importerte»: one action for the municipalities the upload imported, with
    the rules of the bulk submission (carried-forward parts confirmed, one late reason)."""
    pending = _pending(request, year, token)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        outcomes = submit_imported(
            pending,
            request.user,
            late_reason=form.cleaned_data.get("late_reason", ""),
            confirm=request.POST.get("bekreft_uendrede") == "ja",
        )
    except ImportRefused as exc:
        context = _preview_context(pending, request.user, refusal=exc.message)
        return render(request, "skjema/spreadsheets/preview.html", context, status=400)
    for outcome in outcomes:
        outcome.confirmed_titles = [str(SHORT_TITLES[k]).lower() for k in outcome.confirmed]
    round_ = pending.round
    back = reverse("skjema:spreadsheet-preview", args=[year, pending.token])
    return render(
        request,
        "skjema/county/bulk_result.html",
        {
            "round": round_,
            "county": pending.county,
            "action": "send",
            "done": [o for o in outcomes if o.done],
            "refused": [o for o in outcomes if not o.done],
            "back_url": back,
            "back_label": _("Tilbake til opplastingen"),
            "back": "",
            "submittable": [],
            "submit_form": SubmitForm(
                initial={"late_reason": form.cleaned_data.get("late_reason")}
            ),
            "is_past_deadline": round_.is_past_deadline(),
            "deadline": format_time(round_.deadline),
        },
    )


# ---------------------------------------------------------------------------------------------
# IMDi's export


def _reviewer(request, year: int) -> tuple[Round, str]:
    if not rules.can_review(request.user):
        raise PermissionDenied("Bare IMDi kan eksportere rundens profiler.")
    round_ = get_object_or_404(Round, year=year)
    status = request.GET.get("status", export.ACCEPTED)
    if status not in export.STATUS_CHOICES:
        raise Http404("Ukjent status.")
    return round_, status


@login_required
@require_GET
def export_page(request, year: int):
    round_, _status = _reviewer(request, year)
    links = []
    for key in export.STATUS_CHOICES:
        query = f"?status={key}"
        links.append(
            {
                "label": export.STATUS_CHOICES[key],
                "xlsx": reverse("skjema:export-xlsx", args=[year]) + query,
                "csv": [
                    (
                        title,
                        reverse("skjema:export-csv", args=[year]) + f"{query}&section={k}",
                    )
                    for k, title in export.dataset_titles()
                ],
            }
        )
    return render(
        request,
        "skjema/spreadsheets/export.html",
        {"round": round_, "links": links},
    )


@login_required
@require_GET
def export_xlsx(request, year: int):
    round_, status = _reviewer(request, year)
    response = HttpResponse(
        export.export_xlsx(round_, request.user, status), content_type=XLSX_CONTENT_TYPE
    )
    filename = export.export_filename(round_, status, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_csv(request, year: int):
    round_, status = _reviewer(request, year)
    key = request.GET.get("section", export.OVERVIEW_KEY)
    if key not in export.dataset_keys():
        raise Http404("Ukjent del.")
    content = export.export_csv(round_, request.user, status, key)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = export.export_filename(round_, status, "csv", key)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
