"""Reading a county workbook back: parse, preview (a dry run that writes nothing), confirm.

The preview compares every row with the working copy and lists created / changed / unchanged /
deleted rows, the field changes (``sections.diff_section``) and every error in Norwegian. The
parsed data is stored server-side (``PendingImport``); confirming saves it through
``services.save_section`` in one transaction, with the edit ids captured at preview time, so a
change made by someone else in between is a conflict, and a workbook with any error writes
nothing.

django-import-export's import (``Resource.import_data`` with ``dry_run``) is not used here: it
writes model rows directly, past the services that keep versions, the edit log and conflict
detection; its dry run executes the writes and rolls them back; and it reads cells through tablib,
which loses the difference between the text «0301» and the number 301 that we must refuse."""

from __future__ import annotations

import datetime
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from portal.accounts import rules
from portal.register.models import Municipality, Occupation, ProgrammeArea

from .. import services
from ..exceptions import EditConflict, InvalidTransition, NotAllowed, SkjemaError
from ..models import MunicipalityProfile, PendingImport, Round, SectionEdit
from ..sections import Section, diff_section, display_value, serialize_section
from .columns import (
    GUIDE_SHEET,
    MUNICIPALITY_LABEL,
    NAME_LABEL,
    SHEET_NAMES,
    UID_LABEL,
    CellError,
    Column,
    columns_for,
    header_key,
    profile_sections,
    read_cell,
    read_municipality_number,
    section_for_sheet,
)
from .workbook import GENERATED_LABEL, county_profiles

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS_PER_SHEET = 5000
MAX_COLUMNS = 60


@dataclass(frozen=True)
class Limits:
    """What a workbook may unpack to, checked by ``scan_workbook`` before openpyxl reads it: a
    small .xlsx can hold a part of gigabytes (a «zip bomb»), a row of millions of cells or
    millions of shared strings, and openpyxl would read them all into memory."""

    max_parts: int = 200
    max_part_bytes: int = 25 * 1024 * 1024  # unpacked, per part
    max_unpacked_bytes: int = 60 * 1024 * 1024  # unpacked, all parts
    max_cells_per_row: int = 1000  # the workbook has at most MAX_COLUMNS; styled blanks beside
    max_cells: int = (MAX_ROWS_PER_SHEET + 1) * MAX_COLUMNS * 2  # all sheets
    max_shared_strings: int = (MAX_ROWS_PER_SHEET + 1) * MAX_COLUMNS


LIMITS = Limits()

CREATED, CHANGED, UNCHANGED, DELETED, INVALID = (
    "created",
    "changed",
    "unchanged",
    "deleted",
    "invalid",
)
STATE_LABELS = {
    CREATED: "Ny rad",
    CHANGED: "Endret",
    UNCHANGED: "Uendret",
    DELETED: "Slettes",
    INVALID: "Feil",
}


class ImportRefused(SkjemaError):
    """The upload or its confirmation is refused; nothing was written."""

    def __init__(self, message: str, conflicts: list | None = None):
        super().__init__(message)
        self.conflicts = conflicts or []


@dataclass
class Problem:
    sheet: str
    message: str
    row: int | None = None
    column: str = ""
    target: str = ""  # where the preview shows it, when that is not the sheet row

    @property
    def text(self) -> str:
        where = f"Ark «{self.sheet}»" if self.sheet else "Filen"
        if self.row is not None:
            where += f", rad {self.row}"
        if self.column:
            where += f", kolonne «{self.column}»"
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


# ---------------------------------------------------------------------------------------------
# parsing


@dataclass
class Scan:
    """What ``scan_workbook`` read: never more than the limits (it stops at the first)."""

    bytes_read: int = 0
    cells: int = 0
    shared_strings: int = 0
    widest_row: int = 0


class WorkbookTooLarge(ImportRefused):
    def __init__(self, message: str, scan: Scan):
        super().__init__(message)
        self.scan = scan


_NOT_XLSX = (
    "Filen kan ikke leses som en Excel-arbeidsbok (.xlsx). Last ned arbeidsboken fra "
    "portalen, fyll den ut og lagre den som .xlsx."
)
_TOO_LARGE = (
    "Arbeidsboken er for stor til å lastes opp: {what}. Last ned en ny arbeidsbok fra "
    "portalen og lim inn bare verdiene (ikke hele kolonner eller rader med formatering)."
)


