"""Form fields for search parameters, shared by the search form and the dimension registry:
free text, repeatable code lists, repeatable choices and per-cent thresholds."""

from __future__ import annotations

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_VALUES_PER_FILTER = 50


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
    def __init__(self, choices: dict, label, **kwargs):
        choices = list(choices.items())
        known = ", ".join(value for value, _label in choices)
        super().__init__(
            choices=choices,
            required=False,
            label=label,
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
