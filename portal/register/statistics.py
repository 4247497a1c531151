"""IMDi's settlement statistics: read the two published formats and import them all or nothing.

``read_statistics_file`` turns a file's bytes into cells without touching the database.
``import_statistics`` then, inside one transaction, matches the cells to indicators and
municipalities and to the values already stored (the plan, which is all a dry run does) and
writes the differences in bulk. Any problem raises ``StatisticsFileError`` naming the line, and
nothing is written.

Formats (the header decides):
- IMDi's wide download, exactly as served (``bosatt_anmodede.csv``): ISO-8859-1, ``;``, three
  header rows (measure ``Bosetting: Anmodning om bosetting`` / unit ``Enhet: Personer`` / year
  ``År: 1995``), then one row per region code (``K3001``) with one column per measure, unit and
  year.
- The long format (``Kommune,År,Kategori,Antall``; UTF-8, ``,``; years as ``1995-01-01``), which
  names municipalities instead of numbering them; every value is a number of persons.

Cells: a number; ``.`` not applicable; ``:`` suppressed (confidential); empty: missing. IMDi
writes ``Inf`` for a percentage of a request of 0, which is stored as not applicable.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from django.db import IntegrityError, transaction

from .importers import base_name, clean_text
from .models import CodeChange, Indicator, Municipality, StatisticValue

WIDE = "imdi-bred"
LONG = "langt"
FORMAT_LABELS = {
    WIDE: "IMDis nedlasting (ISO-8859-1, tre overskriftsrader)",
    LONG: "langt format (Kommune, År, Kategori, Antall)",
}
LONG_HEADER = ("kommune", "år", "kategori", "antall")
MAX_PROBLEMS = 10

Status = StatisticValue.Status
Unit = Indicator.Unit

# --- the indicators IMDi's files carry ------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    description: str
    position: int
    source: str = "IMDi: bosatt og anmodede"


def _pair(code, name, position, persons, percent=None):
    specs = [IndicatorSpec(code, name, Unit.PERSONS, persons, position)]
    if percent:
        specs.append(IndicatorSpec(f"{code}_prosent", name, Unit.PERCENT, percent, position + 1))
    return specs


_OF_REQUEST = "i prosent av anmodningen samme år (IMDis beregning)."
CATALOGUE: tuple[IndicatorSpec, ...] = (
    *_pair(
        "anmodning",
        "Anmodning om bosetting",
        10,
        "Antall flyktninger IMDi har anmodet kommunen om å bosette.",
        "Anmodningen " + _OF_REQUEST,
    ),
    *_pair(
        "anmodning_opprinnelig",
        "Opprinnelig anmodning",
        20,
        "IMDis første anmodning til kommunen, før eventuelle justeringer gjennom året.",
        "Opprinnelig anmodning " + _OF_REQUEST,
    ),
    *_pair(
        "vedtak",
        "Vedtak om bosetting",
        30,
        "Antall flyktninger kommunestyret har vedtatt å bosette.",
        "Vedtaket " + _OF_REQUEST,
    ),
    *_pair(
        "bosatt",
        "Faktisk bosetting",
        40,
        "Antall flyktninger som faktisk ble bosatt i kommunen.",
        "Faktisk bosetting " + _OF_REQUEST,
    ),
    *_pair(
        "bosatt_sammenslatt",
        "Faktisk bosetting (sammenslått for tidligere fylker)",
        50,
        "Faktisk bosetting slik IMDi sammenstiller den for tidligere fylker.",
        "Faktisk bosetting (sammenslått for tidligere fylker) " + _OF_REQUEST,
    ),
)
# Shown on the municipality page when such indicators have values (none in IMDi's current files).
INTRO_PREFIX = "intro_"

# --- errors and the report ------------------------------------------------------------------


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


class _Problems:
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


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class StatisticsReport:
    filename: str
    format: str
    dry_run: bool = False
    municipalities: int = 0
    tally: Tally = field(default_factory=Tally)
    by_indicator: dict[str, Tally] = field(default_factory=dict)
    indicator_names: dict[str, str] = field(default_factory=dict)
    indicators_created: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    @property
    def created(self) -> int:
        return self.tally.created

    @property
    def updated(self) -> int:
        return self.tally.updated

    @property
    def unchanged(self) -> int:
        return self.tally.unchanged

    @property
    def indicator_rows(self) -> list[tuple[str, str, Tally]]:
        return [
            (code, self.indicator_names.get(code, code), tally)
            for code, tally in self.by_indicator.items()
        ]

    def summary(self) -> str:
        verb = "ville blitt" if self.dry_run else "ble"
        return (
            f"{self.filename} ({self.format_label}): {self.tally.total} verdier for "
            f"{self.municipalities} kommuner; {self.created} nye, {self.updated} endret, "
            f"{self.unchanged} uendret {verb} lagret"
            + (f"; {len(self.skipped)} rader hoppet over" if self.skipped else "")
            + "."
        )


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
_VALIDITY = re.compile(r"\s*\((?:[ft]\.o\.m\.)[^()]*\)\s*$", re.IGNORECASE)
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


def _quote(text: str, limit: int = 40) -> str:
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
                    f"linje {line}: filen er lagret som UTF-8 ({_quote(sample)}), men IMDis "
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
    return raw.split(b"\n", 1)[0].rstrip(b"\r").removeprefix(b"\xef\xbb\xbf")


def _detect(filename: str, raw: bytes) -> str:
    if not raw.strip():
        raise StatisticsFileError(filename, ["filen er tom."])
    first = _first_line(raw)
    lowered = first.decode("latin-1").strip().lower()
    if lowered.startswith("region;"):
        return WIDE
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
            [
                "linje 1: mangler overskriftsraden «Kommune,År,Kategori,Antall» "
                "(fant en datarad)."
            ],
        )
    raise StatisticsFileError(
        filename,
        [
            f"linje 1: kjenner ikke igjen formatet ({_quote(first.decode('latin-1'))}). Ventet "
            "IMDis nedlasting (første rad «Region;Navn;…», ISO-8859-1) eller det lange formatet "
            "(første rad «Kommune,År,Kategori,Antall», UTF-8)."
        ],
    )


def read_statistics_file(filename: str, raw: bytes) -> ParsedStatistics:
    """The file's cells, or ``StatisticsFileError`` naming the line. No database access."""
    kind = _detect(filename, raw)
    if kind == WIDE:
        return _read_wide(filename, raw)
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
        found = f"en datarad ({_quote(sample)})"
    elif not year_row and any(cell.strip().startswith("År:") for cell in row[2:]):
        found = f"årsraden ({_quote(sample)})"
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
    problems = _Problems(filename)

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
                f"fant {_quote(unit_text)}."
            )
        year_text = clean_text(years[index])
        year_match = re.fullmatch(r"År:\s*(\d{4})", year_text)
        if not year_match:
            problems.add(
                f"linje {year_line}, {where}: ventet et år som «År: 1995», fant {_quote(year_text)}."
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
            (measure, unit), f"linje {measure_line}, {where} ({_quote(measures[index])})"
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
                    f"linje {line}: ugyldig regionkode {_quote(code_text)} ({name or 'uten navn'}). "
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
                        f"{unit.label}, {year}): {_quote(text)} er ikke et tall. "
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
    problems = _Problems(filename)
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
                f"linje {line}, kolonne År: {_quote(year_text)} er ikke et år "
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
                    f"{_quote(amount)} er ikke et tall. {_EXPECTED_VALUE}."
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


# --- matching against the database ---------------------------------------------------------


def _indicator_lookup() -> dict[tuple[str, str], Indicator | IndicatorSpec]:
    """Indicators by (folded name, unit): those stored, and the catalogue's not yet stored."""
    existing = list(Indicator.objects.all())
    by_code = {indicator.code: indicator for indicator in existing}
    lookup: dict[tuple[str, str], Indicator | IndicatorSpec] = {
        (fold(indicator.name), indicator.unit): indicator for indicator in existing
    }
    for spec in CATALOGUE:
        lookup[(fold(spec.name), spec.unit)] = by_code.get(spec.code, spec)
    return lookup


@dataclass
class _Place:
    pk: int
    number: str
    name: str
    parallel_names: list[str]
    county: str | None
    valid_to: object
    current_id: int | None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def __str__(self):
        return f"{self.number} {self.name}"


class _NameIndex:
    """Municipalities by name, with where each one's code history leads today. Two queries."""

    def __init__(self):
        self.places: dict[int, _Place] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        rows = Municipality.objects.values_list(
            "pk", "number", "name", "parallel_names", "county__number", "valid_to", "current_id"
        )
        for row in rows:
            place = _Place(*row)
            self.places[place.pk] = place
            names = {place.name, base_name(place.name), *(place.parallel_names or [])}
            for name in names:
                self.by_name[fold(name)].add(place.pk)
        self.successor: dict[int, int] = {}
        for predecessor, successor in CodeChange.objects.exclude(
            kind=CodeChange.Kind.SPLIT
        ).values_list("predecessor_id", "successor_id"):
            self.successor[predecessor] = successor

    def today(self, place: _Place) -> _Place:
        seen = set()
        while not place.is_current and place.pk not in seen:
            seen.add(place.pk)
            following = place.current_id or self.successor.get(place.pk)
            if following is None:
                break
            place = self.places[following]
        return place

    def in_county(self, place: _Place, county: str) -> bool:
        # A number's first two digits are its county when the code was given (0814 → 08).
        return county in {place.number[:2], place.county, self.today(place).county}

    def resolve(self, name: str, county: str | None) -> tuple[_Place | None, str]:
        """The municipality a name means, or None and why not."""
        stripped = _VALIDITY.sub("", clean_text(name))
        ids = self.by_name.get(fold(stripped)) or self.by_name.get(fold(base_name(stripped)))
        candidates = [self.places[pk] for pk in sorted(ids or ())]
        if county:
            candidates = [place for place in candidates if self.in_county(place, county)]
        where = f" i fylke {county}" if county else ""
        if not candidates:
            return None, f"finner ingen kommune som heter {_quote(name)}{where} i registeret."
        if len(candidates) == 1:
            return candidates[0], ""
        # Several codes with the name are fine when they are one municipality's history.
        todays = {self.today(place).pk for place in candidates}
        if len(todays) == 1:
            target = self.places[todays.pop()]
            if target in candidates:
                return target, ""
            return max(candidates, key=lambda place: (place.valid_to, place.number)), ""
        listed = ", ".join(str(place) for place in candidates[:6])
        return None, (
            f"{_quote(name)} er flertydig{where}: {listed}. Oppgi fylket (for eksempel "
            "«--county 40» for Telemark) eller bruk kommunenummer."
        )


def _resolve_codes(parsed: ParsedStatistics, problems: _Problems, report: StatisticsReport):
    numbers = list(parsed.region_names)
    found = {
        number: (pk, name, parallel)
        for pk, number, name, parallel in Municipality.objects.filter(
            number__in=numbers
        ).values_list("pk", "number", "name", "parallel_names")
    }
    resolved: dict[str, int] = {}
    for number in numbers:
        line, file_name = parsed.region_names[number]
        if number not in found:
            if not file_name:
                report.skipped.append(
                    Skipped(
                        line,
                        f"K{number}",
                        "kommunenummeret finnes ikke i registeret, og filen oppgir ikke navn",
                    )
                )
                continue
            problems.add(
                f"linje {line}: ukjent kommunenummer K{number} ({file_name}) – finnes ikke i "
                "registeret. Er det en historisk kode, importer SSBs kommunegruppering først "
                "(manage.py import_register ssb-kommunegruppering-1994-2024.xlsx)."
            )
            continue
        pk, name, parallel = found[number]
        resolved[number] = pk
        if file_name and not _same_name(file_name, name, parallel):
            report.warnings.append(
                f"linje {line}: K{number} heter «{file_name}» i filen, men «{name}» i registeret."
            )
    return resolved


def _name_forms(name: str) -> set[str]:
    name = _VALIDITY.sub("", clean_text(name))
    parts = {name, base_name(name), *name.split(" - ")}
    return {fold(base_name(part)) for part in parts if part.strip()}


def _same_name(file_name: str, name: str, parallel: list[str]) -> bool:
    known = set().union(*(_name_forms(n) for n in [name, *(parallel or [])]))
    return bool(_name_forms(file_name) & known)


def _resolve_names(parsed: ParsedStatistics, county: str | None, problems: _Problems):
    index = _NameIndex()
    first_line: dict[str, int] = {}
    for cell in parsed.cells:
        first_line.setdefault(cell.region, cell.line)
    resolved: dict[str, int] = {}
    for name, line in first_line.items():
        place, why = index.resolve(name, county)
        if place is None:
            problems.add(f"linje {line}: {why}")
        else:
            resolved[name] = place.pk
    return resolved


@dataclass
class _Plan:
    report: StatisticsReport
    specs: list[IndicatorSpec]
    # (indicator key, municipality id, year, value, status); the key is an id or a spec's code
    creates: list[tuple]
    updates: list[StatisticValue]


def _plan(parsed: ParsedStatistics, county: str | None) -> _Plan:
    report = StatisticsReport(parsed.filename, parsed.format)
    report.skipped.extend(parsed.skipped)
    report.notes.extend(parsed.notes)
    problems = _Problems(parsed.filename)
    if county is not None and not re.fullmatch(r"\d{2}", county):
        raise StatisticsFileError(
            parsed.filename, [f"fylket må være et fylkesnummer med to sifre, ikke {_quote(county)}."]
        )

    lookup = _indicator_lookup()
    indicators: dict[tuple[str, str], Indicator | IndicatorSpec] = {}
    for measure, unit in parsed.measure_places:
        target = lookup.get((fold(measure), unit))
        if target is None:
            known = ", ".join(sorted({f"«{key[0]}»" for key in lookup}))
            problems.add(
                f"{parsed.measure_places[(measure, unit)]}: ukjent måltall «{measure}» "
                f"({Unit(unit).label}). Kjente: {known}."
            )
        else:
            indicators[(measure, unit)] = target
    if parsed.format == WIDE:
        if county:
            report.notes.append("Fylke brukes bare for filer som navngir kommuner; ignorert.")
        regions = _resolve_codes(parsed, problems, report)
    else:
        regions = _resolve_names(parsed, county, problems)
    problems.raise_if_any()

    stored = [target for target in indicators.values() if isinstance(target, Indicator)]
    existing: dict[tuple[int, int, int], tuple[int, Decimal | None, str]] = {}
    municipality_ids = set(regions.values())
    if stored:
        rows = StatisticValue.objects.filter(indicator__in=stored).values_list(
            "pk", "indicator_id", "municipality_id", "year", "value", "status"
        )
        for pk, indicator_id, municipality_id, year, value, status in rows.iterator(
            chunk_size=10_000
        ):
            if municipality_id in municipality_ids:
                existing[(indicator_id, municipality_id, year)] = (pk, value, status)

    def key_of(target):
        return target.pk if isinstance(target, Indicator) else target.code

    for target in indicators.values():
        report.indicator_names[target.code] = str(_label(target))
    seen: dict[tuple, Cell] = {}
    creates, updates = [], []
    for cell in parsed.cells:
        municipality_id = regions.get(cell.region)
        if municipality_id is None:  # a skipped row
            continue
        target = indicators[(cell.measure, cell.unit)]
        key = (key_of(target), municipality_id, cell.year)
        earlier = seen.get(key)
        if earlier is not None:
            if (earlier.value, earlier.status) != (cell.value, cell.status):
                problems.add(
                    f"linje {cell.line}: {cell.region}, {cell.measure} {cell.year} står også på "
                    f"linje {earlier.line}, med en annen verdi."
                )
            continue
        seen[key] = cell
        tally = report.by_indicator.setdefault(target.code, Tally())
        found = existing.get(key)
        if found is None:
            creates.append((key[0], municipality_id, cell.year, cell.value, cell.status))
            tally.created += 1
        elif (found[1], found[2]) != (cell.value, cell.status):
            updates.append(StatisticValue(pk=found[0], value=cell.value, status=cell.status))
            tally.updated += 1
        else:
            tally.unchanged += 1
    problems.raise_if_any()

    report.by_indicator = {
        spec_code: report.by_indicator[spec_code]
        for spec_code in sorted(report.by_indicator, key=lambda c: _position(indicators, c))
    }
    for tally in report.by_indicator.values():
        report.tally.created += tally.created
        report.tally.updated += tally.updated
        report.tally.unchanged += tally.unchanged
    report.municipalities = len({key[1] for key in seen})
    specs = [t for t in indicators.values() if isinstance(t, IndicatorSpec)]
    report.indicators_created = [spec.code for spec in specs]
    return _Plan(report, specs, creates, updates)


def _label(target) -> str:
    unit = Unit(target.unit).label
    return f"{target.name} ({unit})"


def _position(indicators, code: str) -> tuple[int, str]:
    for target in indicators.values():
        if target.code == code:
            return (target.position, code)
    return (10_000, code)


def _apply(plan: _Plan) -> None:
    ids: dict = {}
    if plan.specs:
        Indicator.objects.bulk_create(
            [
                Indicator(
                    code=spec.code,
                    name=spec.name,
                    unit=spec.unit,
                    source=spec.source,
                    description=spec.description,
                    position=spec.position,
                )
                for spec in plan.specs
            ]
        )
        ids = dict(
            Indicator.objects.filter(code__in=[spec.code for spec in plan.specs]).values_list(
                "code", "pk"
            )
        )
    StatisticValue.objects.bulk_create(
        [
            StatisticValue(
                indicator_id=ids.get(key, key),
                municipality_id=municipality_id,
                year=year,
                value=value,
                status=status,
            )
            for key, municipality_id, year, value, status in plan.creates
        ],
        batch_size=2000,
    )
    if plan.updates:
        StatisticValue.objects.bulk_update(plan.updates, ["value", "status"], batch_size=1000)


def import_statistics(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    county: str | None = None,
    dry_run: bool = False,
) -> StatisticsReport:
    """Import one file all or nothing; with ``dry_run`` only report what would change."""
    started = time.monotonic()
    if isinstance(source, bytes):
        raw, filename = source, filename or "opplastet fil"
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise StatisticsFileError(filename, [f"finner ikke filen {path}."]) from None
        except IsADirectoryError:
            raise StatisticsFileError(filename, [f"{path} er en mappe, ikke en fil."]) from None
    parsed = read_statistics_file(filename, raw)
    county = county.strip() if county else None
    try:
        with transaction.atomic():
            plan = _plan(parsed, county)
            if not dry_run:
                _apply(plan)
    except IntegrityError as exc:
        raise StatisticsFileError(
            filename,
            [f"en annen import endret statistikken samtidig ({exc}); prøv igjen."],
        ) from exc
    report = plan.report
    report.dry_run = dry_run
    report.seconds = time.monotonic() - started
    return report