class _CountingReader(io.RawIOBase):
    """Reads a zip part and stops the scan once the part or the whole workbook passes its
    limit: the declared sizes are checked first, this is the guard on what is really read."""

    def __init__(self, stream, scan: Scan, limits: Limits, name: str):
        self.stream, self.scan, self.limits, self.name = stream, scan, limits, name
        self.part_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = self.stream.read(min(len(buffer), 64 * 1024))
        self.part_bytes += len(chunk)
        self.scan.bytes_read += len(chunk)
        if self.part_bytes > self.limits.max_part_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(
                    what=f"delen {self.name} pakkes ut til mer enn "
                    f"{self.limits.max_part_bytes // 1024 // 1024} MB"
                ),
                self.scan,
            )
        if self.scan.bytes_read > self.limits.max_unpacked_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(
                    what=f"den pakkes ut til mer enn "
                    f"{self.limits.max_unpacked_bytes // 1024 // 1024} MB"
                ),
                self.scan,
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def scan_workbook(file, limits: Limits = LIMITS) -> Scan:
    """Check an upload's unpacked size, its sheets' cells and its shared strings against
    ``limits`` by streaming the XML (nothing is kept); refuse at the first limit passed, with a
    Norwegian message. Returns what was read."""
    scan = Scan()
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportRefused(_NOT_XLSX) from exc
    try:
        parts = archive.infolist()
        if len(parts) > limits.max_parts:
            raise WorkbookTooLarge(_TOO_LARGE.format(what=f"den har {len(parts)} deler"), scan)
        declared = sum(part.file_size for part in parts)
        biggest = max(parts, key=lambda part: part.file_size, default=None)
        if biggest is not None and biggest.file_size > limits.max_part_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(
                    what=f"delen {biggest.filename} pakkes ut til "
                    f"{biggest.file_size // 1024 // 1024} MB"
                ),
                scan,
            )
        if declared > limits.max_unpacked_bytes:
            raise WorkbookTooLarge(
                _TOO_LARGE.format(what=f"den pakkes ut til {declared // 1024 // 1024} MB"), scan
            )
        for part in parts:
            name = part.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _scan_sheet(archive, part, scan, limits)
            elif name == "xl/sharedStrings.xml":
                _scan_shared_strings(archive, part, scan, limits)
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, RuntimeError) as exc:
        raise ImportRefused(_NOT_XLSX) from exc
    finally:
        archive.close()
        file.seek(0)
    return scan


def _events(archive, part, scan, limits):
    with archive.open(part) as raw:
        reader = io.BufferedReader(_CountingReader(raw, scan, limits, part.filename))
        parser = ElementTree.XMLPullParser(events=("start", "end"))
        while chunk := reader.read(64 * 1024):
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()


def _scan_sheet(archive, part, scan: Scan, limits: Limits) -> None:
    in_row = 0
    for event, element in _events(archive, part, scan, limits):
        tag = _local(element.tag)
        if event == "start" and tag == "row":
            in_row = 0
        elif event == "start" and tag == "c":
            in_row += 1
            scan.cells += 1
            scan.widest_row = max(scan.widest_row, in_row)
            if in_row > limits.max_cells_per_row:
                raise WorkbookTooLarge(
                    _TOO_LARGE.format(what=f"en rad har mer enn {limits.max_cells_per_row} celler"),
                    scan,
                )
            if scan.cells > limits.max_cells:
                raise WorkbookTooLarge(
                    _TOO_LARGE.format(what=f"den har mer enn {limits.max_cells} celler"), scan
                )
        elif event == "end" and tag in ("c", "row"):
            element.clear()


def _scan_shared_strings(archive, part, scan: Scan, limits: Limits) -> None:
    for event, element in _events(archive, part, scan, limits):
        if event != "end":
            continue
        if _local(element.tag) == "si":
            scan.shared_strings += 1
            element.clear()
            if scan.shared_strings > limits.max_shared_strings:
                raise WorkbookTooLarge(
                    _TOO_LARGE.format(
                        what=f"den har mer enn {limits.max_shared_strings} tekstverdier"
                    ),
                    scan,
                )


