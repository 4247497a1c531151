"""What placement adds to search (``sok.dimensions``): remaining capacity as a number (filter
«ledig minst N» and a sort), and the structured section-5 fields the placement needs as
numbers and a facet, so «rullestol» no longer has to be found in free text."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sok import dimensions


def remaining_for(sources) -> dict[str, int | None]:
    """Remaining places of each document's municipality in its round: a fixed number of
    queries per round in the batch (the ledger, its allocations, the fallbacks)."""
    from skjema.models import Round

    from .selectors import capacity_list

    years = sorted({source.round_year for source in sources})
    remaining: dict[tuple[int, str], int] = {}
    for round_ in Round.objects.filter(year__in=years):
        for state in capacity_list(round_=round_):
            if state.source != "none":
                remaining[(round_.year, state.number)] = state.remaining
    return {
        source.key: remaining.get((source.round_year, source.municipality.number))
        for source in sources
    }


def _capacity_number(name: str):
    def value(source):
        raw = ((source.data or {}).get("capacity") or {}).get(name)
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None

    return value


def _health(row, source) -> list[str]:
    value = row.get("health_followup")
    return [value] if value else []


def _health_choices():
    from skjema.models import MunicipalityProfile

    return dict(MunicipalityProfile.HealthFollowup.choices)


ENTRIES = (
    dimensions.Number(
        "remaining",
        _("Ledig kapasitet minst"),
        bulk=remaining_for,
        help_text=_("Plasser som er ledige: vedtak (eller anbefaling/oppgitt) minus tildelt."),
        sort_label=_("Ledig kapasitet (flest først)"),
    ),
    dimensions.Number(
        "wheelchair_dwellings",
        _("Boliger tilrettelagt for rullestolbrukere, minst"),
        value=_capacity_number("wheelchair_dwellings"),
        fields=(("capacity", "wheelchair_dwellings"),),
    ),
    dimensions.Number(
        "largest_household",
        _("Største husholdning kommunen kan bosette, minst"),
        value=_capacity_number("largest_household"),
        fields=(("capacity", "largest_household"),),
    ),
    dimensions.Number(
        "minors_under_15",
        _("Plasser for enslige mindreårige under 15 år, minst"),
        value=_capacity_number("minors_under_15"),
        fields=(("capacity", "minors_under_15"),),
    ),
    dimensions.Number(
        "minors_15_18",
        _("Plasser for enslige mindreårige 15–18 år, minst"),
        value=_capacity_number("minors_15_18"),
        fields=(("capacity", "minors_15_18"),),
    ),
    dimensions.Facet(
        "health_followup",
        _("Kapasitet for helseoppfølging"),
        section="capacity",
        fields=("health_followup",),
        values=_health,
        choices=_health_choices,
    ),
)


def register() -> None:
    for entry in ENTRIES:
        dimensions.register(entry)
