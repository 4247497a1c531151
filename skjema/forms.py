"""Forms for the county's sections, built from the section registry: one form per field section,
a formset per repeating section, and the conversion of cleaned input to the plain section data
``services.save_section`` takes (the shape ``sections.serialize_section`` produces).

Drafts may be incomplete, so no field is required here: only input that cannot be stored (not a
number, an unknown code, a file of the wrong type) stops a save. Completeness is checked when
the county submits. Field ids equal ``sections.Problem.anchor`` («qualification-0-name»), so the
submit check can link straight to a field."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorDict, ErrorList
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality, Occupation, ProgrammeArea

from . import recommendations
from .models import MunicipalityProfile, Submission
from .sections import Section

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
# Extension -> the bytes every such file starts with (DOCX and ODT are zip containers).
DOCUMENT_SIGNATURES = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "odt": b"PK\x03\x04"}
OCCUPATION_DATALIST_ID = "styrk-koder"

HINTS = {
    ("qualification", "name"): _("For eksempel «Introduksjonsprogram med fagbrev»."),
    ("qualification", "seats"): _("Antall plasser per år."),
    ("qualification", "result_share"): _(
        "Andel deltakere i arbeid eller utdanning etter tilbudet, i prosent (0–100). "
        "Bruk komma som desimaltegn, for eksempel 72,5."
    ),
    ("qualification", "result_cohort_year"): _("Året kullet avsluttet, for eksempel 2024."),
    ("qualification", "partners"): _(
        "For eksempel NAV, en videregående skole eller arbeidsgivere."
    ),
    ("upper_secondary", "programme_area"): _(
        "Programområder fra Udir, gruppert etter utdanningsprogram."
    ),
    ("cooperation", "partners"): _(
        "Velg én eller flere kommuner. Hold inne Ctrl (Cmd på Mac) for å velge flere."
    ),
    ("cooperation", "area"): _("For eksempel «Norskopplæring» eller «Bosettingsteam»."),
    ("labour", "occupation"): _(
        "STYRK-08-kode på ett til fire sifre, for eksempel 53 for pleie- og omsorgsarbeidere. "
        "Forslag vises mens du skriver."
    ),
    ("capacity", "capacity"): _("Hvor mange flyktninger kommunen kan bosette i denne runden."),
    ("capacity", "minors_under_15"): _(
        "Fylles ut hvis kommunen tar imot enslige mindreårige. 0 hvis ingen plasser."
    ),
    ("capacity", "minors_15_18"): _(
        "Fylles ut hvis kommunen tar imot enslige mindreårige. 0 hvis ingen plasser."
    ),
    ("capacity", "largest_household"): _(
        "Antall personer i den største husholdningen kommunen har bolig til."
    ),
    ("capacity", "wheelchair_dwellings"): _(
        "Boliger som er tilgjengelige for rullestolbrukere. 0 hvis ingen."
    ),
    ("capacity", "household_types"): _("Kryss av for alle som passer."),
    ("plans", "plan_url"): _("Adressen til planen på nettet, hvis den er publisert."),
    ("plans", "plan_document"): _("PDF, DOCX eller ODT, høyst 20 MB."),
}

# What one row of a repeating section is called in its legend: «Tilbud 2».
ROW_NOUNS = {
    "qualification": _("Tilbud"),
    "upper_secondary": _("Tilbud"),
    "cooperation": _("Samarbeid"),
    "labour": _("Behov"),
    "recommendations": _("Kommune"),
}

# Sections whose rows are listed by the portal, one per municipality of the county; the user
# neither adds nor removes them, and a row with only its key filled in is not saved.
PRELISTED = {"recommendations": "municipality"}

BLANK_CHOICE = _("Velg …")
UNKNOWN_YES_NO = [("unknown", _("Ikke oppgitt")), ("true", _("Ja")), ("false", _("Nei"))]


# ---------------------------------------------------------------------------------------------
# choices from the register


@dataclass
class Options:
    """The register choices a section's form needs, loaded once per request (one query each)."""

    programme_areas: list = field(default_factory=list)
    municipalities: list = field(default_factory=list)
    municipality_numbers: set = field(default_factory=set)
    occupations: dict = field(default_factory=dict)
    county_municipalities: dict = field(default_factory=dict)

    @classmethod
    def for_section(cls, submission: Submission, section: Section, saved=None) -> Options:
        """``saved`` is the section's current plain data: codes in it stay selectable even when
        they are not in the round's structure, so opening and saving a form never drops them."""
        options = cls()
        names = set(section.fields)
        if section.key == "upper_secondary" and "programme_area" in names:
            groups: dict[str, list] = {}
            for area in ProgrammeArea.objects.select_related("programme"):
                groups.setdefault(area.programme.name, []).append(
                    (area.code, f"{area.level} {area.name}")
                )
            options.programme_areas = list(groups.items())
        if section.key == "cooperation":
            groups = {}
            for number, name, county in (
                Municipality.objects.in_structure(submission.round.structure)
                .order_by("county__number", "number")
                .values_list("number", "name", "county__name")
            ):
                groups.setdefault(county or "", []).append((number, f"{name} ({number})"))
                options.municipality_numbers.add(number)
            options.municipalities = list(groups.items())
            others = sorted(
                {n for row in saved or [] for n in row.get("partners") or []}
                - options.municipality_numbers
            )
            if others:
                options.municipalities.append(
                    (_("Kommunenummer utenfor kommunestrukturen"), [(n, n) for n in others])
                )
        if section.key == "labour":
            options.occupations = dict(Occupation.objects.values_list("code", "name"))
        if section.key in PRELISTED:
            options.county_municipalities = dict(
                Municipality.objects.in_structure(submission.round.structure)
                .filter(county=submission.county)
                .order_by("number")
                .values_list("number", "name")
            )
        return options