def _open(file) -> Any:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            f"Filen er for stor ({size // 1024} kB). Største tillatte størrelse er "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    scan_workbook(file)
    try:
        return load_workbook(file, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(
            "Filen kan ikke leses som en Excel-arbeidsbok (.xlsx). Last ned arbeidsboken fra "
            "portalen, fyll den ut og lagre den som .xlsx."
        ) from exc


def _cell_problem(cell) -> str | None:
    data_type = getattr(cell, "data_type", None)
    if data_type == "f":
        return f"Cellen inneholder en formel ({cell.value}); skriv inn selve verdien."
    if data_type == "e":
        return f"Cellen inneholder en feilverdi ({cell.value}); skriv inn verdien."
    return None


def _header(sheet_title: str, cells, section: Section, problems: list[Problem]):
    """Map column positions to what they hold; problems for unknown, doubled or missing ones."""
    specs: dict[str, Any] = {
        header_key(MUNICIPALITY_LABEL): "municipality",
        header_key(NAME_LABEL): "name",
    }
    if section.is_repeating:
        specs[header_key(UID_LABEL)] = "uid"
    for column in columns_for(section):
        specs[header_key(column.label)] = column
    mapping: dict[int, Any] = {}
    seen: set[str] = set()
    count = len(problems)
    for index, cell in enumerate(cells):
        if cell.value is None or str(cell.value).strip() == "":
            continue
        key = header_key(cell.value)
        spec = specs.get(key)
        letter = get_column_letter(index + 1)
        if spec is None:
            problems.append(
                Problem(
                    sheet_title,
                    f"Kolonne {letter} har en ukjent overskrift «{cell.value}». Bruk bare "
                    f"kolonnene fra arbeidsboken; se arket «{GUIDE_SHEET}».",
                )
            )
        elif key in seen:
            problems.append(
                Problem(sheet_title, f"Kolonnen «{cell.value}» finnes mer enn én gang.")
            )
        else:
            seen.add(key)
            mapping[index] = spec
    for key, spec in specs.items():
        if key not in seen and spec != "name":
            label = spec.label if isinstance(spec, Column) else _special_label(spec)
            problems.append(
                Problem(
                    sheet_title,
                    f"Kolonnen «{label}» mangler. Last ned en ny arbeidsbok fra portalen.",
                )
            )
    return mapping, len(problems) == count


def _special_label(spec: str) -> str:
    return {"municipality": MUNICIPALITY_LABEL, "name": NAME_LABEL, "uid": UID_LABEL}[spec]


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _parse_sheet(sheet, section: Section, context: Context, problems: list[Problem]):
    title = sheet.title
    # Bounded even if the scan's counts were fooled: openpyxl yields no more than these.
    rows = sheet.iter_rows(max_row=MAX_ROWS_PER_SHEET + 2, max_col=MAX_COLUMNS)
    header = next(rows, None)
    if header is None:
        problems.append(Problem(title, "Arket er tomt; overskriftsraden mangler."))
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
                Problem(title, f"Arket har mer enn {MAX_ROWS_PER_SHEET} rader.", sheet_row)
            )
            break
        row = _parse_row(title, sheet_row, cells, mapping, section, context)
        if row is None:
            continue
        if section.is_repeating and row.uid:
            if row.uid in seen_uids:
                row.problems.append(
                    Problem(
                        title,
                        f"Samme Rad-ID står også på rad {seen_uids[row.uid]}. Hver rad kan "
                        "bare stå én gang; la Rad-ID stå tom for nye rader.",
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
                        f"Kommunen står også på rad {seen_municipalities[row.municipality]}; "
                        "arket skal ha én rad per kommune.",
                        sheet_row,
                        MUNICIPALITY_LABEL,
                    )
                )
            else:
                seen_municipalities[row.municipality] = sheet_row
        if row.problems:
            row.data = None
        parsed.append(row)
    return parsed


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
    if section.is_repeating:
        if fields_blank and _is_blank(values.get("uid")):
            return None  # an empty row (the workbook leaves one per municipality for new entries)
    elif fields_blank and _is_blank(values.get("municipality")):
        return None
    row = ParsedRow(sheet_row, None)

    def problem(message, column=""):
        row.problems.append(Problem(title, message, sheet_row, column))

    for letter in stray:
        problem(f"Kolonne {letter} har ingen overskrift, men cellen har en verdi.")
    for spec, cell in raw.items():
        message = _cell_problem(cell)
        if message:
            label = spec.label if isinstance(spec, Column) else _special_label(spec)
            problem(message, label)
    if row.problems:
        return row

    try:
        row.municipality = read_municipality_number(values.get("municipality"))
    except CellError as exc:
        problem(str(exc), MUNICIPALITY_LABEL)
    else:
        message = _municipality_problem(row.municipality, context)
        if message:
            problem(message, MUNICIPALITY_LABEL)
            row.municipality = None

    data: dict[str, Any] = {}
    if section.is_repeating:
        row.uid = _read_uid(values.get("uid"), section, row, context, problem)
        data["uid"] = row.uid
    for column in columns_for(section):
        try:
            data[column.name] = read_cell(column, values.get(column), context.known_codes)
        except CellError as exc:
            problem(str(exc), column.label)
    if section.key == "cooperation" and row.municipality in (data.get("partners") or []):
        problem("En kommune kan ikke samarbeide med seg selv.", _label(section, "partners"))
    row.data = data
    return row


