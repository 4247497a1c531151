"""The search page: municipality profiles through the search service (either backend, with the
database as a plain-spoken fallback), and guidance pages and minutes through Wagtail's own
search, each in its own result group. Works without JavaScript (a GET form)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from portal import extensions
from portal.content.models import ContentPageQuerySet

from . import dimensions
from .analysis import tokens
from .facets import (
    DIMENSION_LABELS,
    FacetValue,
    choice_labels,
    labels_for,
    present,
    register_names,
)
from .forms import SearchForm
from .index import available_rounds
from .maps import search_map
from .query import ProfileQuery, SearchResult
from .service import can_search, search_profiles

MAX_PAGE_HITS = 10
MAX_TARGET_GROUPS = 20
DEGRADED_NOTICE = _(
    "Søkemotoren er midlertidig utilgjengelig. Resultatene kommer fra reservesøket i databasen "
    "og kan være litt eldre."
)


@dataclass
class FilterGroup:
    name: str
    legend: str
    kind: str  # "checkbox" or "select"
    options: list[FacetValue]
    code_label: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ShownHit:
    number: str
    name: str
    parallel_names: list[str]
    url: str
    county: str
    capacity: int | None
    result: str | None
    status: str
    status_label: str
    last_change: datetime.datetime | None
    statistics: dict | None = None
    highlights: list[dict] = field(default_factory=list)
    matched_all_terms: bool = True
    matched_terms: list[str] = field(default_factory=list)
    # The chosen filters this profile satisfies: [(legend, [value labels])].
    filters: list[tuple[str, list[str]]] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)


def _shown_hits(result: SearchResult, query: ProfileQuery | None = None) -> list[ShownHit]:
    statuses = choice_labels("status")
    labels = labels_for(query.filters) if query is not None else {}
    shown = []
    for hit in result.hits:
        payload = hit.payload
        municipality = payload["municipality"]
        shown.append(
            ShownHit(
                number=municipality["number"],
                name=municipality["name"],
                parallel_names=municipality.get("parallel_names") or [],
                url=reverse("register:municipality", args=[municipality["number"]]),
                county=payload["county"]["name"],
                capacity=payload.get("capacity"),
                result=(payload.get("result") or "").replace(".", ",") or None,
                status=payload["status"],
                status_label=statuses.get(payload["status"], payload["status"]),
                last_change=parse_datetime(payload.get("last_change") or ""),
                statistics=payload.get("statistics"),
                highlights=hit.highlights,
                matched_all_terms=hit.matched_all_terms,
                matched_terms=hit.matched_terms,
                filters=[
                    (str(DIMENSION_LABELS[d]), [labels[d].get(v, v) for v in values])
                    for d, values in hit.filters.items()
                ],
                numbers=hit.numbers,
            )
        )
    return shown


@dataclass
class Chip:
    label: str
    url: str


def _chips(request, form: SearchForm, query: ProfileQuery) -> list[Chip]:
    """The active filters, each with a link that removes just it."""

    def without(name: str, value: str | None = None) -> str:
        params = request.GET.copy()
        params.pop("page", None)
        if value is None:
            params.pop(name, None)
        else:
            params.setlist(name, [v for v in params.getlist(name) if v != value])
        return "?" + params.urlencode()

    chips = []
    if query.text:
        chips.append(Chip(f"Fritekst: «{query.text}»", without("q")))
    labels = labels_for(query.filters)
    for dimension, values in query.filters.items():
        legend = DIMENSION_LABELS[dimension]
        raw = request.GET.getlist(dimension)
        for value in values:
            given = next((r for r in raw if r.strip().upper() == value.upper()), value)
            if dimension == "cooperation":
                given = next((r for r in raw if r.strip().startswith(value)), given)
            chips.append(
                Chip(f"{legend}: {labels[dimension].get(value, value)}", without(dimension, given))
            )
    if query.near:
        name = register_names()["cooperation"].get(query.near, query.near)
        chips.append(
            Chip(_("I nærheten av: %(name)s og nabokommunene") % {"name": name}, without("near"))
        )
    for key, minimum in query.minimums.items():
        number = dimensions.numbers()[key]
        shown = str(minimum).replace(".", ",")
        chips.append(Chip(f"{number.label}: {shown}", without(number.parameter)))
    return chips


def _offered() -> list[dimensions.Facet]:
    """The facets the page offers, in its order: checkboxes, selects, then the long lists."""
    order = {"checkbox": 0, "select": 1, "checkbox_more": 2}
    offered = [f for f in dimensions.facets().values() if f.widget in order]
    return sorted(offered, key=lambda f: order[f.widget])  # stable: registry order within


def _filter_groups(facets: dict[str, list[FacetValue]], form: SearchForm) -> list[FilterGroup]:
    groups = []
    for facet in _offered():
        name = facet.key
        options = facets[name]
        if name == "target_group":  # free text: the most frequent, and the chosen ones
            chosen = [o for o in options if o.selected]
            options = chosen + [o for o in options if not o.selected][:MAX_TARGET_GROUPS]
        elif name == "cooperation":
            options = sorted(options, key=lambda o: o.label)
        elif facet.widget == "select":
            options = sorted(options, key=lambda o: o.value)  # codes: a group before its members
        groups.append(
            FilterGroup(
                name=name,
                legend=str(facet.label),
                kind="select" if facet.widget == "select" else "checkbox",
                options=options,
                code_label=str(facet.code_hint),
                errors=[str(e) for e in form.errors.get(name, ())],
            )
        )
    return groups


def _thresholds(form: SearchForm) -> list[dict]:
    """The numbers' minimum fields, as the page shows them (integers as number inputs)."""
    return [
        {"field": form[number.parameter], "decimal": number.decimal}
        for number in dimensions.numbers().values()
    ]


