"""Receipts of submitted versions: the page and the Word file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ... import reading, worklist
from ...models import (
    Version,
)
from ...receipts import build_receipt, receipt_docx
from .lookups import (
    _subject,
    _url,
)

# ---------------------------------------------------------------------------------------------
# receipts


def _version(user, year: int, version_id: int) -> Version:
    version = reading.version_get(user=user, version_id=version_id, year=year)
    if version is None:
        raise Http404
    return version


@login_required
def receipt(request, year: int, version_id: int):
    version = _version(request.user, year, version_id)
    receipt = build_receipt(version)
    submission = version.submission
    show_next = reading.reads_working_copy(user=request.user, submission=submission)
    context = {
        "receipt": receipt,
        "round": submission.round,
        "submission": submission,
        "subject": _subject(submission),
        "overview_url": _url(submission),
        "docx_url": reverse("skjema:receipt-docx", args=[year, version.pk]),
        "show_next": show_next,
        "next_profile": worklist.next_not_done(submission) if show_next else None,
    }
    return render(request, "skjema/county/receipt.html", context)


@login_required
def receipt_document(request, year: int, version_id: int):
    receipt = build_receipt(_version(request.user, year, version_id))
    response = HttpResponse(
        receipt_docx(receipt),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{receipt.filename}"'
    return response
