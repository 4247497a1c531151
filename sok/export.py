"""The search result list as a spreadsheet (XLSX): the same search as the page, every hit (up
to MAX_ROWS), one row per profile. Codes (municipality and county numbers) are text cells, so
«0301» stays «0301» in Excel."""

from __future__ import annotations

import io
from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from .facets import choice_labels
from .forms import SearchForm
from .index import available_rounds
from .query import MAX_PAGE_SIZE
from .service import can_search, search_profiles

MAX_ROWS = 2000
TEXT = "@"
HEADERS = (
    ("Kommunenummer", 16),
    ("Kommune", 24),
    ("Fylkesnummer", 14),
    ("Fylke", 20),
    ("Runde", 8),
    ("Status", 16),
    ("Kapasitet", 10),
    ("Resultat (%)", 12),
    ("Bosatt år", 10),
    ("Bosatt", 10),
    ("Vedtatt", 10),
    ("Anmodet", 10),
    ("Har alle ordene", 14),
    ("Ord som traff", 30),
    ("Sist endret", 20),
)


def _rows(query):
    statuses = choice_labels("status")
    page = 1
    seen = 0
    while seen < MAX_ROWS:
        result = search_profiles(replace(query, page=page, page_size=MAX_PAGE_SIZE))
        if not result.hits:
            return
        for hit in result.hits:
            payload = hit.payload
            figures = payload.get("statistics") or {}
            yield [
                payload["municipality"]["number"],
                payload["municipality"]["name"],
                payload["county"]["number"],
                payload["county"]["name"],
                payload["round"],
                statuses.get(payload["status"], payload["status"]),
                payload.get("capacity"),
                float(payload["result"]) if payload.get("result") else None,
                figures.get("year"),
                figures.get("settled"),
                figures.get("decided"),
                figures.get("requested"),
                _("Ja") if hit.matched_all_terms else _("Nei"),
                ", ".join(hit.matched_terms),
                (payload.get("last_change") or "")[:10],
            ]
            seen += 1
        total = result.partial_count if result.partial else result.count
        if page * MAX_PAGE_SIZE >= total:
            return
        page += 1


@login_required
@require_GET
def export(request):
    if not can_search(request.user):
        raise PermissionDenied(_("Søk i kommuneprofiler er for IMDi, KS og fylkeskommunene."))
    form = SearchForm(request.GET)
    if not form.is_valid():
        return redirect(reverse("sok:search") + "?" + request.GET.urlencode())
    rounds = available_rounds()
    query = form.to_query(default_round=rounds[0] if rounds else None)
    book = Workbook()
    sheet = book.active
    sheet.title = "Kommuneprofiler"
    sheet.append([name for name, _width in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_name, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    for row in _rows(query):
        sheet.append(row)
        for column in (1, 3):  # codes stay text
            cell = sheet.cell(sheet.max_row, column)
            cell.value = str(cell.value)
            cell.number_format = TEXT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"kommuneprofiler-{query.round_year or 'alle'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
