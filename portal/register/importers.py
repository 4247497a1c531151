"""Readers for SSB's register files: Klass API JSON (131, 104, 7) and the municipality grouping.

Reading only: each reader turns a file into plain records or raises ``RegisterFileError`` with a
Norwegian message naming the file and the problem. Writing to the database is in ``services``.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django import forms

MUNICIPALITIES = "kommuner"
COUNTIES = "fylker"
OCCUPATIONS = "styrk"
GROUPING = "gruppering"
KINDS = (MUNICIPALITIES, COUNTIES, OCCUPATIONS, GROUPING)
KIND_LABELS = {
    MUNICIPALITIES: "kommuner (SSB Klass 131)",
    COUNTIES: "fylker (SSB Klass 104)",
    OCCUPATIONS: "yrker (SSB Klass 7, STYRK-08)",
    GROUPING: "kommunegruppering (SSB)",
}

GROUPING_HEADER = ("GRUPPEKODE", "GRUPPETEKST", "KODE", "TEKST")

_MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
_COUNTY_CODE = re.compile(r"^\d{2}$")
_MUNICIPALITY_GROUP = re.compile(r"^K\.(\d{4})$")
# SSB's group for municipalities split between several of today's (no single successor).
_SPLIT_GROUP = "K.Rest"
# SSB marks an earlier holder of a reused number with a letter: "0716u" Våle (-2001), later 0716 Re.
_REUSED_CODE = re.compile(r"^\d{4}[a-z]$")
_VALIDITY_SUFFIX = re.compile(r"\s*\((\d{4})?-(\d{4})\)$")
_QUALIFIER = re.compile(r"\s*(\([^()]*\))$")
_NAME_SEPARATOR = " - "
# Letters that Norwegian does not use but the Sámi orthographies do.
_SAMI_LETTERS = set("áčđŋšŧžïÁČĐŊŠŦŽÏ")
# Vowel pairs common in Sámi and Kven names and rare in Norwegian ones.
_SAMI_DIPHTHONGS = ("uo", "ea", "ie", "aa", "åa")


class RegisterFileError(Exception):
    """A register file that cannot be imported; the message is for the user (Norwegian)."""


def clean_text(value: str) -> str:
    """NFC, no-break spaces as spaces, single spaces, trimmed, and a suspended hyphen closed up
    ("Eiendomsmeglere og - forvaltere" in SSB's STYRK file → "og -forvaltere", as the project's
    fixture writes it)."""
    value = unicodedata.normalize("NFC", value).replace("\xa0", " ")
    value = re.sub(r"\s+", " ", value).strip()
    return re.sub(r"\b(og|eller) - (?=\w)", r"\1 -", value)


def split_validity(text: str) -> tuple[str, datetime.date | None, datetime.date | None]:
    """'Moss (-2019)' → ('Moss', None, 2019-12-31); 'Halden (2020-2023)' → from 2020-01-01."""
    match = _VALIDITY_SUFFIX.search(text)
    if not match:
        return text, None, None
    start, end = match.groups()
    valid_from = datetime.date(int(start), 1, 1) if start else None
    return text[: match.start()], valid_from, datetime.date(int(end), 12, 31)


def split_qualifier(name: str) -> tuple[str, str]:
    """'Herøy (Nordland)' → ('Herøy', '(Nordland)'); a name without qualifier → (name, '')."""
    match = _QUALIFIER.search(name)
    if not match:
        return name, ""
    return name[: match.start()], match.group(1)


def base_name(name: str) -> str:
    """The Norwegian name without a disambiguating qualifier, for matching."""
    return split_qualifier(clean_text(name))[0]


def _latin1_fold(text: str) -> str:
    """Letters outside Latin-1 reduced to their base letter, as a Latin-1 source turns š into s."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            char = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
        out.append(char)
    return "".join(out)


def _looks_parallel(part: str) -> bool:
    lowered = part.lower()
    return bool(_SAMI_LETTERS & set(part)) or any(pair in lowered for pair in _SAMI_DIPHTHONGS)


