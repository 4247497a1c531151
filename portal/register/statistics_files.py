"""Reading IMDi's statistics files: bytes in, cells out, no database access.

Formats (the header decides):
- IMDi's wide download, exactly as served (``bosatt_anmodede.csv``): ISO-8859-1, ``;``, three
  header rows (measure ``Bosetting: Anmodning om bosetting`` / unit ``Enhet: Personer`` / year
  ``År: 1995``), then one row per region code (``K3001``) with one column per measure, unit and
  year.
- The long format (``Kommune,År,Kategori,Antall``; UTF-8, ``,``; years as ``1995-01-01``), which
  names municipalities instead of numbering them; every value is a number of persons.
- The portal's own format (``portal/register/fixtures/statistics-imdi.csv``, the demo's real
  figures): UTF-8, ``,``, leading ``#`` lines naming source and licence, then the header
  ``kommunenummer,kommune,måltall,enhet,1995,…`` and one row per municipality code and measure.

Cells: a number; ``.`` not applicable; ``:`` suppressed (confidential); empty: missing. IMDi
writes ``Inf`` for a percentage of a request of 0, which is read as not applicable. Any problem
raises ``StatisticsFileError`` naming the line (and column).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .importers import clean_text
from .models import Indicator, StatisticValue

WIDE = "imdi-bred"
LONG = "langt"
PORTAL = "portalen"
FORMAT_LABELS = {
    WIDE: "IMDis nedlasting (ISO-8859-1, tre overskriftsrader)",
    LONG: "langt format (Kommune, År, Kategori, Antall)",
    PORTAL: "portalens eget format (kommunenummer, kommune, måltall, enhet, år …)",
}
# Formats that number municipalities (K3001, 3001) rather than name them.
NUMBERED = (WIDE, PORTAL)
LONG_HEADER = ("kommune", "år", "kategori", "antall")
PORTAL_HEADER = ("kommunenummer", "kommune", "måltall", "enhet")
MAX_PROBLEMS = 10

Status = StatisticValue.Status
Unit = Indicator.Unit

# --- errors ----------------------------------------------------------------------------------


class StatisticsFileError(Exception):
    """A statistics file that cannot be imported; the problems are for the user (Norwegian)."""

    def __init__(self, filename: str, problems: list[str], more: int = 0):
        self.filename = filename
        self.problems = list(problems)
        self.more = more
        text = "; ".join(self.problems)
        if more:
            text += f"; og {more} feil til"
        count = len(self.problems) + more
        prefix = f"{filename}: {count} feil: " if count > 1 else f"{filename}: "
        super().__init__(prefix + text)


class ProblemList:
    """Collects the first few problems so one run shows the user more than the first mistake."""

    def __init__(self, filename: str):
        self.filename = filename
        self.items: list[str] = []
        self.more = 0

    def add(self, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(message)
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.items:
            raise StatisticsFileError(self.filename, self.items, self.more)


@dataclass(frozen=True)
class Skipped:
    line: int
    text: str
    reason: str

    def __str__(self):
        return f"linje {self.line}: {self.text} – {self.reason}"


# --- reading -------------------------------------------------------------------------------


class Cell(NamedTuple):
    line: int
    column: int  # 0-based, for messages
    region: str  # a four-digit number (wide format) or a name as written (long format)
    measure: str
    unit: str
    year: int
    value: Decimal | None
    status: str


@dataclass
class ParsedStatistics:
    filename: str
    format: str
    cells: list[Cell] = field(default_factory=list)
    # Where each measure is first named, for messages: (measure, unit) -> "linje 1, kolonne C"
    measure_places: dict[tuple[str, str], str] = field(default_factory=dict)
    # The name the file gives each region code (wide format), with its line.
    region_names: dict[str, tuple[int, str]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_a_number: list[int] = field(default_factory=list)  # lines with "Inf"


_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_NOT_A_NUMBER = {"inf", "-inf", "+inf", "nan", "-nan"}
_QUANTUM = Decimal("1e-8")
_LIMIT = Decimal("1e7")
_REGION_CODE = re.compile(r"^K?(\d{4})$", re.IGNORECASE)
_COUNTY_CODE = re.compile(r"^F\d{2}$", re.IGNORECASE)
_COUNTRY_CODES = {"l", "0", "00", "0000", "hele landet", "norge", "i alt"}
_YEAR = re.compile(r"^(\d{4})(?:-\d{2}-\d{2})?$")
_C1_CONTROLS = re.compile("[\x80-\x9f]")


def fold(text: str) -> str:
    """For comparing names: NFC, no-break spaces as spaces, case-folded, single spaces."""
    return clean_text(text).casefold()


def column_letter(index: int) -> str:
    """0 → A, 27 → AB: how a spreadsheet names the column."""
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def quoted(text: str, limit: int = 40) -> str:
    text = text.strip()
    return f"«{text[:limit]}…»" if len(text) > limit else f"«{text}»"


def _value(text: str) -> tuple[Decimal | None, str] | None:
    """A cell as (value, status); None when it is neither a number nor a known symbol."""
    text = text.strip()
    if text == "":
        return None, Status.MISSING
    if text == ".":
        return None, Status.NOT_APPLICABLE
    if text == ":":
        return None, Status.SUPPRESSED
    if not _NUMBER.match(text):
        return None
    try:
        number = Decimal(text.replace(",", ".")).quantize(_QUANTUM)
    except InvalidOperation:
        return None
    if abs(number) >= _LIMIT:
        return None
    return number, Status.VALUE


_EXPECTED_VALUE = (
    "Ventet et tall (for eksempel «20» eller «33.3»), «.» (ikke aktuelt), «:» (skjermet) "
    "eller en tom celle (mangler)"
)


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _decode_latin1(filename: str, raw: bytes) -> str:
    """IMDi serves ISO-8859-1. A UTF-8 copy (re-saved by a spreadsheet) is refused, not guessed."""
    first_high = next((i for i, byte in enumerate(raw) if byte >= 0x80), None)
    if first_high is not None:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            line = _line_of(raw, first_high)
            sample = raw.split(b"\n")[line - 1].decode("utf-8").strip()
            raise StatisticsFileError(
                filename,
                [
                    f"linje {line}: filen er lagret som UTF-8 ({quoted(sample)}), men IMDis "
                    "nedlasting er i ISO-8859-1 (Latin-1). Bruk filen slik IMDi leverer den, "
                    "eller lagre den som ISO-8859-1."
                ],
            )
    text = raw.decode("latin-1")
    control = _C1_CONTROLS.search(text)
    if control:
        line = _line_of(raw, control.start())
        raise StatisticsFileError(
            filename,
            [
                f"linje {line}: inneholder byten 0x{ord(control.group()):02X}, som ikke er et "
                "tegn i ISO-8859-1. Filen er i en annen tegnkoding (for eksempel Windows-1252); "
                "bruk filen slik IMDi leverer den."
            ],
        )
    return text


def _decode_utf8(filename: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        raise StatisticsFileError(
            filename,
            [
                f"linje {line}: er ikke gyldig UTF-8 (byten 0x{raw[exc.start]:02X}). Det lange "
                "formatet skal være UTF-8; filen ser ut til å være lagret i en annen tegnkoding "
                "(for eksempel ISO-8859-1). Lagre den som UTF-8 og prøv igjen."
            ],
        ) from None


def _first_line(raw: bytes) -> bytes:
    """The first line that is not a ``#`` comment (the portal's format names its source so)."""
    for line in raw.removeprefix(b"\xef\xbb\xbf").split(b"\n"):
        if not line.startswith(b"#"):
            return line.rstrip(b"\r")
    return b""


