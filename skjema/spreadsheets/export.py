"""IMDi's export of a round's municipality profiles to XLSX and CSV.

Content comes from each profile's latest submitted version, never from a working copy, so a
draft or an unsent correction never leaves the portal. Accepted profiles by default; with
``status="submitted"`` every profile that has been submitted. Repeating sections get their own
sheet with one line per row. The columns are declared as django-import-export Resources (one per
section); the files are written here so that codes are text cells and every text that a
spreadsheet program would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe, in
both formats. (import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT strips only «=».)"""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from import_export import resources
from import_export.fields import Field
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import reading
from ..models import Round, Status, Version
from ..sections import CodeNames, Section
from .columns import (
    BOOLEAN,
    CHOICE,
    CHOICES,
    CODE,
    DECIMAL,
    INTEGER,
    MUNICIPALITIES,
    MUNICIPALITY_LABEL,
    NAME_LABEL,
    NO,
    SHEET_NAMES,
    TEXT_FORMAT,
    UID_LABEL,
    YES,
    Column,
    columns_for,
    neutralise,
    profile_sections,
)

ACCEPTED, SUBMITTED = "accepted", "submitted"
STATUS_CHOICES = {ACCEPTED: "godkjente profiler", SUBMITTED: "alle innsendte profiler"}
OVERVIEW_KEY, OVERVIEW_SHEET = "profiles", "Profiler"
CSV_DELIMITER = ";"  # as in IMDi's own statistics downloads; opens directly in Norwegian Excel


def _text_columns() -> set[str]:
    return {"Fylkesnummer", str(MUNICIPALITY_LABEL), str(UID_LABEL)}


def exported_profiles(round_: Round, user, status: str = ACCEPTED) -> list[tuple]:
    """(profile, latest version) for the profiles the user may see, in county and number order."""
    visible = reading.submissions_visible_to(user=user, kind="profile")
    queryset = reading.published_profiles(round_=round_) & visible
    if status == ACCEPTED:
        queryset = queryset.filter(status=Status.ACCEPTED)
    latest = Version.objects.filter(submission=OuterRef("pk")).order_by("-number").values("pk")
    profiles = list(
        queryset.annotate(latest_version_id=Subquery(latest[:1]))
        .filter(latest_version_id__isnull=False)
        .select_related("municipality", "county")
        .order_by("county__number", "municipality__number")
    )
    versions = Version.objects.in_bulk([p.latest_version_id for p in profiles])
    return [(profile, versions[profile.latest_version_id]) for profile in profiles]


# ---------------------------------------------------------------------------------------------
# resources


def _identity_fields() -> OrderedDict:
    return OrderedDict(
        [
            (
                "county_number",
                Field(
                    column_name="Fylkesnummer",
                    dehydrate_method=lambda i: i["profile"].county.number,
                ),
            ),
            (
                "county_name",
                Field(column_name="Fylke", dehydrate_method=lambda i: i["profile"].county.name),
            ),
            (
                "municipality_number",
                Field(
                    column_name=str(MUNICIPALITY_LABEL),
                    dehydrate_method=lambda i: i["profile"].municipality.number,
                ),
            ),
            (
                "municipality_name",
                Field(
                    column_name=str(NAME_LABEL),
                    dehydrate_method=lambda i: i["profile"].municipality.name,
                ),
            ),
        ]
    )


