"""Read-only REST API for the register (DRF): counties, municipalities, occupations, programmes."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from .models import County, Municipality, Occupation, Programme, StructureVersion
from .serializers import (
    CountySerializer,
    MunicipalityDetailSerializer,
    MunicipalitySerializer,
    OccupationSerializer,
    ProgrammeSerializer,
)


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
        label="Strukturversjon (kode som «2024», eller et årstall)",
    )

    def filter_structure(self, queryset, name, value):
        return queryset.in_structure(_structure_or_error(value.strip()))


class CountyFilter(StructureFilterMixin):
    class Meta:
        model = County
        fields = ["structure"]


class MunicipalityFilter(StructureFilterMixin):
    county = django_filters.CharFilter(field_name="county__number", label="Fylkesnummer")
    current = django_filters.BooleanFilter(method="filter_current", label="Bare gjeldende")

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
                "successors", "predecessors"
            )
        return queryset

    def get_serializer_class(self):
        return MunicipalityDetailSerializer if self.action == "retrieve" else MunicipalitySerializer


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


def register_routes(router) -> None:
    router.register("counties", CountyViewSet, basename="county")
    router.register("municipalities", MunicipalityViewSet, basename="municipality")
    router.register("occupations", OccupationViewSet, basename="occupation")
    router.register("programmes", ProgrammeViewSet, basename="programme")