def _detect(filename: str, raw: bytes) -> str:
    if not raw.strip():
        raise StatisticsFileError(filename, ["filen er tom."])
    first = _first_line(raw)
    lowered = first.decode("latin-1").strip().lower()
    if lowered.startswith("region;"):
        return WIDE
    if lowered.startswith("kommunenummer,"):
        return PORTAL
    if lowered.startswith(("kommune,", '"kommune",')):
        return LONG
    cells = lowered.split(";")
    if len(cells) > 2 and any(c.startswith(("enhet:", "år:")) for c in cells[2:]):
        raise StatisticsFileError(
            filename,
            [
                "linje 1: mangler den første overskriftsraden (måltall), som skal begynne med "
                "«Region;Navn;» og fortsette med måltallene (for eksempel «Bosetting: Anmodning "
                "om bosetting»). IMDis nedlasting har tre overskriftsrader: måltall, enhet og år."
            ],
        )
    if _REGION_CODE.match(cells[0].strip()) and len(cells) > 2:
        raise StatisticsFileError(
            filename,
            [
                "linje 1: mangler overskriftsradene. IMDis nedlasting begynner med tre "
                "overskriftsrader (måltall, enhet og år) før den første kommunen."
            ],
        )
    parts = lowered.split(",")
    if len(parts) == 4 and _YEAR.match(parts[1].strip()):
        raise StatisticsFileError(
            filename,
            ["linje 1: mangler overskriftsraden «Kommune,År,Kategori,Antall» (fant en datarad)."],
        )
    raise StatisticsFileError(
        filename,
        [
            f"linje 1: kjenner ikke igjen formatet ({quoted(first.decode('latin-1'))}). Ventet "
            "IMDis nedlasting (første rad «Region;Navn;…», ISO-8859-1) eller det lange formatet "
            "(første rad «Kommune,År,Kategori,Antall», UTF-8)."
        ],
    )


