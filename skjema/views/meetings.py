"""IMDi's pages for the round's meetings: the schedule with each county meeting's document
state, the preparatory document (page and Word file, generate and send), and the round
overview's export.

Who may do what (rules in ``portal.accounts.rules``):
- The schedule and the export: ``can_follow_rounds`` (IMDi, administrators, KS read-only);
  anyone else gets 403, as on the round dashboard.
- A preparatory document: ``can_open_meeting_document`` (IMDi, administrators, the county's
  officers, KS); anyone else gets 404, so a document's existence is not revealed. Participants
  see only what was sent to them; IMDi also sees the current, unsent version.
- Generating, regenerating (a background job), approving and sending:
  ``can_prepare_meeting_documents`` (IMDi, administrators), 403 else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from portal.accounts import rules
from portal.content.models import MeetingKind, MeetingPage
from portal.jobs import enqueue_on_commit

from .. import meeting_dispatch, meetings, overview
from ..exceptions import SkjemaError
from ..models import PreparatoryDocument, PreparatorySnapshot, Round
from ..preparatory import document_docx, document_pdf, format_day, format_moment, summary_facts
from ..tasks import regenerate_preparatory_document

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"


def _require_follower(user) -> None:
    if not rules.can_follow_rounds(user):
        raise PermissionDenied("Bare IMDi og KS har tilgang til oversikten over runden.")


def _round_or_404(year: int) -> Round:
    return get_object_or_404(Round.objects.select_related("structure"), year=year)


# ---------------------------------------------------------------------------------------------
# the schedule and the export


@login_required
@require_GET
def round_meetings(request, year: int):
    _require_follower(request.user)
    round_ = _round_or_404(year)
    extra = overview.county_overview(round_)
    return render(
        request,
        "skjema/meetings/schedule.html",
        {
            "round": round_,
            "schedule": extra.schedule,
            "counties": extra.counties,
            "counts": extra.schedule.counts(),
            "sheets": overview.SHEETS,
            "can_prepare": rules.can_prepare_meeting_documents(request.user),
        },
    )


@login_required
@require_GET
def export_csv(request, year: int):
    _require_follower(request.user)
    round_ = _round_or_404(year)
    sheet = request.GET.get("ark", overview.DEFAULT_SHEET)
    if sheet not in overview.SHEETS:
        raise Http404("Ukjent ark.")
    content = overview.export_csv(overview.county_overview(round_), sheet)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = overview.export_filename(round_, "csv", sheet)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_xlsx(request, year: int):
    _require_follower(request.user)
    round_ = _round_or_404(year)
    response = HttpResponse(
        overview.export_xlsx(overview.county_overview(round_)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{overview.export_filename(round_, "xlsx")}"'
    )
    return response


# ---------------------------------------------------------------------------------------------
# the preparatory document


def _opened(request, year: int, meeting_id: int):
    """(meeting, document or None) if the user may open the meeting's document, else 404."""
    meeting = (
        MeetingPage.objects.defer_streamfields()
        .select_related("county")
        .filter(pk=meeting_id, round_year=year, kind=MeetingKind.COUNTY_COOPERATION)
        .first()
    )
    if meeting is None or meeting.county is None:
        raise Http404("Fant ikke møtet.")
    document = (
        PreparatoryDocument.objects.select_related(
            "round",
            "county",
            "current",
            "current__generated_by",
            "current__approved_by",
            "last_sent",
            "last_sent__sent_by",
        )
        .filter(meeting=meeting)
        .first()
    )
    county = document.county if document is not None else meeting.county
    if not rules.can_open_meeting_document(request.user, county):
        raise Http404("Fant ikke dokumentet.")
    return meeting, document


def _snapshot(request, document: PreparatoryDocument | None) -> PreparatorySnapshot | None:
    """The snapshot to show: IMDi sees the current one, participants the one sent to them;
    ``?versjon=N`` picks an earlier one (for participants, only one that was sent)."""
    preparer = rules.can_prepare_meeting_documents(request.user)
    if document is None:
        if preparer:
            return None
        raise Http404("Dokumentet er ikke sendt ennå.")
    asked = request.GET.get("versjon")
    if asked:
        snapshots = document.snapshots.select_related("generated_by", "sent_by")
        if not preparer:
            snapshots = snapshots.filter(sent_at__isnull=False)
        try:
            return snapshots.get(number=int(asked))
        except (ValueError, PreparatorySnapshot.DoesNotExist) as exc:
            raise Http404("Fant ikke versjonen.") from exc
    snapshot = document.current if preparer else document.last_sent
    if snapshot is None and not preparer:
        raise Http404("Dokumentet er ikke sendt ennå.")
    return snapshot


