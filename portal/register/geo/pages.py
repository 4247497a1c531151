"""The register's own maps: a municipality's locator map and a county's map."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..models import County, Municipality
from ..selectors import neighbours_of
from .exports import map_builder
from .maps import CATEGORICAL, LegendEntry, MunicipalityMap, Region


def locator_map(
    municipality: Municipality, *, partners: Iterable[Municipality] = ()
) -> MunicipalityMap:
    """The municipality, its cooperation partners (from the profile, given by the caller) and
    its neighbours (the register's relation)."""
    partners = [p for p in partners if p.number != municipality.number]
    partner_numbers = {p.number for p in partners}
    regions = [Region(municipality.number, _("denne kommunen"), "self", name=municipality.name)]
    for partner in partners:
        regions.append(Region(partner.number, _("samarbeidskommune"), "partner", name=partner.name))
    for neighbour in neighbours_of(municipality.number):
        if neighbour.number in partner_numbers:
            for region in regions:
                if region.number == neighbour.number:
                    region.value = _("samarbeidskommune og nabo")
            continue
        if neighbour.number != municipality.number:
            regions.append(
                Region(neighbour.number, _("nabokommune"), "neighbour", name=neighbour.name)
            )
    legend = [LegendEntry("self", _("Denne kommunen"), CATEGORICAL[0])]
    if partners:
        legend.append(LegendEntry("partner", _("Samarbeidskommune"), CATEGORICAL[1]))
    legend.append(
        LegendEntry(
            "neighbour",
            _("Nabokommuner (felles grense eller under 2 km over vann)"),
            CATEGORICAL[4],
        )
    )
    return MunicipalityMap(
        title=_("%(name)s med naboer") % {"name": municipality.name}
        if not partners
        else _("%(name)s med samarbeidskommuner og naboer") % {"name": municipality.name},
        regions=regions,
        legend=legend,
        value_label=_("Forhold"),
        description=_(
            "%(name)s, samarbeidskommunene fra kommuneprofilen og nabokommunene (felles grense, "
            "eller under 2 km over vann). Samme opplysninger står i tabellen."
        )
        % {"name": municipality.name},
        focus=[r.number for r in regions],
        export=("kommune", municipality.number),
        id=f"kart-kommune-{municipality.number}",
    )


def county_map(county: County) -> MunicipalityMap:
    municipalities = list(county.municipalities.order_by("number"))
    current = any(m.valid_to is None for m in municipalities)
    regions = [
        Region(m.number, m.number, "member", name=m.name)
        for m in municipalities
        if m.valid_to is None or not current
    ]
    return MunicipalityMap(
        title=_("Kommunene i %(name)s") % {"name": county.name},
        regions=regions,
        legend=[LegendEntry("member", _("Kommune i fylket"), CATEGORICAL[4])],
        value_label=_("Kommunenummer"),
        focus=county.number if current else [r.number for r in regions],
        export=("fylke", county.number),
        id=f"kart-fylke-{county.number}",
    )


@map_builder("kommune")
def _municipality_export(request: HttpRequest, key: str) -> MunicipalityMap:
    return locator_map(get_object_or_404(Municipality, number=key))


@map_builder("fylke")
def _county_export(request: HttpRequest, key: str) -> MunicipalityMap:
    if not key.isdigit():
        raise Http404
    return county_map(get_object_or_404(County, number=key))
