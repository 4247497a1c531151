"""The search parameters, parsed and validated once for the search page and the API alike:
free text, round, a filter per facet dimension (each may repeat), thresholds, sort and page.

Control characters are dropped silently; everything else that cannot be searched (a 10,000
character text, a round that is not a year, an unknown code, page 0) is refused with a message
in Norwegian, so a bad link or a bad API call gets an answer and never an error page."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality

from .analysis import MAX_QUERY_LENGTH, fold
from .documents import DIMENSIONS
from .facets import CHOICES, DIMENSION_LABELS, register_names
from .query import MAX_PAGE_SIZE, SORTS, ProfileQuery

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Elasticsearch refuses to page deeper than this (index.max_result_window); so do we, on both.
MAX_RESULT_WINDOW = 10_000
MAX_VALUES_PER_FILTER = 50
DEFAULT_PAGE_SIZE = 20
MAX_INTEGER = 2_147_483_647

SORT_CHOICES = [
    ("relevance", _("Relevans")),
    ("capacity", _("Kapasitet (størst først)")),
    ("result", _("Resultat (høyest først)")),
    ("name", _("Kommunenavn (A–Å)")),
]
assert [value for value, _label in SORT_CHOICES] == list(SORTS)


def without_control_characters(text: str) -> str:
    return _CONTROL.sub(" ", text)


class TextField(forms.CharField):
    """Free text: control characters become spaces (never an error), length is bounded."""

    def to_python(self, value):
        return super().to_python(without_control_characters(str(value or "")))


class ValueListField(forms.Field):
    """A filter that may repeat (``?county=03&county=40``): each value stripped, checked against
    a pattern, duplicates and empty values dropped."""

    widget = forms.SelectMultiple

    def __init__(self, *, pattern: str, invalid: str, normalise=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.pattern = re.compile(pattern)
        self.invalid = invalid
        self.normalise = normalise

    def to_python(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [value]
        out: list[str] = []
        for item in value:
            item = without_control_characters(str(item)).strip()
            if not item:
                continue
            if self.normalise:
                item = self.normalise(item)
            if not self.pattern.fullmatch(item):
                raise forms.ValidationError(
                    self.invalid, code="invalid", params={"value": item[:40]}
                )
            if item not in out:
                out.append(item)
        if len(out) > MAX_VALUES_PER_FILTER:
            raise forms.ValidationError(
                _("Du kan velge høyst %(max)d verdier her."),
                code="too_many",
                params={"max": MAX_VALUES_PER_FILTER},
            )
        return out


class ChoiceListField(forms.MultipleChoiceField):
    def __init__(self, dimension: str, **kwargs):
        choices = list(CHOICES[dimension].items())
        known = ", ".join(value for value, _label in choices)
        super().__init__(
            choices=choices,
            required=False,
            label=DIMENSION_LABELS[dimension],
            error_messages={
                "invalid_choice": format_lazy(
                    "{}{}.", _("Ukjent verdi «%(value)s». Gyldige verdier: "), known
                ),
                "invalid_list": _("Oppgi en liste med verdier."),
            },
            **kwargs,
        )

    def to_python(self, value):
        values = super().to_python(value)
        return list(dict.fromkeys(v.strip() for v in values if v.strip()))


class PercentField(forms.DecimalField):
    """A share in per cent; «72,5», «72.5» and «72,5 %» are the same."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("%", "").replace(",", ".").replace("\u00a0", "").strip()
        return super().to_python(value)


def _municipality_code(value: str) -> str:
    # «4003», or «4003 Skien» as the autocomplete offers it; a bare name is resolved in clean().
    match = re.match(r"(\d{4})(?:\s|$)", value)
    return match.group(1) if match else value


