"""The sections of each submission kind, and the one implementation of what a section's data
is: ``serialize`` (working copy → plain data), ``apply`` (plain data → working copy),
``validate`` (what submitting requires) and ``diff`` (readable per-field changes).

Forms, the API, spreadsheets, versions, receipts and search all go through these functions, so
a section means the same thing everywhere. Plain data uses codes, never database ids: municipality
numbers ("0301"), STYRK codes, Udir codes, choice values, decimals as strings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality, Occupation, ProgrammeArea

from . import recommendations
from .models import (
    Cooperation,
    CountySubmission,
    LabourNeed,
    MunicipalityProfile,
    QualificationOffer,
    Recommendation,
    Submission,
    UpperSecondaryOffer,
)

# Reference fields are stored as codes in plain data: related model -> its code attribute.
CODE_ATTRIBUTES = {ProgrammeArea: "code", Occupation: "code", Municipality: "number"}


def reference(model_field) -> tuple[type[models.Model], str] | None:
    """(model, code attribute) when the field points into the register, else None."""
    related = getattr(model_field, "related_model", None)
    if related in CODE_ATTRIBUTES:
        return related, CODE_ATTRIBUTES[related]
    return None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    number: int
    help_text: str
    fields: tuple[str, ...]
    row_model: type[models.Model] | None = None
    related_name: str = ""
    required: tuple[str, ...] = ()
    row_label_field: str = ""

    @property
    def is_repeating(self) -> bool:
        return self.row_model is not None

    def field_label(self, name: str, kind: str) -> str:
        model = self.row_model or (MunicipalityProfile if kind == "profile" else CountySubmission)
        # capfirst, not str.capitalize: that would lowercase the rest («Yrke (styrk-08)»).
        return str(capfirst(model._meta.get_field(name).verbose_name))

    def model_field(self, name: str, kind: str):
        model = self.row_model or (MunicipalityProfile if kind == "profile" else CountySubmission)
        return model._meta.get_field(name)


PROFILE_SECTIONS: tuple[Section, ...] = (
    Section(
        key="qualification",
        title=_("Kvalifiseringstilbud med gode resultater"),
        number=1,
        help_text=_(
            "Kommunens opplærings- og kvalifiseringstilbud for flyktninger som gir gode resultater."
        ),
        fields=(
            "kind",
            "name",
            "target_group",
            "description",
            "seats",
            "result_share",
            "result_cohort_year",
            "result_participants",
            "partners",
        ),
        row_model=QualificationOffer,
        related_name="qualification_offers",
        required=("kind", "name"),
        row_label_field="name",
    ),
    Section(
        key="upper_secondary",
        title=_("Videregående opplæring og tilpasset fag- og yrkesopplæring"),
        number=2,
        help_text=_(
            "Tilbud i videregående opplæring, også tilpasset voksne og minoritetsspråklige."
        ),
        fields=(
            "programme_area",
            "level",
            "provider",
            "adapted_for_adults",
            "adapted_for_minority_language",
            "combination_class",
            "description",
        ),
        row_model=UpperSecondaryOffer,
        related_name="upper_secondary_offers",
        required=("programme_area", "level", "provider"),
        row_label_field="programme_area",
    ),
    Section(
        key="cooperation",
        title=_("Interkommunalt samarbeid"),
        number=3,
        help_text=_("Samarbeid med andre kommuner om kvalifisering og integrering."),
        fields=("partners", "area", "description"),
        row_model=Cooperation,
        related_name="cooperations",
        required=("partners", "area"),
        row_label_field="area",
    ),
    Section(
        key="labour",
        title=_("Behov for arbeidskraft"),
        number=4,
        help_text=_("Kompetanse og yrkesgrupper kommunen og arbeidslivet trenger."),
        fields=("occupation", "competence_level", "scale", "sector", "description"),
        row_model=LabourNeed,
        related_name="labour_needs",
        required=("occupation", "competence_level", "scale"),
        row_label_field="occupation",
    ),
    Section(
        key="capacity",
        title=_("Kapasitet og vilje til å bosette"),
        number=5,
        help_text=_("Om kommunen ønsker å bosette, hvor mange, og hvem den kan ta imot."),
        fields=(
            "wants_to_settle",
            "capacity",
            "takes_unaccompanied_minors",
            "minors_under_15",
            "minors_15_18",
            "household_types",
            "largest_household",
            "wheelchair_dwellings",
            "health_followup",
            "housing_situation",
            "special_needs_capacity",
            "capacity_comment",
        ),
        required=("wants_to_settle", "takes_unaccompanied_minors"),
    ),
)

COUNTY_SECTIONS: tuple[Section, ...] = (
    Section(
        key="plans",
        title=_("Fylkets planer for kvalifisering av innvandrere"),
        number=1,
        help_text=_("Fylkeskommunens egne planer for kvalifisering av innvandrere."),
        fields=("plan_title", "plan_summary", "plan_period", "plan_url", "plan_document"),
        required=("plan_title", "plan_summary", "plan_period"),
    ),
    Section(
        key="recommendations",
        title=_("Anbefalt antall per kommune"),
        number=2,
        help_text=_("Hvor mange fylket anbefaler at hver kommune bosetter, med begrunnelse."),
        fields=("municipality", "number", "justification"),
        row_model=Recommendation,
        related_name="recommendations",
        required=("municipality", "number", "justification"),
        row_label_field="municipality",
    ),
    Section(
        key="comment",
        title=_("Generell kommentar"),
        number=3,
        help_text=_("Annet fylket vil at IMDi skal vite."),
        fields=("general_comment",),
    ),
)

SECTIONS = {"profile": PROFILE_SECTIONS, "county": COUNTY_SECTIONS}


def sections_for(kind: str) -> tuple[Section, ...]:
    return SECTIONS[kind]


def get_section(kind: str, key: str) -> Section:
    for section in SECTIONS[kind]:
        if section.key == key:
            return section
    raise KeyError(key)


# ---------------------------------------------------------------------------------------------
# serialize


def _plain(value: Any, field: models.Field) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _serialize_object(obj, section: Section) -> dict:
    data = {}
    for name in section.fields:
        model_field = obj._meta.get_field(name)
        ref = reference(model_field)
        if ref:
            _model, attr = ref
            if model_field.many_to_many:
                data[name] = sorted(getattr(item, attr) for item in getattr(obj, name).all())
            else:
                related = getattr(obj, name)
                data[name] = getattr(related, attr) if related is not None else None
        elif name == "plan_document":
            data[name] = obj.plan_document_id
        else:
            data[name] = _plain(getattr(obj, name), model_field)
    return data


def serialize_section(submission: Submission, section: Section) -> Any:
    if section.is_repeating:
        rows = getattr(submission, section.related_name).all()
        return [{"uid": str(row.uid), **_serialize_object(row, section)} for row in rows]
    return _serialize_object(submission, section)


def serialize(submission: Submission) -> dict:
    """The whole submission as plain data: what a version freezes and a receipt shows."""
    specific = submission.specific if type(submission) is Submission else submission
    return {
        section.key: serialize_section(specific, section) for section in sections_for(specific.kind)
    }


def prefetch_for_serialize(queryset, kind: str):
    """Prefetches that make ``serialize`` cost a fixed number of queries for many submissions."""
    lookups = []
    for section in sections_for(kind):
        if not section.is_repeating:
            continue
        lookups.append(section.related_name)
        for name in section.fields:
            if reference(section.row_model._meta.get_field(name)):
                lookups.append(f"{section.related_name}__{name}")
    return queryset.prefetch_related(*lookups)


# ---------------------------------------------------------------------------------------------
# apply


def _resolve(model_field, code: Any):
    model, attr = reference(model_field)
    name = model_field.name
    if code in (None, ""):
        return None
    if not isinstance(code, str):
        raise ValidationError(
            _("%(field)s: «%(code)s» må være en kode skrevet som tekst.")
            % {"field": name, "code": code}
        )
    try:
        return model.objects.get(**{attr: code})
    except model.DoesNotExist as exc:
        raise ValidationError(
            _("Ukjent kode «%(code)s» for %(label)s.")
            % {"code": code, "label": model._meta.verbose_name}
        ) from exc


def _plan_document_id(submission, value) -> int | None:
    """A county's plan document: the one it has, none, or one uploaded by the county's own
    officers. Any other id (another county's draft plan, an editor's file) is refused."""
    if value in (None, ""):
        return None
    if value == submission.plan_document_id:
        return value
    from wagtail.documents import get_document_model

    owned = get_document_model().objects.filter(
        pk=value, uploaded_by_user__county_id=submission.county_id
    )
    if isinstance(value, bool) or not isinstance(value, int) or not owned.exists():
        raise ValidationError(
            _("Dokument %(id)s finnes ikke blant dokumentene fylket har lastet opp.")
            % {"id": value}
        )
    return value


def _assign(obj, section: Section, data: dict) -> list[tuple[str, list]]:
    """Set the object's fields from plain data; return the many-to-many values to set after save."""
    later = []
    for name in section.fields:
        if name not in data:
            continue
        value = data[name]
        model_field = obj._meta.get_field(name)
        ref = reference(model_field)
        if ref and model_field.many_to_many:
            later.append((name, [_resolve(model_field, code) for code in (value or [])]))
        elif ref:
            setattr(obj, name, _resolve(model_field, value))
        elif name == "plan_document":
            obj.plan_document_id = _plan_document_id(obj, value)
        elif isinstance(model_field, models.DecimalField) and value not in (None, ""):
            try:
                setattr(obj, name, Decimal(str(value)))
            except InvalidOperation as exc:
                raise ValidationError(_("«%(value)s» er ikke et tall.") % {"value": value}) from exc
        elif value is None and not model_field.null:
            setattr(obj, name, [] if isinstance(model_field, models.JSONField) else "")
        else:
            setattr(obj, name, value)
    return later


