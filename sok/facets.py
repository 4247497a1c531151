"""Facet values as people read them: register names and choice labels for the codes a search
returns, shared by the search page and the API. The register's names (about 650 rows) are read
in one go and cached for a few minutes, so labelling costs no query per search, and never one
per value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.register.models import County, Municipality, Occupation, Programme, ProgrammeArea
from skjema.models import LabourNeed, MunicipalityProfile, QualificationOffer, Status
from skjema.models.submissions import SUBMITTED_STATES

from .documents import DIMENSIONS

DIMENSION_LABELS = {
    "county": _("Fylke"),
    "status": _("Status"),
    "wants_to_settle": _("Ønsker å bosette"),
    "takes_minors": _("Tar imot enslige mindreårige"),
    "offer_kind": _("Type kvalifiseringstilbud"),
    "target_group": _("Målgruppe"),
    "programme": _("Utdanningsprogram og programområde"),
    "adaptation": _("Tilpasset videregående opplæring"),
    "occupation": _("Yrke (STYRK-08)"),
    "competence_level": _("Kompetansekrav i arbeidskraftbehovet"),
    "household_type": _("Husholdningstype"),
    "cooperation": _("Samarbeid med kommune"),
}
assert set(DIMENSION_LABELS) == set(DIMENSIONS)

# Dimensions whose values are a fixed set of choices, in the order they are offered.
CHOICES: dict[str, dict[str, str]] = {
    "status": {value: label for value, label in Status.choices if value in SUBMITTED_STATES},
    "wants_to_settle": dict(MunicipalityProfile.WantsToSettle.choices),
    "takes_minors": {"yes": _("Ja"), "no": _("Nei")},
    "offer_kind": dict(QualificationOffer.Kind.choices),
    "household_type": dict(MunicipalityProfile.HouseholdType.choices),
    "adaptation": {
        "adults": _("Tilpasset voksne"),
        "minority_language": _("Tilpasset minoritetsspråklige"),
        "combination_class": _("Kombinasjonsklasse"),
    },
    "competence_level": dict(LabourNeed.CompetenceLevel.choices),
}


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


def _load_register_names() -> dict[str, dict[str, str]]:
    programmes = dict(Programme.objects.values_list("code", "name"))
    for code, level, name in ProgrammeArea.objects.values_list("code", "level", "name"):
        programmes[code] = f"{level} {name}"
    return {
        "county": dict(County.objects.values_list("number", "name")),
        "cooperation": dict(Municipality.objects.values_list("number", "name")),
        "occupation": dict(Occupation.objects.values_list("code", "name")),
        "programme": programmes,
    }


def register_names() -> dict[str, dict[str, str]]:
    """Code -> name for counties, municipalities, occupations and programmes (with areas),
    keyed by the facet dimension that uses them. Five queries when the cache is cold."""
    names = cache.get(REGISTER_NAMES_KEY)
    if names is None:
        names = _load_register_names()
        cache.set(REGISTER_NAMES_KEY, names, REGISTER_NAMES_SECONDS)
    return names


def labels_for(values: Mapping[str, Iterable[str]]) -> dict[str, dict[str, str]]:
    """``{dimension: {value: label}}`` for every value given; a code the register does not know,
    and free text such as a target group, is its own label."""
    out: dict[str, dict[str, str]] = {}
    names = None
    for dimension, given in values.items():
        wanted = {str(v) for v in given if v}
        if dimension in CHOICES:
            found = choice_labels(dimension)
        elif dimension in ("county", "cooperation", "occupation", "programme") and wanted:
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
    for dimension in DIMENSIONS:
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
