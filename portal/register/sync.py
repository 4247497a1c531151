"""Bulk sync of register rows by natural key: read once, write what changed, count it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .models import Occupation


@dataclass
class Tally:
    label: str
    total: int = 0
    created: int = 0
    updated: int = 0

    @property
    def unchanged(self) -> int:
        return self.total - self.created - self.updated


class Table:
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


def summary_line(tallies: Iterable[Tally]) -> str:
    tallies = list(tallies)
    parts = ", ".join(f"{tally.total} {tally.label}" for tally in tallies)
    created = sum(tally.created for tally in tallies)
    updated = sum(tally.updated for tally in tallies)
    return f"{parts} ({created} nye, {updated} endret)"


def region_values(record: dict) -> dict:
    values = {
        "name": record["name"],
        "parallel_names": record["parallel_names"],
        "valid_from": record["valid_from"],
        "valid_to": record["valid_to"],
    }
    if record.get("malform"):
        values["malform"] = record["malform"]
    return values


def sync_occupations(records: dict[str, tuple[str, int, str | None]]) -> Table:
    table = Table(Occupation, "code")
    table.sync({code: {"name": name, "level": level} for code, (name, level, _) in records.items()})
    table.sync(
        {
            code: {"parent_id": table.pk(parent) if parent else None}
            for code, (_, _, parent) in records.items()
        }
    )
    return table
