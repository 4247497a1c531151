"""Checking a county workbook's sheets: headers (in bokmål or nynorsk), every row's cells, its
municipality and its row id, against the county's profiles and the register. Writes nothing;
the preview (``preview.py``) compares what is read here with the working copies."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from portal.register.models import Municipality, Occupation, ProgrammeArea

from ..models import MunicipalityProfile, Round, SectionEdit
from ..sections import Section, serialize_section
from .columns import (
    GUIDE_SHEET,
    MUNICIPALITY_LABEL,
    NAME_LABEL,
    REASON_LABEL,
    UID_LABEL,
    CellError,
    Column,
    columns_for,
    header_key,
    profile_sections,
    read_cell,
    read_municipality_number,
    variants,
)
from .unpack import MAX_COLUMNS, MAX_ROWS_PER_SHEET
from .workbook import county_profiles


@dataclass
class Problem:
    sheet: str
    message: str
    row: int | None = None
    column: str = ""
    target: str = ""  # where the preview shows it, when that is not the sheet row

    @property
    def text(self) -> str:
        where = _("Ark «%(sheet)s»") % {"sheet": self.sheet} if self.sheet else _("Filen")
        if self.row is not None:
            where += _(", rad %(row)s") % {"row": self.row}
        if self.column:
            where += _(", kolonne «%(column)s»") % {"column": self.column}
        return f"{where}: {self.message}"

    @property
    def anchor(self) -> str:
        if self.target:
            return self.target
        if self.row is None:
            return "feil-i-arkene"
        return row_anchor(self.sheet, self.row)


def row_anchor(sheet: str, row: int) -> str:
    return f"rad-{header_key(sheet).replace(' ', '-')}-{row}"


@dataclass
class ParsedRow:
    sheet_row: int
    municipality: str | None
    uid: str = ""
    data: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    # The cells as the county wrote them (JSON-safe), for the workbook of refused rows.
    raw: list = field(default_factory=list)
    # A row without content: it only says the municipality is in the sheet (the empty row the
    # workbook leaves for new entries) or, with a row id, that the row is to be deleted.
    marker: bool = False


@dataclass
class ParsedSheet:
    section: Section
    title: str
    headers: list[str]
    rows: list[ParsedRow]


def raw_value(value):
    """A cell's value as JSON can keep it (dates as text; the county sees them again)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


@dataclass
class Context:
    """What the workbook is compared with: the county's profiles and the register's codes."""

    round: Round
    county: Any
    profiles: dict[str, MunicipalityProfile]
    current: dict[str, dict[str, Any]]
    uid_owner: dict[tuple[str, str], str]
    latest_edits: dict[tuple[int, str], SectionEdit]
    structure: dict[str, tuple[str, str]]  # number -> (name, county number)
    known_codes: dict[type, set[str]]
    history: dict[str, tuple[str, str]]  # older numbers -> (name, number in use today)


def load_context(round_: Round, county, user) -> Context:
    profiles = {p.municipality.number: p for p in county_profiles(round_, county, user)}
    current: dict[str, dict[str, Any]] = {}
    uid_owner: dict[tuple[str, str], str] = {}
    for number, profile in profiles.items():
        current[number] = {}
        for section in profile_sections():
            data = serialize_section(profile, section)
            current[number][section.key] = data
            if section.is_repeating:
                for row in data:
                    uid_owner[(section.key, row["uid"])] = number
    latest_ids = (
        SectionEdit.objects.filter(submission__in=list(profiles.values()))
        .values("submission", "section")
        .annotate(latest=Max("id"))
        .values_list("latest", flat=True)
    )
    latest_edits = {
        (edit.submission_id, edit.section): edit
        for edit in SectionEdit.objects.filter(pk__in=list(latest_ids)).select_related("by")
    }
    structure = {
        number: (name, county_number or "")
        for number, name, county_number in Municipality.objects.in_structure(
            round_.structure
        ).values_list("number", "name", "county__number")
    }
    history = {
        number: (name, current or "")
        for number, name, current in Municipality.objects.exclude(number__in=structure).values_list(
            "number", "name", "current__number"
        )
    }
    known_codes = {
        Occupation: set(Occupation.objects.values_list("code", flat=True)),
        ProgrammeArea: set(ProgrammeArea.objects.values_list("code", flat=True)),
        Municipality: set(structure),
    }
    return Context(
        round_, county, profiles, current, uid_owner, latest_edits, structure, known_codes, history
    )


def _cell_problem(cell) -> str | None:
    data_type = getattr(cell, "data_type", None)
    if data_type == "f":
        return _("Cellen inneholder en formel (%(value)s); skriv inn selve verdien.") % {
            "value": cell.value
        }
    if data_type == "e":
        return _("Cellen inneholder en feilverdi (%(value)s); skriv inn verdien.") % {
            "value": cell.value
        }
    return None