def apply_section(submission: Submission, section: Section, data: Any) -> None:
    """Write plain data into the working copy. Call inside a transaction; raises
    ValidationError (Norwegian) on an unknown code, leaving the caller to roll back."""
    if not section.is_repeating:
        _assign(submission, section, data)
        submission.save()
        return
    manager = getattr(submission, section.related_name)
    existing = {str(row.uid): row for row in manager.all()}
    fk_name = section.row_model._meta.get_field(
        "submission" if section.row_model is Recommendation else "profile"
    ).name
    if section.row_model is Recommendation:
        numbers = [row.get("municipality") for row in data or [] if row.get("municipality")]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise ValidationError(
                _("Kommune %(n)s står flere ganger.") % {"n": ", ".join(repeated)}
            )
        # Before any row is written: a refused number changes nothing (form, API, workbook).
        recommendations.check_rows(data)
    # Drop the rows that are gone first: a new row may take the place of a dropped one with the
    # same unique key (a recommendation for the same municipality sent without its uid).
    wanted = {str(row.get("uid")) for row in data or [] if row.get("uid")}
    manager.exclude(uid__in=wanted & set(existing)).delete()
    for position, row_data in enumerate(data or []):
        uid = str(row_data.get("uid") or "")
        row = existing.get(uid)
        if row is None:
            row = section.row_model(**{fk_name: submission})
            if uid:
                row.uid = uid
        row.position = position
        later = _assign(row, section, row_data)
        row.save()
        for name, values in later:
            getattr(row, name).set(values)