def read_statistics_file(filename: str, raw: bytes) -> ParsedStatistics:
    """The file's cells, or ``StatisticsFileError`` naming the line. No database access."""
    kind = _detect(filename, raw)
    if kind == WIDE:
        return _read_wide(filename, raw)
    if kind == PORTAL:
        return _read_portal(filename, raw)
    return _read_long(filename, raw)


def _header_row(reader, filename: str, expected: str):
    row = next(reader, None)
    if row is None:
        raise StatisticsFileError(
            filename,
            [
                f"linje {reader.line_num + 1}: filen slutter før {expected}. IMDis nedlasting "
                "har tre overskriftsrader: måltall, enhet og år."
            ],
        )
    return reader.line_num, row


def _missing_header(
    filename: str, line: int, row: list[str], expected: str, *, year_row: bool
) -> None:
    """Explain which header row is missing when a later row stands where ``expected`` should."""
    sample = ";".join(row[:3])
    if row and _REGION_CODE.match(row[0].strip()):
        found = f"en datarad ({quoted(sample)})"
    elif not year_row and any(cell.strip().startswith("År:") for cell in row[2:]):
        found = f"årsraden ({quoted(sample)})"
    else:
        return
    raise StatisticsFileError(
        filename,
        [
            f"linje {line}: mangler {expected}; fant {found}. IMDis nedlasting har tre "
            "overskriftsrader: måltall («Bosetting: …»), enhet («Enhet: Personer» eller «Enhet: "
            "Prosent») og år («År: 1995»)."
        ],
    )


_UNITS = {"personer": Unit.PERSONS, "prosent": Unit.PERCENT}


