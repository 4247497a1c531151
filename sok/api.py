"""Search API: ``/api/v1/search/profiles/`` (the same search as the page, parameters checked by
the same form) and ``/api/v1/search/municipalities/?q=`` (name suggestions for autocomplete).
Both are for the users who may search (``sok.service.can_search``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from portal.register.models import Municipality

from .analysis import fold
from .facets import DIMENSION_LABELS, choice_labels, labels_for, present, register_names
from .forms import (
    ChoiceListField,
    PercentField,
    SearchForm,
    ValueListField,
    without_control_characters,
)
from .index import newest_round
from .query import SearchResult
from .serializers import (
    MunicipalitySuggestionsSerializer,
    ProfileSearchSerializer,
    search_error_serializer,
)
from .service import can_search, search_profiles

MAX_SUGGESTIONS = 10
MAX_SUGGEST_LENGTH = 100
# Norwegian alphabetical order: æ, ø, å after z.
_NORWEGIAN_ORDER = str.maketrans({"æ": "z\x01", "ø": "z\x02", "å": "z\x03"})


class CanSearch(BasePermission):
    """IMDi, KS and every county's officers (``sok.service.can_search``)."""

    message = _("Søk i kommuneprofiler er for IMDi, KS og fylkeskommunene.")

    def has_permission(self, request, view):
        return can_search(request.user)


# ---------------------------------------------------------------------------------------------
# profiles


def _schema_parameters() -> list[OpenApiParameter]:
    """The query parameters, read off the form, so the schema cannot drift from validation."""
    parameters = []
    for name, field in SearchForm.search_fields().items():
        description = str(field.label or name)
        if field.help_text:
            description += f". {field.help_text}"
        kwargs: dict = {}
        many = isinstance(field, ChoiceListField | ValueListField)
        if many:
            kwargs.update(explode=True)
            description += ". Kan gjentas; treff på minst én av verdiene."
        kind: dict
        if isinstance(field, PercentField):
            kind = {"type": "number"}
        elif isinstance(field, forms.IntegerField):
            kind = {"type": "integer"}
        else:
            kind = {"type": "string"}
        # The bounds and patterns the form enforces, so the schema states them too.
        for bound, key in (("min_value", "minimum"), ("max_value", "maximum")):
            if getattr(field, bound, None) is not None and kind["type"] != "string":
                kind[key] = (
                    float(getattr(field, bound))
                    if kind["type"] == "number"
                    else int(getattr(field, bound))
                )
        if isinstance(field, ValueListField) and field.normalise is None:
            kind["pattern"] = f"^(?:{field.pattern.pattern})$"
        if isinstance(field, forms.ChoiceField):  # also ChoiceListField
            kind["enum"] = [value for value, _label in field.choices]
        schema = {"type": "array", "items": kind} if many else kind
        parameters.append(OpenApiParameter(name, schema, description=description, **kwargs))
    return parameters


def _page_url(request, page: int | None) -> str | None:
    if page is None:
        return None
    url = request.build_absolute_uri()
    return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)


def _satisfied(hit, labels) -> list[dict]:
    return [
        {
            "dimension": dimension,
            "label": str(DIMENSION_LABELS[dimension]),
            "values": [{"value": v, "label": labels[dimension].get(v, v)} for v in values],
        }
        for dimension, values in hit.filters.items()
    ]


def _hit(hit, labels) -> dict:
    payload = hit.payload
    return {
        "key": hit.key,
        "municipality": payload["municipality"],
        "county": payload["county"],
        "round": payload["round"],
        "status": payload["status"],
        "status_label": choice_labels("status").get(payload["status"], payload["status"]),
        "capacity": payload.get("capacity"),
        "result": payload.get("result"),
        "wants_to_settle": payload.get("wants_to_settle"),
        "takes_minors": payload.get("takes_minors"),
        "last_change": payload.get("last_change"),
        "statistics": payload.get("statistics"),
        "score": hit.score,
        "matched_all_terms": hit.matched_all_terms,
        "matched_terms": hit.matched_terms,
        "highlights": hit.highlights,
        "filters_matched": _satisfied(hit, labels),
    }


def _facets(result: SearchResult) -> dict:
    return {
        dimension: [
            {"value": option.value, "count": option.count, "label": option.label}
            for option in options
        ]
        for dimension, options in present(result.facets).items()
        if options
    }


def _near(query) -> dict | None:
    """The «i nærheten av» filter as applied: the municipality and the ones it lets through."""
    if not query.near:
        return None
    names = register_names()["cooperation"]
    return {
        "number": query.near,
        "name": names.get(query.near, query.near),
        "municipalities": [{"number": n, "name": names.get(n, n)} for n in query.nearby],
    }


