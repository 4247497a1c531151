"""Importing SSB's classification files (counties, municipalities, occupations, grouping):
one transaction, idempotent, with a report per file."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

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
    County,
    Municipality,
    StructureVersion,
)
from .sync import Table, Tally, sync_occupations

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
    table = Table(model, key)
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
    table = sync_occupations(
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
    table = Table(Municipality, "number")
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