@dataclass
class PageHit:
    title: str
    url: str
    kind: str


def search_pages(text: str, request, limit: int = MAX_PAGE_HITS) -> list[PageHit]:
    """Guidance, meetings and minutes the user may open, through Wagtail's database search.
    Pages under a view restriction the user does not pass are left out (the content app's
    rule, also used by its listings)."""
    # Words only: the search backends give query syntax (quotes, AND, *) its own meaning, and
    # SQLite's full-text search refuses what it cannot parse.
    words = " ".join(dict.fromkeys(tokens(text))) if text else ""
    if not words:
        return []
    pages = ContentPageQuerySet(model=Page).visible_to(request.user).filter(depth__gt=1)
    return [
        PageHit(
            title=page.title,
            url=page.get_url(request),
            kind=str(capfirst(page.specific_class._meta.verbose_name))
            if page.specific_class
            else "",
        )
        for page in pages.search(words)[:limit]
    ]


def _page_links(request, result: SearchResult, page: int, page_size: int) -> dict:
    last = max(1, -(-result.count // page_size))

    def url(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    window = range(max(1, page - 2), min(last, page + 2) + 1)
    return {
        "page": page,
        "last": last,
        "previous": url(page - 1) if page > 1 else None,
        "next": url(page + 1) if page < last else None,
        "numbers": [(n, url(n)) for n in window],
        "first_url": url(1),
        "first_shown": (page - 1) * page_size + 1 if result.hits else 0,
        "last_shown": (page - 1) * page_size + len(result.hits),
    }


# Where the error summary sends the reader for each field.
_ERROR_TARGETS = {
    "q": "#id_q",
    "near": "#id_near",
    "round": "#id_round",
    "sort": "#id_sort",
    "page": "#treff",
    "page_size": "#treff",
}


def _number_parameters() -> set[str]:
    return {number.parameter for number in dimensions.numbers().values()}


def _error_entries(form: SearchForm) -> list[dict]:
    entries = []
    for name, errors in form.errors.items():
        if name in _number_parameters():
            href = f"#id_{name}"
        else:
            href = _ERROR_TARGETS.get(
                name, f"#filter-{name}" if name in form.fields else "#sok-skjema"
            )
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            entries.append({"href": href, "message": f"{label}: {error}" if label else error})
    return entries


def _map_query(request) -> str:
    params = request.GET.copy()
    for name in ("page", "page_size", "sort"):
        params.pop(name, None)
    return params.urlencode()


@login_required
@require_GET
def search(request):
    if not can_search(request.user):
        raise PermissionDenied(_("Søk i kommuneprofiler er for IMDi, KS og fylkeskommunene."))
    rounds = available_rounds()
    form = SearchForm(request.GET)
    context = {"form": form, "degraded_notice": DEGRADED_NOTICE}
    if form.is_valid():
        query = form.to_query(default_round=rounds[0] if rounds else None)
        result = search_profiles(query)
        facets = present(result.facets, form.selected_filters(), all_choices=True)
        hits = _shown_hits(result, query)
        context.update(
            thresholds=_thresholds(form),
            chips=_chips(request, form, query),
            hit_columns=extensions.columns(
                extensions.SEARCH_HIT,
                request=request,
                keys=[hit.number for hit in hits],
                round_year=query.round_year,
            ),
            export_url=reverse("sok:export") + "?" + request.GET.urlencode(),
            query=query,
            result=result,
            hits=hits,
            groups=_filter_groups(facets, form),
            pagination=_page_links(request, result, query.page, query.page_size),
            pages=search_pages(query.text, request),
            hits_map=search_map(query, result, export_query=_map_query(request)) if hits else None,
        )
        selected_round, selected_sort = query.round_year, query.sort
    else:
        # Keep what was valid (cleaned_data holds the fields that passed) and say what was not.
        facets = present({}, form.selected_filters(), all_choices=True)
        context["groups"] = _filter_groups(facets, form)
        context["thresholds"] = _thresholds(form)
        context["error_entries"] = _error_entries(form)
        selected_round = form.cleaned_data.get("round") or (rounds[0] if rounds else None)
        selected_sort = form.cleaned_data.get("sort") or "relevance"
    if selected_round is not None and selected_round not in rounds:
        rounds = sorted([*rounds, selected_round], reverse=True)
    context.update(rounds=rounds, selected_round=selected_round, selected_sort=selected_sort)
    return render(request, "sok/search.html", context)
