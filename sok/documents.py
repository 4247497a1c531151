"""From a submitted profile version to a search document: its display payload, the texts that
highlights are cut from, the analysed terms per field, and the facet values per dimension."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from portal.register.models import Municipality, Occupation, ProgrammeArea
from portal.register.statistics_display import latest_settlement, settlement_series
from skjema.models import MunicipalityProfile, QualificationOffer, Submission, Version
from skjema.models.submissions import SUBMITTED_STATES
from skjema.reading import PROFILE_SECTIONS, display_value

from .analysis import analyse, fold

# Facet dimensions, in the order the search page shows them.
DIMENSIONS = (
    "county",
    "status",
    "wants_to_settle",
    "takes_minors",
    "offer_kind",
    "target_group",
    "programme",
    "adaptation",
    "occupation",
    "competence_level",
    "household_type",
    "cooperation",
)


# Upper-secondary offer flags -> (facet value, the words the text gets).
ADAPTATIONS = {
    "adapted_for_adults": ("adults", "tilpasset voksne"),
    "adapted_for_minority_language": ("minority_language", "tilpasset minoritetsspråklige"),
    "combination_class": ("combination_class", "kombinasjonsklasse"),
}


@dataclass
class DocumentData:
    key: str
    round_year: int
    municipality: Municipality
    submission: Submission
    version: Version
    capacity: int | None
    result: Decimal | None
    payload: dict
    terms: dict[str, set[str]] = field(default_factory=dict)
    facets: dict[str, set[str]] = field(default_factory=dict)


def document_key(round_year: int, municipality_number: str) -> str:
    return f"{round_year}-{municipality_number}"


class _Lookups:
    """Register names for the codes a version mentions, loaded once per batch."""

    def __init__(self):
        self.areas = {a.code: a for a in ProgrammeArea.objects.select_related("programme")}
        self.occupations = dict(Occupation.objects.values_list("code", "name"))
        self.municipalities = dict(Municipality.objects.values_list("number", "name"))
        self._settlement: dict[str, dict] = {}

    def settlement(self, municipality: Municipality, round_year: int) -> dict | None:
        """IMDi's latest requested/decided/settled figures before the round's year (read once
        per municipality, whatever the number of rounds)."""
        if municipality.number not in self._settlement:
            self._settlement[municipality.number] = settlement_series(municipality)
        return latest_settlement(self._settlement[municipality.number], round_year)


def _text(*parts) -> str:
    return " ".join(str(p) for p in parts if p not in (None, "", []))


def build(
    submission: Submission, version: Version, lookups: _Lookups | None = None
) -> DocumentData:
    lookups = lookups or _Lookups()
    data = version.data
    municipality = submission.municipality
    county = submission.county
    sections = {s.key: s for s in PROFILE_SECTIONS}
    texts: list[dict] = []
    terms: dict[str, set[str]] = {"name": set(), "body": set(), "code": set()}
    facets: dict[str, set[str]] = {d: set() for d in DIMENSIONS}

    def add_text(section_key: str, label: str, text: str) -> None:
        if text and text.strip():
            texts.append({"section": section_key, "label": label, "text": text.strip()})
            terms["body"].update(analyse(text))

    def add_code(code: str) -> None:
        terms["code"].add(fold(code).strip("-"))

    names = [municipality.name, *municipality.parallel_names]
    terms["name"].update(analyse(" ".join(names), keep_stop_words=True))
    facets["county"].add(county.number)
    facets["status"].add(submission.status)

    intro_results = []
    for offer in data.get("qualification") or []:
        section = sections["qualification"]
        kind_label = display_value(section, "kind", offer.get("kind"), "profile")
        if offer.get("kind"):
            facets["offer_kind"].add(offer["kind"])
        if offer.get("target_group"):
            facets["target_group"].add(offer["target_group"].strip()[:100])
        add_text(
            "qualification",
            f"{kind_label}: {offer.get('name') or ''}".strip(": "),
            _text(
                offer.get("name"),
                offer.get("target_group"),
                offer.get("description"),
                offer.get("partners"),
                kind_label,
            ),
        )
        if offer.get("kind") == QualificationOffer.Kind.INTRODUCTION and offer.get("result_share"):
            intro_results.append(Decimal(str(offer["result_share"])))
    for row in data.get("upper_secondary") or []:
        area = lookups.areas.get(row.get("programme_area") or "")
        if area is not None:
            facets["programme"].update({area.code, area.programme.code})
            add_code(area.code)
            add_code(area.programme.code)
        flags = [label for key, (_value, label) in ADAPTATIONS.items() if row.get(key)]
        facets["adaptation"].update(
            value for key, (value, _label) in ADAPTATIONS.items() if row.get(key)
        )
        add_text(
            "upper_secondary",
            f"{row.get('level') or ''} {area.name if area else ''}".strip(),
            _text(
                area.name if area else "",
                area.programme.name if area else "",
                row.get("provider"),
                row.get("description"),
                ", ".join(flags),
            ),
        )
    for row in data.get("cooperation") or []:
        partners = row.get("partners") or []
        facets["cooperation"].update(partners)
        partner_names = ", ".join(lookups.municipalities.get(n, n) for n in partners)
        add_text(
            "cooperation",
            row.get("area") or "Samarbeid",
            _text(row.get("area"), partner_names, row.get("description")),
        )
    for row in data.get("labour") or []:
        code = row.get("occupation") or ""
        ancestors = [code[:n] for n in range(1, len(code) + 1)]
        facets["occupation"].update(ancestors)
        if row.get("competence_level"):
            facets["competence_level"].add(row["competence_level"])
        for ancestor in ancestors:
            add_code(ancestor)
        occupation_names = [lookups.occupations.get(c, "") for c in ancestors]
        section = sections["labour"]
        add_text(
            "labour",
            lookups.occupations.get(code, code) or "Arbeidskraftbehov",
            _text(
                *occupation_names,
                display_value(section, "competence_level", row.get("competence_level"), "profile"),
                row.get("description"),
            ),
        )
    capacity_data = data.get("capacity") or {}
    if capacity_data.get("wants_to_settle"):
        facets["wants_to_settle"].add(capacity_data["wants_to_settle"])
    minors = capacity_data.get("takes_unaccompanied_minors")
    if minors is not None:
        facets["takes_minors"].add("yes" if minors else "no")
    facets["household_type"].update(capacity_data.get("household_types") or [])
    capacity_section = sections["capacity"]
    add_text(
        "capacity",
        "Kapasitet og vilje",
        _text(
            capacity_data.get("housing_situation"),
            capacity_data.get("special_needs_capacity"),
            capacity_data.get("capacity_comment"),
            display_value(
                capacity_section, "household_types", capacity_data.get("household_types"), "profile"
            )
            if capacity_data.get("household_types")
            else "",
        ),
    )
    result = max(intro_results) if intro_results else None
    capacity = capacity_data.get("capacity")
    payload = {
        "municipality": {
            "number": municipality.number,
            "name": municipality.name,
            "parallel_names": municipality.parallel_names,
        },
        "county": {"number": county.number, "name": county.name},
        "round": submission.round.year,
        "status": submission.status,
        "version": version.number,
        "last_change": version.created_at.isoformat(),
        "capacity": capacity,
        "wants_to_settle": capacity_data.get("wants_to_settle") or None,
        "takes_minors": minors,
        "result": str(result) if result is not None else None,
        "statistics": lookups.settlement(municipality, submission.round.year),
        "texts": texts,
    }
    return DocumentData(
        key=document_key(submission.round.year, municipality.number),
        round_year=submission.round.year,
        municipality=municipality,
        submission=submission,
        version=version,
        capacity=capacity,
        result=result,
        payload=payload,
        terms={k: {t[:64] for t in v if t} for k, v in terms.items()},
        facets={k: v for k, v in facets.items() if v},
    )


def indexable_profiles():
    """Profiles that belong in the index: submitted at least once, never drafts."""
    return (
        MunicipalityProfile.objects.filter(status__in=SUBMITTED_STATES)
        .select_related("round", "county", "municipality")
        .order_by("round__year", "municipality__number")
    )


def latest_version(submission: Submission) -> Version | None:
    return submission.versions.order_by("-number").first()