def _label(section: Section, name: str) -> str:
    return next(c.label for c in columns_for(section) if c.name == name)


def _municipality_problem(number: str, context: Context) -> str | None:
    if number in context.profiles:
        return None
    county = context.county
    if number in context.structure:
        name, county_number = context.structure[number]
        if county_number != county.number:
            return (
                f"Kommune {number} {name} hører ikke til {county.name}. Du kan bare laste opp "
                "data for kommunene i ditt eget fylke."
            )
        return f"Det finnes ikke noe skjema for {number} {name} i runden {context.round.year}."
    year = context.round.year
    if number in context.history:
        name, current = context.history[number]
        hint = f" Bruk dagens nummer «{current}»." if current else ""
        return f"{number} {name} er et eldre kommunenummer som ikke gjelder for {year}.{hint}"
    return f"Kommunenummer «{number}» finnes ikke i kommunestrukturen for {year}."


def _read_uid(value, section: Section, row: ParsedRow, context: Context, problem) -> str:
    if _is_blank(value):
        return str(uuid.uuid4())  # a new row; the id is fixed now so confirming creates it
    if not isinstance(value, str):
        problem(
            "Rad-ID-en er endret til et tall. Ikke endre Rad-ID; la den stå tom for nye rader.",
            UID_LABEL,
        )
        return ""
    try:
        uid = str(uuid.UUID(value.strip()))
    except ValueError:
        problem(f"«{value}» er ikke en gyldig Rad-ID. La cellen stå tom for nye rader.", UID_LABEL)
        return ""
    owner = context.uid_owner.get((section.key, uid))
    if owner is None:
        problem(
            "Rad-ID-en finnes ikke blant radene som er lagret. Ikke endre Rad-ID; la den stå "
            "tom for nye rader.",
            UID_LABEL,
        )
    elif row.municipality and owner != row.municipality:
        name = context.profiles[owner].municipality.name
        problem(
            f"Rad-ID-en hører til en rad for {owner} {name}. Vil du legge raden til for "
            f"{row.municipality}, lar du Rad-ID stå tom.",
            UID_LABEL,
        )
    return uid


# ---------------------------------------------------------------------------------------------
# preview


def _generated_at(workbook) -> datetime.datetime | None:
    """When the workbook was downloaded (written on the guide sheet), if it is still there."""
    if GUIDE_SHEET not in workbook.sheetnames:
        return None
    for cells in workbook[GUIDE_SHEET].iter_rows(max_row=10, max_col=2, values_only=True):
        if cells and cells[0] == GENERATED_LABEL and isinstance(cells[1], str):
            try:
                moment = datetime.datetime.fromisoformat(cells[1])
            except ValueError:
                return None
            return moment if timezone.is_aware(moment) else None
    return None


def _diff_dict(diff) -> dict:
    return {
        "key": diff.key,
        "title": diff.title,
        "fields": [vars(change) for change in diff.fields],
        "rows": [
            {
                "uid": row.uid,
                "label": row.label,
                "change": row.change,
                "fields": [vars(change) for change in row.fields],
            }
            for row in diff.rows
        ],
    }


def _row_label(section: Section, data: dict | None, names) -> str:
    if not data or not section.row_label_field:
        return ""
    value = data.get(section.row_label_field)
    if value in (None, "", []):
        return ""
    return display_value(section, section.row_label_field, value, "profile", names)


