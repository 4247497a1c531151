"""The search parameters, parsed and validated once for the search page and the API alike:
free text, round, a filter per facet dimension (each may repeat), thresholds, sort and page.

Control characters are dropped silently; everything else that cannot be searched (a 10,000
character text, a round that is not a year, an unknown code, page 0) is refused with a message
in Norwegian, so a bad link or a bad API call gets an answer and never an error page."""

from __future__ import annotations

import copy

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality
from portal.register.selectors import neighbour_numbers

from . import dimensions
from .analysis import MAX_QUERY_LENGTH, fold
from .dimensions import _municipality_code
from .facets import register_names
from .fields import (
    ChoiceListField,
    PercentField,
    TextField,
    ValueListField,
    without_control_characters,
)
from .query import MAX_PAGE_SIZE, ProfileQuery

__all__ = [
    "ChoiceListField",
    "PercentField",
    "SearchForm",
    "TextField",
    "ValueListField",
    "without_control_characters",
]

# Elasticsearch refuses to page deeper than this (index.max_result_window); so do we, on both.
MAX_RESULT_WINDOW = 10_000
DEFAULT_PAGE_SIZE = 20


def sort_choices() -> list[tuple[str, str]]:
    return dimensions.registry.sorts()


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
    near = TextField(
        label=_("I nærheten av"),
        required=False,
        max_length=100,
        help_text=_(
            "En kommune (navn eller nummer): treff i kommunen og i nabokommunene (felles "
            "grense, eller under 2 km over vann)."
        ),
        error_messages={"max_length": _("Oppgi én kommune, med navn eller nummer.")},
    )
    sort = forms.ChoiceField(
        label=_("Sorter etter"),
        choices=sort_choices,
        required=False,
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

    # Per form class: (registry version, the fields built for it).
    _built: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The fields only clean parameters (the page renders its own controls), and cleaning
        # keeps no state in a field: every form shares them, as built for the registry.
        self.fields = dict(self.search_fields())

    @classmethod
    def search_fields(cls) -> dict[str, forms.Field]:
        """Every parameter: the declared fields with one per registered facet and one minimum
        per registered number, in order: text, round, filters, thresholds, sort, page. Built
        from the registry again whenever it has changed, so dimensions that apps register
        later are included."""
        cached = cls._built.get(cls)
        if cached is not None and cached[0] == dimensions.registry.version:
            return cached[1]
        fields = cls._build_fields()
        cls._built[cls] = (dimensions.registry.version, fields)
        return fields

    @classmethod
    def _build_fields(cls) -> dict[str, forms.Field]:
        declared = copy.deepcopy(cls.declared_fields)
        fields = {name: declared[name] for name in ("q", "round")}
        for key, facet in dimensions.facets().items():
            fields[key] = facet.field()
        fields["near"] = declared["near"]
        for number in dimensions.numbers().values():
            fields[number.parameter] = number.field()
        sorts = [value for value, _label in sort_choices()]
        declared["sort"].error_messages["invalid_choice"] = format_lazy(
            "{}{}.", _("Ukjent sortering «%(value)s». Gyldige verdier: "), ", ".join(sorts)
        )
        declared["sort"].choices = sort_choices()
        for name in ("sort", "page", "page_size"):
            fields[name] = declared[name]
        return fields

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
        if near := (cleaned.get("near") or "").strip():
            found = self._resolve_municipalities([_municipality_code(near)], field="near")
            cleaned["near"] = found[0] if found else ""
            cleaned["nearby"] = (
                tuple(sorted({found[0], *neighbour_numbers(found).get(found[0], ())}))
                if found
                else ()
            )

    def _resolve_municipalities(self, values: list[str], field: str = "cooperation") -> list[str]:
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
                field,
                _("Fant ingen kommune som heter eller har nummeret %(values)s.")
                % {"values": ", ".join(f"«{v}»" for v in unknown)},
            )
        return list(dict.fromkeys(out))

    # -- the query ----------------------------------------------------------------------------

    def selected_filters(self) -> dict[str, list[str]]:
        return {d: list(self.cleaned_data.get(d) or []) for d in dimensions.facets()}

    def to_query(self, default_round: int | None = None) -> ProfileQuery:
        data = self.cleaned_data
        round_year = data.get("round")
        minimums = {
            number.key: data[number.parameter]
            for number in dimensions.numbers().values()
            if data.get(number.parameter) is not None
        }
        return ProfileQuery(
            text=data.get("q") or "",
            round_year=round_year if round_year is not None else default_round,
            filters={k: v for k, v in self.selected_filters().items() if v},
            minimums=minimums,
            near=data.get("near") or "",
            nearby=data.get("nearby") or (),
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


# Every form gets its fields from ``search_fields``: Django's deep copy of the declared fields
# for each new form would be thrown away at once.
SearchForm.base_fields = {}