@dataclass(frozen=True)
class SplitName:
    name: str
    parallel_names: list[str]
    guessed: bool = False


def split_names(
    text: str,
    *,
    preferred: str | None = None,
    known_names: frozenset[str] | set[str] = frozenset(),
    known_parallel: frozenset[str] | set[str] = frozenset(),
) -> SplitName:
    """Split SSB's 'Guovdageaidnu - Kautokeino' into the Norwegian name and the parallel names.

    Position says nothing about language (SSB orders by the municipality's own choice), so the
    Norwegian part is chosen by what the register already knows: the row's existing name
    (``preferred``), then any known Norwegian name, then parts that are not known parallel names
    or do not look Sámi/Kven. Only the last step is a guess, and it is reported as one.
    A qualifier such as '(Nordland)' belongs to the Norwegian name.
    """
    text, qualifier = split_qualifier(clean_text(text))
    parts = [part.strip() for part in text.split(_NAME_SEPARATOR) if part.strip()]
    if len(parts) <= 1:
        name = " ".join(filter(None, [text, qualifier]))
        return SplitName(name, [])

    norwegian, guessed = None, False
    preferred_base = base_name(preferred) if preferred else None
    if preferred_base in parts:
        norwegian = preferred_base
    else:
        known = [part for part in parts if part in known_names and part not in known_parallel]
        if known:
            norwegian = known[0]
        else:
            candidates = [part for part in parts if part not in known_parallel]
            plain = [part for part in candidates if not _looks_parallel(part)]
            norwegian = (plain or candidates or parts)[0]
            guessed = True

    # A source that lost 'š' ("Kárásjohka") gets the register's own spelling back.
    spellings: dict[str, set[str]] = {}
    for known_name in known_parallel:
        spellings.setdefault(_latin1_fold(known_name), set()).add(known_name)
    parallel = []
    for part in parts:
        if part == norwegian:
            continue
        matches = spellings.get(_latin1_fold(part), set())
        parallel.append(next(iter(matches)) if len(matches) == 1 else part)
    name = " ".join(filter(None, [norwegian, qualifier]))
    return SplitName(name, parallel, guessed)


# --- SSB Klass API JSON ---------------------------------------------------------------------


class _TextOnlyField(forms.CharField):
    """A code or name must arrive as JSON text: 301 as a number has lost its leading zero."""

    default_error_messages = {"not_text": "må være tekst i anførselstegn, ikke et tall"}

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, str):
            raise forms.ValidationError(self.error_messages["not_text"], code="not_text")
        return super().to_python(value)


class KlassCodeForm(forms.Form):
    """One entry of a Klass API ``codes`` list."""

    code = _TextOnlyField(max_length=10)
    name = _TextOnlyField(max_length=255)
    level = forms.IntegerField(min_value=1, max_value=9)
    parentCode = _TextOnlyField(required=False, max_length=10)  # Klass's own key


@dataclass(frozen=True)
class KlassCode:
    code: str
    name: str
    level: int
    parent: str | None


@dataclass
class ParsedFile:
    path: Path
    kind: str
    records: list = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _is_unknown_code(code: str, name: str) -> bool:
    """SSB's 'Uoppgitt' codes (9999, 99) are placeholders in statistics, not places."""
    return set(code) == {"9"} or (code.endswith("99") and name.lower().startswith("uoppgitt"))


def read_klass_json(path: Path, data, kind: str | None = None) -> ParsedFile:
    name = path.name
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise RegisterFileError(
            f"{name}: har ikke formen til et svar fra SSBs Klass-API "
            "(et objekt med listen «codes»)."
        )
    if not data["codes"]:
        raise RegisterFileError(f"{name}: listen «codes» er tom.")

    codes: list[KlassCode] = []
    for position, entry in enumerate(data["codes"], start=1):
        form = KlassCodeForm(data=entry if isinstance(entry, dict) else {})
        if not form.is_valid():
            problems = "; ".join(
                f"{field_name}: {' '.join(errors)}" for field_name, errors in form.errors.items()
            )
            raise RegisterFileError(f"{name}: kode nr. {position} er ugyldig ({problems}).")
        values = form.cleaned_data
        codes.append(
            KlassCode(
                code=values["code"].strip(),
                name=clean_text(values["name"]),
                level=values["level"],
                parent=values["parentCode"].strip() or None,
            )
        )

    detected = _detect_klass_kind(codes)
    if kind is None:
        kind = detected
    if kind == GROUPING:
        raise RegisterFileError(f"{name}: er JSON, ikke SSBs kommunegruppering (xlsx).")
    if kind == OCCUPATIONS:
        return _validate_styrk(path, codes)
    return _validate_regions(path, codes, kind)