class ProfileOverviewResource(resources.Resource):
    """One line per profile: who, which version, when, late or not, and how many rows."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = _identity_fields()
        self.fields["status"] = Field(
            column_name="Status", dehydrate_method=lambda i: i["profile"].get_status_display()
        )
        self.fields["version"] = Field(
            column_name="Versjon", dehydrate_method=lambda i: i["version"].number
        )
        self.fields["submitted_at"] = Field(
            column_name="Sendt inn",
            dehydrate_method=lambda i: timezone.localtime(i["version"].created_at).strftime(
                "%Y-%m-%d %H:%M"
            ),
        )
        self.fields["is_late"] = Field(
            column_name="Etter fristen",
            dehydrate_method=lambda i: str(YES if i["version"].is_late else NO),
        )
        self.fields["late_reason"] = Field(
            column_name="Begrunnelse for sen innsending",
            dehydrate_method=lambda i: i["version"].late_reason,
        )
        for section in profile_sections():
            if section.is_repeating:
                self.fields[f"count_{section.key}"] = Field(
                    column_name=f"{SHEET_NAMES[section.key]} (antall rader)",
                    dehydrate_method=lambda i, key=section.key: len(
                        i["version"].data.get(key) or []
                    ),
                )


class SectionResource(resources.Resource):
    """One section's content: a line per row for repeating sections, per profile otherwise.

    Register codes come with a name column beside them; choices are shown by their labels."""

    def __init__(self, section: Section, names: CodeNames | None = None, **kwargs):
        super().__init__(**kwargs)
        self.section = section
        self.names = names or CodeNames()
        self.fields = _identity_fields()
        if section.is_repeating:
            self.fields["uid"] = Field(
                column_name=str(UID_LABEL), dehydrate_method=lambda i: i["row"].get("uid", "")
            )
        for column in columns_for(section):
            self.fields[column.name] = Field(
                column_name=column.label,
                dehydrate_method=lambda i, c=column: self.value(c, i["row"].get(c.name)),
            )
            if column.kind in {CODE, MUNICIPALITIES}:
                self.fields[f"{column.name}_name"] = Field(
                    column_name=f"{column.label} – navn",
                    dehydrate_method=lambda i, c=column: self.name(c, i["row"].get(c.name)),
                )

    def items(self, exported) -> list[dict]:
        items = []
        for profile, version in exported:
            data = version.data.get(self.section.key)
            rows = (data or []) if self.section.is_repeating else [data or {}]
            items += [{"profile": profile, "version": version, "row": row} for row in rows]
        return items

    def value(self, column: Column, value):
        if value is None or value == "" or value == []:
            return ""
        if column.kind == BOOLEAN:
            return str(YES if value else NO)
        if column.kind == CHOICE:
            return dict(column.choices).get(value, value)
        if column.kind == CHOICES:
            labels = dict(column.choices)
            return ", ".join(labels.get(code, code) for code in value)
        if column.kind == MUNICIPALITIES:
            return ", ".join(value)
        if column.kind == DECIMAL:
            return Decimal(str(value))
        if column.kind == INTEGER:
            return int(value)
        return value

    def name(self, column: Column, value) -> str:
        if value is None or value == "" or value == []:
            return ""
        model_field = self.section.model_field(column.name, "profile")
        codes = value if isinstance(value, list) else [value]
        return ", ".join(self.names.name(model_field, code).partition(" ")[2] for code in codes)


def datasets(round_: Round, user, status: str = ACCEPTED, keys=None) -> list[tuple]:
    """(key, sheet title, tablib Dataset) for the overview and each section (or those in keys)."""
    exported = exported_profiles(round_, user, status)
    result = []
    if keys is None or OVERVIEW_KEY in keys:
        items = [{"profile": profile, "version": version} for profile, version in exported]
        result.append((OVERVIEW_KEY, OVERVIEW_SHEET, ProfileOverviewResource().export(items)))
    names = CodeNames()
    for section in profile_sections():
        if keys is not None and section.key not in keys:
            continue
        resource = SectionResource(section, names)
        result.append(
            (section.key, str(SHEET_NAMES[section.key]), resource.export(resource.items(exported)))
        )
    return result


def dataset_titles() -> list[tuple[str, str]]:
    return [(OVERVIEW_KEY, OVERVIEW_SHEET)] + [
        (section.key, str(SHEET_NAMES[section.key])) for section in profile_sections()
    ]


def dataset_keys() -> list[str]:
    return [key for key, _title in dataset_titles()]


# ---------------------------------------------------------------------------------------------
# files


def export_xlsx(round_: Round, user, status: str = ACCEPTED) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for _key, title, dataset in datasets(round_, user, status):
        sheet = workbook.create_sheet(title)
        headers = list(dataset.headers)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        text_columns = _text_columns()
        text_indexes = {i for i, header in enumerate(headers) if header in text_columns}
        for row_number, values in enumerate(dataset, start=2):
            for index, value in enumerate(values):
                cell = sheet.cell(row=row_number, column=index + 1)
                if isinstance(value, str):
                    cell.value = neutralise(value)
                    cell.data_type = "s"  # never a formula, whatever the text
                else:
                    cell.value = value
                if index in text_indexes:
                    cell.number_format = TEXT_FORMAT
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(len(str(header)) + 2, 12), 40
            )
        sheet.freeze_panes = "E2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_csv(round_: Round, user, status: str = ACCEPTED, key: str = OVERVIEW_KEY) -> str:
    """One dataset as CSV: semicolon-separated, UTF-8 with a byte order mark for Excel."""
    [(_key, _title, dataset)] = datasets(round_, user, status, keys={key})
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    writer.writerow(dataset.headers)
    for values in dataset:
        writer.writerow(["" if value is None else neutralise(value) for value in values])
    return buffer.getvalue()


def export_filename(round_: Round, status: str, extension: str, key: str = "") -> str:
    suffix = f"-{key}" if key else ""
    return f"bosetting-{round_.year}-profiler-{status}{suffix}.{extension}"
