"""The county's workbook: its municipalities' current working copies, one sheet per section,
and a «Veiledning» sheet explaining every column and the allowed values.

Written with openpyxl directly rather than through django-import-export/tablib, because the
round trip needs cell types and formats tablib cannot express: codes stored as text cells with
the text number format (so Excel keeps «0301»), drop-down lists for choices, frozen headers."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from portal.register.models import Municipality, Occupation, ProgrammeArea

from .. import reading
from ..models import Round, SectionEdit
from ..sections import prefetch_for_serialize, serialize_section
from .columns import (
    BOOLEAN,
    CHOICE,
    CHOICES,
    CODE,
    CODES_SHEET,
    DECIMAL,
    DECIMAL_FORMAT,
    GUIDE_SHEET,
    INTEGER,
    INTEGER_FORMAT,
    MUNICIPALITIES,
    MUNICIPALITY_LABEL,
    NAME_LABEL,
    NO,
    REASON_LABEL,
    REGISTER_NAMES,
    TEXT,
    TEXT_FORMAT,
    UID_LABEL,
    YEAR_FORMAT,
    YES,
    Column,
    cell_value,
    columns_for,
    profile_sections,
    sheet_name,
)

GENERATED_LABEL = _("Generert")
# Which edit of each part the workbook was made from, so an upload can tell a part changed in
# the portal since the download (a very hidden sheet: not shown, not read as a profile sheet).
VERSIONS_SHEET = "Versjoner"
EMPTY_ROWS_FORMATTED = 300  # rows below the data kept in the text format for new entries
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
BAD_FILL = PatternFill("solid", fgColor="F8D7DA")
UNLOCKED = Protection(locked=False)
WIDTHS = {TEXT: 40, INTEGER: 14, DECIMAL: 14, BOOLEAN: 12, CHOICE: 28, CHOICES: 36, CODE: 30}
NUMBER_FORMATS = {INTEGER: INTEGER_FORMAT, DECIMAL: DECIMAL_FORMAT}


def county_profiles(round_: Round, county, user):
    """The county's profiles in the round, as the user may see them, ready to serialize."""
    queryset = (
        reading.submissions_visible_to(user=user, kind="profile")
        .filter(round=round_, county=county)
        .select_related("municipality")
        .order_by("municipality__number")
    )
    return list(prefetch_for_serialize(queryset, "profile"))


def workbook_filename(round_: Round, county) -> str:
    return f"bosetting-{round_.year}-fylke-{county.number}.xlsx"


@dataclass
class SheetRow:
    """One row to write: the municipality, the row id (repeating sections), the values as the
    cells show them, whether it may be edited, and (refused rows) why and which cells."""

    number: str
    name: str
    uid: str | None
    values: dict[str, Any]
    editable: bool = True
    reasons: list[str] = field(default_factory=list)
    bad: set[str] = field(default_factory=set)


def build_county_workbook(round_: Round, county, user, now=None) -> bytes:
    profiles = county_profiles(round_, county, user)
    rows = {section.key: list(_profile_rows(section, profiles)) for section in profile_sections()}
    edits = _latest_edits(profiles)
    versions = [
        (profile.municipality.number, section.key, edits.get((profile.pk, section.key)))
        for profile in profiles
        for section in profile_sections()
    ]
    locked = [p for p in profiles if not p.is_editable]
    return write_workbook(round_, county, rows, versions, now or timezone.now(), locked=locked)


def _latest_edits(profiles) -> dict[tuple[int, str], int]:
    rows = (
        SectionEdit.objects.filter(submission__in=[p.pk for p in profiles])
        .values("submission", "section")
        .annotate(latest=Max("id"))
    )
    return {(row["submission"], row["section"]): row["latest"] for row in rows}


def _profile_rows(section, profiles):
    columns = columns_for(section)
    for profile in profiles:
        data = serialize_section(profile, section)
        entries = data if section.is_repeating else [data]
        if section.is_repeating and profile.is_editable:
            entries = [*entries, None]  # an empty row, ready for a new entry
        for entry in entries:
            yield SheetRow(
                profile.municipality.number,
                profile.municipality.name,
                (entry["uid"] if entry else None) if section.is_repeating else None,
                {c.name: cell_value(c, entry.get(c.name)) for c in columns} if entry else {},
                editable=profile.is_editable,
            )


