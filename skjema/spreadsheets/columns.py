"""What the spreadsheets hold: one sheet per profile section, one column per field, and how a
value is written to a cell and read back from one.

Codes (municipality numbers, STYRK and Udir codes, row ids) are always text. Reading refuses a
number, a date or a formula where text is expected instead of guessing what it meant: Excel turns
«0301» into 301, and 301 must not silently become another municipality."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality, Occupation, ProgrammeArea

from ..models import MunicipalityProfile
from ..sections import PROFILE_SECTIONS, Section, reference

# Sheet names and headers follow the user's written standard (bokmål or nynorsk) when the
# workbook is made; reading accepts both, whoever made the workbook (``variants``).
WRITTEN_STANDARDS = ("nb", "nn")
GUIDE_SHEET = _("Veiledning")
CODES_SHEET = _("Koder")  # the hidden lists behind the code drop-downs
SHEET_NAMES = {
    "qualification": _("Kvalifiseringstilbud"),
    "upper_secondary": _("Videregående opplæring"),
    "cooperation": _("Interkommunalt samarbeid"),
    "labour": _("Arbeidskraftbehov"),
    "capacity": _("Kapasitet"),
}
MUNICIPALITY_LABEL = _("Kommunenummer")
NAME_LABEL = _("Kommune")
UID_LABEL = _("Rad-ID")
REASON_LABEL = _("Grunn til at raden ikke ble importert")
TEXT_FORMAT = "@"
INTEGER_FORMAT = "#,##0"  # Excel shows the locale's separators: «1 200» in Norwegian
YEAR_FORMAT = "0"
DECIMAL_FORMAT = "0.0"  # «72,5» in Norwegian Excel
YES, NO = _("Ja"), _("Nei")
# Bounds that keep numbers inside every database's integer column and inside reason.
MAX_COUNT = 1_000_000
YEAR_RANGE = (1990, 2100)
# Characters a spreadsheet program may read as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

TEXT, INTEGER, DECIMAL, BOOLEAN, CHOICE, CHOICES, CODE, MUNICIPALITIES = (
    "text",
    "integer",
    "decimal",
    "boolean",
    "choice",
    "choices",
    "code",
    "municipalities",
)
REGISTER_NAMES = {
    Occupation: _("STYRK-08-kode"),
    ProgrammeArea: _("programområdekode"),
    Municipality: _("kommunenummer"),
}


class CellError(ValueError):
    """A cell's value cannot be used; the message (Norwegian) says why and what to write."""


def variants(text) -> set[str]:
    """A translatable text in every written standard, as header keys."""
    found = set()
    for language in WRITTEN_STANDARDS:
        with translation.override(language):
            found.add(header_key(text))
    return found


def capitalized(label) -> str:
    label = str(label)
    return label[:1].upper() + label[1:]


def header_key(value) -> str:
    """Headers are matched ignoring case and spacing, so «Yrke (STYRK-08)» equals «yrke (styrk-08)»."""
    return " ".join(str(value or "").split()).casefold()


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet program would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    nullable: bool = True
    max_length: int | None = None
    register: type[models.Model] | None = None
    is_year: bool = False
    # Every header and choice label this column is known by, in both written standards.
    header_keys: frozenset[str] = frozenset()
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def is_text_cell(self) -> bool:
        return self.kind not in {INTEGER, DECIMAL}

    @property
    def labels(self) -> list[str]:
        return [label for _code, label in self.choices]


def _column(section: Section, name: str) -> Column:
    model_field = section.model_field(name, "profile")
    label = capitalized(model_field.verbose_name)
    known = {
        "header_keys": frozenset(variants(model_field.verbose_name)),
        "aliases": (),
    }
    if name == "household_types":
        choices = MunicipalityProfile.HouseholdType.choices
        return Column(
            name, label, CHOICES, _choices(choices), **{**known, "aliases": _aliases(choices)}
        )
    ref = reference(model_field)
    if ref and model_field.many_to_many:
        return Column(name, label, MUNICIPALITIES, register=ref[0], **known)
    if ref:
        return Column(name, label, CODE, register=ref[0], **known)
    if model_field.choices:
        return Column(
            name,
            label,
            CHOICE,
            _choices(model_field.choices),
            **{**known, "aliases": _aliases(model_field.choices)},
        )
    if isinstance(model_field, models.BooleanField):
        return Column(name, label, BOOLEAN, nullable=model_field.null, **known)
    if isinstance(model_field, models.DecimalField):
        return Column(name, label, DECIMAL, **known)
    if isinstance(model_field, models.IntegerField):
        return Column(name, label, INTEGER, is_year=name.endswith("_year"), **known)
    return Column(name, label, TEXT, max_length=getattr(model_field, "max_length", None), **known)


