"""Read-only REST API for the register (DRF): counties, municipalities, occupations, programmes,
and IMDi's statistics (indicators, and each municipality's series)."""

import re

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .filters import StrictBooleanFilter
from .models import (
    County,
    Indicator,
    Municipality,
    MunicipalityNeighbour,
    Occupation,
    Programme,
    StatisticValue,
    StructureVersion,
)
from .serializers import (
    CountySerializer,
    IndicatorSerializer,
    IndicatorSeriesSerializer,
    MunicipalityDetailSerializer,
    MunicipalitySerializer,
    OccupationSerializer,
    ProgrammeSerializer,
)

_INDICATOR_CODE = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def _structure_or_error(value: str) -> StructureVersion:
    version = StructureVersion.objects.resolve(value)
    if version is None:
        known = ", ".join(StructureVersion.objects.values_list("code", flat=True))
        raise ValidationError(
            {
                "structure": [
                    _("Ukjent strukturversjon «%(value)s». Kjente: %(known)s.")
                    % {"value": value, "known": known}
                ]
            }
        )
    return version


class StructureFilterMixin(django_filters.FilterSet):
    structure = django_filters.CharFilter(
        method="filter_structure",
        label=_lazy("Strukturversjon (kode som «2024», eller et årstall)"),
    )

    def filter_structure(self, queryset, name, value):
        return queryset.in_structure(_structure_or_error(value.strip()))


class CountyFilter(StructureFilterMixin):
    class Meta:
        model = County
        fields = ["structure"]


class MunicipalityFilter(StructureFilterMixin):
    county = django_filters.CharFilter(field_name="county__number", label=_lazy("Fylkesnummer"))
    current = StrictBooleanFilter(method="filter_current", label=_lazy("Bare gjeldende"))

    class Meta:
        model = Municipality
        fields = ["structure", "county", "current"]

    def filter_current(self, queryset, name, value):
        return queryset.filter(valid_to__isnull=value)


@extend_schema_view(list=extend_schema(summary="Fylker"), retrieve=extend_schema(summary="Fylke"))
class CountyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = County.objects.all()
    serializer_class = CountySerializer
    lookup_field = "number"
    lookup_value_regex = r"\d{2}"
    filterset_class = CountyFilter


@extend_schema_view(
    list=extend_schema(summary="Kommuner"),
    retrieve=extend_schema(
        summary="Kommune",
        parameters=[OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH)],
    ),
)
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.select_related("county")
    lookup_field = "number"
    lookup_value_regex = r"\d{4}"
    filterset_class = MunicipalityFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.select_related("current").prefetch_related(
                "successors",
                "predecessors",
                Prefetch(
                    "neighbour_links",
                    MunicipalityNeighbour.objects.select_related("neighbour").order_by(
                        "neighbour__number"
                    ),
                ),
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "statistics":
            return IndicatorSeriesSerializer
        return MunicipalityDetailSerializer if self.action == "retrieve" else MunicipalitySerializer

    @extend_schema(
        summary="Statistikk for en kommune",
        description=(
            "Hver indikators tallserie for kommunen (IMDi: anmodning, vedtak, bosetting …), "
            "inkludert tall som er oppført på kommunens tidligere kommunenumre. Et år som finnes "
            "under flere numre, telles én gang: tallet på nummeret som gjaldt det året vinner; "
            "flere slike numre er delene i en senere sammenslåing, hver med sitt `recorded_as`."
        ),
        parameters=[
            OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH),
            OpenApiParameter(
                "indicator",
                OpenApiTypes.STR,
                description="Bare disse indikatorene, kommaseparerte koder (f.eks. «anmodning,vedtak»).",
            ),
        ],
        responses=IndicatorSeriesSerializer(many=True),
    )
    @action(detail=True, url_path="statistics", pagination_class=None, filter_backends=[])
    def statistics(self, request, number=None, format=None):
        municipality = self.get_object()
        codes = None
        if raw := request.query_params.get("indicator", "").strip():
            codes = {code.strip() for code in raw.split(",") if code.strip()}
            # Codes are slugs; checking first also keeps NUL bytes away from PostgreSQL.
            valid = {code for code in codes if _INDICATOR_CODE.fullmatch(code)}
            known = set(Indicator.objects.filter(code__in=valid).values_list("code", flat=True))
            if unknown := sorted(codes - known):
                raise ValidationError(
                    {
                        "indicator": [
                            _("Ukjent indikator: %(codes)s.") % {"codes": ", ".join(unknown)}
                        ]
                    }
                )
        series = StatisticValue.objects.series_for(municipality, indicators=codes)
        return Response(IndicatorSeriesSerializer(series, many=True).data)


class OccupationFilter(django_filters.FilterSet):
    level = django_filters.NumberFilter(field_name="level")
    parent = django_filters.CharFilter(field_name="parent__code")

    class Meta:
        model = Occupation
        fields = ["level", "parent"]


@extend_schema_view(list=extend_schema(summary="Yrker (STYRK-08)"))
class OccupationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Occupation.objects.select_related("parent")
    serializer_class = OccupationSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{1,4}"
    filterset_class = OccupationFilter


@extend_schema_view(list=extend_schema(summary="Utdanningsprogrammer"))
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Programme.objects.prefetch_related("areas")
    serializer_class = ProgrammeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Z]{2}"


@extend_schema_view(
    list=extend_schema(summary="Statistikkindikatorer"),
    retrieve=extend_schema(summary="Statistikkindikator"),
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


def register_routes(router) -> None:
    router.register("counties", CountyViewSet, basename="county")
    router.register("municipalities", MunicipalityViewSet, basename="municipality")
    router.register("occupations", OccupationViewSet, basename="occupation")
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("indicators", IndicatorViewSet, basename="indicator")
