"""The workbook of refused rows: every row of the municipalities (and every row without a
municipality) that an upload could not import, as the county wrote them, with the reason in
a column of its own and the bad cells marked, so it can be fixed and uploaded again. It
carries the edit ids of the original download, so a part changed in the portal since then is
still caught when it comes back."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..models import PendingImport
from .columns import columns_for, header_key, profile_sections
from .workbook import SheetRow, write_workbook


def _values(section, raw: dict) -> dict:
    return {column.name: raw.get(column.name) for column in columns_for(section)}


def _bad(section, reasons: list[str]) -> set[str]:
    """The columns a row's reasons name («Kolonne: melding»), in either written standard."""
    named = {header_key(reason.split(":", 1)[0]) for reason in reasons if ":" in reason}
    bad = {column.name for column in columns_for(section) if column.header_keys & named}
    if named & {header_key("Kommunenummer")}:
        bad.add("_municipality")
    return bad


def has_refused_rows(pending: PendingImport) -> bool:
    return bool(((pending.report or {}).get("refused_rows") or {}).get("rows"))


def build_refused_workbook(pending: PendingImport) -> bytes:
    refused = (pending.report or {}).get("refused_rows") or {}
    rows_by_key = refused.get("rows") or {}
    rows = {}
    numbers = set()
    for section in profile_sections():
        if section.key not in rows_by_key:
            continue
        rows[section.key] = []
        for entry in rows_by_key[section.key]:
            raw = entry.get("raw") or {}
            number = raw.get("_municipality")
            number = number if isinstance(number, str) else ("" if number is None else number)
            numbers.add(number)
            rows[section.key].append(
                SheetRow(
                    number,
                    raw.get("_name") or "",
                    raw.get("_uid") if section.is_repeating else None,
                    _values(section, raw),
                    reasons=entry.get("reasons") or [],
                    bad=_bad(section, entry.get("reasons") or []),
                )
            )
    versions = [
        (number, key, edit_id)
        for number, edits in (refused.get("base_edits") or {}).items()
        for key, edit_id in edits.items()
    ]
    generated = refused.get("generated_at") or ""
    try:
        now = datetime.datetime.fromisoformat(generated) if generated else pending.created_at
    except ValueError:
        now = pending.created_at
    return write_workbook(
        pending.round, pending.county, rows, versions, now or timezone.now(), refused=True
    )


def refused_filename(pending: PendingImport) -> str:
    return f"bosetting-{pending.round.year}-fylke-{pending.county.number}-avviste-rader.xlsx"