def _header(sheet_title: str, cells, section: Section, problems: list[Problem]):
    """Map column positions to what they hold; problems for unknown, doubled or missing ones."""
    specs: dict[str, Any] = {}
    for key in variants(MUNICIPALITY_LABEL):
        specs[key] = "_municipality"
    for key in variants(NAME_LABEL):
        specs[key] = "_name"
    if section.is_repeating:
        for key in variants(UID_LABEL):
            specs[key] = "_uid"
    for key in variants(REASON_LABEL):  # the workbook of refused rows has it; not read
        specs[key] = "_reason"
    for column in columns_for(section):
        for key in column.header_keys:
            specs[key] = column
    mapping: dict[int, Any] = {}
    seen: set = set()
    count = len(problems)
    for index, cell in enumerate(cells):
        if cell.value is None or str(cell.value).strip() == "":
            continue
        spec = specs.get(header_key(cell.value))
        key = spec.name if isinstance(spec, Column) else spec
        letter = get_column_letter(index + 1)
        if spec is None:
            problems.append(
                Problem(
                    sheet_title,
                    _(
                        "Kolonne %(letter)s har en ukjent overskrift «%(header)s». Bruk bare "
                        "kolonnene fra arbeidsboken; se arket «%(sheet)s»."
                    )
                    % {"letter": letter, "header": cell.value, "sheet": GUIDE_SHEET},
                )
            )
        elif key in seen:
            problems.append(
                Problem(
                    sheet_title,
                    _("Kolonnen «%(header)s» finnes mer enn én gang.") % {"header": cell.value},
                )
            )
        else:
            seen.add(key)
            mapping[index] = spec
    wanted = ["_municipality", *(["_uid"] if section.is_repeating else []), *columns_for(section)]
    for spec in wanted:
        if (spec.name if isinstance(spec, Column) else spec) not in seen:
            label = spec.label if isinstance(spec, Column) else _special_label(spec)
            problems.append(
                Problem(
                    sheet_title,
                    _("Kolonnen «%(label)s» mangler. Last ned en ny arbeidsbok fra portalen.")
                    % {"label": label},
                )
            )
    return mapping, len(problems) == count


def _special_label(spec: str) -> str:
    labels = {
        "_municipality": MUNICIPALITY_LABEL,
        "_name": NAME_LABEL,
        "_uid": UID_LABEL,
        "_reason": REASON_LABEL,
    }
    return str(labels[spec])


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_sheet(
    sheet, section: Section, context: Context, problems: list[Problem]
) -> ParsedSheet | None:
    """Every row of one sheet, read and checked; None when the sheet's headers cannot be used
    (the problem says why)."""
    title = sheet.title
    # Bounded even if the scan's counts were fooled: openpyxl yields no more than these.
    rows = sheet.iter_rows(max_row=MAX_ROWS_PER_SHEET + 2, max_col=MAX_COLUMNS)
    header = next(rows, None)
    if header is None:
        problems.append(Problem(title, _("Arket er tomt; overskriftsraden mangler.")))
        return None
    mapping, ok = _header(title, header[:MAX_COLUMNS], section, problems)
    if not ok:
        return None
    parsed: list[ParsedRow] = []
    seen_uids: dict[str, int] = {}
    seen_municipalities: dict[str, int] = {}
    for sheet_row, cells in enumerate(rows, start=2):
        if sheet_row > MAX_ROWS_PER_SHEET + 1:
            problems.append(
                Problem(
                    title,
                    _("Arket har mer enn %(max)s rader.") % {"max": MAX_ROWS_PER_SHEET},
                    sheet_row,
                )
            )
            break
        row = _parse_row(title, sheet_row, cells, mapping, section, context)
        if row is None:
            continue
        if row.marker:
            parsed.append(row)
            continue
        if section.is_repeating and row.uid:
            if row.uid in seen_uids:
                row.problems.append(
                    Problem(
                        title,
                        _(
                            "Samme Rad-ID står også på rad %(row)s. Hver rad kan bare stå én "
                            "gang; la Rad-ID stå tom for nye rader."
                        )
                        % {"row": seen_uids[row.uid]},
                        sheet_row,
                        UID_LABEL,
                    )
                )
            else:
                seen_uids[row.uid] = sheet_row
        if not section.is_repeating and row.municipality:
            if row.municipality in seen_municipalities:
                row.problems.append(
                    Problem(
                        title,
                        _("Kommunen står også på rad %(row)s; arket skal ha én rad per kommune.")
                        % {"row": seen_municipalities[row.municipality]},
                        sheet_row,
                        MUNICIPALITY_LABEL,
                    )
                )
            else:
                seen_municipalities[row.municipality] = sheet_row
        if row.problems:
            row.data = None
        parsed.append(row)
    headers = [str(cell.value or "") for cell in header[:MAX_COLUMNS]]
    return ParsedSheet(section, title, headers, parsed)