# ---------------------------------------------------------------------------------------------
# validate


@dataclass(frozen=True)
class Problem:
    section: str
    field: str
    message: str
    row: int | None = None  # 0-based row index for repeating sections
    row_uid: str = ""

    @property
    def anchor(self) -> str:
        if self.row is None:
            return f"{self.section}-{self.field}"
        return f"{self.section}-{self.row}-{self.field}"


@dataclass
class ValidationContext:
    kind: str
    county_number: str
    municipality_number: str = ""
    valid_municipalities: set[str] = field(default_factory=set)
    county_municipalities: set[str] = field(default_factory=set)


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _required_message(section: Section, name: str, kind: str) -> str:
    return str(_("%(field)s må fylles ut.") % {"field": section.field_label(name, kind)})


def validate_data(data: dict, context: ValidationContext) -> list[Problem]:
    """Everything submitting requires, on plain data: required fields, numbers, codes that
    exist, municipalities in the right structure and county. Drafts may be incomplete."""
    problems: list[Problem] = []
    kind = context.kind
    for section in sections_for(kind):
        section_data = data.get(section.key)
        rows = (section_data or []) if section.is_repeating else [section_data or {}]
        for index, row in enumerate(rows):
            row_index = index if section.is_repeating else None
            uid = row.get("uid", "") if section.is_repeating else ""

            def add(name, message, _row=row_index, _uid=uid, _section=section):
                problems.append(Problem(_section.key, name, str(message), _row, _uid))

            for name in section.required:
                if _empty(row.get(name)):
                    add(name, _required_message(section, name, kind))
            _validate_rules(section, row, context, add)
    return problems