def _detect_klass_kind(codes: list[KlassCode]) -> str:
    if any(code.level > 1 or code.parent for code in codes):
        return OCCUPATIONS
    lengths = [len(code.code) for code in codes]
    if lengths.count(4) > len(lengths) / 2:
        return MUNICIPALITIES
    if lengths.count(2) > len(lengths) / 2:
        return COUNTIES
    raise RegisterFileError(
        "Kjenner ikke igjen klassifikasjonen: kodene er verken kommunenumre (fire sifre), "
        "fylkesnumre (to sifre) eller STYRK-08 (nivå 1–4)."
    )


def _check_unique(path: Path, codes: list[str]) -> None:
    seen = set()
    for code in codes:
        if code in seen:
            raise RegisterFileError(f"{path.name}: koden «{code}» står mer enn én gang.")
        seen.add(code)


def _validate_regions(path: Path, codes: list[KlassCode], kind: str) -> ParsedFile:
    pattern, what = (
        (_MUNICIPALITY_CODE, "et kommunenummer med fire sifre (for eksempel «0301»)")
        if kind == MUNICIPALITIES
        else (_COUNTY_CODE, "et fylkesnummer med to sifre (for eksempel «03»)")
    )
    parsed = ParsedFile(path, kind)
    for code in codes:
        if code.level != 1 or code.parent:
            raise RegisterFileError(
                f"{path.name}: koden «{code.code}» ({code.name}) har nivå {code.level}; "
                f"{KIND_LABELS[kind]} har bare ett nivå."
            )
        if not pattern.match(code.code):
            raise RegisterFileError(
                f"{path.name}: koden «{code.code}» ({code.name}) er ikke {what}."
            )
        if _is_unknown_code(code.code, code.name):
            parsed.skipped.append(f"{code.code} {code.name}")
            continue
        parsed.records.append(code)
    _check_unique(path, [code.code for code in parsed.records])
    return parsed


def _validate_styrk(path: Path, codes: list[KlassCode]) -> ParsedFile:
    known = {code.code for code in codes}
    for code in codes:
        if not code.code.isdigit() or len(code.code) != code.level or code.level > 4:
            raise RegisterFileError(
                f"{path.name}: STYRK-koden «{code.code}» ({code.name}) passer ikke med nivå "
                f"{code.level}: en kode på nivå n har n sifre, og nivåene er 1–4."
            )
        expected_parent = code.code[:-1] or None
        if code.parent != expected_parent:
            raise RegisterFileError(
                f"{path.name}: STYRK-koden «{code.code}» har overordnet kode "
                f"«{code.parent or ''}», ventet «{expected_parent or ''}»."
            )
        if code.parent and code.parent not in known:
            raise RegisterFileError(
                f"{path.name}: den overordnede koden «{code.parent}» til «{code.code}» "
                "finnes ikke i filen."
            )
    _check_unique(path, [code.code for code in codes])
    return ParsedFile(path, OCCUPATIONS, sorted(codes, key=lambda code: code.code))


# --- SSB municipality grouping (xlsx) ---------------------------------------------------------


@dataclass(frozen=True)
class GroupingRow:
    """One code with its validity, and today's municipality it belongs to (None when split)."""

    row: int
    code: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    current_code: str | None
    current_name: str | None


