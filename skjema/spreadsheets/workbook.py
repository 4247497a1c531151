"""The county's workbook: its municipalities' current working copies, one sheet per section,
and a «Veiledning» sheet explaining every column and the allowed values.

Written with openpyxl directly rather than through django-import-export/tablib, because the
round trip needs cell types and formats tablib cannot express: codes stored as text cells with
the text number format (so Excel keeps «0301»), drop-down lists for choices, frozen headers."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal.register.models import Municipality, Occupation, ProgrammeArea

from .. import reading
from ..models import Round
from ..sections import prefetch_for_serialize, serialize_section
from .columns import (
    BOOLEAN,
    CHOICE,
    CHOICES,
    CODE,
    DECIMAL,
    GUIDE_SHEET,
    INTEGER,
    MUNICIPALITIES,
    MUNICIPALITY_LABEL,
    NAME_LABEL,
    NO,
    SHEET_NAMES,
    TEXT,
    TEXT_FORMAT,
    UID_LABEL,
    YES,
    Column,
    cell_value,
    columns_for,
    profile_sections,
)

GENERATED_LABEL = "Generert"
EMPTY_ROWS_FORMATTED = 300  # rows below the data kept in the text format for new entries
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
WIDTHS = {TEXT: 40, INTEGER: 14, DECIMAL: 14, BOOLEAN: 12, CHOICE: 28, CHOICES: 36}


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


def build_county_workbook(round_: Round, county, user, now=None) -> bytes:
    profiles = county_profiles(round_, county, user)
    workbook = Workbook()
    guide = workbook.active
    guide.title = GUIDE_SHEET
    for section in profile_sections():
        _section_sheet(workbook.create_sheet(SHEET_NAMES[section.key]), section, profiles)
    _guide_sheet(guide, round_, county, profiles, now or timezone.now())
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


def _header(sheet, labels: list[str], widths: list[int], text_columns: list[bool]) -> None:
    for index, label in enumerate(labels, start=1):
        cell = sheet.cell(row=1, column=index, value=label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths[index - 1]
        if text_columns[index - 1]:
            # New rows typed below the data stay text too (Excel applies the column style).
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 32


def _section_sheet(sheet, section, profiles) -> None:
    columns = columns_for(section)
    labels = [MUNICIPALITY_LABEL, NAME_LABEL]
    widths = [16, 24]
    text_columns = [True, True]
    if section.is_repeating:
        labels.append(UID_LABEL)
        widths.append(38)
        text_columns.append(True)
    labels += [column.label for column in columns]
    widths += [WIDTHS.get(column.kind, 18) for column in columns]
    text_columns += [column.is_text_cell for column in columns]
    _header(sheet, labels, widths, text_columns)

    row_number = 2
    for profile in profiles:
        data = serialize_section(profile, section)
        rows = data if section.is_repeating else [data]
        if section.is_repeating and profile.is_editable:
            rows = [*rows, None]  # an empty row, ready for a new entry
        for row in rows:
            values = [profile.municipality.number, profile.municipality.name]
            if section.is_repeating:
                values.append(row["uid"] if row else None)
            values += [
                cell_value(column, row.get(column.name)) if row else None for column in columns
            ]
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_number, column=index)
                _write(cell, value, text_columns[index - 1])
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if not profile.is_editable:
                    cell.fill = LOCKED_FILL
            row_number += 1
    last_row = row_number + EMPTY_ROWS_FORMATTED
    offset = len(labels) - len(columns)
    for index, column in enumerate(columns, start=offset + 1):
        validation = _validation(column)
        if validation is not None:
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{max(row_number - 1, 1)}"


def _validation(column: Column) -> DataValidation | None:
    """A drop-down list for single choices. Excel limits an inline list to 255 characters."""
    if column.kind == BOOLEAN:
        options = [YES, NO]
    elif column.kind == CHOICE:
        options = column.labels
    else:
        return None
    formula = ",".join(options)
    if len(formula) > 250 or any('"' in option for option in options):
        return None
    validation = DataValidation(
        type="list",
        formula1=f'"{formula}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ugyldig verdi",
        error=f"Velg en av verdiene: {', '.join(options)}.",
    )
    return validation


def _explain(column: Column) -> tuple[str, str]:
    """(what the column is, which values it takes) for the guide."""
    if column.kind == CHOICE:
        return "Velg én verdi.", "; ".join(f"{label} ({code})" for code, label in column.choices)
    if column.kind == CHOICES:
        return (
            "Én eller flere verdier, skilt med komma.",
            "; ".join(f"{label} ({code})" for code, label in column.choices),
        )
    if column.kind == BOOLEAN:
        empty = "tom = ikke oppgitt" if column.nullable else "tom = Nei"
        return "Ja eller nei.", f"{YES} / {NO} ({empty})"
    if column.kind == INTEGER:
        if column.is_year:
            return "Årstall.", "Fire sifre, f.eks. 2025."
        return "Helt tall.", "0 eller større."
    if column.kind == DECIMAL:
        return "Prosent med høyst én desimal.", "Tall fra 0 til 100, f.eks. 72,5."
    if column.kind == CODE and column.register is Occupation:
        return "STYRK-08-kode (alle nivåer), skrevet som tekst.", "Se kodelisten nederst."
    if column.kind == CODE and column.register is ProgrammeArea:
        return "Udirs kode for programområdet, skrevet som tekst.", "Se kodelisten nederst."
    if column.kind == MUNICIPALITIES:
        return (
            "Kommunenummer med fire sifre, skilt med komma.",
            "F.eks. «4001, 4003». Se kodelisten nederst.",
        )
    limit = f"Høyst {column.max_length} tegn." if column.max_length else "Fritekst."
    return "Tekst.", limit


def _guide_sheet(sheet, round_: Round, county, profiles, now) -> None:
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 70
    row = 1

    def line(*values, bold=False):
        nonlocal row
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index)
            _write(cell, value, text=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = HEADER_FONT
        row += 1

    line(f"Arbeidsbok for kommuneprofiler – {county.name} – {round_}", bold=True)
    line("Runde", str(round_.year))
    line("Fylke", f"{county.number} {county.name}")
    line(GENERATED_LABEL, timezone.localtime(now).isoformat(timespec="seconds"))
    row += 1
    for paragraph in (
        "Slik bruker du arbeidsboken: fyll ut eller endre verdiene i arkene, og last opp filen "
        "igjen på siden «Regneark» i Bosettingsportalen. Du får se alle endringer og eventuelle "
        "feil før noe blir lagret, og ingenting lagres før du bekrefter.",
        "Kommunenummer og koder skal stå som tekst («0301», ikke 301). Cellene er formatert som "
        "tekst; lim inn med «Lim inn verdier» så formatet ikke endres.",
        "Arkene med rader (alle unntatt «Kapasitet») har én rad per tilbud, samarbeid eller "
        "behov. Rad-ID knytter raden til det som er lagret: ikke endre den. For en ny rad "
        "lar du Rad-ID stå tom. Sletter du en rad, blir den slettet ved opplasting.",
        "Arket «Kapasitet» har én rad per kommune. Kommuner som ikke er med i arket, endres ikke.",
        "Ark du sletter fra arbeidsboken, blir ikke endret. Du kan ikke legge til egne ark "
        "eller kolonner.",
        "Grå rader gjelder profiler som er sendt inn eller godkjent; de kan ikke endres nå.",
    ):
        line(paragraph)
    locked = [p for p in profiles if not p.is_editable]
    if locked:
        row += 1
        line("Profiler som ikke kan endres nå", bold=True)
        for profile in locked:
            line(
                f"{profile.municipality.number} {profile.municipality.name}",
                profile.get_status_display(),
            )
    for section in profile_sections():
        row += 1
        line(f"Arket «{SHEET_NAMES[section.key]}»: {section.title}", bold=True)
        line("Kolonne", "Forklaring", "Tillatte verdier", bold=True)
        line(MUNICIPALITY_LABEL, "Kommunenummer med fire sifre, som tekst.", "F.eks. «0301».")
        line(NAME_LABEL, "Kommunens navn (bare til informasjon; leses ikke ved opplasting).", "")
        if section.is_repeating:
            line(UID_LABEL, "Radens identitet. Ikke endre; tom for nye rader.", "")
        required = set(section.required)
        for column in columns_for(section):
            what, allowed = _explain(column)
            if column.name in required:
                what += " Påkrevd for innsending."
            line(column.label, what, allowed)
    row += 1
    line("Kodeliste: yrker (STYRK-08)", bold=True)
    for code, name in Occupation.objects.order_by("code").values_list("code", "name"):
        line(code, name)
    row += 1
    line("Kodeliste: programområder (Udir)", bold=True)
    for code, name in ProgrammeArea.objects.order_by("code").values_list("code", "name"):
        line(code, name)
    row += 1
    line(f"Kodeliste: kommuner i kommunestrukturen for {round_.year}", bold=True)
    municipalities = (
        Municipality.objects.in_structure(round_.structure)
        .order_by("number")
        .values_list("number", "name")
    )
    for number, name in municipalities:
        line(number, name)