@login_required
@require_GET
def document_page(request, year: int, meeting_id: int):
    meeting, document = _opened(request, year, meeting_id)
    snapshot = _snapshot(request, document)
    can_prepare = rules.can_prepare_meeting_documents(request.user)
    content = snapshot.content if snapshot else None
    return render(
        request,
        "skjema/meetings/document.html",
        {
            "year": year,
            "meeting": meeting,
            "document": document,
            "snapshot": snapshot,
            "content": content,
            "summary": summary_facts(content) if content else [],
            "scheduled": meetings.ScheduledMeeting(meeting, document, timezone.localdate()),
            "meeting_when": format_moment(meeting.starts_at),
            "can_prepare": can_prepare,
            "can_follow": rules.can_follow_rounds(request.user),
            "is_current": bool(snapshot and document and snapshot.pk == document.current_id),
            "changes": meeting_dispatch.changes_since(document) if can_prepare else [],
            "send_day": format_day(meetings.due_date(meeting)) if meeting.starts_at else "",
            "reminder_days": meeting_dispatch.reminder_days(),
        },
    )


def _download(request, year: int, meeting_id: int, extension: str, render, content_type):
    _meeting, document = _opened(request, year, meeting_id)
    snapshot = _snapshot(request, document)
    if snapshot is None:
        raise Http404("Dokumentet er ikke laget ennå.")
    response = HttpResponse(
        render(snapshot.content, version=snapshot.number), content_type=content_type
    )
    filename = f"saksforberedende-{year}-{document.county.number}-v{snapshot.number}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def document_docx_view(request, year: int, meeting_id: int):
    return _download(request, year, meeting_id, "docx", document_docx, DOCX_CONTENT_TYPE)


@login_required
@require_GET
def document_pdf_view(request, year: int, meeting_id: int):
    return _download(request, year, meeting_id, "pdf", document_pdf, PDF_CONTENT_TYPE)


def _preparer(request, year: int, meeting_id: int):
    meeting, document = _opened(request, year, meeting_id)
    if not rules.can_prepare_meeting_documents(request.user):
        raise PermissionDenied(_("Bare IMDi kan lage og sende saksforberedende dokumenter."))
    return meeting, document


@login_required
@require_POST
def generate(request, year: int, meeting_id: int):
    meeting, _document = _preparer(request, year, meeting_id)
    try:
        snapshot = meetings.generate(meeting, request.user)
    except SkjemaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Dokumentet er laget (versjon %(n)s).") % {"n": snapshot.number}
        )
    return redirect("skjema:meeting-document", year=year, meeting_id=meeting.pk)


@login_required
@require_POST
def regenerate(request, year: int, meeting_id: int):
    """«Lag på nytt»: the document is made again by a background job, after this commits."""
    meeting, _document = _preparer(request, year, meeting_id)
    enqueue_on_commit(
        regenerate_preparatory_document, meeting.pk, request.user.pk, timezone.now().isoformat()
    )
    messages.success(
        request,
        _(
            "Dokumentet lages på nytt i bakgrunnen med det fylket har sendt inn nå. Last siden "
            "på nytt om litt for å se den nye versjonen. Den må godkjennes før den sendes."
        ),
    )
    return redirect("skjema:meeting-document", year=year, meeting_id=meeting.pk)


@login_required
@require_POST
def approve(request, year: int, meeting_id: int):
    meeting, document = _preparer(request, year, meeting_id)
    if document is None:
        messages.error(request, _("Lag dokumentet før du godkjenner det."))
        return redirect("skjema:meeting-document", year=year, meeting_id=meeting.pk)
    try:
        snapshot = meeting_dispatch.approve(document, request.user)
    except SkjemaError as exc:
        messages.error(request, exc.message)
    else:
        due = meetings.due_date(meeting)
        if due and due > timezone.localdate():
            text = _(
                "Versjon %(n)s er godkjent. Den sendes automatisk til deltakerne %(day)s, tre uker "
                "før møtet."
            ) % {"n": snapshot.number, "day": format_day(due)}
        else:
            text = _(
                "Versjon %(n)s er godkjent. Dagen for å sende den er passert, så den sendes til "
                "deltakerne i løpet av noen minutter."
            ) % {"n": snapshot.number}
        messages.success(request, text)
    return redirect("skjema:meeting-document", year=year, meeting_id=meeting.pk)


@login_required
@require_POST
def send(request, year: int, meeting_id: int):
    meeting, document = _preparer(request, year, meeting_id)
    if document is None:
        messages.error(request, _("Lag dokumentet før du sender det."))
        return redirect("skjema:meeting-document", year=year, meeting_id=meeting.pk)
    try:
        sending = meetings.mark_sent(document, request.user)
    except SkjemaError as exc:
        messages.error(request, exc.message)
    else:
        count = len(sending.notifications)
        number = sending.snapshot.number
        if count:
            messages.success(
                request,
                ngettext(
                    "Versjon %(v)s er sendt. %(n)s deltaker får e-post med lenke.",
                    "Versjon %(v)s er sendt. %(n)s deltakere får e-post med lenke.",
                    count,
                )
                % {"v": number, "n": count},
            )
        else:
            messages.success(
                request,
                _(
                    "Versjon %(v)s er markert som sendt. Alle deltakerne har fått den fra før, "
                    "så ingen ny e-post ble sendt."
                )
                % {"v": number},
            )
    return redirect("skjema:meeting-document", year=year, meeting_id=meeting.pk)