def _section_preview(section, profile, parsed_rows, context, names, generated_at):
    """Compare one section of one profile with the workbook's rows for it."""
    number = profile.municipality.number
    old = context.current[number][section.key]
    sheet = SHEET_NAMES[section.key]
    entries = []
    problems = [p for row in parsed_rows for p in row.problems]

    if section.is_repeating:
        old_by_uid = {row["uid"]: row for row in old}
        # Rows with errors stand in for what is stored, so the diff shows only valid changes.
        new = []
        for row in parsed_rows:
            if row.data is not None:
                new.append(row.data)
            elif row.uid in old_by_uid:
                new.append(old_by_uid[row.uid])
        diff = diff_section(section, old, new, "profile", names)
        changed_uids = {r.uid for r in diff.rows if r.change == "changed"}
        referenced = {row.uid for row in parsed_rows}
        for row in parsed_rows:
            if row.problems:
                state = INVALID
            elif row.uid not in old_by_uid:
                state = CREATED
            elif row.uid in changed_uids:
                state = CHANGED
            else:
                state = UNCHANGED
            label = _row_label(section, row.data or old_by_uid.get(row.uid), names)
            entries.append((row.sheet_row, label, state, row.problems))
        for uid, row in old_by_uid.items():
            if uid not in referenced:
                entries.append((None, _row_label(section, row, names), DELETED, []))
    else:
        first = parsed_rows[0]
        new = first.data if first.data is not None else old
        diff = diff_section(section, old, new, "profile", names)
        for row in parsed_rows:  # more than one only when the municipality is doubled
            state = INVALID if row.problems else (CHANGED if diff.changed else UNCHANGED)
            entries.append((row.sheet_row, "", state, row.problems))

    if diff.changed and not profile.is_editable:
        status = profile.get_status_display().lower()
        locked = Problem(
            sheet,
            f"Profilen for {number} {profile.municipality.name} er {status} og kan ikke endres "
            "nå. Fjern endringene for denne kommunen, eller be IMDi returnere profilen.",
        )
        for index, (sheet_row, label, state, row_problems) in enumerate(entries):
            if state in {CREATED, CHANGED, DELETED}:
                target = "" if sheet_row else f"slettet-{number}-{section.key}-{index}"
                problem = Problem(sheet, locked.message, sheet_row, "", target)
                entries[index] = (sheet_row, label, INVALID, [*row_problems, problem])
                problems.append(problem)

    warning = ""
    edit = context.latest_edits.get((profile.pk, section.key))
    if (
        diff.changed
        and generated_at is not None
        and edit is not None
        and edit.at > generated_at
        and edit.source != "carry_forward"
    ):
        who = (edit.by.get_full_name() or edit.by.username) if edit.by else "noen"
        warning = (
            f"Denne delen ble endret i portalen av {who} "
            f"{timezone.localtime(edit.at):%d.%m.%Y kl. %H.%M}, etter at arbeidsboken ble lastet "
            "ned. Se over endringene under, så du ikke overskriver noe du vil beholde."
        )
    report = {
        "key": section.key,
        "title": str(section.title),
        "sheet": sheet,
        "changed": diff.changed,
        "diff": _diff_dict(diff),
        "warning": warning,
        "rows": [
            {
                "sheet_row": sheet_row,
                "label": label,
                "state": state,
                "state_label": STATE_LABELS[state],
                "problems": [p.text for p in row_problems],
                "anchor": row_anchor(sheet, sheet_row)
                if sheet_row
                else f"slettet-{number}-{section.key}-{index}",
            }
            for index, (sheet_row, label, state, row_problems) in enumerate(entries)
        ],
    }
    change = None
    if diff.changed and not problems:
        edit_id = edit.pk if edit is not None else None
        change = {
            "submission": profile.pk,
            "municipality": number,
            "section": section.key,
            "data": new,
            "base_edit_id": edit_id,
        }
    return report, change, problems


def preview_workbook(file, round_: Round, county, user) -> tuple[dict, list[dict], bool]:
    """Parse the workbook and compare it with the working copies. Writes nothing.

    Returns (report, changes, has_errors): the report is what the preview page shows, the
    changes are what confirming will save."""
    workbook = _open(file)
    try:
        return _preview(workbook, round_, county, user)
    finally:
        workbook.close()


