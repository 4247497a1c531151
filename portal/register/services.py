"""Register operations: load the project's own register fixture, and import SSB's files.

Both are idempotent (rows are matched by natural key; a second run changes nothing) and run
inside one transaction, so bad input changes nothing. Rows are read and written in bulk.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django import forms
from django.db import models, transaction

from .importers import (
    COUNTIES,
    GROUPING,
    KINDS,
    MUNICIPALITIES,
    OCCUPATIONS,
    ParsedFile,
    RegisterFileError,
    base_name,
    read_register_file,
    split_names,
)
from .models import (
    CodeChange,
    County,
    Municipality,
    Occupation,
    Programme,
    ProgrammeArea,
    StructureVersion,
)

DEFAULT_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "register.json"
# The whole STYRK-08 classification (four levels, 582 codes) in a file of its own, which the
# default register's occupations come from (see fixtures/README.md).
OCCUPATIONS_FIXTURE = DEFAULT_FIXTURE.with_name("occupations.json")
FIXTURE_FORMAT = "bosettingsportalen.register"


class RegisterDataError(Exception):
    """The register fixture is not usable; the message is for the user (Norwegian)."""


# --- bulk sync by natural key ------------------------------------------------------------------


@dataclass
class Tally:
    label: str
    total: int = 0
    created: int = 0
    updated: int = 0

    @property
    def unchanged(self) -> int:
        return self.total - self.created - self.updated


class _Table:
    """One model's rows by natural key: creates the missing, updates only fields that differ."""

    def __init__(self, model: type[models.Model], *key_fields: str):
        self.model = model
        self.key_fields = key_fields
        self.rows = {self._key(obj): obj for obj in model.objects.all()}
        self.seen: set = set()
        self.created: set = set()
        self.updated: set = set()

    def _key(self, obj):
        values = tuple(getattr(obj, name) for name in self.key_fields)
        return values[0] if len(values) == 1 else values

    def sync(self, records: dict[Any, dict[str, Any]]) -> None:
        new, changed, changed_fields = [], [], set()
        for key, values in records.items():
            self.seen.add(key)
            obj = self.rows.get(key)
            if obj is None:
                key_values = key if isinstance(key, tuple) else (key,)
                new.append(
                    self.model(**dict(zip(self.key_fields, key_values, strict=True)), **values)
                )
                continue
            differing = [name for name, value in values.items() if getattr(obj, name) != value]
            if differing:
                for name in differing:
                    setattr(obj, name, values[name])
                changed_fields.update(differing)
                changed.append(obj)
                if key not in self.created:
                    self.updated.add(key)
        if new:
            self.model.objects.bulk_create(new)
            if any(obj.pk is None for obj in new):  # a backend that cannot return new ids
                fresh = {self._key(obj): obj for obj in self.model.objects.all()}
                new = [fresh[self._key(obj)] for obj in new]
            for obj in new:
                key = self._key(obj)
                self.rows[key] = obj
                self.created.add(key)
        if changed:
            self.model.objects.bulk_update(changed, sorted(changed_fields), batch_size=500)

    def pk(self, key) -> int:
        return self.rows[key].pk

    def tally(self, label: str) -> Tally:
        return Tally(
            label,
            total=len(self.seen),
            created=len(self.created),
            updated=len(self.updated - self.created),
        )


def _summary_line(tallies: Iterable[Tally]) -> str:
    tallies = list(tallies)
    parts = ", ".join(f"{tally.total} {tally.label}" for tally in tallies)
    created = sum(tally.created for tally in tallies)
    updated = sum(tally.updated for tally in tallies)
    return f"{parts} ({created} nye, {updated} endret)"


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
        raise RegisterDataError(f"{OCCUPATIONS_FIXTURE.name}: er ikke gyldig JSON ({exc}).") from exc
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
        return f"Register: {_summary_line(self.tallies)}"