def _read_wide(filename: str, raw: bytes) -> ParsedStatistics:
    text = _decode_latin1(filename, raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    parsed = ParsedStatistics(filename, WIDE)
    problems = ProblemList(filename)

    measure_line, measures = _header_row(reader, filename, "måltallsraden")
    width = len(measures)
    if width < 3 or [fold(c) for c in measures[:2]] != ["region", "navn"]:
        raise StatisticsFileError(
            filename,
            [f"linje {measure_line}: skal begynne med «Region;Navn;» og deretter måltallene."],
        )
    unit_line, units = _header_row(reader, filename, "enhetsraden")
    _missing_header(filename, unit_line, units, "enhetsraden («Enhet: …»)", year_row=False)
    year_line, years = _header_row(reader, filename, "årsraden")
    _missing_header(filename, year_line, years, "årsraden («År: …»)", year_row=True)
    for line, row in ((unit_line, units), (year_line, years)):
        if len(row) != width:
            problems.add(
                f"linje {line}: har {len(row)} kolonner, men måltallsraden på linje "
                f"{measure_line} har {width}."
            )
    problems.raise_if_any()

    columns: list[tuple[str, str, int]] = []
    seen_columns: dict[tuple[str, str, int], int] = {}
    for index in range(2, width):
        where = f"kolonne {column_letter(index)}"
        measure = clean_text(measures[index])
        if ":" in measure:
            measure = clean_text(measure.split(":", 1)[1])
        if not measure:
            problems.add(f"linje {measure_line}, {where}: mangler måltall.")
        unit_text = clean_text(units[index])
        unit = _UNITS.get(fold(unit_text.removeprefix("Enhet:")))
        if not unit_text.startswith("Enhet:") or unit is None:
            problems.add(
                f"linje {unit_line}, {where}: ventet «Enhet: Personer» eller «Enhet: Prosent», "
                f"fant {quoted(unit_text)}."
            )
        year_text = clean_text(years[index])
        year_match = re.fullmatch(r"År:\s*(\d{4})", year_text)
        if not year_match:
            problems.add(
                f"linje {year_line}, {where}: ventet et år som «År: 1995», fant {quoted(year_text)}."
            )
        if not measure or unit is None or not year_match:
            continue
        spec = (measure, unit, int(year_match.group(1)))
        if spec in seen_columns:
            problems.add(
                f"linje {measure_line}–{year_line}, {where}: {measure} ({unit_text}, "
                f"{spec[2]}) står også i kolonne {column_letter(seen_columns[spec])}."
            )
        seen_columns[spec] = index
        parsed.measure_places.setdefault(
            (measure, unit), f"linje {measure_line}, {where} ({quoted(measures[index])})"
        )
        columns.append(spec)
    problems.raise_if_any()

    cells = parsed.cells
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            problems.add(f"linje {line}: har {len(row)} kolonner, overskriften har {width}.")
            continue
        code_text, name = row[0].strip(), clean_text(row[1])
        label = f"{code_text} {name}".strip()
        code_match = _REGION_CODE.match(code_text)
        if code_match is None:
            reason = _non_municipality(code_text, name)
            if reason:
                parsed.skipped.append(Skipped(line, label, reason))
            else:
                problems.add(
                    f"linje {line}: ugyldig regionkode {quoted(code_text)} ({name or 'uten navn'}). "
                    "Ventet «K» og et kommunenummer med fire sifre, for eksempel «K3001»."
                )
            continue
        code = code_match.group(1)
        if code == "9999":
            parsed.skipped.append(
                Skipped(line, label, "SSBs kode for uoppgitt kommune, ikke en kommune")
            )
            continue
        if code in parsed.region_names:
            problems.add(
                f"linje {line}: {code_text} står også på linje {parsed.region_names[code][0]}."
            )
            continue
        parsed.region_names[code] = (line, name)
        for index, (measure, unit, year) in enumerate(columns, start=2):
            text = row[index]
            if text == "":
                cells.append(Cell(line, index, code, measure, unit, year, None, Status.MISSING))
                continue
            result = _value(text)
            if result is None:
                if text.strip().lower() in _NOT_A_NUMBER:
                    parsed.not_a_number.append(line)
                    result = (None, Status.NOT_APPLICABLE)
                else:
                    problems.add(
                        f"linje {line}, kolonne {column_letter(index)} ({label}, {measure}, "
                        f"{unit.label}, {year}): {quoted(text)} er ikke et tall. "
                        f"{_EXPECTED_VALUE}."
                    )
                    continue
            cells.append(Cell(line, index, code, measure, unit, year, *result))
    problems.raise_if_any()
    if not parsed.region_names:
        raise StatisticsFileError(filename, ["filen har ingen kommunerader."])
    if parsed.not_a_number:
        lines = sorted(set(parsed.not_a_number))
        shown = ", ".join(map(str, lines[:8])) + (" …" if len(lines) > 8 else "")
        parsed.notes.append(
            f"{len(parsed.not_a_number)} verdier «Inf» (prosent av en anmodning på 0) er lagret "
            f"som «ikke aktuelt» (linje {shown})."
        )
    return parsed


def _read_portal(filename: str, raw: bytes) -> ParsedStatistics:
    """The portal's own format: one row per municipality code and measure, a column per year."""
    text = _decode_utf8(filename, raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    parsed = ParsedStatistics(filename, PORTAL)
    problems = ProblemList(filename)
    header = next((row for row in reader if not (row and row[0].startswith("#"))), [])
    line = reader.line_num
    names = [fold(cell) for cell in header[: len(PORTAL_HEADER)]]
    years = [cell.strip() for cell in header[len(PORTAL_HEADER) :]]
    if tuple(names) != PORTAL_HEADER or not years or not all(_YEAR.match(y) for y in years):
        raise StatisticsFileError(
            filename,
            [
                f"linje {line}: overskriftsraden skal være «{','.join(PORTAL_HEADER)}» og "
                "deretter årstallene (for eksempel «2021,2022»)."
            ],
        )
    width = len(header)
    rows_seen: dict[tuple[str, str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            problems.add(f"linje {line}: har {len(row)} kolonner, overskriften har {width}.")
            continue
        code, name = row[0].strip(), clean_text(row[1])
        measure, unit = clean_text(row[2]), _UNITS.get(fold(row[3]))
        if not re.fullmatch(r"\d{4}", code):
            problems.add(f"linje {line}: {quoted(code)} er ikke et kommunenummer med fire sifre.")
            continue
        if not measure or unit is None:
            problems.add(
                f"linje {line}: mangler måltall, eller enheten {quoted(row[3])} er verken "
                "«personer» eller «prosent»."
            )
            continue
        if (code, measure, unit) in rows_seen:
            problems.add(
                f"linje {line}: {code} {measure} ({unit}) står også på linje "
                f"{rows_seen[(code, measure, unit)]}."
            )
            continue
        rows_seen[(code, measure, unit)] = line
        parsed.region_names.setdefault(code, (line, name))
        parsed.measure_places.setdefault((measure, unit), f"linje {line}, kolonne C")
        for index, year in enumerate(years, start=len(PORTAL_HEADER)):
            result = _value(row[index])
            if result is None:
                problems.add(
                    f"linje {line}, kolonne {column_letter(index)} ({code} {name}, {measure}, "
                    f"{year}): {quoted(row[index])} er ikke et tall. {_EXPECTED_VALUE}."
                )
                continue
            parsed.cells.append(Cell(line, index, code, measure, unit, int(year), *result))
    problems.raise_if_any()
    if not parsed.region_names:
        raise StatisticsFileError(filename, ["filen har ingen kommunerader."])
    return parsed


def _non_municipality(code: str, name: str) -> str | None:
    """Why a region that is not a municipality is skipped; None when the code is just wrong."""
    if _COUNTY_CODE.match(code):
        return "fylkestall, ikke en kommune"
    if code.lower() in _COUNTRY_CODES or (not code and fold(name) in _COUNTRY_CODES):
        return "tall for hele landet, ikke en kommune"
    return None


def _read_long(filename: str, raw: bytes) -> ParsedStatistics:
    text = _decode_utf8(filename, raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    parsed = ParsedStatistics(filename, LONG)
    problems = ProblemList(filename)
    header = next(reader, [])
    names = [fold(cell) for cell in header]
    if sorted(names) != sorted(LONG_HEADER) or len(set(names)) != len(names):
        raise StatisticsFileError(
            filename,
            [
                f"linje 1: overskriftsraden skal ha kolonnene Kommune, År, Kategori og Antall, "
                f"men har {', '.join(header) or 'ingen'}."
            ],
        )
    at = {name: names.index(name) for name in LONG_HEADER}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.add(f"linje {line}: har {len(row)} kolonner, overskriften har {len(header)}.")
            continue
        name = clean_text(row[at["kommune"]])
        year_text = row[at["år"]].strip()
        measure = clean_text(row[at["kategori"]])
        amount = row[at["antall"]]
        year_match = _YEAR.match(year_text)
        if not name:
            problems.add(f"linje {line}: mangler kommunenavn.")
        if not year_match:
            problems.add(
                f"linje {line}, kolonne År: {quoted(year_text)} er ikke et år "
                "(ventet for eksempel «1995» eller «1995-01-01»)."
            )
        if not measure:
            problems.add(f"linje {line}: mangler kategori.")
        result = _value(amount)
        if result is None:
            if amount.strip().lower() in _NOT_A_NUMBER:
                parsed.not_a_number.append(line)
                result = (None, Status.NOT_APPLICABLE)
            else:
                problems.add(
                    f"linje {line}, kolonne Antall ({name}, {measure}, {year_text}): "
                    f"{quoted(amount)} er ikke et tall. {_EXPECTED_VALUE}."
                )
        if not (name and year_match and measure and result):
            continue
        parsed.measure_places.setdefault((measure, Unit.PERSONS), f"linje {line}")
        parsed.cells.append(
            Cell(line, at["antall"], name, measure, Unit.PERSONS, int(year_match.group(1)), *result)
        )
    problems.raise_if_any()
    if not parsed.cells:
        raise StatisticsFileError(filename, ["filen har ingen datarader."])
    if parsed.not_a_number:
        parsed.notes.append(
            f"{len(parsed.not_a_number)} verdier «Inf»/«NaN» er lagret som «ikke aktuelt»."
        )
    return parsed