class SearchForm(forms.Form):
    q = TextField(
        label=_("Fritekst"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_("For eksempel «helsefagarbeider», «fagbrev» eller et kommunenavn."),
        error_messages={
            "max_length": _(
                "Søketeksten kan være høyst %(limit_value)d tegn (den har %(show_value)d)."
            )
        },
    )
    round = forms.IntegerField(
        label=_("Runde"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"),
            _("Runden må være et årstall, for eksempel 2027."),
        ),
    )
    county = ValueListField(
        label=DIMENSION_LABELS["county"],
        pattern=r"\d{2}",
        invalid=_("Fylkesnummer må være to sifre, for eksempel «03» (fikk «%(value)s»)."),
    )
    programme = ValueListField(
        label=DIMENSION_LABELS["programme"],
        pattern=r"[A-Z0-9-]{2,10}",
        normalise=str.upper,
        invalid=_(
            "Oppgi en kode for utdanningsprogram («HS») eller programområde («HSHSF1----») "
            "(fikk «%(value)s»)."
        ),
    )
    occupation = ValueListField(
        label=DIMENSION_LABELS["occupation"],
        pattern=r"\d{1,4}",
        invalid=_("En STYRK-08-kode har ett til fire sifre, for eksempel «53» (fikk «%(value)s»)."),
    )
    offer_kind = ChoiceListField("offer_kind")
    target_group = ValueListField(
        label=DIMENSION_LABELS["target_group"],
        pattern=r".{1,100}",
        invalid=_("En målgruppe kan være høyst 100 tegn."),
    )
    wants_to_settle = ChoiceListField("wants_to_settle")
    capacity_min = forms.IntegerField(
        label=_("Kapasitet minst"),
        required=False,
        min_value=0,
        max_value=MAX_INTEGER,
        help_text=_("Antall personer kommunen kan bosette."),
        error_messages={
            "invalid": _("Kapasitet må være et helt tall, 0 eller mer."),
            "min_value": _("Kapasitet må være et helt tall, 0 eller mer."),
            "max_value": _("Kapasiteten er urimelig stor."),
        },
    )
    takes_minors = ChoiceListField("takes_minors")
    result_min = PercentField(
        label=_("Resultat minst (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        help_text=_("Andel i arbeid eller utdanning etter introduksjonsprogrammet."),
        error_messages={
            "invalid": _("Resultat må være et tall mellom 0 og 100, for eksempel 60 eller 72,5."),
            **dict.fromkeys(
                ("min_value", "max_value", "max_digits"),
                _("Resultat må være et tall mellom 0 og 100."),
            ),
        },
    )
    cooperation = ValueListField(
        label=DIMENSION_LABELS["cooperation"],
        pattern=r"\d{4}|[^\d].{0,99}",
        normalise=_municipality_code,
        invalid=_("Oppgi kommunen med nummer («4003») eller navn («Skien») (fikk «%(value)s»)."),
    )
    household_type = ChoiceListField("household_type")
    adaptation = ChoiceListField("adaptation")
    competence_level = ChoiceListField("competence_level")
    status = ChoiceListField("status")
    sort = forms.ChoiceField(
        label=_("Sorter etter"),
        choices=SORT_CHOICES,
        required=False,
        error_messages={
            "invalid_choice": format_lazy(
                "{}{}.", _("Ukjent sortering «%(value)s». Gyldige verdier: "), ", ".join(SORTS)
            )
        },
    )
    page = forms.IntegerField(
        label=_("Side"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("Sidetallet må være et helt tall, 1 eller mer."),
            "min_value": _("Sidetallet må være et helt tall, 1 eller mer."),
        },
    )
    page_size = forms.IntegerField(
        label=_("Treff per side"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"),
            format_lazy(_("Treff per side må være et helt tall fra 1 til {}."), MAX_PAGE_SIZE),
        ),
    )

    FILTERS = DIMENSIONS

    def clean(self):
        cleaned = super().clean()
        self._check_codes(cleaned)
        page = cleaned.get("page") or 1
        size = cleaned.get("page_size") or DEFAULT_PAGE_SIZE
        if "page" not in self.errors and page * size > MAX_RESULT_WINDOW:
            self.add_error(
                "page",
                _("Du kan bla høyst %(max)s treff inn i resultatet. Snevre inn søket.")
                % {"max": f"{MAX_RESULT_WINDOW:,}".replace(",", "\u00a0")},
            )
        return cleaned

    # -- codes the register must know ---------------------------------------------------------

    def _unknown(self, field: str, values: list[str], known: set[str], what: str) -> None:
        missing = [v for v in values if v not in known]
        if missing:
            self.add_error(
                field,
                _("Ukjent %(what)s: %(codes)s.")
                % {"what": what, "codes": ", ".join(f"«{v}»" for v in missing)},
            )

    def _check_codes(self, cleaned: dict) -> None:
        """Against the register's (cached) names: no query unless the cache is cold."""
        checks = [
            ("county", _("fylkesnummer")),
            ("programme", _("kode for utdanningsprogram eller programområde")),
            ("occupation", _("STYRK-08-kode")),
        ]
        for field, what in checks:
            if values := cleaned.get(field):
                self._unknown(field, values, register_names()[field], what)
        if partners := cleaned.get("cooperation"):
            cleaned["cooperation"] = self._resolve_municipalities(partners)

    def _resolve_municipalities(self, values: list[str]) -> list[str]:
        """Numbers as given; names (and parallel names) of today's municipalities, folded, so
        «tromso» is Tromsø. One query, and only when a name is given."""
        known = register_names()["cooperation"]
        by_name: dict[str, set[str]] = {}
        if any(not v.isdigit() for v in values):
            for number, name, parallel in Municipality.objects.current().values_list(
                "number", "name", "parallel_names"
            ):
                for candidate in [name, *parallel]:
                    by_name.setdefault(fold(candidate), set()).add(number)
        out, unknown = [], []
        for value in values:
            if value.isdigit():
                found = [value] if value in known else []
            else:
                found = sorted(by_name.get(fold(value), ()))
            if len(found) == 1:
                out.append(found[0])
            else:
                unknown.append(value)
        if unknown:
            self.add_error(
                "cooperation",
                _("Fant ingen kommune som heter eller har nummeret %(values)s.")
                % {"values": ", ".join(f"«{v}»" for v in unknown)},
            )
        return list(dict.fromkeys(out))

    # -- the query ----------------------------------------------------------------------------

    def selected_filters(self) -> dict[str, list[str]]:
        return {d: list(self.cleaned_data.get(d) or []) for d in self.FILTERS}

    def to_query(self, default_round: int | None = None) -> ProfileQuery:
        data = self.cleaned_data
        round_year = data.get("round")
        return ProfileQuery(
            text=data.get("q") or "",
            round_year=round_year if round_year is not None else default_round,
            filters={k: v for k, v in self.selected_filters().items() if v},
            capacity_min=data.get("capacity_min"),
            result_min=data.get("result_min"),
            sort=data.get("sort") or "relevance",
            page=data.get("page") or 1,
            page_size=data.get("page_size") or DEFAULT_PAGE_SIZE,
        )

    def errors_by_field(self) -> dict[str, list[str]]:
        """Errors as plain strings, ``non_field_errors`` for the form's own (the DRF shape)."""
        return {
            ("non_field_errors" if name == "__all__" else name): [str(e) for e in errors]
            for name, errors in self.errors.items()
        }