def load_register(path: Path | None = None) -> LoadResult:
    """Create or update every row of the register fixture; rows it does not name are kept."""
    data = read_fixture(path)
    with transaction.atomic():
        versions = _Table(StructureVersion, "code")
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

        counties = _Table(County, "number")
        counties.sync({c["number"]: _region_values(c) for c in data["counties"]})

        municipalities = _Table(Municipality, "number")
        municipalities.sync(
            {
                m["number"]: {
                    **_region_values(m),
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

        changes = _Table(CodeChange, "predecessor_id", "successor_id")
        changes.sync(
            {
                (municipalities.pk(c["predecessor"]), municipalities.pk(c["successor"])): {
                    "kind": c["kind"],
                    "date": c["date"],
                }
                for c in data["code_changes"]
            }
        )

        occupations = _sync_occupations(
            {o["code"]: (o["name"], o["level"], o["parent"] or None) for o in data["occupations"]}
        )

        programmes = _Table(Programme, "code")
        programmes.sync(
            {
                p["code"]: {"name": p["name"], "name_nn": p["name_nn"], "kind": p["kind"]}
                for p in data["programmes"]
            }
        )
        areas = _Table(ProgrammeArea, "code")
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
    return LoadResult(
        [
            counties.tally("fylker"),
            municipalities.tally("kommuner"),
            changes.tally("kodeendringer"),
            occupations.tally("yrkesgrupper (STYRK-08)"),
            programmes.tally("utdanningsprogram"),
            areas.tally("programområder"),
            versions.tally("strukturversjoner"),
        ]
    )


def _region_values(record: dict) -> dict:
    return {
        "name": record["name"],
        "parallel_names": record["parallel_names"],
        "valid_from": record["valid_from"],
        "valid_to": record["valid_to"],
    }


def _sync_occupations(records: dict[str, tuple[str, int, str | None]]) -> _Table:
    table = _Table(Occupation, "code")
    table.sync({code: {"name": name, "level": level} for code, (name, level, _) in records.items()})
    table.sync(
        {
            code: {"parent_id": table.pk(parent) if parent else None}
            for code, (_, _, parent) in records.items()
        }
    )
    return table


# --- importing SSB's files ---------------------------------------------------------------------


@dataclass
class FileReport:
    name: str
    label: str
    tallies: list[Tally]
    structure: str = ""
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(tally.created for tally in self.tallies)

    @property
    def updated(self) -> int:
        return sum(tally.updated for tally in self.tallies)

    def summary(self) -> str:
        counts = "; ".join(
            f"{t.label}: {t.created} nye, {t.updated} endret, {t.unchanged} uendret"
            for t in self.tallies
        )
        where = f", {self.structure}" if self.structure else ""
        skipped = f"; {len(self.skipped)} hoppet over" if self.skipped else ""
        return f"{self.name} ({self.label}{where}): {counts}{skipped}"


@dataclass
class ImportResult:
    files: list[FileReport]

    @property
    def created(self) -> int:
        return sum(report.created for report in self.files)

    @property
    def updated(self) -> int:
        return sum(report.updated for report in self.files)


def import_register_files(
    paths: Iterable[Path | str], *, kind: str | None = None, structure: str | None = None
) -> ImportResult:
    """Import SSB Klass JSON (131, 104, 7) and grouping xlsx files, all or nothing.

    Files are read and checked before anything is written, then imported in dependency order
    (counties, municipalities, occupations, grouping). ``structure`` names the structure version
    that Klass 131/104 files describe; without it, the version that fits the codes best is used.
    """
    if kind is not None and kind not in KINDS:
        raise RegisterFileError(f"Ukjent filtype «{kind}». Velg en av: {', '.join(KINDS)}.")
    parsed = [read_register_file(Path(path), kind) for path in paths]
    parsed.sort(key=lambda parsed_file: KINDS.index(parsed_file.kind))
    version = None
    if structure:
        version = StructureVersion.objects.resolve(structure)
        if version is None:
            raise RegisterFileError(f"Ukjent strukturversjon «{structure}».")
    with transaction.atomic():
        reports = [_IMPORTERS[parsed_file.kind](parsed_file, version) for parsed_file in parsed]
    return ImportResult(reports)


def _known_names() -> tuple[set[str], set[str]]:
    """Norwegian names and parallel names the register holds, for splitting SSB's names."""
    names, parallel = set(), set()
    for model in (County, Municipality):
        for name, parallel_names in model.objects.values_list("name", "parallel_names"):
            names.add(base_name(name))
            parallel.update(parallel_names or [])
    return names, parallel


def _detect_structure(parsed: ParsedFile, model, key: str) -> StructureVersion:
    codes = {record.code for record in parsed.records}
    versions = list(StructureVersion.objects.all())
    if not versions:
        raise RegisterFileError(
            f"{parsed.path.name}: registeret har ingen strukturversjoner å knytte filen til. "
            "Kjør «manage.py load_register» først."
        )
    scored = []
    for version in versions:
        in_structure = set(model.objects.in_structure(version).values_list(key, flat=True))
        scored.append(((len(codes & in_structure), -len(codes ^ in_structure)), version))
    scored.sort(key=lambda item: item[0], reverse=True)
    best_score, best = scored[0]
    if best_score[0] == 0 or (len(scored) > 1 and scored[1][0] == best_score):
        raise RegisterFileError(
            f"{parsed.path.name}: kan ikke avgjøre hvilken strukturversjon filen beskriver. "
            "Oppgi den med --structure (for eksempel «2020»)."
        )
    return best


def _names_follow_file(row, version: StructureVersion) -> bool:
    """A row that lives on after the file's structure keeps the register's (newer) names."""
    if version.valid_to is None:
        return True
    return row.valid_to is not None and row.valid_to <= version.valid_to


def _split(record_name: str, row, known: tuple[set[str], set[str]], code: str, warnings: list):
    split = split_names(
        record_name,
        preferred=row.name if row is not None else None,
        known_names=known[0],
        known_parallel=known[1],
    )
    if split.guessed:
        warnings.append(
            f"{code} «{record_name}»: usikker på hvilket navn som er det norske; valgte "
            f"«{split.name}» (parallellnavn: {', '.join(split.parallel_names)}). Kontroller."
        )
    return split


def _import_regions(parsed: ParsedFile, version, model, key: str, label: str) -> FileReport:
    version = version or _detect_structure(parsed, model, key)
    report = FileReport(parsed.path.name, parsed.label, [], version.label, list(parsed.skipped))
    table = _Table(model, key)
    known = _known_names()
    counties = {c.number: c.pk for c in County.objects.all()} if model is Municipality else {}
    records = {}
    for record in parsed.records:
        row = table.rows.get(record.code)
        values = {}
        if model is Municipality:
            county = counties.get(record.code[:2])
            if county is None:
                raise RegisterFileError(
                    f"{parsed.path.name}: fylke {record.code[:2]} for kommune {record.code} "
                    "finnes ikke i registeret. Importer fylkene (SSB Klass 104) i samme kjøring "
                    "eller først."
                )
            values["county_id"] = county
        if row is None or _names_follow_file(row, version):
            split = _split(record.name, row, known, record.code, report.warnings)
            values.update(name=split.name, parallel_names=split.parallel_names)
        if row is None:
            values.update(valid_from=version.valid_from, valid_to=version.valid_to)
        records[record.code] = values
    table.sync(records)
    registered = set(model.objects.in_structure(version).values_list(key, flat=True))
    missing = sorted(registered - set(records))
    if missing:
        report.warnings.append(
            f"{len(missing)} koder i registerets {version.label} finnes ikke i filen: "
            + ", ".join(missing[:10])
            + (" …" if len(missing) > 10 else "")
        )
    report.tallies.append(table.tally(label))
    return report


def _import_counties(parsed: ParsedFile, version) -> FileReport:
    return _import_regions(parsed, version, County, "number", "fylker")


def _import_municipalities(parsed: ParsedFile, version) -> FileReport:
    return _import_regions(parsed, version, Municipality, "number", "kommuner")


def _import_occupations(parsed: ParsedFile, version) -> FileReport:
    table = _sync_occupations(
        {record.code: (record.name, record.level, record.parent) for record in parsed.records}
    )
    return FileReport(parsed.path.name, parsed.label, [table.tally("yrker")])


def _county_on(number: str, date: datetime.date | None, counties: dict[str, County]):
    county = counties.get(number[:2])
    date = date or datetime.date.today()
    if county is None:
        return None
    if (county.valid_from and county.valid_from > date) or (
        county.valid_to and county.valid_to < date
    ):
        return None
    return county.pk


def _import_grouping(parsed: ParsedFile, version) -> FileReport:
    """Every code since 1994 with its validity and today's municipality (``current``).

    The grouping only adds what it knows: a validity from a '(2020-2023)' suffix, and the link to
    today's municipality. It never clears a date, and names come from it only for new rows: the
    register's names are curated, while this file has lost letters outside Latin-1 ('š').
    """
    report = FileReport(parsed.path.name, parsed.label, [], skipped=list(parsed.skipped))
    table = _Table(Municipality, "number")
    known = _known_names()
    counties = {c.number: c for c in County.objects.all()}

    records: dict[str, dict] = {}
    for record in parsed.records:
        row = table.rows.get(record.code)
        values: dict[str, Any] = {}
        if row is None:
            split = _split(record.name, None, known, record.code, report.warnings)
            values.update(
                name=split.name,
                parallel_names=split.parallel_names,
                valid_from=record.valid_from,
                valid_to=record.valid_to,
                county_id=_county_on(record.code, record.valid_to, counties),
            )
        else:
            if record.valid_from:
                values["valid_from"] = record.valid_from
            if record.valid_to:
                values["valid_to"] = record.valid_to
        records[record.code] = values

    groups = {r.current_code: r.current_name for r in parsed.records if r.current_code}
    for code, group_name in groups.items():
        if code not in records and code not in table.rows:
            split = _split(group_name, None, known, code, report.warnings)
            records[code] = {
                "name": split.name,
                "parallel_names": split.parallel_names,
                "county_id": _county_on(code, None, counties),
            }
    table.sync(records)

    links = {
        record.code: {"current_id": table.pk(record.current_code)}
        for record in parsed.records
        if record.current_code
        and record.current_code != record.code
        and table.rows[record.code].valid_to is not None
    }
    table.sync(links)
    report.tallies.append(table.tally("kommuner"))
    return report


_IMPORTERS = {
    COUNTIES: _import_counties,
    MUNICIPALITIES: _import_municipalities,
    OCCUPATIONS: _import_occupations,
    GROUPING: _import_grouping,
}