def _preview(workbook, round_, county, user):
    from ..sections import CodeNames

    context = load_context(round_, county, user)
    names = CodeNames()
    problems: list[Problem] = []
    by_section: dict[str, dict[str, list[ParsedRow]]] = {}
    orphans: list[ParsedRow] = []
    for title in workbook.sheetnames:
        if header_key(title) == header_key(GUIDE_SHEET):
            continue
        section = section_for_sheet(title)
        if section is None:
            allowed = ", ".join(f"«{name}»" for name in SHEET_NAMES.values())
            problems.append(
                Problem(title, f"Arket er ukjent. Arbeidsboken kan ha disse arkene: {allowed}.")
            )
            continue
        if section.key in by_section:
            problems.append(Problem(title, "Arket finnes mer enn én gang."))
            continue
        parsed = _parse_sheet(workbook[title], section, context, problems)
        if parsed is None:
            continue
        rows_by_municipality: dict[str, list[ParsedRow]] = {}
        for row in parsed:
            if row.municipality is None:
                orphans.append(row)
            else:
                rows_by_municipality.setdefault(row.municipality, []).append(row)
        by_section[section.key] = rows_by_municipality
    generated_at = _generated_at(workbook)

    municipalities = []
    changes = []
    for number, profile in context.profiles.items():
        sections = []
        for section in profile_sections():
            if section.key not in by_section:
                continue
            rows = by_section[section.key].get(number, [])
            if not section.is_repeating and not rows:
                continue  # the municipality is not in the sheet: left as it is
            report, change, section_problems = _section_preview(
                section, profile, rows, context, names, generated_at
            )
            problems += section_problems
            if change:
                changes.append(change)
            sections.append(report)
        if sections:
            municipalities.append(
                {
                    "number": number,
                    "name": profile.municipality.name,
                    "status": profile.status,
                    "status_label": profile.get_status_display(),
                    "editable": profile.is_editable,
                    "changed": any(s["changed"] for s in sections),
                    "invalid": any(r["state"] == INVALID for s in sections for r in s["rows"]),
                    "sections": sections,
                }
            )
    orphan_rows = []
    for row in orphans:
        problems += row.problems
        orphan_rows.append(
            {
                "sheet": row.problems[0].sheet if row.problems else "",
                "sheet_row": row.sheet_row,
                "problems": [p.text for p in row.problems],
                "anchor": row.problems[0].anchor if row.problems else "",
            }
        )
    counts = dict.fromkeys(STATE_LABELS, 0)
    for municipality in municipalities:
        for section in municipality["sections"]:
            for row in section["rows"]:
                counts[row["state"]] += 1
    counts[INVALID] += len(orphans)
    problems.sort(key=lambda p: (p.sheet, p.row or 0))
    sheet_problems = [p.text for p in problems if p.anchor == "feil-i-arkene"]
    report = {
        "round": round_.year,
        "county": county.number,
        "sheets": [
            {"key": s.key, "sheet": SHEET_NAMES[s.key], "present": s.key in by_section}
            for s in profile_sections()
        ],
        "problems": [{"text": p.text, "anchor": p.anchor} for p in problems],
        "municipalities": municipalities,
        "orphans": orphan_rows,
        "sheet_problems": sheet_problems,
        "counts": counts,
    }
    if not by_section and not problems:
        message = "Arbeidsboken har ingen av arkene som kan lastes opp."
        report["problems"] = [{"text": f"Filen: {message}", "anchor": "feil-i-arkene"}]
        report["sheet_problems"] = [f"Filen: {message}"]
        return report, changes, True
    return report, changes, bool(problems)


def create_pending_import(file, round_: Round, county, user, *, filename: str = ""):
    """Preview an upload and keep it server-side until the user confirms (or it expires)."""
    if not rules.is_county_officer(user, county):
        raise NotAllowed("Du kan bare laste opp regneark for ditt eget fylke.")
    report, changes, has_errors = preview_workbook(file, round_, county, user)
    PendingImport.objects.expired().delete()
    return PendingImport.objects.create(
        user=user,
        round=round_,
        county=county,
        filename=filename[:255],
        changes=changes,
        report=report,
        has_errors=has_errors,
    )


# ---------------------------------------------------------------------------------------------
# confirm


