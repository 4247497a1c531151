"""Placement API, ``/api/v1/placement/``: rankings, capacity (list and PUT per municipality),
allocations with their transitions as actions, and batches. IMDi officers only: county
officers and KS get 403, anonymous callers 401 (the token authenticator's challenge)."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts import rules
from portal.api_parsers import SafeJSONParser
from portal.register.models import Municipality
from skjema.models import Round

from . import selectors, services
from .models import Allocation, CapacityChange, HouseholdAccess
from .serializers import (
    AllocationCreateSerializer,
    AllocationReasonSerializer,
    AllocationSerializer,
    BatchRequestSerializer,
    BatchResponseSerializer,
    MunicipalityCapacityQuerySerializer,
    MunicipalityCapacitySerializer,
    MunicipalityCapacityUpdateSerializer,
    RankingRequestSerializer,
    RankingResponseSerializer,
    batch_payload,
    ranking_payload,
)

PLAIN_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


class IsPlacementOfficer(BasePermission):
    message = _("Plassering er bare for IMDis saksbehandlere.")

    def has_permission(self, request, view):
        return rules.can_place_households(request.user)


class PlacementView(APIView):
    permission_classes = [IsPlacementOfficer]
    parser_classes = [SafeJSONParser]


def _refused(error: services.PlacementError) -> Response:
    code = (
        status.HTTP_409_CONFLICT
        if isinstance(error, services.NotEnoughCapacity)
        else status.HTTP_400_BAD_REQUEST
    )
    return Response({"detail": " ".join(error.messages)}, status=code)


RANKING_EXAMPLE = {
    "round": 2027,
    "limit": 10,
    "household": {
        "adults": [{"occupations": ["7212"], "education_level": "upper_secondary"}],
        "children_ages": [4, 9, 15],
        "unaccompanied_minor_age": None,
        "needs": ["accessible_dwelling"],
        "connection": {"municipality": "4601", "required": False},
    },
}


class RankingView(PlacementView):
    @extend_schema(
        operation_id="placement_rankings_create",
        summary=_("Ranger kommunene for en husholdning"),
        request=RankingRequestSerializer,
        responses={200: RankingResponseSerializer, 400: PLAIN_ERROR},
        examples=[OpenApiExample("familie", value=RANKING_EXAMPLE, request_only=True)],
    )
    def post(self, request):
        serializer = RankingRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round_ = data["round"]
        spec = services.spec_from_data(data["household"])
        stored, result = services.make_ranking(
            round_, spec, by=request.user, custom_weights=data.get("weights") or None
        )
        return Response(ranking_payload(round_, stored, result, data.get("limit") or 10))


class CapacityListView(PlacementView):
    @extend_schema(
        operation_id="placement_capacity_list",
        summary=_("Kapasitet per kommune: vedtatt, tildelt, ledig og kilden"),
        parameters=[
            OpenApiParameter("round", OpenApiTypes.INT, required=True),
            OpenApiParameter("county", OpenApiTypes.STR, required=False),
        ],
        responses={200: MunicipalityCapacitySerializer(many=True), 400: PLAIN_ERROR},
    )
    def get(self, request):
        query = MunicipalityCapacityQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        states = selectors.capacity_list(
            round_=query.validated_data["round"], county=query.validated_data.get("county")
        )
        return Response(MunicipalityCapacitySerializer(states, many=True).data)


class CapacityDetailView(PlacementView):
    def _target(self, year, number):
        round_ = get_object_or_404(Round, year=year)
        municipality = get_object_or_404(
            Municipality.objects.in_structure(round_.structure).select_related("county"),
            number=number,
        )
        return round_, municipality

    def _state(self, round_, municipality):
        states = selectors.capacity_list(round_=round_, county=municipality.county.number)
        return next(s for s in states if s.number == municipality.number)

    @extend_schema(
        operation_id="placement_capacity_retrieve",
        responses={200: MunicipalityCapacitySerializer, 404: PLAIN_ERROR},
    )
    def get(self, request, year: int, number: str):
        round_, municipality = self._target(year, number)
        return Response(MunicipalityCapacitySerializer(self._state(round_, municipality)).data)

    @extend_schema(
        operation_id="placement_capacity_update",
        summary=_("Registrer kommunestyrets vedtak"),
        request=MunicipalityCapacityUpdateSerializer,
        responses={200: MunicipalityCapacitySerializer, 400: PLAIN_ERROR, 404: PLAIN_ERROR},
        examples=[
            OpenApiExample(
                "vedtak",
                value={"decided": 20, "decided_minors_under_15": 0, "decided_minors_15_18": 4},
                request_only=True,
            )
        ],
    )
    def put(self, request, year: int, number: str):
        round_, municipality = self._target(year, number)
        serializer = MunicipalityCapacityUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = services.DecisionInput(
            municipality=municipality.number,
            decided=data["decided"],
            decided_minors_under_15=data.get("decided_minors_under_15") or 0,
            decided_minors_15_18=data.get("decided_minors_15_18") or 0,
            decided_on=data.get("decided_on"),
            source=data.get("source") or "",
        )
        try:
            services.set_decision(
                round_, municipality, entry, by=request.user, channel=CapacityChange.Channel.API
            )
        except services.PlacementError as error:
            return _refused(error)
        return Response(MunicipalityCapacitySerializer(self._state(round_, municipality)).data)


def _allocations():
    return Allocation.objects.select_related("round", "municipality").prefetch_related(
        "transitions"
    )


class AllocationListView(PlacementView, generics.GenericAPIView):
    serializer_class = AllocationSerializer
    queryset = Allocation.objects.none()

    @extend_schema(
        operation_id="placement_allocations_list",
        parameters=[OpenApiParameter("round", OpenApiTypes.INT, required=False)],
        responses={200: AllocationSerializer(many=True)},
    )
    def get(self, request):
        rows = _allocations().order_by("-created_at", "-id")
        years = request.query_params.getlist("round")
        if len(years) > 1 or any(not (y.isascii() and y.isdigit() and len(y) <= 4) for y in years):
            raise ValidationError(
                {"round": [_("Skriv bosettingsåret som ett årstall, f.eks. 2027.")]}
            )
        if years:
            round_ = Round.objects.filter(year=int(years[0])).first()
            if round_ is None:
                raise ValidationError(
                    {
                        "round": [
                            _("Det finnes ingen runde for bosettingsåret %(year)s.")
                            % {"year": years[0]}
                        ]
                    }
                )
            rows = rows.filter(round=round_)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AllocationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="placement_allocations_create",
        summary=_("Foreslå en tildeling (409 når det ikke er nok ledig)"),
        request=AllocationCreateSerializer,
        responses={201: AllocationSerializer, 400: PLAIN_ERROR, 409: PLAIN_ERROR},
        examples=[
            OpenApiExample(
                "tildeling",
                value={
                    "round": 2027,
                    "municipality": "4601",
                    "persons": 5,
                    "case_reference": "26/01234",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = AllocationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            allocation = services.propose_allocation(
                data["round"],
                data["municipality"],
                persons=data["persons"],
                case_reference=data["case_reference"],
                minor_group=data.get("minor_group") or "",
                by=request.user,
            )
        except services.PlacementError as error:
            return _refused(error)
        allocation = _allocations().get(pk=allocation.pk)
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)


class AllocationDetailView(PlacementView):
    @extend_schema(
        operation_id="placement_allocations_retrieve",
        responses={200: AllocationSerializer, 404: PLAIN_ERROR},
    )
    def get(self, request, allocation_id: int):
        allocation = get_object_or_404(_allocations(), pk=allocation_id)
        return Response(AllocationSerializer(allocation).data)


def _transition_view(action: str, summary):
    class TransitionView(PlacementView):
        @extend_schema(
            operation_id=f"placement_allocations_{action}",
            summary=summary,
            request=AllocationReasonSerializer,
            responses={200: AllocationSerializer, 400: PLAIN_ERROR, 404: PLAIN_ERROR},
        )
        def post(self, request, allocation_id: int):
            allocation = get_object_or_404(Allocation, pk=allocation_id)
            serializer = AllocationReasonSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                services.transition_allocation(
                    allocation,
                    action,
                    by=request.user,
                    reason=serializer.validated_data.get("reason", ""),
                )
            except services.PlacementError as error:
                return _refused(error)
            return Response(AllocationSerializer(_allocations().get(pk=allocation.pk)).data)

    TransitionView.__name__ = f"Allocation{action.capitalize()}View"
    return TransitionView


class BatchView(PlacementView):
    @extend_schema(
        operation_id="placement_batches_create",
        summary=_("Fordel mange husholdninger samlet (eksakt optimum)"),
        request=BatchRequestSerializer,
        responses={201: BatchResponseSerializer, 400: PLAIN_ERROR},
        examples=[
            OpenApiExample(
                "to husholdninger",
                value={
                    "round": 2027,
                    "households": [
                        {"case_reference": "26/1", "adults": [{"occupations": ["5321"]}]},
                        {"case_reference": "26/2", "unaccompanied_minor_age": 16},
                    ],
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = BatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            households = [
                services.save_household(household, by=request.user)
                for household in data["households"]
            ]
            for household in households:
                services.log_access(household.pk, request.user, HouseholdAccess.Action.API)
            batch = services.run_batch(data["round"], households, by=request.user)
        return Response(batch_payload(batch), status=status.HTTP_201_CREATED)


TRANSITION_SUMMARIES = {
    "accept": _("Kommunen har akseptert"),
    "settle": _("Husholdningen er bosatt"),
    "withdraw": _("Trekk tildelingen (begrunnelse kreves)"),
    "decline": _("Kommunen har avslått (begrunnelse kreves)"),
}

urlpatterns = [
    path("rankings/", RankingView.as_view(), name="placement-rankings"),
    path("capacity/", CapacityListView.as_view(), name="placement-capacity"),
    path(
        "capacity/<int:year>/<str:number>/",
        CapacityDetailView.as_view(),
        name="placement-capacity-detail",
    ),
    path("allocations/", AllocationListView.as_view(), name="placement-allocations"),
    path(
        "allocations/<int:allocation_id>/",
        AllocationDetailView.as_view(),
        name="placement-allocation",
    ),
    *[
        path(
            f"allocations/<int:allocation_id>/{action}/",
            _transition_view(action, summary).as_view(),
            name=f"placement-allocation-{action}",
        )
        for action, summary in TRANSITION_SUMMARIES.items()
    ],
    path("batches/", BatchView.as_view(), name="placement-batches"),
]