def _validate_rules(section: Section, row: dict, context: ValidationContext, add) -> None:
    for name in section.fields:
        value = row.get(name)
        model_field = section.model_field(name, context.kind)
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            add(name, _("Tallet kan ikke være negativt."))
        choices = getattr(model_field, "choices", None)
        if choices and not _empty(value) and value not in {c[0] for c in choices}:
            add(name, _("«%(value)s» er ikke et gyldig valg.") % {"value": value})
    if section.key == "qualification":
        share = row.get("result_share")
        if not _empty(share):
            try:
                share_value = Decimal(str(share))
            except InvalidOperation:
                add("result_share", _("Resultatet må være et tall mellom 0 og 100."))
            else:
                if not Decimal(0) <= share_value <= Decimal(100):
                    add("result_share", _("Resultatet må være et tall mellom 0 og 100."))
            if _empty(row.get("result_cohort_year")):
                add("result_cohort_year", _("Oppgi hvilket kull resultatet gjelder."))
            if _empty(row.get("result_participants")):
                add("result_participants", _("Oppgi hvor mange deltakere resultatet bygger på."))
    if section.key == "capacity":
        if row.get("wants_to_settle") in {"yes", "partly"} and _empty(row.get("capacity")):
            add("capacity", _("Oppgi hvor mange kommunen kan bosette."))
        if row.get("takes_unaccompanied_minors") is True and all(
            _empty(row.get(name)) for name in ("minors_under_15", "minors_15_18")
        ):
            add(
                "minors_under_15",
                _("Oppgi plasser for enslige mindreårige under 15 år, 15–18 år eller begge."),
            )
        largest = row.get("largest_household")
        if isinstance(largest, int) and not isinstance(largest, bool) and largest == 0:
            add("largest_household", _("Største husholdning må være minst 1 person."))
        valid_types = {c[0] for c in MunicipalityProfile.HouseholdType.choices}
        unknown = [t for t in row.get("household_types") or [] if t not in valid_types]
        if unknown:
            add("household_types", _("Ukjent husholdningstype: %(t)s.") % {"t": ", ".join(unknown)})
    if section.key == "cooperation":
        partners = row.get("partners") or []
        unknown = [n for n in partners if n not in context.valid_municipalities]
        if unknown:
            add(
                "partners",
                _("Kommunenummer som ikke finnes i kommunestrukturen for runden: %(n)s.")
                % {"n": ", ".join(unknown)},
            )
        if context.municipality_number in partners:
            add("partners", _("En kommune kan ikke samarbeide med seg selv."))
    if section.key == "recommendations":
        number = row.get("municipality")
        if not _empty(number) and number not in context.county_municipalities:
            add(
                "municipality",
                _("Kommune %(n)s hører ikke til fylket i denne runden.") % {"n": number},
            )


