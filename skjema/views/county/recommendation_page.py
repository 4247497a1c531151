"""The county's recommendation page: per municipality the capacity it stated, IMDi's figures of
the last three years, and the warnings of the saved numbers; the county's share of the national
need at the top, the sum, the map, and the words the typing script uses (so it has no text of
its own). A fixed number of queries for any number of municipalities."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _

from portal.formats import number as format_number
from portal.register.geo.maps import render_map
from portal.register.models import Municipality, StatisticValue
from portal.register.statistics_display import SETTLEMENT, TableCell, recent_settlement

from ... import reading, recommendations
from ...maps import county_recommendation_map
from ...sections import get_section, serialize_section

YEARS_SHOWN = 3


@dataclass
class Figure:
    label: str
    text: str  # «12», or what the figure is instead («skjermet»)
    withheld: bool = False
    note: str = ""  # «sum av 0104 Moss og 0136 Rygge»


@dataclass
class YearLine:
    year: int
    figures: list[Figure]


@dataclass
class Context:
    number: str
    capacity: int | None
    capacity_text: str
    has_profile: bool
    years: list[YearLine] = field(default_factory=list)
    warning: str = ""


def _figure(label: str, cell: TableCell | None) -> Figure:
    if cell is None:
        return Figure(label, _("mangler"))
    if cell.meaning:
        return Figure(
            label, str(cell.meaning), withheld=cell.status == StatisticValue.Status.SUPPRESSED
        )
    note = _("sum av %(parts)s") % {"parts": ", ".join(cell.parts)} if cell.summed else ""
    return Figure(label, cell.text, note=note)


def municipality_context(*, submission, numbers) -> dict[str, Context]:
    """{municipality number: its context} for ``numbers`` (the page's rows). Three queries."""
    capacities = reading.stated_capacities(round_=submission.round)
    municipalities = list(Municipality.objects.filter(number__in=list(numbers)))
    figures = recent_settlement(
        municipalities, before_year=submission.round.year, years=YEARS_SHOWN
    )
    labels = [str(label) for _code, label in SETTLEMENT]
    out = {}
    for number in numbers:
        has_profile = number in capacities
        capacity = capacities.get(number)
        if not isinstance(capacity, int):
            capacity = None
        if capacity is not None:
            text = format_number(capacity)
        elif has_profile:
            text = _("ikke oppgitt")
        else:
            text = _("profilen er ikke sendt inn")
        out[number] = Context(
            number=number,
            capacity=capacity,
            capacity_text=text,
            has_profile=has_profile,
            years=[
                YearLine(
                    line.year, [_figure(lb, c) for lb, c in zip(labels, line.cells, strict=True)]
                )
                for line in figures.get(number, [])
            ],
        )
    return out


def script_messages(share: int | None) -> dict[str, str]:
    """The typing script's words, with {placeholders} it fills in (the same msgids as the
    server's own warnings)."""
    messages = {
        "over": recommendations.over_capacity_message("{capacity}"),
        "negative": str(recommendations.NEGATIVE_MESSAGE),
        "too-large": recommendations.too_large_message(),
        "not-integer": str(forms.IntegerField.default_error_messages["invalid"]),
        "invalid-sum": _("Summen tar med tall som ikke kan lagres. Rett dem før du lagrer."),
        "announce": _("Sum anbefalt: %(total)s.") % {"total": "{total}"},
        "max": str(recommendations.MAX_RECOMMENDED),
    }
    if share is not None:
        messages["sum-over"] = _(
            "Summen er %(diff)s over fylkets andel av det nasjonale behovet (%(share)s)."
        ) % {"diff": "{diff}", "share": "{share}"}
        messages["sum-under"] = _(
            "Summen er %(diff)s under fylkets andel av det nasjonale behovet (%(share)s)."
        ) % {"diff": "{diff}", "share": "{share}"}
    return messages


def page_context(*, submission, rows, saved_rows, county_sum) -> dict:
    """What the recommendation page adds to the section page. ``rows`` are the edit page's
    RowViews (each gets ``context``); ``saved_rows`` the saved plain data."""
    numbers = [row.form["municipality"].value() or "" for row in rows]
    contexts = municipality_context(submission=submission, numbers=numbers)
    share = county_sum["share"] if county_sum else None
    saved = {
        r.get("municipality"): r.get("number")
        for r in saved_rows or []
        if isinstance(r.get("number"), int)
    }
    names = {row.form["municipality"].value(): row.municipality for row in rows}
    warnings = recommendations.warnings_for(
        rows=saved_rows,
        capacities={n: c.capacity for n, c in contexts.items()},
        share=share,
        names=names,
    )
    for row, number in zip(rows, numbers, strict=True):
        context = contexts[number]
        if recommendations.over_capacity(saved.get(number), context.capacity):
            context.warning = recommendations.over_capacity_message(context.capacity)
        row.context = context
        bound = row.form["number"]
        warning_id = f"{bound.auto_id}_warning"
        described = bound.field.widget.attrs.get("aria-describedby", "")
        bound.field.widget.attrs["aria-describedby"] = f"{described} {warning_id}".strip()
        bound.field.widget.attrs["data-sum"] = ""
        row.warning_id = warning_id
    the_map = county_recommendation_map(submission.round, submission.county, recommended=saved)
    return {
        "recommendation_rows": rows,
        "share": share,
        "share_text": format_number(share) if share is not None else "",
        "total_text": format_number(county_sum["total"]) if county_sum else "",
        "sum_warning": next((w.message for w in warnings if w.kind == "sum_differs"), ""),
        "script_messages": script_messages(share),
        "figure_labels": [str(label) for _code, label in SETTLEMENT],
        "recommendation_map": render_map(the_map),
        "years_shown": YEARS_SHOWN,
    }


def saved_warnings(submission) -> list[str]:
    """The warnings of what was just saved, as messages for the page the save leads to: each
    recommendation above its stated capacity, and a sum that differs from the share."""
    fresh = type(submission).objects.get(pk=submission.pk)  # not the prefetched rows
    rows = serialize_section(fresh, get_section(submission.kind, "recommendations"))
    capacities = reading.stated_capacities(round_=submission.round)
    names = dict(
        Municipality.objects.filter(
            number__in=[r.get("municipality") for r in rows if r.get("municipality")]
        ).values_list("number", "name")
    )
    found = recommendations.warnings_for(
        rows=rows,
        capacities=capacities,
        share=reading.county_share(submission=submission),
        names=names,
    )
    return [_("Lagret, men sjekk: %(warning)s") % {"warning": w.message} for w in found]