def read_grouping_xlsx(path: Path) -> ParsedFile:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RegisterFileError(f"{name}: kan ikke leses som et Excel-ark (xlsx): {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        found = tuple(
            clean_text(str(cell)).upper() if cell is not None else "" for cell in header or ()
        )
        if found[:4] != GROUPING_HEADER:
            raise RegisterFileError(
                f"{name}: første rad må være kolonnene {', '.join(GROUPING_HEADER)} "
                f"(SSBs kommunegruppering), men er {', '.join(found) or 'tom'}."
            )
        parsed = ParsedFile(path, GROUPING)
        for number, cells in enumerate(rows, start=2):
            cells = tuple(cells[:4]) + (None,) * (4 - len(cells[:4]))
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            _read_grouping_row(path, number, cells, parsed)
    finally:
        workbook.close()
    if not parsed.records:
        raise RegisterFileError(f"{name}: inneholder ingen kommunekoder.")
    _check_unique(path, [row.code for row in parsed.records])
    return parsed


def _read_grouping_row(path: Path, number: int, cells: tuple, parsed: ParsedFile) -> None:
    for column, value in zip("ABCD", cells, strict=True):
        if value is not None and not isinstance(value, str):
            raise RegisterFileError(
                f"{path.name}: celle {column}{number} inneholder tallet {value!r}, ikke tekst. "
                "Koder må lagres som tekst (for eksempel «0301»); et tall kan ha mistet en "
                "ledende null, så filen importeres ikke."
            )
    group_code, group_name, code, text = (clean_text(cell or "") for cell in cells)
    if not group_code or not code or not text:
        raise RegisterFileError(f"{path.name}: rad {number} mangler gruppekode, kode eller tekst.")
    group = _MUNICIPALITY_GROUP.match(group_code)
    if group is None and group_code != _SPLIT_GROUP:
        # Svalbard, Jan Mayen and the continental shelf have codes but are not municipalities.
        parsed.skipped.append(f"{code} {text} ({group_name})")
        return
    if _REUSED_CODE.match(code):
        parsed.skipped.append(f"{code} {text} (tidligere bruk av et nummer som er gjenbrukt)")
        return
    if not _MUNICIPALITY_CODE.match(code):
        raise RegisterFileError(
            f"{path.name}: rad {number}: koden «{code}» ({text}) er ikke et kommunenummer med "
            "fire sifre."
        )
    name, valid_from, valid_to = split_validity(text)
    if _is_unknown_code(code, name):
        parsed.skipped.append(f"{code} {name}")
        return
    current_code = group.group(1) if group else None
    parsed.records.append(
        GroupingRow(
            row=number,
            code=code,
            name=name,
            valid_from=valid_from,
            valid_to=valid_to,
            current_code=current_code,
            current_name=group_name if group else None,
        )
    )


# --- detection --------------------------------------------------------------------------------


def read_register_file(path: Path, kind: str | None = None) -> ParsedFile:
    """Read a Klass JSON or grouping xlsx file; ``kind`` forces the format instead of detecting."""
    path = Path(path)
    if not path.is_file():
        raise RegisterFileError(f"Finner ikke filen {path}.")
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK\x03\x04"):
        if kind not in (None, GROUPING):
            raise RegisterFileError(
                f"{path.name}: er et Excel-ark, ikke JSON fra SSBs Klass-API ({KIND_LABELS[kind]})."
            )
        return read_grouping_xlsx(path)
    if kind == GROUPING:
        raise RegisterFileError(f"{path.name}: er ikke et Excel-ark (xlsx).")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RegisterFileError(
            f"{path.name}: er verken JSON i UTF-8 (SSB Klass) eller et Excel-ark (xlsx)."
        ) from exc
    except json.JSONDecodeError as exc:
        raise RegisterFileError(
            f"{path.name}: er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}: "
            f"{exc.msg}). Ventet et svar fra SSBs Klass-API eller et Excel-ark (xlsx)."
        ) from exc
    try:
        return read_klass_json(path, data, kind)
    except RegisterFileError as exc:
        message = str(exc)
        if not message.startswith(path.name):
            message = f"{path.name}: {message}"
        raise RegisterFileError(message) from None
