"""The round's maps: municipalities by submission status (IMDi's round overview), and a
county's recommended numbers against the capacity its municipalities stated.

Built on the register's map component (``portal.register.geo``). Drafts count only by their
status, never by content. Each map costs a fixed number of queries.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from portal import extensions
from portal.accounts import rules
from portal.formats import number as format_number
from portal.register.geo import (
    CATEGORICAL,
    LegendEntry,
    MunicipalityMap,
    Region,
    bin_key,
    map_builder,
    sequential_legend,
)
from portal.register.geo.exports import png_bytes, standalone_svg
from portal.register.geo.maps import render_map
from portal.register.geo.pages import locator_map
from portal.register.models import County, Municipality

from . import reading
from .models import Round, Status, Submission

STATUS_COLOURS = {
    Status.DRAFT: CATEGORICAL[1],  # orange
    Status.SUBMITTED: CATEGORICAL[4],  # sky blue
    Status.RETURNED: CATEGORICAL[5],  # vermillion
    Status.RESUBMITTED: CATEGORICAL[0],  # blue
    Status.ACCEPTED: CATEGORICAL[2],  # bluish green
}
SUBMITTED = {Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED, Status.ACCEPTED}

# Recommended number against stated capacity.
OVER, EQUAL, UNDER, NO_CAPACITY = "over", "equal", "under", "no_capacity"
RECOMMENDATION_LEGEND = (
    (OVER, _("Anbefalt over oppgitt kapasitet"), CATEGORICAL[5]),
    (EQUAL, _("Anbefalt lik oppgitt kapasitet"), CATEGORICAL[2]),
    (UNDER, _("Anbefalt under oppgitt kapasitet"), CATEGORICAL[4]),
    (NO_CAPACITY, _("Anbefalt, men ingen kapasitet oppgitt"), CATEGORICAL[3]),
)


def round_status_map(round_: Round) -> MunicipalityMap:
    """Every municipality of the round's structure, coloured by its profile's status; counties
    with how many of their profiles are sent in. Two queries (plus ≤ 2 for older codes)."""
    statuses = dict(
        Submission.objects.filter(round=round_, kind=Submission.Kind.PROFILE)
        .values_list("municipality__number", "status")
        .order_by()
    )
    municipalities = list(
        Municipality.objects.in_structure(round_.structure)
        .select_related("county")
        .order_by("number")
    )
    regions, per_county = [], {}
    for municipality in municipalities:
        status = statuses.get(municipality.number)
        regions.append(
            Region(
                municipality.number,
                str(Status(status).label) if status else _("Ikke startet"),
                status or None,
                name=municipality.name,
            )
        )
        if municipality.county is not None:
            sent, total = per_county.get(municipality.county, (0, 0))
            per_county[municipality.county] = (sent + (status in SUBMITTED), total + 1)
    return MunicipalityMap(
        title=_("Kommuneprofiler i %(round)s etter status") % {"round": round_},
        regions=regions,
        legend=[LegendEntry(s.value, str(s.label), STATUS_COLOURS[s]) for s in STATUS_COLOURS],
        value_label=_("Status"),
        no_data_label=_("Ikke startet"),
        counties={
            county.number: _("%(sent)s av %(total)s sendt inn")
            % {"sent": format_number(sent), "total": format_number(total)}
            for county, (sent, total) in sorted(per_county.items(), key=lambda i: i[0].number)
        },
        county_label=_("Profiler sendt inn"),
        export=("runde-status", str(round_.year)),
        id="kart-runde-status",
    )


def recommendation_category(recommended: int | None, capacity: int | None) -> str | None:
    if recommended is None:
        return None
    if capacity is None:
        return NO_CAPACITY
    if recommended > capacity:
        return OVER
    return EQUAL if recommended == capacity else UNDER


def county_recommendation_map(
    round_: Round, county: County, *, recommended: dict[str, int] | None = None
) -> MunicipalityMap:
    """The county's municipalities coloured by the county's recommended number (its latest
    submitted version, never a draft) against the capacity each municipality stated in its
    published profile. Three queries.

    ``recommended``: the numbers to draw instead (the county's own saved working copy, on its
    recommendation page); such a map has no export, since the export draws what is sent in."""
    saved = recommended is not None
    if recommended is None:
        recommended = reading.recommended_numbers(round_=round_)
    capacities = reading.stated_capacities(round_=round_)
    regions = []
    for municipality in (
        Municipality.objects.in_structure(round_.structure).filter(county=county).order_by("number")
    ):
        number = recommended.get(municipality.number)
        capacity = capacities.get(municipality.number)
        if not isinstance(capacity, int):
            capacity = None
        if number is None:
            value = _("ingen anbefaling")
        elif capacity is None:
            value = _("%(n)s anbefalt, kapasitet ikke oppgitt") % {"n": format_number(number)}
        else:
            value = _("%(n)s anbefalt, kapasitet %(c)s") % {
                "n": format_number(number),
                "c": format_number(capacity),
            }
        regions.append(
            Region(
                municipality.number,
                value,
                recommendation_category(number, capacity),
                name=municipality.name,
            )
        )
    if saved:
        return MunicipalityMap(
            title=_("Lagret anbefaling mot oppgitt kapasitet i %(county)s, %(round)s")
            % {"county": county.name, "round": round_},
            description=_(
                "Tallene som er lagret i skjemaet, mot kapasiteten i hver kommunes innsendte "
                "profil. Kartet oppdateres når du lagrer. Samme tall står i tabellen."
            ),
            regions=regions,
            legend=[
                LegendEntry(key, str(label), colour) for key, label, colour in RECOMMENDATION_LEGEND
            ],
            value_label=_("Anbefalt og kapasitet"),
            no_data_label=_("Ingen anbefaling lagret"),
            focus=[r.number for r in regions],
            id=f"kart-anbefaling-{county.number}",
        )
    return MunicipalityMap(
        title=_("Anbefalt antall mot oppgitt kapasitet i %(county)s, %(round)s")
        % {"county": county.name, "round": round_},
        description=_(
            "Fylkets siste innsendte anbefaling mot kapasiteten i hver kommunes innsendte "
            "profil. Samme tall står i tabellen."
        ),
        regions=regions,
        legend=[
            LegendEntry(key, str(label), colour) for key, label, colour in RECOMMENDATION_LEGEND
        ],
        value_label=_("Anbefalt og kapasitet"),
        no_data_label=_("Ingen anbefaling sendt inn"),
        focus=[r.number for r in regions],
        export=("fylke-anbefaling", f"{round_.year}-{county.number}"),
        id=f"kart-anbefaling-{county.number}",
    )


@map_builder("runde-status")
def _round_status_export(request: HttpRequest, key: str) -> MunicipalityMap:
    # The same rule as the round overview that shows it.
    if not rules.can_follow_rounds(request.user):
        raise PermissionDenied
    round_ = (
        Round.objects.select_related("structure").filter(year=key).first()
        if key.isdigit()
        else None
    )
    if round_ is None:
        raise Http404
    return round_status_map(round_)


@map_builder("fylke-anbefaling")
def _recommendation_export(request: HttpRequest, key: str) -> MunicipalityMap:
    year, _sep, number = key.partition("-")
    # Only submitted versions are drawn: whoever may read submitted content may have the map.
    if not rules.can_view_submitted(request.user):
        raise PermissionDenied
    round_ = (
        Round.objects.select_related("structure").filter(year=year).first()
        if year.isdigit()
        else None
    )
    county = County.objects.filter(number=number).first() if number.isdigit() else None
    if round_ is None or county is None:
        raise Http404
    return county_recommendation_map(round_, county)


RECOMMENDED_BREAKS = (5, 10, 20, 40)


def preparatory_map(content: dict) -> MunicipalityMap:
    """The county map of a preparatory document, from the document's stored content, so the
    picture in the Word file always matches its tables: recommended numbers per municipality."""
    regions = []
    for row in content.get("municipalities") or []:
        recommended = (row.get("recommended") or {}).get("number")
        regions.append(
            Region(
                row["number"],
                format_number(recommended) if recommended is not None else _("ingen anbefaling"),
                bin_key(recommended, RECOMMENDED_BREAKS),
                name=row["name"],
            )
        )
    return MunicipalityMap(
        title=_("Anbefalt antall per kommune, %(county)s %(year)s")
        % {"county": content["county"]["name"], "year": content["round"]["year"]},
        regions=regions,
        legend=sequential_legend(RECOMMENDED_BREAKS, unit=_("personer")),
        value_label=_("Anbefalt antall"),
        no_data_label=_("Ingen anbefaling"),
        focus=[r.number for r in regions],
        context=True,
        id="kart-saksforberedende",
    )


def preparatory_map_png(content: dict, width: int = 1200) -> bytes:
    return png_bytes(standalone_svg(preparatory_map(content)), width=width)


# --- panels on other apps' pages (portal.extensions) ---------------------------------------------


def cooperation_partners(*, user, municipality: Municipality) -> list[Municipality]:
    """Today's municipalities named as partners in the latest published profile of this
    municipality (or a code it continues); none for users who may not read profiles."""
    if not rules.can_view_submitted(user):
        return []
    codes = reading.earlier_codes(municipality=municipality)
    profile = (
        reading.published_profiles()
        .filter(municipality_id__in=codes)
        .order_by("-round__year")
        .first()
    )
    version = reading.latest_version(submission=profile) if profile else None
    rows = ((version.data or {}).get("cooperation") or []) if version else []
    numbers = {
        number for row in rows for number in (row.get("partners") or []) if isinstance(number, str)
    }
    if not numbers:
        return []
    partners = Municipality.objects.filter(number__in=numbers).select_related("current")
    return sorted({p.resolve_current() for p in partners}, key=lambda m: m.number)


@extensions.register(extensions.MUNICIPALITY_PAGE, order=30)
def municipality_locator(*, request, municipality):
    the_map = locator_map(
        municipality,
        partners=cooperation_partners(user=request.user, municipality=municipality),
    )
    the_map.export = ("kommune-samarbeid", municipality.number)
    return extensions.Panel(
        "register/includes/map_panel.html",
        {"map": render_map(the_map), "include_assets": True, "heading": _("Kart")},
    )


@extensions.register(extensions.COUNTY_RECOMMENDATIONS, order=10)
def recommendations_map(*, request, submission):
    the_map = county_recommendation_map(submission.round, submission.county)
    return extensions.Panel(
        "register/includes/map_panel.html",
        {"map": render_map(the_map), "include_assets": True, "heading": ""},
    )


@map_builder("kommune-samarbeid")
def _locator_export(request: HttpRequest, key: str) -> MunicipalityMap:
    municipality = Municipality.objects.filter(number=key).first() if key.isdigit() else None
    if municipality is None:
        raise Http404
    the_map = locator_map(
        municipality, partners=cooperation_partners(user=request.user, municipality=municipality)
    )
    the_map.export = ("kommune-samarbeid", municipality.number)
    return the_map
