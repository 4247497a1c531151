"""The project's own register fixture: validated record by record (forms), references checked,
then loaded idempotently in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.db import transaction

from .geo.services import sync_neighbours
from .models import (
    CodeChange,
    County,
    Malform,
    Municipality,
    Programme,
    ProgrammeArea,
    StructureVersion,
)
from .sync import Table, Tally, region_values, summary_line, sync_occupations

DEFAULT_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "register.json"
# The whole STYRK-08 classification (four levels, 582 codes) in a file of its own, which the
# default register's occupations come from (see fixtures/README.md).
OCCUPATIONS_FIXTURE = DEFAULT_FIXTURE.with_name("occupations.json")
FIXTURE_FORMAT = "bosettingsportalen.register"


class RegisterDataError(Exception):
    """The register fixture is not usable; the message is for the user (Norwegian)."""


# --- the project's register fixture ------------------------------------------------------------


class _NameListField(forms.Field):
    default_error_messages = {"invalid": "må være en liste med navn"}

    def to_python(self, value):
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class _StructureVersionRecord(forms.Form):
    code = forms.CharField(max_length=9)
    label = forms.CharField(max_length=100)
    valid_from = forms.DateField()
    valid_to = forms.DateField(required=False)


class _CountyRecord(forms.Form):
    number = forms.RegexField(r"^\d{2}$")
    name = forms.CharField(max_length=100)
    parallel_names = _NameListField(required=False)
    valid_from = forms.DateField(required=False)
    valid_to = forms.DateField(required=False)
    # Only where a source is named in fixtures/README.md; a record without it keeps what the
    # administrator has set.
    malform = forms.ChoiceField(choices=Malform.choices, required=False)


class _MunicipalityRecord(_CountyRecord):
    number = forms.RegexField(r"^\d{4}$")
    county = forms.RegexField(r"^\d{2}$", required=False)
    current = forms.RegexField(r"^\d{4}$", required=False)


class _CodeChangeRecord(forms.Form):
    predecessor = forms.RegexField(r"^\d{4}$")
    successor = forms.RegexField(r"^\d{4}$")
    kind = forms.ChoiceField(choices=CodeChange.Kind.choices)
    date = forms.DateField()


class _OccupationRecord(forms.Form):
    code = forms.RegexField(r"^\d{1,4}$")
    name = forms.CharField(max_length=255)
    level = forms.IntegerField(min_value=1, max_value=4)
    parent = forms.RegexField(r"^\d{1,3}$", required=False)


class _ProgrammeRecord(forms.Form):
    code = forms.RegexField(r"^[A-Z]{2}$")
    name = forms.CharField(max_length=255)
    name_nn = forms.CharField(max_length=255, required=False)
    kind = forms.ChoiceField(choices=Programme.Kind.choices)


class _ProgrammeAreaRecord(forms.Form):
    code = forms.RegexField(r"^[A-Z0-9]{5}[12]-{4}$")
    name = forms.CharField(max_length=255)
    level = forms.ChoiceField(choices=ProgrammeArea.Level.choices)


_SECTIONS = {
    "structure_versions": ("strukturversjoner", _StructureVersionRecord),
    "counties": ("fylker", _CountyRecord),
    "municipalities": ("kommuner", _MunicipalityRecord),
    "code_changes": ("kodeendringer", _CodeChangeRecord),
    "occupations": ("yrker", _OccupationRecord),
    "programmes": ("utdanningsprogram", _ProgrammeRecord),
}


def _clean_records(source: str, section: str, entries, form_class) -> list[dict]:
    label = _SECTIONS.get(section, (section,))[0]
    if not isinstance(entries, list):
        raise RegisterDataError(f"{source}: «{section}» må være en liste.")
    cleaned = []
    for position, entry in enumerate(entries, start=1):
        form = form_class(data=entry if isinstance(entry, dict) else {})
        if not form.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
            raise RegisterDataError(f"{source}: {label}, post nr. {position}: {problems}")
        cleaned.append({**form.cleaned_data, "_raw": entry})
    return cleaned


def _occupations_fixture() -> list:
    try:
        data = json.loads(OCCUPATIONS_FIXTURE.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegisterDataError(
            f"{OCCUPATIONS_FIXTURE.name}: er ikke gyldig JSON ({exc})."
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FIXTURE_FORMAT:
        raise RegisterDataError(f"{OCCUPATIONS_FIXTURE.name}: er ikke en registerfil.")
    return data.get("occupations", [])


def read_fixture(path: Path | None = None) -> dict[str, list[dict]]:
    """The fixture's sections as validated records (dates as dates, empty values as None)."""
    path = Path(path or DEFAULT_FIXTURE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegisterDataError(f"Finner ikke registerfilen {path}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegisterDataError(f"{path.name}: er ikke gyldig JSON i UTF-8 ({exc}).") from exc
    if not isinstance(data, dict) or data.get("format") != FIXTURE_FORMAT:
        raise RegisterDataError(f"{path.name}: er ikke en registerfil ({FIXTURE_FORMAT}).")
    if path == DEFAULT_FIXTURE and OCCUPATIONS_FIXTURE.exists():
        data = {**data, "occupations": _occupations_fixture()}
    sections = {}
    for section, (_label, form_class) in _SECTIONS.items():
        sections[section] = _clean_records(path.name, section, data.get(section, []), form_class)
    for position, programme in enumerate(sections["programmes"], start=1):
        programme["areas"] = _clean_records(
            f"{path.name}: utdanningsprogram nr. {position}",
            "areas",
            programme["_raw"].get("areas", []),
            _ProgrammeAreaRecord,
        )
    _check_references(path.name, sections)
    return sections


def _check_references(source: str, sections: dict[str, list[dict]]) -> None:
    counties = {county["number"] for county in sections["counties"]}
    municipalities = {m["number"] for m in sections["municipalities"]}
    occupations = {o["code"] for o in sections["occupations"]}
    problems = []
    for m in sections["municipalities"]:
        if m["county"] and m["county"] not in counties:
            problems.append(f"kommune {m['number']} viser til ukjent fylke {m['county']}")
        if m["current"] and m["current"] not in municipalities:
            problems.append(f"kommune {m['number']} viser til ukjent kommune {m['current']}")
    for change in sections["code_changes"]:
        for end in ("predecessor", "successor"):
            if change[end] not in municipalities:
                problems.append(f"kodeendring viser til ukjent kommune {change[end]}")
    for occupation in sections["occupations"]:
        if occupation["parent"] and occupation["parent"] not in occupations:
            problems.append(f"yrke {occupation['code']} viser til ukjent {occupation['parent']}")
    if problems:
        raise RegisterDataError(f"{source}: " + "; ".join(problems[:5]) + ".")


@dataclass
class LoadResult:
    tallies: list[Tally]

    @property
    def created(self) -> int:
        return sum(tally.created for tally in self.tallies)

    @property
    def updated(self) -> int:
        return sum(tally.updated for tally in self.tallies)

    def summary(self) -> str:
        return f"Register: {summary_line(self.tallies)}"


def load_register(path: Path | None = None) -> LoadResult:
    """Create or update every row of the register fixture; rows it does not name are kept."""
    data = read_fixture(path)
    with transaction.atomic():
        versions = Table(StructureVersion, "code")
        versions.sync(
            {
                v["code"]: {
                    "label": v["label"],
                    "valid_from": v["valid_from"],
                    "valid_to": v["valid_to"],
                }
                for v in data["structure_versions"]
            }
        )

        counties = Table(County, "number")
        counties.sync({c["number"]: region_values(c) for c in data["counties"]})

        municipalities = Table(Municipality, "number")
        municipalities.sync(
            {
                m["number"]: {
                    **region_values(m),
                    "county_id": counties.pk(m["county"]) if m["county"] else None,
                }
                for m in data["municipalities"]
            }
        )
        municipalities.sync(
            {
                m["number"]: {
                    "current_id": municipalities.pk(m["current"]) if m["current"] else None
                }
                for m in data["municipalities"]
            }
        )

        changes = Table(CodeChange, "predecessor_id", "successor_id")
        changes.sync(
            {
                (municipalities.pk(c["predecessor"]), municipalities.pk(c["successor"])): {
                    "kind": c["kind"],
                    "date": c["date"],
                }
                for c in data["code_changes"]
            }
        )

        occupations = sync_occupations(
            {o["code"]: (o["name"], o["level"], o["parent"] or None) for o in data["occupations"]}
        )

        programmes = Table(Programme, "code")
        programmes.sync(
            {
                p["code"]: {"name": p["name"], "name_nn": p["name_nn"], "kind": p["kind"]}
                for p in data["programmes"]
            }
        )
        areas = Table(ProgrammeArea, "code")
        areas.sync(
            {
                a["code"]: {
                    "name": a["name"],
                    "level": a["level"],
                    "programme_id": programmes.pk(p["code"]),
                }
                for p in data["programmes"]
                for a in p["areas"]
            }
        )
        # The neighbour relation follows from the boundary file the project carries (maps).
        neighbours = sync_neighbours()
    return LoadResult(
        [
            counties.tally("fylker"),
            municipalities.tally("kommuner"),
            changes.tally("kodeendringer"),
            occupations.tally("yrkesgrupper (STYRK-08)"),
            programmes.tally("utdanningsprogram"),
            areas.tally("programområder"),
            versions.tally("strukturversjoner"),
            neighbours,
        ]
    )