def _parse_row(title, sheet_row, cells, mapping, section, context) -> ParsedRow | None:
    values: dict[Any, Any] = {}
    raw: dict[Any, Any] = {}
    stray: list[str] = []
    for index, cell in enumerate(cells):
        spec = mapping.get(index)
        if spec is None:
            if not _is_blank(cell.value):
                stray.append(get_column_letter(index + 1))
            continue
        values[spec] = cell.value
        raw[spec] = cell
    field_columns = [spec for spec in mapping.values() if isinstance(spec, Column)]
    fields_blank = all(_is_blank(values.get(column)) for column in field_columns)
    if section.is_repeating and fields_blank:
        return _marker(sheet_row, values, context)
    if fields_blank and _is_blank(values.get("_municipality")):
        return None
    row = ParsedRow(sheet_row, None, raw=_raw(values))

    def problem(message, column=""):
        row.problems.append(Problem(title, message, sheet_row, column))

    for letter in stray:
        problem(
            _("Kolonne %(letter)s har ingen overskrift, men cellen har en verdi.")
            % {"letter": letter}
        )
    for spec, cell in raw.items():
        message = _cell_problem(cell)
        if message:
            label = spec.label if isinstance(spec, Column) else _special_label(spec)
            problem(message, label)
    if row.problems:
        return row

    try:
        row.municipality = read_municipality_number(values.get("_municipality"))
    except CellError as exc:
        problem(str(exc), MUNICIPALITY_LABEL)
    else:
        message = _municipality_problem(row.municipality, context)
        if message:
            problem(message, MUNICIPALITY_LABEL)
            row.municipality = None

    data: dict[str, Any] = {}
    if section.is_repeating:
        row.uid = _read_uid(values.get("_uid"), section, row, context, problem)
        data["uid"] = row.uid
    for column in columns_for(section):
        try:
            data[column.name] = read_cell(column, values.get(column), context.known_codes)
        except CellError as exc:
            problem(str(exc), column.label)
    if section.key == "cooperation" and row.municipality in (data.get("partners") or []):
        problem(_("En kommune kan ikke samarbeide med seg selv."), _label(section, "partners"))
    row.data = data
    return row


def _raw(values: dict) -> dict:
    return {
        (spec.name if isinstance(spec, Column) else spec): raw_value(value)
        for spec, value in values.items()
    }


def _marker(sheet_row: int, values: dict, context: Context) -> ParsedRow | None:
    """A row of a repeating sheet with no content. Without a row id it is the empty row the
    workbook leaves per municipality (so the municipality is in the sheet, and a deleted row of
    it is deleted); with one, the county emptied the row to delete it (the id column is
    protected, so emptying is how a row is deleted in a protected sheet)."""
    try:
        number = read_municipality_number(values.get("_municipality"))
    except CellError:
        return None
    if number not in context.profiles:
        return None
    return ParsedRow(sheet_row, number, marker=True, raw=_raw(values))


def _label(section: Section, name: str) -> str:
    return next(c.label for c in columns_for(section) if c.name == name)


def _municipality_problem(number: str, context: Context) -> str | None:
    if number in context.profiles:
        return None
    county = context.county
    if number in context.structure:
        name, county_number = context.structure[number]
        if county_number != county.number:
            return _(
                "Kommune %(number)s %(name)s hører ikke til %(county)s. Du kan bare laste opp "
                "data for kommunene i ditt eget fylke."
            ) % {"number": number, "name": name, "county": county.name}
        return _("Det finnes ikke noe skjema for %(number)s %(name)s i runden %(year)s.") % {
            "number": number,
            "name": name,
            "year": context.round.year,
        }
    year = context.round.year
    if number in context.history:
        name, current = context.history[number]
        hint = (
            " " + _("Bruk dagens nummer «%(current)s».") % {"current": current} if current else ""
        )
        return (
            _("%(number)s %(name)s er et eldre kommunenummer som ikke gjelder for %(year)s.")
            % {
                "number": number,
                "name": name,
                "year": year,
            }
            + hint
        )
    return _("Kommunenummer «%(number)s» finnes ikke i kommunestrukturen for %(year)s.") % {
        "number": number,
        "year": year,
    }


def _read_uid(value, section: Section, row: ParsedRow, context: Context, problem) -> str:
    if _is_blank(value):
        return str(uuid.uuid4())  # a new row; the id is fixed now so confirming creates it
    if not isinstance(value, str):
        problem(
            _("Rad-ID-en er endret til et tall. Ikke endre Rad-ID; la den stå tom for nye rader."),
            UID_LABEL,
        )
        return ""
    try:
        uid = str(uuid.UUID(value.strip()))
    except ValueError:
        problem(
            _("«%(value)s» er ikke en gyldig Rad-ID. La cellen stå tom for nye rader.")
            % {"value": value},
            UID_LABEL,
        )
        return ""
    owner = context.uid_owner.get((section.key, uid))
    if owner is None:
        problem(
            _(
                "Rad-ID-en finnes ikke blant radene som er lagret. Ikke endre Rad-ID; la den "
                "stå tom for nye rader."
            ),
            UID_LABEL,
        )
    elif row.municipality and owner != row.municipality:
        name = context.profiles[owner].municipality.name
        problem(
            _(
                "Rad-ID-en hører til en rad for %(owner)s %(name)s. Vil du legge raden til for "
                "%(municipality)s, lar du Rad-ID stå tom."
            )
            % {"owner": owner, "name": name, "municipality": row.municipality},
            UID_LABEL,
        )
    return uid
