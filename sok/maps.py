"""The search results on a map of Norway: every hit of the search (all pages), coloured by
whether it has all the words or only some of them; municipalities without a hit are drawn
faintly. The map follows the filters (one chosen county frames that county), and its table
lists the same hits. Built on the register's map component (``portal.register.geo``)."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from portal.formats import number as format_number
from portal.register.geo import CATEGORICAL, LegendEntry, MunicipalityMap, Region, map_builder

from .query import Hit, ProfileQuery, SearchResult
from .service import can_search, search_profiles

FULL, PARTIAL = "full", "partial"
# More than any round has profiles: the map shows every hit, never a page of them.
MAP_LIMIT = 1000


def all_hits(query: ProfileQuery, result: SearchResult) -> list[Hit]:
    """Every hit of the search, by a second search of one page holding them all (always, so
    the page costs the same number of queries however many hits there are)."""
    total = result.partial_count if result.partial else result.count
    if not total:
        return []
    return search_profiles(replace(query, page=1, page_size=min(total, MAP_LIMIT))).hits


def search_map(
    query: ProfileQuery, result: SearchResult, *, export_query: str = ""
) -> MunicipalityMap:
    hits = all_hits(query, result)
    regions = []
    for rank, hit in enumerate(hits, start=1):
        municipality = hit.payload["municipality"]
        if hit.matched_all_terms:
            value = _("treff nr. %(rank)s") % {"rank": format_number(rank)}
        else:
            value = _("treff nr. %(rank)s, har ordene %(words)s") % {
                "rank": format_number(rank),
                "words": ", ".join(hit.matched_terms) or _("ingen"),
            }
        regions.append(
            Region(
                municipality["number"],
                value,
                FULL if hit.matched_all_terms else PARTIAL,
                name=municipality["name"],
            )
        )
    counties = query.filters.get("county") or []
    described = _(
        "Kommunene med treff er farget: mørk blå har alle ordene og filtrene, oransje bare noen "
        "av ordene. Kommuner uten treff er grå. Samme treff står i tabellen."
    )
    return MunicipalityMap(
        title=_("Treffene på kartet"),
        description=described,
        regions=regions,
        legend=[
            LegendEntry(FULL, _("Treff på alle ordene og filtrene"), CATEGORICAL[0]),
            LegendEntry(PARTIAL, _("Treff på noen av ordene"), CATEGORICAL[1]),
        ],
        value_label=_("Treff"),
        focus=counties[0] if len(counties) == 1 else None,
        export=("sok", "treff"),
        export_query=export_query,
        id="kart-sok",
    )


@map_builder("sok")
def _search_export(request: HttpRequest, key: str) -> MunicipalityMap:
    from .forms import SearchForm
    from .index import available_rounds

    if key != "treff":
        raise Http404
    if not request.user.is_authenticated or not can_search(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET)
    if not form.is_valid():
        raise Http404
    rounds = available_rounds()
    query = form.to_query(default_round=rounds[0] if rounds else None)
    return search_map(query, search_profiles(query))