def _choices(choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(label)) for code, label in choices if code != "")


def _aliases(choices) -> tuple[tuple[str, str], ...]:
    """(code, label) in both written standards: a nynorsk «Middels» reads like a bokmål one."""
    found: list[tuple[str, str]] = []
    for language in WRITTEN_STANDARDS:
        with translation.override(language):
            for pair in _choices(choices):
                if pair not in found:
                    found.append(pair)
    return tuple(found)


def columns_for(section: Section) -> list[Column]:
    """The section's columns, labelled in the active language."""
    return list(_columns(section.key, translation.get_language() or "nb"))


@functools.cache
def _columns(key: str, language: str) -> tuple[Column, ...]:
    section = next(s for s in PROFILE_SECTIONS if s.key == key)
    with translation.override(language):
        return tuple(_column(section, name) for name in section.fields)


def profile_sections() -> tuple[Section, ...]:
    return PROFILE_SECTIONS


def sheet_name(section: Section) -> str:
    return str(SHEET_NAMES[section.key])


def section_for_sheet(title: str) -> Section | None:
    wanted = header_key(title)
    for section in PROFILE_SECTIONS:
        if wanted in variants(SHEET_NAMES[section.key]):
            return section
    return None


def is_guide_sheet(title: str) -> bool:
    return header_key(title) in variants(GUIDE_SHEET)


def is_codes_sheet(title: str) -> bool:
    return header_key(title) in variants(CODES_SHEET)


# ---------------------------------------------------------------------------------------------
# writing


def cell_value(column: Column, value: Any) -> Any:
    """Plain data (codes) -> what the county workbook shows (labels, Ja/Nei, lists as text)."""
    if value is None or value == "" or value == []:
        return None
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
    return value


# ---------------------------------------------------------------------------------------------
# reading


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _number_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _refuse_dates(value) -> None:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        shown = value.strftime("%d.%m.%Y") if hasattr(value, "year") else str(value)
        raise CellError(
            _(
                "Regnearket har gjort verdien om til en dato (%(shown)s). Formater cellen som "
                "tekst og skriv verdien på nytt."
            )
            % {"shown": shown}
        )


def read_municipality_number(value) -> str:
    """A municipality number: text of four digits. A number (301 or 3801) is refused."""
    _refuse_dates(value)
    if _is_number(value):
        shown = _number_text(value)
        example = shown.zfill(4) if shown.isdigit() and len(shown) <= 4 else "0301"
        raise CellError(
            _(
                "%(shown)s er et tall; skriv kommunenummeret som tekst med fire sifre, f.eks. «%(example)s»."
            )
            % {"shown": shown, "example": example}
        )
    text = str(value or "").strip()
    if not re.fullmatch(r"\d{4}", text):
        raise CellError(
            _(
                "«%(text)s» er ikke et kommunenummer; skriv det som tekst med fire sifre, f.eks. «0301»."
            )
            % {"text": text}
        )
    return text


def read_cell(column: Column, value, known_codes: dict[type, set[str]]):
    """Cell -> plain data for the column, or CellError. Empty cells give the field's empty value."""
    _refuse_dates(value)
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return _empty_value(column)
    reader = _READERS[column.kind]
    return reader(column, value, known_codes)


def _empty_value(column: Column):
    if column.kind in {CHOICES, MUNICIPALITIES}:
        return []
    if column.kind == BOOLEAN:
        return None if column.nullable else False
    if column.kind in {TEXT, CHOICE}:
        return ""
    return None


def _read_text(column: Column, value, _codes) -> str:
    text = _number_text(value) if _is_number(value) else str(value)
    if isinstance(value, bool):
        text = str(YES if value else NO)
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("Teksten er %(length)s tegn lang; feltet har plass til høyst %(max)s.")
            % {"length": len(text), "max": column.max_length}
        )
    return text