# ---------------------------------------------------------------------------------------------
# display and diff


class CodeNames:
    """Looks up display names for codes, a query per kind of reference at most."""

    def __init__(self):
        self._cache: dict[str, dict[str, str]] = {}

    def name(self, model_field, code: str) -> str:
        model, attr = reference(model_field)
        key = model.__name__
        if key not in self._cache:
            self._cache[key] = dict(model.objects.values_list(attr, "name"))
        name = self._cache[key].get(code)
        return f"{code} {name}" if name else str(code)


def display_value(
    section: Section, name: str, value: Any, kind: str, names: CodeNames | None = None
):
    if _empty(value):
        return "–"
    names = names or CodeNames()
    model_field = section.model_field(name, kind)
    if reference(model_field):
        if isinstance(value, list):
            return ", ".join(names.name(model_field, code) for code in value)
        return names.name(model_field, value)
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if name == "household_types":
        labels = dict(MunicipalityProfile.HouseholdType.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    choices = getattr(model_field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowChange:
    uid: str
    label: str
    change: str  # "added", "removed", "changed"
    fields: list[FieldChange]


@dataclass
class SectionDiff:
    key: str
    title: str
    fields: list[FieldChange]
    rows: list[RowChange]

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.rows)


def _field_changes(section, old: dict, new: dict, kind: str, names: CodeNames) -> list[FieldChange]:
    changes = []
    for name in section.fields:
        before, after = old.get(name), new.get(name)
        if _empty(before) and _empty(after):
            continue
        if before != after:
            changes.append(
                FieldChange(
                    name,
                    section.field_label(name, kind),
                    display_value(section, name, before, kind, names),
                    display_value(section, name, after, kind, names),
                )
            )
    return changes


def _row_label(section: Section, row: dict, kind: str, names: CodeNames, index: int) -> str:
    value = row.get(section.row_label_field) if section.row_label_field else None
    if _empty(value):
        return str(_("Rad %(n)s") % {"n": index + 1})
    return display_value(section, section.row_label_field, value, kind, names)


def diff_section(section: Section, old: Any, new: Any, kind: str, names=None) -> SectionDiff:
    names = names or CodeNames()
    if not section.is_repeating:
        return SectionDiff(
            section.key,
            str(section.title),
            _field_changes(section, old or {}, new or {}, kind, names),
            [],
        )
    old_rows = {r.get("uid") or f"old-{i}": (i, r) for i, r in enumerate(old or [])}
    new_rows = {r.get("uid") or f"new-{i}": (i, r) for i, r in enumerate(new or [])}
    rows = []
    for uid, (index, row) in new_rows.items():
        if uid not in old_rows:
            fields = _field_changes(section, {}, row, kind, names)
            rows.append(
                RowChange(uid, _row_label(section, row, kind, names, index), "added", fields)
            )
        else:
            fields = _field_changes(section, old_rows[uid][1], row, kind, names)
            if fields:
                rows.append(
                    RowChange(uid, _row_label(section, row, kind, names, index), "changed", fields)
                )
    for uid, (index, row) in old_rows.items():
        if uid not in new_rows:
            fields = _field_changes(section, row, {}, kind, names)
            rows.append(
                RowChange(uid, _row_label(section, row, kind, names, index), "removed", fields)
            )
    return SectionDiff(section.key, str(section.title), [], rows)


def diff(old: dict, new: dict, kind: str) -> list[SectionDiff]:
    """Readable per-field differences between two plain-data snapshots of the same kind."""
    names = CodeNames()
    return [
        diff_section(
            section, (old or {}).get(section.key), (new or {}).get(section.key), kind, names
        )
        for section in sections_for(kind)
    ]
