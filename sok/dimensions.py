"""The search registry: every searchable text, facet, filter, threshold and sort declared once.

A search document is built from one submitted profile version by walking this registry
(``sok.documents``); the search form, the API schema, the facet labels, the page's filter groups
and both backends' mappings read the same declarations. Three kinds of entries:

- ``Facet``: values a document has in a dimension (county, occupation, …): filtered with «any
  of», counted per value, offered on the page as checkboxes or a select.
- ``Number``: one number per document (capacity, result, …): a «minimum» filter
  (``<key>_min``) and, with ``sort_label``, a sort (largest first, missing last).
- ``Text``: one labelled text per section row: analysed into the document's terms, and what
  «why it matched» snippets are cut from. Adding a section field to the search is one ``Part``.

Apps above ``sok`` (placement) register their own entries in their ``AppConfig.ready`` with
``register(...)``; an extractor may be per document (``values``/``value``) or per batch of
documents (``bulk``: one query for a whole rebuild). ``sok.index.mark_stale`` asks for the
documents of some municipalities to be rebuilt when what an extractor reads has changed.

Every field of ``skjema.sections.PROFILE_SECTIONS`` is either read by an entry here or listed
in ``EXCLUDED`` with the reason (a test checks it), so no section field is silently unsearchable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .fields import ChoiceListField, PercentField, ValueListField

if TYPE_CHECKING:
    from .documents import Source

Extract = Callable[[dict, "Source"], Iterable[str]]
BulkValues = Callable[[Sequence["Source"]], Mapping[str, Any]]


@dataclass(frozen=True)
class Facet:
    """A dimension with values: filtered by «any of the chosen values», counted per value."""

    key: str
    label: Any
    # The values of one row of ``section`` (or of the document when section is None).
    values: Extract | None = None
    section: str | None = None
    # The section fields the extractor reads (for the coverage check).
    fields: tuple[str, ...] = ()
    # Per batch instead of per row: document key -> values (for apps above sok).
    bulk: BulkValues | None = None
    # Fixed choices, value -> label, in the order they are offered.
    choices: Callable[[], Mapping[str, Any]] | None = None
    # Labels from the register instead: "county", "municipality", "occupation", "programme".
    names: str | None = None
    # How the page offers it: "checkbox", "checkbox_more" (after the selects), "select", "".
    widget: str = "checkbox"
    code_hint: Any = ""
    # The values are codes people also type as text («5321», «HSHSF1»).
    searchable_codes: bool = False
    form_field: Callable[[Facet], forms.Field] | None = None

    def field(self) -> forms.Field:
        if self.form_field is not None:
            return self.form_field(self)
        if self.choices is None:
            raise ValueError(f"Facet {self.key!r} needs choices or a form_field")
        return ChoiceListField(dict(self.choices()), self.label)


@dataclass(frozen=True)
class Number:
    """One number per document: a minimum filter (``<key>_min``) and optionally a sort."""

    key: str
    label: Any  # of the minimum filter, e.g. «Kapasitet minst»
    value: Callable[[Source], int | Decimal | None] | None = None
    bulk: BulkValues | None = None
    fields: tuple[tuple[str, str], ...] = ()  # (section, field) read
    decimal: bool = False
    help_text: Any = ""
    error_messages: Mapping[str, Any] = field(default_factory=dict)
    min_value: int | Decimal = 0
    max_value: int | Decimal | None = None
    # Sort largest first (missing last) under this label; None: not a sort.
    sort_label: Any = None
    # Stored in a column of its own (the built-in ones); registered numbers go to ``numbers``.
    column: str | None = None

    @property
    def parameter(self) -> str:
        return f"{self.key}_min"

    def field(self) -> forms.Field:
        kwargs = {
            "label": self.label,
            "required": False,
            "min_value": self.min_value,
            "help_text": self.help_text,
            "error_messages": {
                **dict.fromkeys(
                    ("invalid", "min_value", "max_value", "max_digits"),
                    format_lazy(_("{} må være et tall, {} eller mer."), self.label, self.min_value),
                ),
                **self.error_messages,
            },
        }
        if self.max_value is not None:
            kwargs["max_value"] = self.max_value
        return PercentField(**kwargs) if self.decimal else forms.IntegerField(**kwargs)


@dataclass(frozen=True)
class Part:
    """One piece of a text: the section field it reads and how it becomes text."""

    field: str | None
    get: Callable[[dict, Source], Any]


@dataclass(frozen=True)
class Text:
    """The searchable text of each row of a section, with the label its snippets carry."""

    section: str
    label: Callable[[dict, Source], str]
    parts: tuple[Part, ...]
    label_fields: tuple[str, ...] = ()
    # What «why it matched» calls this section's snippet («Arbeidskraftbehov: … sveisere …»).
    title: Any = ""


class Registry:
    def __init__(self):
        self.facets: dict[str, Facet] = {}
        self.numbers: dict[str, Number] = {}
        self.texts: list[Text] = []
        self.excluded: dict[tuple[str, str], str] = {}
        # Raised by every change, so what is built from the registry can be kept until then.
        self.version = 0

    def register(self, entry: Facet | Number | Text) -> Facet | Number | Text:
        if isinstance(entry, Text):
            self.texts.append(entry)
            self.version += 1
            return entry
        if entry.key in self.facets or entry.key in self.numbers:
            existing = self.facets.get(entry.key) or self.numbers.get(entry.key)
            if existing == entry:
                return entry  # registered twice by the same code (tests, reloads)
            raise ValueError(f"Søkedimensjonen «{entry.key}» er allerede registrert.")
        (self.facets if isinstance(entry, Facet) else self.numbers)[entry.key] = entry
        self.version += 1
        return entry

    def unregister(self, key: str) -> None:
        """Remove a facet or number (for tests)."""
        self.facets.pop(key, None)
        self.numbers.pop(key, None)
        self.version += 1

    def exclude(self, section: str, name: str, reason: str) -> None:
        self.excluded[(section, name)] = reason

    def indexed_fields(self) -> set[tuple[str, str]]:
        """(section, field) pairs that some entry reads."""
        out = set()
        for facet in self.facets.values():
            out.update((facet.section, name) for name in facet.fields if facet.section)
        for number in self.numbers.values():
            out.update(number.fields)
        for text in self.texts:
            out.update((text.section, part.field) for part in text.parts if part.field)
            out.update((text.section, name) for name in text.label_fields)
        return out

    def sorts(self) -> list[tuple[str, Any]]:
        """(value, label) of every sort, in the order offered: relevance, numbers, name."""
        return [
            ("relevance", _("Relevans")),
            *((n.key, n.sort_label) for n in self.numbers.values() if n.sort_label),
            ("name", _("Kommunenavn (A–Å)")),
        ]


registry = Registry()


def register(entry: Facet | Number | Text):
    """Add a facet, number or text to the search (from an app's ``ready``). Documents get it at
    the next rebuild (``sok_reindex``) or ``mark_stale``."""
    return registry.register(entry)


def facets() -> dict[str, Facet]:
    return registry.facets


def numbers() -> dict[str, Number]:
    return registry.numbers


def texts() -> list[Text]:
    return registry.texts


# ---------------------------------------------------------------------------------------------
# the profile's own dimensions


def _choices(model_choices) -> Callable[[], dict]:
    return lambda: dict(model_choices)


def _status_choices():
    from skjema.models import Status
    from skjema.models.submissions import SUBMITTED_STATES

    return {value: label for value, label in Status.choices if value in SUBMITTED_STATES}


def _lazy_choices(path: str):
    """Choices of a skjema model, imported when first needed (the registry is read early)."""

    def load():
        from skjema import models

        obj = models
        for part in path.split("."):
            obj = getattr(obj, part)
        return dict(obj.choices)

    return load


def _value(name: str) -> Extract:
    def extract(row: dict, source: Source) -> Iterable[str]:
        value = row.get(name)
        return [value] if value else []

    return extract


def _flag(name: str, value: str) -> Extract:
    return lambda row, source: [value] if row.get(name) else []


ADAPTATIONS = {
    "adapted_for_adults": ("adults", _("Tilpasset voksne"), "tilpasset voksne"),
    "adapted_for_minority_language": (
        "minority_language",
        _("Tilpasset minoritetsspråklige"),
        "tilpasset minoritetsspråklige",
    ),
    "combination_class": ("combination_class", _("Kombinasjonsklasse"), "kombinasjonsklasse"),
}


def _adaptations(row: dict, source: Source) -> list[str]:
    return [value for key, (value, _label, _words) in ADAPTATIONS.items() if row.get(key)]


def _programme_codes(row: dict, source: Source) -> list[str]:
    area = source.area(row.get("programme_area"))
    return [area.code, area.programme.code] if area is not None else []


def _occupation_codes(row: dict, source: Source) -> list[str]:
    code = row.get("occupation") or ""
    return [code[:n] for n in range(1, len(code) + 1)]


def _minors(row: dict, source: Source) -> list[str]:
    minors = row.get("takes_unaccompanied_minors")
    return [] if minors is None else ["yes" if minors else "no"]


def _target_group(row: dict, source: Source) -> list[str]:
    value = row.get("target_group")
    return [value.strip()[:100]] if value else []


def _code_list(pattern: str, invalid, normalise=None):
    def make(facet: Facet) -> forms.Field:
        return ValueListField(
            label=facet.label, pattern=pattern, invalid=invalid, normalise=normalise
        )

    return make


def _municipality_code(value: str) -> str:
    import re

    # «4003», or «4003 Skien» as the autocomplete offers it; a bare name is resolved in clean().
    match = re.match(r"(\d{4})(?:\s|$)", value)
    return match.group(1) if match else value


for _facet in (
    Facet(
        "county",
        _("Fylke"),
        values=lambda row, source: [source.county.number],
        names="county",
        form_field=_code_list(
            r"\d{2}",
            _("Fylkesnummer må være to sifre, for eksempel «03» (fikk «%(value)s»)."),
        ),
    ),
    Facet(
        "status",
        _("Status"),
        values=lambda row, source: [source.submission.status],
        choices=_status_choices,
    ),
    Facet(
        "wants_to_settle",
        _("Ønsker å bosette"),
        section="capacity",
        fields=("wants_to_settle",),
        values=_value("wants_to_settle"),
        choices=_lazy_choices("MunicipalityProfile.WantsToSettle"),
    ),
    Facet(
        "takes_minors",
        _("Tar imot enslige mindreårige"),
        section="capacity",
        fields=("takes_unaccompanied_minors",),
        values=_minors,
        choices=lambda: {"yes": _("Ja"), "no": _("Nei")},
    ),
    Facet(
        "offer_kind",
        _("Type kvalifiseringstilbud"),
        section="qualification",
        fields=("kind",),
        values=_value("kind"),
        choices=_lazy_choices("QualificationOffer.Kind"),
    ),
    Facet(
        "target_group",
        _("Målgruppe"),
        section="qualification",
        fields=("target_group",),
        values=_target_group,
        widget="checkbox_more",
        form_field=_code_list(r".{1,100}", _("En målgruppe kan være høyst 100 tegn.")),
    ),
    Facet(
        "programme",
        _("Utdanningsprogram og programområde"),
        section="upper_secondary",
        fields=("programme_area",),
        values=_programme_codes,
        names="programme",
        widget="select",
        code_hint=_("Eller skriv en kode (f.eks. «HS» eller «HSHSF1----»)"),
        searchable_codes=True,
        form_field=_code_list(
            r"[A-Z0-9-]{2,10}",
            _(
                "Oppgi en kode for utdanningsprogram («HS») eller programområde («HSHSF1----») "
                "(fikk «%(value)s»)."
            ),
            normalise=str.upper,
        ),
    ),
    Facet(
        "adaptation",
        _("Tilpasset videregående opplæring"),
        section="upper_secondary",
        fields=tuple(ADAPTATIONS),
        values=_adaptations,
        choices=lambda: {value: label for value, label, _words in ADAPTATIONS.values()},
    ),
    Facet(
        "occupation",
        _("Yrke (STYRK-08)"),
        section="labour",
        fields=("occupation",),
        values=_occupation_codes,
        names="occupation",
        widget="select",
        code_hint=_("Eller skriv en STYRK-08-kode (f.eks. «53» eller «5321»)"),
        searchable_codes=True,
        form_field=_code_list(
            r"\d{1,4}",
            _("En STYRK-08-kode har ett til fire sifre, for eksempel «53» (fikk «%(value)s»)."),
        ),
    ),
    Facet(
        "competence_level",
        _("Kompetansekrav i arbeidskraftbehovet"),
        section="labour",
        fields=("competence_level",),
        values=_value("competence_level"),
        choices=_lazy_choices("LabourNeed.CompetenceLevel"),
    ),
    Facet(
        "household_type",
        _("Husholdningstype"),
        section="capacity",
        fields=("household_types",),
        values=lambda row, source: row.get("household_types") or [],
        choices=_lazy_choices("MunicipalityProfile.HouseholdType"),
        widget="checkbox_more",
    ),
    Facet(
        "cooperation",
        _("Samarbeid med kommune"),
        section="cooperation",
        fields=("partners",),
        values=lambda row, source: row.get("partners") or [],
        names="municipality",
        widget="select",
        code_hint=_("Eller skriv kommunenavn eller kommunenummer"),
        form_field=_code_list(
            r"\d{4}|[^\d].{0,99}",
            _("Oppgi kommunen med nummer («4003») eller navn («Skien») (fikk «%(value)s»)."),
            normalise=_municipality_code,
        ),
    ),
):
    register(_facet)


def _capacity(source: Source) -> int | None:
    return (source.data.get("capacity") or {}).get("capacity")


def _result(source: Source) -> Decimal | None:
    """The best introduction-programme result among the offers."""
    from skjema.models import QualificationOffer

    results = [
        Decimal(str(offer["result_share"]))
        for offer in source.data.get("qualification") or []
        if offer.get("kind") == QualificationOffer.Kind.INTRODUCTION and offer.get("result_share")
    ]
    return max(results) if results else None


register(
    Number(
        "capacity",
        _("Kapasitet minst"),
        value=_capacity,
        fields=(("capacity", "capacity"),),
        help_text=_("Antall personer kommunen kan bosette."),
        max_value=2_147_483_647,
        error_messages={
            "invalid": _("Kapasitet må være et helt tall, 0 eller mer."),
            "min_value": _("Kapasitet må være et helt tall, 0 eller mer."),
            "max_value": _("Kapasiteten er urimelig stor."),
        },
        sort_label=_("Kapasitet (størst først)"),
        column="capacity",
    )
)
register(
    Number(
        "result",
        _("Resultat minst (%)"),
        value=_result,
        fields=(("qualification", "result_share"),),
        decimal=True,
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
        sort_label=_("Resultat (høyest først)"),
        column="result",
    )
)


# -- texts ------------------------------------------------------------------------------------


def _display(section_key: str, name: str) -> Callable[[dict, Source], str]:
    def get(row: dict, source: Source) -> str:
        from skjema.reading import display_value

        shown = display_value(source.section(section_key), name, row.get(name), "profile")
        return "" if shown == "–" else shown

    return get


def _get(name: str) -> Callable[[dict, Source], Any]:
    return lambda row, source: row.get(name)


def _qualification_label(row: dict, source: Source) -> str:
    kind = _display("qualification", "kind")(row, source) or "–"
    return f"{kind}: {row.get('name') or ''}".strip(": ")


def _area_name(row, source) -> str:
    area = source.area(row.get("programme_area"))
    return area.name if area else ""


def _programme_name(row, source) -> str:
    area = source.area(row.get("programme_area"))
    return area.programme.name if area else ""


def _upper_label(row: dict, source: Source) -> str:
    return f"{row.get('level') or ''} {_area_name(row, source)}".strip()


def _flags(row: dict, source: Source) -> str:
    return ", ".join(words for key, (_v, _l, words) in ADAPTATIONS.items() if row.get(key))


def _partner_names(row: dict, source: Source) -> str:
    return ", ".join(source.municipality_name(n) for n in row.get("partners") or [])


def _occupation_label(row: dict, source: Source) -> str:
    code = row.get("occupation") or ""
    return source.occupation_name(code) or code or "Arbeidskraftbehov"


def _occupation_names(row: dict, source: Source) -> list[str]:
    return [source.occupation_name(c) for c in _occupation_codes(row, source)]


def _household_types(row: dict, source: Source) -> str:
    if not row.get("household_types"):
        return ""
    return _display("capacity", "household_types")(row, source)


for _text in (
    Text(
        "qualification",
        title=_("Kvalifiseringstilbud"),
        label=_qualification_label,
        label_fields=("kind", "name"),
        parts=(
            Part("name", _get("name")),
            Part("target_group", _get("target_group")),
            Part("description", _get("description")),
            Part("partners", _get("partners")),
            Part("kind", _display("qualification", "kind")),
        ),
    ),
    Text(
        "upper_secondary",
        title=_("Videregående opplæring"),
        label=_upper_label,
        label_fields=("level", "programme_area"),
        parts=(
            Part("programme_area", _area_name),
            Part("programme_area", _programme_name),
            Part("provider", _get("provider")),
            Part("description", _get("description")),
            Part(None, _flags),
        ),
    ),
    Text(
        "cooperation",
        title=_("Interkommunalt samarbeid"),
        label=lambda row, source: row.get("area") or "Samarbeid",
        label_fields=("area",),
        parts=(
            Part("area", _get("area")),
            Part("partners", _partner_names),
            Part("description", _get("description")),
        ),
    ),
    Text(
        "labour",
        title=_("Arbeidskraftbehov"),
        label=_occupation_label,
        parts=(
            Part("occupation", _occupation_names),
            Part("description", _get("description")),
        ),
    ),
    Text(
        "capacity",
        title=_("Kapasitet og vilje"),
        label=lambda row, source: "Kapasitet og vilje",
        parts=(
            Part("housing_situation", _get("housing_situation")),
            Part("special_needs_capacity", _get("special_needs_capacity")),
            Part("capacity_comment", _get("capacity_comment")),
            Part("household_types", _household_types),
        ),
    ),
):
    register(_text)


for _section, _name, _reason in (
    ("qualification", "seats", "a count, shown on the profile page"),
    ("qualification", "result_cohort_year", "context of result_share, shown on the profile page"),
    ("qualification", "result_participants", "context of result_share, shown on the profile page"),
    ("labour", "scale", "a rough size of the need, shown on the profile page"),
    ("labour", "sector", "public/private, shown on the profile page"),
):
    registry.exclude(_section, _name, _reason)
