"""The content of IMDi's preparatory document for a county meeting, as plain data.

``build_content`` reads only submitted versions – the county submission's and each profile's
latest version – never a working copy, so a draft never reaches the meeting's participants (it
shows as «ikke sendt inn»). The result is plain JSON with display text (Norwegian), frozen in a
``PreparatorySnapshot``: the document says what the portal held when the data was read
(``generated_at``), even if names or content change later. Word and PDF are made from it."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.register.models import Indicator, Municipality, StatisticValue
from portal.register.statistics_display import (
    KEY_FIGURES,
    SETTLEMENT,
    SYMBOLS,
    settlement_cells,
    year_totals,
)

from ..models import CountyShare, ReviewComment, Round, Submission
from ..reading import latest_versions, present_sections, previous_version
from ..sections import CodeNames, diff, get_section
from .highlights import highlights
from .summary import Entry, summary_table
from .text import decimal_text, format_moment

# 2: the summary table with deviations (``summary``) and the moment the data was read as ISO.
FORMAT = 2
RESULT_PREFIX = "intro_"  # introduction-programme results, where IMDi publishes them
STATISTICS_YEARS = 5
CHANGE_LABELS = {
    "added": gettext_lazy("Ny"),
    "removed": gettext_lazy("Fjernet"),
    "changed": gettext_lazy("Endret"),
}


# ---------------------------------------------------------------------------------------------
# statistics


def _cell_text(cell) -> str:
    return SYMBOLS[StatisticValue.Status.MISSING][0] if cell is None else cell.text


def settlement_series(municipality: Municipality) -> tuple[dict[str, list], list]:
    """({indicator code: values}, every series) of the municipality, older codes included.
    Two queries (``series_for``)."""
    series = StatisticValue.objects.series_for(municipality)
    return {s.indicator.code: s.values for s in series}, series


def statistics(municipality: Municipality, before_year: int, *, read=None) -> dict | None:
    """Requested, decided and settled for the last years before the round, and the latest
    introduction-programme results, from IMDi's statistics (values under the municipality's
    older codes included), every year's parts combined by the register's one suppression rule.
    None when the portal has no statistics for it."""
    values, series = read or settlement_series(municipality)
    cells = settlement_cells(values, before_year)
    years = sorted(cells)[-STATISTICS_YEARS:]
    results = []
    for s in series:
        if not s.indicator.code.startswith(RESULT_PREFIX):
            continue
        totals = [(year, cell) for year, cell in year_totals(s) if year < before_year]
        if not totals:
            continue
        year, cell = totals[-1]
        text = cell.text
        if (
            s.indicator.unit == Indicator.Unit.PERCENT
            and cell.status == StatisticValue.Status.VALUE
        ):
            text += " %"
        results.append({"label": s.indicator.name, "year": year, "value": text})
    if not years and not results:
        return None
    keys = [key for key, _code in KEY_FIGURES]
    return {
        "columns": [str(label) for _code, label in SETTLEMENT],
        "rows": [
            {"year": year, "values": [_cell_text(cells[year][key]) for key in keys]}
            for year in years
        ],
        "results": results,
    }


# ---------------------------------------------------------------------------------------------
# comments and changes


def _comment_where(comment: ReviewComment, kind: str) -> str:
    try:
        section = get_section(kind, comment.section)
    except KeyError:
        return comment.section
    where = _("Del %(number)s: %(title)s") % {"number": section.number, "title": section.title}
    if comment.field and comment.field in section.fields:
        where += f" – {section.field_label(comment.field, kind)}"
    return where


def _comments(comments: list[ReviewComment], kind: str) -> list[dict]:
    return [
        {
            "where": _comment_where(comment, kind),
            "text": comment.text,
            "version": comment.version.number,
            "at": format_moment(comment.at),
        }
        for comment in comments
    ]


def _changes(municipality: Municipality, round_: Round, data: dict | None) -> dict:
    """What changed in the profile since the municipality's profile in an earlier round (the
    latest accepted, else latest submitted, version there, through code history)."""
    previous = previous_version(municipality=municipality, before_year=round_.year)
    if previous is None or data is None:
        # Without a submitted version there is nothing to compare: «ikke sendt inn», never
        # «Ingen endringer» (a draft's content never reaches the document).
        changes = {"since": previous.submission.round.year if previous else None, "sections": []}
        if data is None:
            changes["not_submitted"] = True
        return changes
    previous_submission = previous.submission
    sections = []
    for section_diff in diff(previous.data, data, "profile"):
        if not section_diff.changed:
            continue
        section = get_section("profile", section_diff.key)

        def changed(changes, section=section):
            shown = []
            for change in changes:
                decimal = isinstance(
                    section.model_field(change.field, "profile"), models.DecimalField
                )
                old, new = (decimal_text(v) if decimal else v for v in (change.old, change.new))
                shown.append({"label": change.label, "old": old, "new": new})
            return shown

        sections.append(
            {
                "title": section_diff.title,
                "fields": changed(section_diff.fields),
                "rows": [
                    {
                        "label": row.label,
                        "change": str(CHANGE_LABELS[row.change]),
                        "fields": changed(row.fields),
                    }
                    for row in section_diff.rows
                ],
            }
        )
    return {
        "since": previous_submission.round.year,
        "against": _("%(name)s, versjon %(number)s (%(status)s)")
        % {
            "name": f"{previous_submission.municipality.number} "
            f"{previous_submission.municipality.name}",
            "number": previous.number,
            "status": previous_submission.get_status_display().lower(),
        },
        "sections": sections,
    }


# ---------------------------------------------------------------------------------------------
# the whole document


def _version_facts(version, submission: Submission) -> dict:
    return {
        "status": submission.get_status_display(),
        "version": version.number,
        "submitted_at": format_moment(version.created_at),
        "is_late": version.is_late,
    }


def build_content(round_: Round, meeting, county, *, now=None) -> dict:
    """The preparatory document for ``meeting`` (a county meeting of ``round_``) as plain data,
    written in the county's målform (språklova: what a state body sends to a county is in its
    written standard; bokmål for «nøytral»). The language is kept in the content, so the Word
    file and the PDF made from it later are in the same one."""
    language = county.language or settings.LANGUAGE_CODE
    with translation.override(language):
        content = _build(round_, meeting, county, now or timezone.now())
    content["language"] = language
    return content


def _build(round_: Round, meeting, county, now) -> dict:
    names = CodeNames()
    municipalities = list(
        Municipality.objects.in_structure(round_.structure).filter(county=county).order_by("number")
    )
    profile_versions = {
        version.submission.municipality_id: version
        for version in latest_versions(round_=round_, kind=Submission.Kind.PROFILE)
        .filter(submission__county=county)
        .select_related("submission")
    }
    county_version = (
        latest_versions(round_=round_, kind=Submission.Kind.COUNTY)
        .filter(submission__county=county)
        .select_related("submission")
        .first()
    )
    comments = defaultdict(list)
    for comment in (
        ReviewComment.objects.filter(submission__round=round_, submission__county=county)
        .select_related("version")
        .order_by("at", "id")
    ):
        comments[comment.submission_id].append(comment)
    share = CountyShare.objects.filter(round=round_, county=county).values_list("share", flat=True)
    share = share.first()

    recommendations: dict[str, dict] = {}
    county_part = None
    if county_version is not None:
        data = county_version.data or {}
        for row in data.get("recommendations") or []:
            recommendations[row.get("municipality")] = row
        described = {read.key: read for read in present_sections(kind="county", data=data)}
        county_part = {
            **_version_facts(county_version, county_version.submission),
            "plans": [
                {"label": item.label, "value": item.value, "url": item.url}
                for item in described["plans"].items
            ],
            "general_comment": (data.get("comment") or {}).get("general_comment") or "",
            "comments": _comments(comments[county_version.submission_id], "county"),
        }

    rows, entries = [], []
    for municipality in municipalities:
        version = profile_versions.get(municipality.pk)
        recommended = recommendations.get(municipality.number)
        read = settlement_series(municipality)
        rows.append(
            {
                "number": municipality.number,
                "name": municipality.name,
                "profile": _version_facts(version, version.submission) if version else None,
                "recommended": {
                    "number": recommended.get("number"),
                    "justification": recommended.get("justification") or "",
                }
                if recommended
                else None,
                "highlights": highlights(version.data or {}, names) if version else [],
                "statistics": statistics(municipality, round_.year, read=read),
                "comments": _comments(comments[version.submission_id], "profile")
                if version
                else [],
                "changes": _changes(municipality, round_, version.data if version else None),
            }
        )
        number = (recommended or {}).get("number")
        capacity = ((version.data or {}).get("capacity") or {}).get("capacity") if version else None
        entries.append(
            Entry(
                number=municipality.number,
                name=municipality.name,
                profile_status=version.submission.get_status_display() if version else None,
                recommended=number if isinstance(number, int) else None,
                capacity=capacity if isinstance(capacity, int) else None,
                cells=settlement_cells(read[0], round_.year),
            )
        )

    numbers = [
        row.get("number") for row in recommendations.values() if row.get("number") is not None
    ]
    total = sum(numbers) if county_version is not None else None
    return {
        "format": FORMAT,
        "round": {"year": round_.year, "title": str(round_), "national_need": round_.national_need},
        "county": {"number": county.number, "name": county.name},
        "meeting": {
            "title": meeting.title,
            "starts_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
            "when": format_moment(meeting.starts_at) if meeting.starts_at else "",
            "location": meeting.location,
        },
        "generated_at": format_moment(now),
        "read_at": now.isoformat(),
        "profiles_submitted": len(profile_versions),
        "county_submission": county_part,
        "sum": {
            "recommended": total,
            "municipalities": len(numbers),
            "share": share,
            "difference": total - share if total is not None and share is not None else None,
            "percent": round(100 * total / share) if total is not None and share else None,
        },
        "summary": summary_table(entries, county_submitted=county_version is not None),
        "municipalities": rows,
    }
