"""What the meeting looks at in a submitted profile version, as (label, text) items per
section: offers with results, upper-secondary offers, cooperation, labour needs, capacity."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from ..sections import CodeNames, display_value, get_section
from .text import decimal_text


def _shown(section, name: str, row: dict, names: CodeNames) -> str:
    value = row.get(name)
    shown = display_value(section, name, value, "profile", names)
    if isinstance(section.model_field(name, "profile"), models.DecimalField):
        shown = decimal_text(shown)
    return shown


def _filled(value) -> bool:
    return value not in (None, "", [])


def _qualification(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "qualification")
    items = []
    for row in rows:
        label = row.get("name") or _("Uten navn")
        if _filled(row.get("kind")):
            label += f" ({_shown(section, 'kind', row, names)})"
        parts = []
        if _filled(row.get("result_share")):
            result = _("Resultat: %(share)s %% i arbeid eller utdanning") % {
                "share": _shown(section, "result_share", row, names)
            }
            details = []
            if _filled(row.get("result_cohort_year")):
                details.append(_("kull %(year)s") % {"year": row["result_cohort_year"]})
            if _filled(row.get("result_participants")):
                details.append(_("%(n)s deltakere") % {"n": row["result_participants"]})
            parts.append(result + (f" ({', '.join(details)})" if details else "") + ".")
        else:
            parts.append(_("Resultat ikke oppgitt."))
        if _filled(row.get("seats")):
            parts.append(_("%(n)s plasser.") % {"n": row["seats"]})
        if _filled(row.get("target_group")):
            parts.append(_("Målgruppe: %(text)s.") % {"text": row["target_group"]})
        items.append({"label": label, "text": " ".join(parts)})
    return items


def _upper_secondary(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "upper_secondary")
    items = []
    for row in rows:
        parts = [
            _shown(section, name, row, names)
            for name in ("level", "provider")
            if _filled(row.get(name))
        ]
        adapted = [
            str(section.field_label(name, "profile")).lower()
            for name in ("adapted_for_adults", "adapted_for_minority_language", "combination_class")
            if row.get(name) is True
        ]
        text = ", ".join(parts)
        if adapted:
            text += ("; " if text else "") + ", ".join(adapted)
        items.append({"label": _shown(section, "programme_area", row, names), "text": text})
    return items


def _cooperation(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "cooperation")
    items = []
    for row in rows:
        text = _("Med %(partners)s.") % {"partners": _shown(section, "partners", row, names)}
        if _filled(row.get("description")):
            text += f" {row['description']}"
        items.append({"label": row.get("area") or _("Samarbeid"), "text": text})
    return items


def _labour(rows: list[dict], names: CodeNames) -> list[dict]:
    section = get_section("profile", "labour")
    items = []
    for row in rows:
        parts = [
            f"{section.field_label(name, 'profile')}: {_shown(section, name, row, names)}"
            for name in ("competence_level", "scale", "sector")
            if _filled(row.get(name))
        ]
        text = "; ".join(parts) + ("." if parts else "")
        if _filled(row.get("description")):
            text += f" {row['description']}"
        items.append({"label": _shown(section, "occupation", row, names), "text": text.strip()})
    return items


def _capacity(values: dict, names: CodeNames) -> list[dict]:
    section = get_section("profile", "capacity")
    return [
        {
            "label": section.field_label(name, "profile"),
            "text": _shown(section, name, values, names),
        }
        for name in section.fields
        if _filled(values.get(name))
    ]


HIGHLIGHTS = (
    ("qualification", _qualification),
    ("upper_secondary", _upper_secondary),
    ("cooperation", _cooperation),
    ("labour", _labour),
    ("capacity", _capacity),
)


def highlights(data: dict, names: CodeNames) -> list[dict]:
    """What the meeting looks at in a profile version: offers with results, upper-secondary
    offers, cooperation, labour needs, and the municipality's capacity and wish."""
    shown = []
    for key, present in HIGHLIGHTS:
        section = get_section("profile", key)
        value = data.get(key)
        items = present(value or ([] if section.is_repeating else {}), names)
        shown.append({"key": key, "title": f"{section.number}. {section.title}", "items": items})
    return shown