def _read_integer(column: Column, value, _codes) -> int:
    if isinstance(value, bool):
        raise CellError(_("Skriv et helt tall."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("%(value)s er ikke et helt tall.") % {"value": _number_text(value)})
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = re.sub(r"[\s\u00a0]", "", str(value))
        if not re.fullmatch(r"[-−]?\d+", text):
            raise CellError(_("«%(value)s» er ikke et helt tall.") % {"value": value})
        number = int(text.replace("−", "-"))
    if number < 0:
        raise CellError(_("Tallet kan ikke være negativt."))
    if column.is_year:
        low, high = YEAR_RANGE
        if not low <= number <= high:
            raise CellError(
                _("%(number)s er ikke et gyldig årstall; skriv f.eks. 2025.") % {"number": number}
            )
    elif number > MAX_COUNT:
        raise CellError(
            _("%(number)s er urimelig stort; skriv et tall opp til %(max)s.")
            % {"number": number, "max": MAX_COUNT}
        )
    return number


def _read_decimal(column: Column, value, _codes) -> str:
    if isinstance(value, bool):
        raise CellError(_("Skriv et tall mellom 0 og 100."))
    if _is_number(value):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = re.sub(r"[\s\u00a0%]", "", str(value)).replace(",", ".").replace("−", "-")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise CellError(_("«%(value)s» er ikke et tall.") % {"value": value}) from exc
    if not number.is_finite():
        raise CellError(_("«%(value)s» er ikke et tall.") % {"value": value})
    if number < 0:
        raise CellError(_("Tallet kan ikke være negativt."))
    if number > 100:
        raise CellError(_("Resultatet må være et tall mellom 0 og 100."))
    number = number.normalize()
    if number.as_tuple().exponent < -1:
        raise CellError(_("Skriv resultatet med høyst én desimal, f.eks. 72,5."))
    return format(number, "f")


def _read_boolean(column: Column, value, _codes):
    if isinstance(value, bool):
        return value
    text = header_key(value)
    if text in variants(YES):
        return True
    if text in variants(NO):
        return False
    raise CellError(
        _("«%(value)s» er ikke et gyldig svar; skriv «%(yes)s» eller «%(no)s».")
        % {"value": value, "yes": YES, "no": NO}
    )


def _choice(column: Column, value) -> str:
    value = value.strip() if isinstance(value, str) else _number_text(value)
    wanted = header_key(value)
    for code, label in column.aliases or column.choices:
        if wanted in {code.casefold(), header_key(label)}:
            return code
    allowed = ", ".join(f"«{label}»" for label in column.labels)
    raise CellError(
        _("«%(value)s» er ikke et gyldig valg. Tillatte verdier: %(allowed)s.")
        % {"value": value, "allowed": allowed}
    )


def _read_choice(column: Column, value, _codes) -> str:
    return _choice(column, value)


def _read_choices(column: Column, value, _codes) -> list[str]:
    codes = []
    for part in re.split(r"[;,\n]", str(value)):
        if part.strip():
            code = _choice(column, part)
            if code not in codes:
                codes.append(code)
    return codes


def _read_code(column: Column, value, known_codes) -> str:
    what = REGISTER_NAMES[column.register]
    if _is_number(value):
        shown = _number_text(value)
        raise CellError(
            _("%(shown)s er et tall; skriv koden som tekst, f.eks. «%(shown)s».") % {"shown": shown}
        )
    # The drop-down offers «53 – Helsefagarbeidere»: the code is what comes before the dash.
    code = str(value).strip().split(" – ", 1)[0].strip()
    if column.register is ProgrammeArea:
        code = code.upper()
    if code not in known_codes[column.register]:
        raise CellError(
            _("Ukjent %(what)s «%(code)s». Se arket «%(sheet)s» for gyldige koder.")
            % {"what": what, "code": code, "sheet": GUIDE_SHEET}
        )
    return code


def _read_municipalities(column: Column, value, known_codes) -> list[str]:
    if _is_number(value):
        shown = _number_text(value)
        raise CellError(
            _(
                "%(shown)s er et tall; skriv kommunenumrene som tekst med fire sifre, f.eks. «%(example)s»."
            )
            % {"shown": shown, "example": shown.zfill(4) if shown.isdigit() else "0301"}
        )
    numbers = []
    for part in re.split(r"[;,\s]+", str(value)):
        if not part:
            continue
        if not re.fullmatch(r"\d{4}", part):
            raise CellError(
                _(
                    "«%(part)s» er ikke et kommunenummer; skriv fire sifre og skill kommunene med "
                    "komma, f.eks. «4001, 4003»."
                )
                % {"part": part}
            )
        if part not in known_codes[Municipality]:
            raise CellError(
                _("Kommunenummer «%(part)s» finnes ikke i kommunestrukturen for runden.")
                % {"part": part}
            )
        if part not in numbers:
            numbers.append(part)
    return sorted(numbers)


_READERS = {
    TEXT: _read_text,
    INTEGER: _read_integer,
    DECIMAL: _read_decimal,
    BOOLEAN: _read_boolean,
    CHOICE: _read_choice,
    CHOICES: _read_choices,
    CODE: _read_code,
    MUNICIPALITIES: _read_municipalities,
}
