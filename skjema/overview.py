"""The round overview's county table (status counts, late submissions, recommended numbers
against the share, the county meeting's document) and its export to CSV and XLSX.

Builds on ``dashboards`` and ``meetings.round_schedule``; a fixed number of queries however many
counties and municipalities the round has. Drafts count only as numbers."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count
from django.utils import dateformat, timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.register.models import County

from .dashboards import (
    RecommendationRow,
    SectionCompleteness,
    recommendation_table,
    section_completeness,
    status_table,
)
from .meetings import RoundSchedule, ScheduledMeeting, round_schedule
from .models import Round, Status, Submission
from .models.submissions import SUBMITTED_STATES
from .spreadsheets.columns import TEXT_FORMAT, neutralise

CSV_DELIMITER = ";"  # as the other exports: opens directly in Norwegian Excel
SHEETS = {"fylker": "Fylker", "fullstendighet": "Fullstendighet", "moter": "Møter"}
DEFAULT_SHEET = "fylker"


@dataclass
class CountyOverview:
    county: County
    profiles: int
    counts: dict[str, int]  # profiles per status
    late: int  # profiles and the county submission, last submitted after the deadline
    county_submission_status: str
    recommendation: RecommendationRow | None
    meeting: ScheduledMeeting | None

    @property
    def submitted(self) -> int:
        """Profiles sent in at least once (awaiting review, returned or accepted)."""
        return sum(self.counts.get(status, 0) for status in SUBMITTED_STATES)

    @property
    def awaiting(self) -> int:
        return self.counts.get(Status.SUBMITTED, 0) + self.counts.get(Status.RESUBMITTED, 0)

    @property
    def returned(self) -> int:
        return self.counts.get(Status.RETURNED, 0)

    @property
    def accepted(self) -> int:
        return self.counts.get(Status.ACCEPTED, 0)

    @property
    def drafts(self) -> int:
        return self.counts.get(Status.DRAFT, 0)

    @property
    def county_submission_label(self) -> str:
        if not self.county_submission_status:
            return ""
        return str(Status(self.county_submission_status).label)


@dataclass
class RoundOverviewExtra:
    round: Round
    schedule: RoundSchedule
    counties: list[CountyOverview]

    @cached_property
    def completeness(self) -> list[SectionCompleteness]:
        """Per profile section (two queries, only when asked for: the export's own sheet)."""
        return section_completeness(self.round)


def county_overview(round_: Round, *, today: datetime.date | None = None) -> RoundOverviewExtra:
    """Per county: status counts, late submissions, recommended numbers against the share, and
    the county meeting with its document. Seven queries."""
    counties = list(round_.counties().order_by("number"))
    statuses = status_table(round_, counties)
    late = dict(
        Submission.objects.filter(round=round_, is_late=True, status__in=SUBMITTED_STATES)
        .values("county_id")
        .annotate(n=Count("id"))
        .values_list("county_id", "n")
        .order_by()
    )
    recommendations = {row.county.pk: row for row in recommendation_table(round_, counties).rows}
    schedule = round_schedule(round_, today=today)
    rows = []
    for status_row in statuses.rows:
        county = status_row.county
        counts = defaultdict(int)
        for status, count in zip(statuses.statuses, status_row.counts, strict=True):
            counts[status] = count
        rows.append(
            CountyOverview(
                county=county,
                profiles=status_row.total,
                counts=dict(counts),
                late=late.get(county.pk, 0),
                county_submission_status=status_row.county_submission_status,
                recommendation=recommendations.get(county.pk),
                meeting=schedule.for_county(county),
            )
        )
    return RoundOverviewExtra(round_, schedule, rows)


# ---------------------------------------------------------------------------------------------
# export


def _day(value) -> str:
    return dateformat.format(value, "d.m.Y") if value else ""


def _county_sheet(overview: RoundOverviewExtra) -> tuple[list[str], list[list], set[int]]:
    header = [
        "Fylkesnummer",
        "Fylke",
        "Kommuneprofiler",
        "Utkast",
        "Sendt inn (minst én gang)",
        "Venter på IMDi",
        "Returnert",
        "Godkjent",
        "Sendt inn etter fristen",
        "Fylkets innspill",
        "Sum anbefalt",
        "Fylkets andel",
        "Differanse",
        "Samarbeidsmøte",
        "Frist for saksforberedende dokument",
        "Dokumentstatus",
        "Dokument sendt",
    ]
    rows = []
    for row in overview.counties:
        recommendation = row.recommendation
        meeting = row.meeting
        sent = meeting.sent_snapshot if meeting else None
        rows.append(
            [
                row.county.number,
                row.county.name,
                row.profiles,
                row.drafts,
                row.submitted,
                row.awaiting,
                row.returned,
                row.accepted,
                row.late,
                row.county_submission_label,
                recommendation.recommended if recommendation else None,
                recommendation.share if recommendation else None,
                recommendation.difference if recommendation else None,
                _day(timezone.localdate(meeting.meeting.starts_at)) if meeting else "",
                _day(meeting.due) if meeting else "",
                meeting.state_label if meeting else "",
                _day(timezone.localdate(sent.sent_at)) if sent and sent.sent_at else "",
            ]
        )
    return header, rows, {0}


def _completeness_sheet(overview: RoundOverviewExtra) -> tuple[list[str], list[list], set[int]]:
    header = ["Del", "Tittel", "Utfylt", "Uten mangler", "Innsendte profiler", "Utfylt (%)"]
    rows = [
        [
            item.section.number,
            str(item.section.title),
            item.filled,
            item.valid,
            item.of,
            item.filled_percent,
        ]
        for item in overview.completeness
    ]
    return header, rows, set()


def _meetings_sheet(overview: RoundOverviewExtra) -> tuple[list[str], list[list], set[int]]:
    header = [
        "Dato",
        "Hendelse",
        "Type",
        "Fylkesnummer",
        "Fylke",
        "Frist for saksforberedende dokument",
        "Dokumentstatus",
    ]
    rows = []
    for entry in overview.schedule.timeline:
        meeting = entry.meeting
        county = meeting.county if meeting else None
        rows.append(
            [
                dateformat.format(timezone.localtime(entry.at), "d.m.Y H:i"),
                entry.label,
                entry.kind_label,
                county.number if county else "",
                county.name if county else "",
                _day(meeting.due) if meeting else "",
                meeting.state_label if meeting else "",
            ]
        )
    return header, rows, {3}


BUILDERS = {
    "fylker": _county_sheet,
    "fullstendighet": _completeness_sheet,
    "moter": _meetings_sheet,
}


def export_csv(overview: RoundOverviewExtra, sheet: str = DEFAULT_SHEET) -> str:
    """One sheet as CSV: semicolon-separated, UTF-8 with a byte order mark for Excel. Text a
    spreadsheet program would run as a formula gets a leading apostrophe."""
    header, rows, _text_columns = BUILDERS[sheet](overview)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerow(header)
    for values in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in values])
    return buffer.getvalue()


def export_xlsx(overview: RoundOverviewExtra) -> bytes:
    """Every sheet in one workbook. Codes are text cells («03» stays «03»); no cell is ever a
    formula, whatever its text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, title in SHEETS.items():
        header, rows, text_columns = BUILDERS[key](overview)
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_number, values in enumerate(rows, start=2):
            for index, value in enumerate(values):
                cell = sheet.cell(row=row_number, column=index + 1)
                if isinstance(value, str):
                    cell.value = neutralise(value)
                    cell.data_type = "s"
                else:
                    cell.value = value
                if index in text_columns:
                    cell.number_format = TEXT_FORMAT
        for index, label in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(len(label) + 2, 10), 40
            )
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(round_: Round, extension: str, sheet: str = "") -> str:
    suffix = f"-{sheet}" if sheet else ""
    return f"bosetting-{round_.year}-oversikt{suffix}.{extension}"