def _conflict(change, profile, edit, base_data, names) -> dict:
    section = next(s for s in profile_sections() if s.key == change["section"])
    who = (edit.by.get_full_name() or edit.by.username) if edit.by else "noen"
    diff = diff_section(section, base_data, edit.data, "profile", names)
    return {
        "municipality": f"{profile.municipality.number} {profile.municipality.name}",
        "section": str(section.title),
        "by": who,
        "at": timezone.localtime(edit.at).strftime("%d.%m.%Y kl. %H.%M"),
        "diff": _diff_dict(diff),
    }


def _check_conflicts(pending: PendingImport, profiles: dict[int, MunicipalityProfile]) -> list:
    """Every section changed by someone else since the preview, with what they changed."""
    from ..sections import CodeNames

    ids = (
        SectionEdit.objects.filter(submission__in=list(profiles.values()))
        .values("submission", "section")
        .annotate(latest=Max("id"))
    )
    latest = {(row["submission"], row["section"]): row["latest"] for row in ids}
    stale = [
        change
        for change in pending.changes
        if latest.get((change["submission"], change["section"])) != change["base_edit_id"]
    ]
    if not stale:
        return []
    edits = SectionEdit.objects.select_related("by").in_bulk(
        [latest[(c["submission"], c["section"])] for c in stale]
        + [c["base_edit_id"] for c in stale if c["base_edit_id"]]
    )
    names = CodeNames()
    conflicts = []
    for change in stale:
        edit = edits[latest[(change["submission"], change["section"])]]
        base = edits.get(change["base_edit_id"])
        profile = profiles[change["submission"]]
        conflicts.append(_conflict(change, profile, edit, base.data if base else None, names))
    return conflicts


CONFLICT_MESSAGE = (
    "Noen har endret skjemaene etter at du lastet opp filen. Ingenting er lagret. Se hva som "
    "er endret, og last opp arbeidsboken på nytt for å sammenligne med det som er lagret nå."
)


def confirm_import(pending: PendingImport, user, now=None) -> int:
    """Save every change of a previewed upload, all or nothing. Returns the number of sections
    saved. Raises ImportRefused (with the conflicts, if any) and writes nothing when refused."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = (
            PendingImport.objects.select_for_update()
            .select_related("round", "county")
            .get(pk=pending.pk)
        )
        if pending.user_id != user.pk or not rules.is_county_officer(user, pending.county):
            raise ImportRefused("Du kan bare bekrefte dine egne opplastinger for ditt fylke.")
        if pending.confirmed_at is not None:
            raise ImportRefused("Denne opplastingen er allerede lagret.")
        if pending.is_expired(now):
            raise ImportRefused(
                "Forhåndsvisningen er mer enn 24 timer gammel. Last opp filen på nytt."
            )
        if pending.has_errors:
            raise ImportRefused(
                "Filen har feil. Ingenting er lagret; rett feilene og last opp filen på nytt."
            )
        if not pending.changes:
            raise ImportRefused("Filen har ingen endringer å lagre.")
        if pending.round.status != Round.Status.OPEN:
            raise ImportRefused("Runden er ikke åpen for innspill. Ingenting er lagret.")
        profiles = {
            p.pk: p
            for p in MunicipalityProfile.objects.filter(
                pk__in={c["submission"] for c in pending.changes},
                round=pending.round,
                county=pending.county,
            ).select_related("municipality", "round", "county")
        }
        if len(profiles) != len({c["submission"] for c in pending.changes}):
            raise ImportRefused("Et av skjemaene finnes ikke lenger. Ingenting er lagret.")
        conflicts = _check_conflicts(pending, profiles)
        if conflicts:
            raise ImportRefused(CONFLICT_MESSAGE, conflicts)
        for change in pending.changes:
            profile = profiles[change["submission"]]
            where = f"{profile.municipality.number} {profile.municipality.name}"
            try:
                services.save_section(
                    profile,
                    change["section"],
                    change["data"],
                    user,
                    base_edit_id=change["base_edit_id"],
                    source="import",
                )
            except EditConflict as exc:  # a save that raced the check above
                raise ImportRefused(CONFLICT_MESSAGE) from exc
            except (InvalidTransition, NotAllowed) as exc:
                raise ImportRefused(f"{where}: {exc.message} Ingenting er lagret.") from exc
            except ValidationError as exc:
                raise ImportRefused(
                    f"{where}: {' '.join(exc.messages)} Ingenting er lagret."
                ) from exc
        pending.confirmed_at = now
        pending.save(update_fields=["confirmed_at"])
    return len(pending.changes)
