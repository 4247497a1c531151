"""Facet values as people read them: register names and choice labels for the codes a search
returns, shared by the search page and the API. The register's names (about 650 rows) are read
in one go and cached for a few minutes, so labelling costs no query per search, and never one
per value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import get_language

from portal.register.models import County, Municipality, Occupation, Programme, ProgrammeArea

from . import dimensions
from .shared import shared_value


class _Labels(Mapping):
    """Each registered dimension's label, read when asked (apps above sok add dimensions)."""

    def __getitem__(self, key):
        entry = dimensions.facets().get(key) or dimensions.numbers()[key]
        return entry.label

    def __iter__(self):
        return iter(dimensions.facets())

    def __len__(self):
        return len(dimensions.facets())


class _Choices(Mapping):
    """The dimensions whose values are a fixed set of choices, in the order they are offered."""

    def __getitem__(self, key):
        facet = dimensions.facets()[key]
        if facet.choices is None:
            raise KeyError(key)
        return dict(facet.choices())

    def __iter__(self):
        return (key for key, facet in dimensions.facets().items() if facet.choices is not None)

    def __len__(self):
        return sum(1 for _key in self)


DIMENSION_LABELS = _Labels()
CHOICES: Mapping[str, dict[str, str]] = _Choices()


_choice_labels: dict[tuple[str, str], dict[str, str]] = {}


def choice_labels(dimension: str) -> dict[str, str]:
    """The fixed choices of a dimension as text in the active language (made once per
    language: a search labels hundreds of values)."""
    key = (dimension, get_language() or "")
    labels = _choice_labels.get(key)
    if labels is None:
        labels = _choice_labels[key] = {v: str(label) for v, label in CHOICES[dimension].items()}
    return labels


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    label: str
    selected: bool = False


# Register names change only when the register is imported; a short cache is harmless.
REGISTER_NAMES_KEY = "sok:register-names:v1"
REGISTER_NAMES_SECONDS = 300


def _programme_names() -> dict[str, str]:
    programmes = dict(Programme.objects.values_list("code", "name"))
    for code, level, name in ProgrammeArea.objects.values_list("code", "level", "name"):
        programmes[code] = f"{level} {name}"
    return programmes


# Where a facet's labels come from when its values are register codes (``Facet.names``).
REGISTER_LOADERS = {
    "county": lambda: dict(County.objects.values_list("number", "name")),
    "municipality": lambda: dict(Municipality.objects.values_list("number", "name")),
    "occupation": lambda: dict(Occupation.objects.values_list("code", "name")),
    "programme": _programme_names,
}


def _load_register_names() -> dict[str, dict[str, str]]:
    loaded: dict[str, dict[str, str]] = {}
    out = {}
    for key, facet in dimensions.facets().items():
        if facet.names:
            if facet.names not in loaded:
                loaded[facet.names] = REGISTER_LOADERS[facet.names]()
            out[key] = loaded[facet.names]
    return out


def register_names() -> dict[str, dict[str, str]]:
    """Code -> name for counties, municipalities, occupations and programmes (with areas),
    keyed by the facet dimension that uses them. Five queries when the cache is cold."""
    return shared_value(REGISTER_NAMES_KEY, REGISTER_NAMES_SECONDS, _load_register_names)


def labels_for(values: Mapping[str, Iterable[str]]) -> dict[str, dict[str, str]]:
    """``{dimension: {value: label}}`` for every value given; a code the register does not know,
    and free text such as a target group, is its own label."""
    out: dict[str, dict[str, str]] = {}
    names = None
    for dimension, given in values.items():
        wanted = {str(v) for v in given if v}
        if dimension in CHOICES:
            found = choice_labels(dimension)
        elif dimensions.facets()[dimension].names and wanted:
            names = names or register_names()
            found = names[dimension]
        else:
            found = {}
        out[dimension] = {v: found.get(v, v) for v in wanted}
    return out


def present(
    facets: Mapping[str, list[tuple[str, int]]],
    selected: Mapping[str, list[str]] | None = None,
    *,
    all_choices: bool = False,
) -> dict[str, list[FacetValue]]:
    """Facets with labels for every dimension. Selected values are always listed (count 0 if
    the filtered result has none); with ``all_choices``, so are the unselected fixed choices."""
    selected = selected or {}
    orders: dict[str, list[str]] = {}
    for dimension in dimensions.facets():
        order = [value for value, _count in facets.get(dimension, ())]
        if all_choices and dimension in CHOICES:
            order = list(CHOICES[dimension])
        chosen = selected.get(dimension, ())
        orders[dimension] = order + sorted(set(chosen) - set(order))
    labels = labels_for(orders)
    out: dict[str, list[FacetValue]] = {}
    for dimension, order in orders.items():
        chosen = set(selected.get(dimension, ()))
        counts = dict(facets.get(dimension, ()))
        out[dimension] = [
            FacetValue(value, counts.get(value, 0), labels[dimension][value], value in chosen)
            for value in order
        ]
    return out