class ProfileSearchViewSet(viewsets.GenericViewSet):
    permission_classes = [CanSearch]
    serializer_class = ProfileSearchSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary="Søk i kommuneprofiler",
        description=(
            "Fritekst (norsk: bøying, æ/ø/å, synonymer og deler av sammensatte ord) og filtre "
            "på hver dimensjon, med antall treff per verdi (fasetter) regnet på det filtrerte "
            "resultatet (en valgt dimensjon uten sine egne valg). Bare innsendte og godkjente profiler; utkast er aldri med. Uten "
            "«round» søkes den nyeste runden som har profiler. Ugyldige parametre gir 400 "
            "med en forklaring per parameter."
        ),
        parameters=_schema_parameters(),
        responses={
            200: ProfileSearchSerializer,
            400: OpenApiResponse(
                search_error_serializer(SearchForm.search_fields()),
                description="Parametre som ikke kan brukes, med forklaring.",
            ),
        },
    )
    def list(self, request, format=None):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors_by_field())
        given = form.cleaned_data.get("round")
        query = form.to_query(default_round=newest_round() if given is None else None)
        result = search_profiles(query)
        shown = result.partial_count if result.partial else result.count
        last_page = max(1, -(-shown // query.page_size))
        labels = labels_for(query.filters)
        data = {
            "count": result.count,
            "partial": result.partial,
            "partial_count": result.partial_count,
            "next": _page_url(request, query.page + 1 if query.page < last_page else None),
            "previous": _page_url(
                request, min(query.page - 1, last_page) if query.page > 1 else None
            ),
            "results": [_hit(hit, labels) for hit in result.hits],
            "facets": _facets(result),
            "near": _near(query),
            "backend": result.backend,
            "degraded": result.degraded,
        }
        # Plain data, already in the documented shape (ProfileSearchSerializer, checked by the
        # tests): running hundreds of facet values through serializer fields costs more than
        # the search itself.
        response = Response(data)
        if result.engine_ms is not None:
            # Lets clients (and ``manage.py bench``) compare the engine's own time with the API's.
            response["Server-Timing"] = f"engine;dur={result.engine_ms:.1f}"
        return response


# ---------------------------------------------------------------------------------------------
# municipality suggestions


def suggest_municipalities(text: str, limit: int = MAX_SUGGESTIONS) -> list[Municipality]:
    """Today's municipalities whose name or parallel name matches the folded text ("tromso"
    finds Tromsø): whole-name matches, then names starting with it, then names with a word
    starting with it, then names containing it; by name within each. One query."""
    needle = fold(without_control_characters(text or "")[:MAX_SUGGEST_LENGTH]).strip()
    if not needle:
        return []
    ranked = []
    for municipality in Municipality.objects.current().select_related("county"):
        best = None
        for name in [municipality.name, *municipality.parallel_names]:
            folded = fold(name)
            if folded == needle:
                rank = 0
            elif folded.startswith(needle):
                rank = 1
            elif any(word.startswith(needle) for word in folded.replace("-", " ").split()):
                rank = 2
            elif needle in folded:
                rank = 3
            else:
                continue
            best = rank if best is None else min(best, rank)
        if best is not None:
            order = municipality.name.lower().translate(_NORWEGIAN_ORDER)
            ranked.append((best, order, municipality.number, municipality))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]


class MunicipalitySuggestViewSet(viewsets.GenericViewSet):
    permission_classes = [CanSearch]
    serializer_class = MunicipalitySuggestionsSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary="Forslag til kommunenavn",
        description=(
            "Dagens kommuner hvis navn eller parallellnavn passer teksten, uten hensyn til "
            "store/små bokstaver og æ/ø/å («tromso» finner Tromsø). Eksakte treff og navn som "
            f"begynner med teksten først; høyst {MAX_SUGGESTIONS}."
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Begynnelsen av et kommunenavn.")
        ],
        responses={200: MunicipalitySuggestionsSerializer},
    )
    def list(self, request, format=None):
        municipalities = suggest_municipalities(request.query_params.get("q", ""))
        data = {
            "results": [
                {
                    "number": m.number,
                    "name": m.name,
                    "parallel_names": m.parallel_names,
                    "county": {"number": m.county.number, "name": m.county.name}
                    if m.county
                    else None,
                }
                for m in municipalities
            ]
        }
        return Response(MunicipalitySuggestionsSerializer(data).data)


def register_routes(router) -> None:
    router.register("search/profiles", ProfileSearchViewSet, basename="search-profiles")
    router.register(
        "search/municipalities", MunicipalitySuggestViewSet, basename="search-municipalities"
    )
