"""The preparatory document's summary table: per municipality the latest request, the county's
recommendation, the capacity the profile states and the last three years' decided and settled,
with the deviations the meeting should look at flagged in the row and listed below the table.

Deviations (thresholds in settings, so IMDi can tune them without a release):
- ``above_capacity``: the recommendation is above the capacity the submitted profile states.
- ``below_half_request``: the recommendation is below half of IMDi's latest request.
- ``settled_far_below``: in one of the years shown, fewer were settled than
  ``PREPARATORY_SETTLED_BELOW_PERCENT`` (75) per cent of those decided, in a year with at least
  ``PREPARATORY_MIN_DECIDED`` (5) decided – «far below» means a quarter or more short, and
  small numbers, where one family is a large share, are not flagged.

Figures come from the register's one suppression rule (``settlement_cells``): a withheld
figure shows «:» and is never compared, so no deviation gives it away."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.register.statistics_display import SYMBOLS, Status, TableCell, cell_number

from .text import count_text

SUMMARY_YEARS = 3
DEVIATION_LABELS = {
    "above_capacity": gettext_lazy("Over oppgitt kapasitet"),
    "below_half_request": gettext_lazy("Under halve anmodningen"),
    "settled_far_below": gettext_lazy("Bosatt langt under vedtatt"),
}


def settled_below_percent() -> int:
    return settings.PREPARATORY_SETTLED_BELOW_PERCENT


def min_decided() -> int:
    return settings.PREPARATORY_MIN_DECIDED


@dataclass
class Entry:
    """What the summary knows of one municipality (read by ``content._build``)."""

    number: str
    name: str
    profile_status: str | None  # the submitted profile's status label; None: not submitted
    recommended: int | None
    capacity: int | None
    cells: dict[int, dict[str, TableCell | None]]  # settlement_cells


def _text(cell: TableCell | None) -> str:
    if cell is None:
        return SYMBOLS[Status.MISSING][0]
    return cell.text


def _years(entries: list[Entry], keys: tuple[str, ...]) -> list[int]:
    return sorted(
        {year for e in entries for year, cells in e.cells.items() if any(cells[k] for k in keys)}
    )


def _deviations(entry: Entry, requested: TableCell | None, years, requested_year) -> list[dict]:
    found = []
    recommended, capacity = entry.recommended, entry.capacity
    if recommended is not None and capacity is not None and recommended > capacity:
        found.append(
            (
                "above_capacity",
                _(
                    "Anbefalt %(recommended)s er over kapasiteten kommunen har oppgitt (%(capacity)s)."
                )
                % {"recommended": count_text(recommended), "capacity": count_text(capacity)},
            )
        )
    request = cell_number(requested)
    if recommended is not None and request and recommended * 2 < request:
        found.append(
            (
                "below_half_request",
                _(
                    "Anbefalt %(recommended)s er under halvparten av anmodningen for %(year)s "
                    "(%(requested)s)."
                )
                % {
                    "recommended": count_text(recommended),
                    "year": requested_year,
                    "requested": count_text(request),
                },
            )
        )
    short = []
    for year in years:
        cells = entry.cells.get(year) or {}
        decided, settled = cell_number(cells.get("decided")), cell_number(cells.get("settled"))
        if decided is None or settled is None or decided < min_decided():
            continue
        if settled * 100 < decided * settled_below_percent():
            short.append(
                _("%(year)s: %(settled)s bosatt av %(decided)s vedtatt (%(percent)s %%)")
                % {
                    "year": year,
                    "settled": count_text(settled),
                    "decided": count_text(decided),
                    "percent": round(100 * settled / decided),
                }
            )
    if short:
        found.append(("settled_far_below", "; ".join(short) + "."))
    return [
        {"kind": kind, "label": str(DEVIATION_LABELS[kind]), "text": text} for kind, text in found
    ]


def summary_table(entries: list[Entry], *, county_submitted: bool) -> dict:
    """The table and the list of deviations as plain display data."""
    years = _years(entries, ("decided", "settled"))[-SUMMARY_YEARS:]
    requested_years = _years(entries, ("requested",))
    requested_year = requested_years[-1] if requested_years else None
    not_submitted = _("ikke sendt inn")
    rows, deviations = [], []
    for entry in entries:
        requested = (entry.cells.get(requested_year) or {}).get("requested")
        found = _deviations(entry, requested, years, requested_year)
        recommended = count_text(entry.recommended) if county_submitted else not_submitted
        rows.append(
            {
                "number": entry.number,
                "name": entry.name,
                "profile": entry.profile_status or not_submitted,
                "submitted": entry.profile_status is not None,
                "requested": _text(requested) if requested_year else "–",
                "recommended": recommended,
                "capacity": count_text(entry.capacity) if entry.profile_status else "–",
                "decided": [_text((entry.cells.get(y) or {}).get("decided")) for y in years],
                "settled": [_text((entry.cells.get(y) or {}).get("settled")) for y in years],
                "deviations": [d["label"] for d in found],
            }
        )
        deviations += [{"number": entry.number, "name": entry.name, **d} for d in found]
    return {
        "years": years,
        "requested_year": requested_year,
        "rows": rows,
        "deviations": deviations,
        "rules": _(
            "Avvik: anbefalt antall over kapasiteten i kommuneprofilen, anbefalt antall under "
            "halvparten av siste anmodning, og bosatt langt under vedtatt – under %(percent)s %% "
            "av vedtatt, i år med minst %(minimum)s vedtatt. Skjermede tall («:») sammenlignes "
            "ikke."
        )
        % {"percent": settled_below_percent(), "minimum": min_decided()},
    }


def header(summary: dict) -> list[str]:
    """The summary table's column headings (for Word and PDF; the page writes its own)."""
    requested = (
        _("Anmodet %(year)s") % {"year": summary["requested_year"]}
        if summary["requested_year"]
        else _("Anmodet")
    )
    return [
        _("Kommune"),
        _("Kommuneprofil"),
        requested,
        _("Anbefalt"),
        _("Kapasitet"),
        *[_("Vedtatt %(year)s") % {"year": year} for year in summary["years"]],
        *[_("Bosatt %(year)s") % {"year": year} for year in summary["years"]],
        _("Avvik"),
    ]


def cells(row: dict) -> list[str]:
    """One summary row as the cells under ``header``."""
    return [
        f"{row['number']} {row['name']}",
        row["profile"],
        row["requested"],
        row["recommended"],
        row["capacity"],
        *row["decided"],
        *row["settled"],
        ", ".join(row["deviations"]) or "–",
    ]