def write_workbook(
    round_: Round, county, rows: dict, versions, now, *, locked=(), refused=False
) -> bytes:
    """The workbook: the guide, one sheet per section (rows from ``rows[section.key]``), the
    code lists behind the drop-downs and the versions the rows were read from."""
    workbook = Workbook()
    guide = workbook.active
    guide.title = str(GUIDE_SHEET)
    codes, ranges = _codes_sheet(workbook)
    for section in profile_sections():
        if section.key in rows:
            _section_sheet(
                workbook.create_sheet(sheet_name(section)),
                section,
                rows[section.key],
                ranges,
                reasons=refused,
            )
    workbook.move_sheet(codes, offset=len(workbook.sheetnames))
    _versions_sheet(workbook.create_sheet(VERSIONS_SHEET), versions)
    _guide_sheet(guide, round_, county, locked, now, refused=refused)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(cell, value, text: bool) -> None:
    cell.value = value
    if text:
        cell.number_format = TEXT_FORMAT
        if isinstance(value, str):
            # openpyxl reads a leading "=" as a formula; this is text the county wrote.
            cell.data_type = "s"


def _protect(sheet) -> None:
    """Sheet protection without a password: it keeps the row ids and headers from being
    changed by accident (the cells the county fills in are unlocked), and still lets the county
    resize, filter, add and delete rows."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatCells = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.insertRows = False
    protection.deleteRows = False
    protection.autoFilter = False
    protection.sort = False


def _section_sheet(sheet, section, rows: list[SheetRow], ranges, *, reasons=False) -> None:
    columns = columns_for(section)
    # (key, label, width, text cell, number format, editable)
    specs = [
        ("_municipality", str(MUNICIPALITY_LABEL), 16, True, TEXT_FORMAT, True),
        ("_name", str(NAME_LABEL), 24, True, TEXT_FORMAT, False),
    ]
    if section.is_repeating:
        specs.append(("_uid", str(UID_LABEL), 38, True, TEXT_FORMAT, False))
    for column in columns:
        number_format = (
            YEAR_FORMAT if column.is_year else NUMBER_FORMATS.get(column.kind, TEXT_FORMAT)
        )
        specs.append(
            (
                column.name,
                column.label,
                WIDTHS.get(column.kind, 18),
                column.is_text_cell,
                number_format,
                True,
            )
        )
    if reasons:
        specs.append(("_reason", str(REASON_LABEL), 60, True, TEXT_FORMAT, False))
    for index, (key, label, width, _text, number_format, editable) in enumerate(specs, start=1):
        cell = sheet.cell(row=1, column=index, value=label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = width
        # New rows typed below the data get the column's format and protection (Excel applies
        # the column style to cells that have none of their own).
        dimension.number_format = number_format
        if editable:
            dimension.protection = UNLOCKED
        if key == "_uid":
            dimension.hidden = True
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 32

    row_number = 2
    for row in rows:
        values = {"_municipality": row.number, "_name": row.name, "_uid": row.uid, **row.values}
        if reasons:
            values["_reason"] = "\n".join(row.reasons) or None
        for index, (key, _label, _width, text, number_format, editable) in enumerate(
            specs, start=1
        ):
            cell = sheet.cell(row=row_number, column=index)
            _write(cell, values.get(key), text)
            cell.number_format = number_format
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if editable and row.editable:
                cell.protection = UNLOCKED
            if not row.editable:
                cell.fill = LOCKED_FILL
            elif key in row.bad:
                cell.fill = BAD_FILL
        row_number += 1
    last_row = row_number + EMPTY_ROWS_FORMATTED
    offset = len(specs) - len(columns) - (1 if reasons else 0)
    for index, column in enumerate(columns, start=offset + 1):
        validation = _validation(column, ranges)
        if validation is not None:
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(specs))}{max(row_number - 1, 1)}"
    _protect(sheet)


def _codes_sheet(workbook):
    """The long code lists (STYRK-08, Udir's programme areas) as «code – name», behind the
    drop-downs of the code columns; hidden and protected."""
    sheet = workbook.create_sheet(str(CODES_SHEET))
    lists = {
        Occupation: Occupation.objects.order_by("code").values_list("code", "name"),
        ProgrammeArea: ProgrammeArea.objects.order_by("code").values_list("code", "name"),
    }
    ranges = {}
    for index, (model, entries) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=str(REGISTER_NAMES[model]))
        count = 0
        for count, (code, name) in enumerate(entries, start=1):
            _write(sheet.cell(row=count + 1, column=index), f"{code} – {name}", text=True)
        if count:
            ranges[model] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${count + 1}"
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    return sheet, ranges


def _versions_sheet(sheet, versions) -> None:
    sheet.append(["Kommunenummer", "Del", "Endring"])
    for number, key, edit_id in versions:
        sheet.append([number, key, edit_id])
        sheet.cell(row=sheet.max_row, column=1).data_type = "s"
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def read_exported_edits(workbook) -> dict[tuple[str, str], int | None] | None:
    """(municipality, section) -> the edit id the workbook was made from; None when the
    workbook has no versions sheet (made before it was added, or the county removed it)."""
    if VERSIONS_SHEET not in workbook.sheetnames:
        return None
    keys = {section.key for section in profile_sections()}
    found: dict[tuple[str, str], int | None] = {}
    rows = workbook[VERSIONS_SHEET].iter_rows(min_row=2, max_row=5000, max_col=3, values_only=True)
    for row in rows:
        number, key, edit_id = (tuple(row) + (None, None, None))[:3]
        if not isinstance(number, str) or key not in keys:
            continue
        if edit_id is not None and not (isinstance(edit_id, int) and edit_id > 0):
            continue
        found[(number, key)] = edit_id
    return found


def _validation(column: Column, ranges) -> DataValidation | None:
    """A drop-down list. Single choices and yes/no refuse other values; a multi-choice column
    suggests one label (more are written with commas, so Excel must not refuse them); the code
    columns take their list from the hidden code sheet and warn on other values. Excel limits
    an inline list to 255 characters."""
    if column.kind == CODE and column.register in ranges:
        return DataValidation(
            type="list",
            formula1=ranges[column.register],
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("Ukjent kode"),
            error=_("Velg en kode fra listen, eller skriv koden som tekst (f.eks. «53»)."),
        )
    if column.kind == BOOLEAN:
        options = [str(YES), str(NO)]
    elif column.kind in (CHOICE, CHOICES):
        options = column.labels
    else:
        return None
    formula = ",".join(options)
    if len(formula) > 250 or any('"' in option or "," in option for option in options):
        return None
    if column.kind == CHOICES:
        return DataValidation(
            type="list",
            formula1=f'"{formula}"',
            allow_blank=True,
            showErrorMessage=False,
            showInputMessage=True,
            promptTitle=_("Én eller flere"),
            prompt=_("Velg én, eller skriv flere skilt med komma."),
        )
    return DataValidation(
        type="list",
        formula1=f'"{formula}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Ugyldig verdi"),
        error=_("Velg en av verdiene: %(values)s.") % {"values": ", ".join(options)},
    )


def _explain(column: Column) -> tuple[str, str]:
    """(what the column is, which values it takes) for the guide, in the active language."""
    if column.kind == CHOICE:
        return _("Velg én verdi fra listen."), "; ".join(column.labels)
    if column.kind == CHOICES:
        return (
            _("Én eller flere verdier, skilt med komma."),
            "; ".join(column.labels),
        )
    if column.kind == BOOLEAN:
        empty = _("tom = ikke oppgitt") if column.nullable else _("tom = Nei")
        return _("Ja eller nei."), f"{YES} / {NO} ({empty})"
    if column.kind == INTEGER:
        if column.is_year:
            return _("Årstall."), _("Fire sifre, f.eks. 2025.")
        return _("Helt tall."), _("0 eller større.")
    if column.kind == DECIMAL:
        return _("Prosent med høyst én desimal."), _("Tall fra 0 til 100, f.eks. 72,5.")
    if column.kind == CODE and column.register is Occupation:
        return (
            _("STYRK-08-kode (alle nivåer), skrevet som tekst, eller valgt fra listen."),
            _("Se kodelisten nederst."),
        )
    if column.kind == CODE and column.register is ProgrammeArea:
        return (
            _("Udirs kode for programområdet, skrevet som tekst, eller valgt fra listen."),
            _("Se kodelisten nederst."),
        )
    if column.kind == MUNICIPALITIES:
        return (
            _("Kommunenummer med fire sifre, skilt med komma."),
            _("F.eks. «4001, 4003». Se kodelisten nederst."),
        )
    if column.max_length:
        return _("Tekst."), _("Høyst %(n)s tegn.") % {"n": column.max_length}
    return _("Tekst."), _("Fritekst.")


def _guide_paragraphs(refused: bool) -> list[str]:
    paragraphs = []
    if refused:
        paragraphs.append(
            _(
                "Denne arbeidsboken har radene som ikke ble importert, med grunnen i kolonnen "
                "«%(reason)s» og cellene med feil markert i rødt. Rett feilene og last opp "
                "arbeidsboken igjen. Kommuner som ikke står her, blir ikke endret."
            )
            % {"reason": REASON_LABEL}
        )
    paragraphs += [
        _(
            "Slik bruker du arbeidsboken: fyll ut eller endre verdiene i arkene, og last opp "
            "filen igjen på siden «Regneark» i Bosettingsportalen. Du får se alle endringer og "
            "eventuelle feil før noe blir lagret, og ingenting lagres før du bekrefter."
        ),
        _(
            "Hver kommune importeres for seg: har en rad for en kommune feil, blir ingenting "
            "importert for den kommunen, mens de andre kommunene kan importeres. Radene som "
            "ikke ble importert, kan du laste ned som en egen arbeidsbok, rette og laste opp."
        ),
        _(
            "Kommunenummer og koder skal stå som tekst («0301», ikke 301). Cellene er formatert "
            "som tekst; lim inn med «Lim inn verdier» så formatet ikke endres."
        ),
        _(
            "Arkene med rader (alle unntatt «Kapasitet») har én rad per tilbud, samarbeid eller "
            "behov. En skjult og låst kolonne knytter raden til det som er lagret. For en ny rad "
            "fyller du ut en tom rad under kommunens rader, med kommunenummeret. For å slette "
            "en rad tømmer du cellene i den, unntatt kommunenummeret."
        ),
        _(
            "Arket «Kapasitet» har én rad per kommune. Kommuner som ikke står i et ark, endres "
            "ikke i det arket."
        ),
        _(
            "Arkene er beskyttet uten passord, så overskriftene og de skjulte kolonnene ikke "
            "endres ved et uhell. Cellene du skal fylle ut, er åpne. Nedtrekkslistene viser de "
            "tillatte verdiene."
        ),
        _(
            "Ark du sletter fra arbeidsboken, blir ikke endret. Du kan ikke legge til egne ark "
            "eller kolonner."
        ),
        _("Grå rader gjelder profiler som er sendt inn eller godkjent; de kan ikke endres nå."),
    ]
    return paragraphs


def _guide_sheet(sheet, round_: Round, county, locked, now, *, refused=False) -> None:
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 70
    row = 1

    def line(*values, bold=False):
        nonlocal row
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index)
            _write(cell, None if value is None else str(value), text=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = HEADER_FONT
        row += 1

    title = _("Arbeidsbok for kommuneprofiler – %(county)s – %(round)s")
    if refused:
        title = _("Rader som ikke ble importert – %(county)s – %(round)s")
    line(title % {"county": county.name, "round": round_}, bold=True)
    line(_("Runde"), str(round_.year))
    line(_("Fylke"), f"{county.number} {county.name}")
    line(GENERATED_LABEL, timezone.localtime(now).isoformat(timespec="seconds"))
    row += 1
    for paragraph in _guide_paragraphs(refused):
        line(paragraph)
    if locked:
        row += 1
        line(_("Profiler som ikke kan endres nå"), bold=True)
        for profile in locked:
            line(
                f"{profile.municipality.number} {profile.municipality.name}",
                profile.get_status_display(),
            )
    for section in profile_sections():
        row += 1
        line(
            _("Arket «%(sheet)s»: %(title)s")
            % {"sheet": sheet_name(section), "title": section.title},
            bold=True,
        )
        line(_("Kolonne"), _("Forklaring"), _("Tillatte verdier"), bold=True)
        line(
            MUNICIPALITY_LABEL,
            _("Kommunenummer med fire sifre, som tekst."),
            _("F.eks. «0301»."),
        )
        line(NAME_LABEL, _("Kommunens navn (bare til informasjon; leses ikke ved opplasting)."))
        if section.is_repeating:
            line(UID_LABEL, _("Skjult og låst: radens identitet. Tom for nye rader."))
        required = set(section.required)
        for column in columns_for(section):
            what, allowed = _explain(column)
            if column.name in required:
                what = f"{what} {_('Påkrevd for innsending.')}"
            line(column.label, what, allowed)
    row += 1
    line(_("Kodeliste: yrker (STYRK-08)"), bold=True)
    for code, name in Occupation.objects.order_by("code").values_list("code", "name"):
        line(code, name)
    row += 1
    line(_("Kodeliste: programområder (Udir)"), bold=True)
    for code, name in ProgrammeArea.objects.order_by("code").values_list("code", "name"):
        line(code, name)
    row += 1
    line(
        _("Kodeliste: kommuner i kommunestrukturen for %(year)s") % {"year": round_.year},
        bold=True,
    )
    municipalities = (
        Municipality.objects.in_structure(round_.structure)
        .order_by("number")
        .values_list("number", "name")
    )
    for number, name in municipalities:
        line(number, name)