# ---------------------------------------------------------------------------------------------
# fields


class OccupationCodeField(forms.CharField):
    """A STYRK-08 code at any level, typed or picked from a datalist; «5321 Helsefagarbeidere»
    is read as 5321. Codes stay text end to end."""

    def __init__(self, *, codes: dict, **kwargs):
        self.codes = codes
        super().__init__(max_length=100, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.split()[0] if value else ""

    def validate(self, value):
        super().validate(value)
        if value and value not in self.codes:
            raise ValidationError(
                _("Ukjent STYRK-08-kode «%(code)s». Skriv en kode fra listen, for eksempel 53."),
                code="unknown_occupation",
                params={"code": value},
            )


class YesNoSelect(forms.NullBooleanSelect):
    """Ja / Nei / Ikke oppgitt; the parent maps True/False/None to and from these values."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = UNKNOWN_YES_NO


class YesNoField(forms.NullBooleanField):
    widget = YesNoSelect


def validate_document(upload) -> None:
    """A plan document: PDF, DOCX or ODT (by name and content), at most 20 MB."""
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    if extension not in DOCUMENT_SIGNATURES:
        raise ValidationError(
            _("Dokumentet må være en PDF-, DOCX- eller ODT-fil. «%(name)s» er ikke det."),
            code="document_type",
            params={"name": upload.name},
        )
    if upload.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("Dokumentet er %(size)s MB. Det kan være høyst 20 MB."),
            code="document_size",
            params={"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(DOCUMENT_SIGNATURES[extension]):
        raise ValidationError(
            _("Filen «%(name)s» ser ikke ut til å være en gyldig %(type)s-fil."),
            code="document_content",
            params={"name": upload.name, "type": extension.upper()},
        )


_INTEGER_LIMITS = {
    models.PositiveSmallIntegerField: 32767,
    models.PositiveIntegerField: 2147483647,
}


def make_field(section: Section, name: str, kind: str, options: Options) -> forms.Field:
    model_field = section.model_field(name, kind)
    common = {
        "required": False,
        "label": section.field_label(name, kind),
        "help_text": HINTS.get((section.key, name)) or model_field.help_text or "",
    }
    key = (section.key, name)
    if key == ("upper_secondary", "programme_area"):
        return forms.ChoiceField(
            choices=[("", _("Velg programområde"))] + options.programme_areas, **common
        )
    if key == ("cooperation", "partners"):
        return forms.MultipleChoiceField(
            choices=options.municipalities,
            widget=forms.SelectMultiple(attrs={"size": 8}),
            **common,
        )
    if key == ("labour", "occupation"):
        return OccupationCodeField(
            codes=options.occupations,
            widget=forms.TextInput(
                attrs={
                    "list": OCCUPATION_DATALIST_ID,
                    "autocomplete": "off",
                    "class": "input--code",
                }
            ),
            **common,
        )
    if key == ("recommendations", "municipality"):
        return forms.CharField(widget=forms.HiddenInput, **common)
    if key == ("recommendations", "number"):
        return forms.IntegerField(
            min_value=0,
            max_value=recommendations.MAX_RECOMMENDED,
            error_messages={
                "min_value": recommendations.NEGATIVE_MESSAGE,
                "max_value": lazy(recommendations.too_large_message, str)(),
            },
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--number"}),
            **common,
        )
    if key == ("plans", "plan_document"):
        return forms.FileField(
            validators=[validate_document],
            widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.odt"}),
            **common,
        )
    if name == "household_types":
        return forms.MultipleChoiceField(
            choices=MunicipalityProfile.HouseholdType.choices,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if model_field.choices:
        return forms.ChoiceField(choices=[("", BLANK_CHOICE), *model_field.choices], **common)
    if isinstance(model_field, models.BooleanField):
        if model_field.null:
            return YesNoField(**common)
        return forms.BooleanField(**common)
    if isinstance(model_field, models.DecimalField):
        maximum = max(
            (v.limit_value for v in model_field.validators if hasattr(v, "limit_value")),
            default=None,
        )
        return forms.DecimalField(
            max_digits=model_field.max_digits,
            decimal_places=model_field.decimal_places,
            min_value=0,
            max_value=maximum,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--number"}),
            **common,
        )
    if isinstance(model_field, tuple(_INTEGER_LIMITS)):
        # type=text, not number: a browser empties an invalid number field, losing the input.
        return forms.IntegerField(
            min_value=0,
            max_value=_INTEGER_LIMITS[type(model_field)],
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "input--number"}),
            **common,
        )
    if isinstance(model_field, models.URLField):
        return forms.URLField(max_length=model_field.max_length, assume_scheme="https", **common)
    if isinstance(model_field, models.TextField):
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    return forms.CharField(max_length=model_field.max_length, **common)


# ---------------------------------------------------------------------------------------------
# forms and formsets


class SectionForm(forms.Form):
    """One field section, or one row of a repeating section. Ids have no «id_» prefix so they
    match the anchors of the submit check's problems."""

    def __init__(self, *args, section: Section, kind: str, options: Options, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.section = section
        for name in section.fields:
            self.fields[name] = make_field(section, name, kind, options)
        if section.is_repeating:
            self.fields["uid"] = forms.UUIDField(required=False, widget=forms.HiddenInput)
        if section.key == "recommendations":
            self.fields["number"].widget.attrs["data-sum"] = ""
            self.fields["justification"].widget.attrs["rows"] = 2
        if section.key == "plans":
            self.fields["remove_document"] = forms.BooleanField(
                required=False, label=_("Fjern det lagrede dokumentet")
            )


class SectionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Fjern raden når jeg lagrer")

    def clean(self):
        super().clean()
        key = PRELISTED.get(self.form_kwargs["section"].key)
        if not key:
            return
        seen = set()
        for form in self.forms:
            value = form.cleaned_data.get(key) if hasattr(form, "cleaned_data") else None
            if not value or self._should_delete_form(form):
                continue
            if value in seen:
                raise ValidationError(
                    _("Kommune %(n)s står flere ganger."), code="duplicate", params={"n": value}
                )
            seen.add(value)


def formset_class():
    return forms.formset_factory(
        SectionForm, formset=SectionFormSet, extra=0, can_delete=True, max_num=300
    )


def initial_rows(section: Section, rows: list, options: Options) -> list[dict]:
    """The rows the edit page shows. Prelisted sections get one row per municipality of the
    county (existing values kept), then any saved row for a municipality outside it, so that
    nothing saved is hidden."""
    rows = list(rows or [])
    key = PRELISTED.get(section.key)
    if not key:
        return rows
    saved = {row.get(key): row for row in rows}
    listed = [
        saved.pop(number, None) or {key: number, "number": None, "justification": ""}
        for number in options.county_municipalities
    ]
    return listed + list(saved.values())


def _typed(section: Section, kind: str, values: dict) -> dict:
    """Plain data as initial form values: decimals back to Decimal, so they render localised
    («72,5», the way the user is asked to type them)."""
    values = dict(values)
    for name in section.fields:
        if isinstance(section.model_field(name, kind), models.DecimalField) and values.get(name):
            values[name] = Decimal(str(values[name]))
    return values


def build(section, kind, options, *, initial, data=None, files=None):
    """The unbound or bound form (field section) or formset (repeating section)."""
    if section.is_repeating:
        rows = [_typed(section, kind, row) for row in initial_rows(section, initial, options)]
        return formset_class()(
            data,
            files,
            initial=None if data is not None else rows,
            prefix=section.key,
            auto_id="%s",
            form_kwargs={"section": section, "kind": kind, "options": options},
        )
    initial = _typed(section, kind, initial or {})
    if section.key == "plans":
        initial.pop("plan_document", None)  # a file input cannot show a stored document
    return SectionForm(
        data,
        files,
        initial=initial,
        prefix=section.key,
        section=section,
        kind=kind,
        options=options,
    )


def with_extra_row(data, prefix: str):
    """A copy of the posted data with room for one more row: «Legg til rad» without JavaScript."""
    data = data.copy()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return data


def hide_errors(form_or_formset) -> None:
    """Render bound input without validating it: after «Legg til rad» the user is still typing,
    so errors wait until they save. (Setting empty errors stops Django's lazy full_clean.)"""
    if isinstance(form_or_formset, forms.BaseFormSet):
        form_or_formset._errors = []
        form_or_formset._non_form_errors = form_or_formset.error_class()
        for form in form_or_formset.forms:
            form._errors = ErrorDict()
    else:
        form_or_formset._errors = ErrorDict()


# ---------------------------------------------------------------------------------------------
# to plain data


def _plain(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list):
        return sorted(value)
    return value


def _is_blank(section: Section, row: dict) -> bool:
    ignore = PRELISTED.get(section.key)
    # ``is False``, not ``== False``: a recommended number of 0 is an answer, not a blank.
    return all(
        value is None or value is False or value in ("", [])
        for name, value in row.items()
        if name not in {ignore, "uid"}
    )


def to_plain(section: Section, form_or_formset, *, document_id=None):
    """Cleaned input as plain section data. Call only when valid. Rows keep their uid; blank new
    rows are dropped; rows marked «Fjern» are left out (the service deletes them)."""
    if not section.is_repeating:
        cleaned = form_or_formset.cleaned_data
        data = {name: _plain(cleaned.get(name)) for name in section.fields}
        if "plan_document" in data:
            data["plan_document"] = document_id
        return data
    rows = []
    for form in form_or_formset.forms:
        if form_or_formset._should_delete_form(form):
            continue
        cleaned = form.cleaned_data
        row = {name: _plain(cleaned.get(name)) for name in section.fields}
        uid = cleaned.get("uid")
        if not uid and _is_blank(section, row):
            continue
        rows.append({"uid": str(uid), **row} if uid else row)
    return rows


def error_list(messages) -> ErrorList:
    return ErrorList([str(m) for m in messages])


class SubmitForm(forms.Form):
    """Submitting: after the deadline the county says why it is late."""

    late_reason = forms.CharField(
        label=_("Hvorfor sendes skjemaet inn etter fristen?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("IMDi ser begrunnelsen sammen med innsendingen."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "%s")
        kwargs.setdefault("prefix", "submit")
        super().__init__(*args, **kwargs)
