"""REST API of IMDi's review queue: what waits for review in a round (oldest first, filtered
by county) and bulk accept of the submissions that have no open comments. Reviewers only
(``rules.can_work_review_queue``); returning, accepting one and reopening are actions on the
submission endpoints (``skjema.api``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from portal.accounts import rules
from portal.register.serializers import MunicipalityRefSerializer

from . import reading, services
from .models import Round, Status, Submission
from .serializers import (
    CountyRefSerializer,
    ErrorSerializer,
    RejectUnknownKeysMixin,
    StrictCharField,
)


class CanWorkReviewQueue(BasePermission):
    message = "Bare IMDi har tilgang til køen av innsendinger til gjennomgang."

    def has_permission(self, request, view):
        return rules.can_work_review_queue(request.user)


class ReviewQueueItemSerializer(serializers.Serializer):
    """One submission in IMDi's review queue."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Submission.Kind.choices, read_only=True)
    round = serializers.IntegerField(source="round.year", read_only=True)
    county = CountyRefSerializer(read_only=True)
    municipality = MunicipalityRefSerializer(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    last_submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_late = serializers.BooleanField(read_only=True)
    open_comments = serializers.IntegerField(
        read_only=True, help_text=_("IMDis kommentarer fra forrige retur som ikke er lukket.")
    )


class ReviewQueueQuerySerializer(RejectUnknownKeysMixin, serializers.Serializer):
    round = serializers.IntegerField(min_value=1900, max_value=2100)
    county = StrictCharField(required=False, min_length=2, max_length=2)


class BulkAcceptSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    round = serializers.IntegerField(min_value=1900, max_value=2100)
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        allow_empty=False,
        max_length=1000,
        error_messages={"empty": _("Velg minst én innsending å godkjenne.")},
    )


class BulkOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    accepted = serializers.BooleanField()
    messages = serializers.ListField(child=serializers.CharField())


def _round(year: int) -> Round:
    return get_object_or_404(Round, year=year)


class ReviewQueueViewSet(viewsets.ViewSet):
    permission_classes = [CanWorkReviewQueue]

    @extend_schema(
        summary="Kø til gjennomgang",
        description="Innsendinger i runden som venter på IMDi (sendt inn eller sendt inn på "
        "nytt), den eldste først, med antall åpne kommentarer. Bare IMDi.",
        parameters=[
            OpenApiParameter("round", int, description="Bosettingsår (runde)", required=True),
            OpenApiParameter("county", str, description="Fylkesnummer, for eksempel «40»"),
        ],
        responses={
            200: ReviewQueueItemSerializer(many=True),
            400: OpenApiResponse(description="Ugyldige parametre."),
            403: OpenApiResponse(ErrorSerializer, description="Bare IMDi."),
        },
    )
    def list(self, request, format=None):
        query = ReviewQueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        round_ = _round(query.validated_data["round"])
        county = None
        number = query.validated_data.get("county")
        if number:
            county = round_.counties().filter(number=number).first()
            if county is None:
                raise serializers.ValidationError(
                    {"county": [_("Ukjent fylke «%(n)s» i runden.") % {"n": number}]}
                )
        rows = reading.review_queue(round_=round_, county=county)
        return Response(ReviewQueueItemSerializer(rows, many=True).data)

    @extend_schema(
        summary="Godkjenn flere",
        description="Godkjenner hver av de oppgitte innsendingene som venter på gjennomgang og "
        "ikke har åpne kommentarer fra forrige retur; hver for seg, så én som avvises, stopper "
        "ikke de andre. Svaret sier for hver om den ble godkjent, og ellers hvorfor ikke.",
        request=BulkAcceptSerializer,
        responses={
            200: BulkOutcomeSerializer(many=True),
            400: OpenApiResponse(description="Ugyldig forespørsel."),
            403: OpenApiResponse(ErrorSerializer, description="Bare IMDi."),
        },
    )
    @action(detail=False, methods=["post"])
    def accept(self, request, format=None):
        body = BulkAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        round_ = _round(body.validated_data["round"])
        ids = list(dict.fromkeys(body.validated_data["ids"]))
        waiting = {s.pk: s for s in reading.review_queue(round_=round_).filter(pk__in=ids)}
        done = {
            o.submission.pk: o for o in services.bulk_accept(list(waiting.values()), request.user)
        }
        result = []
        for pk in ids:
            outcome = done.get(pk)
            if outcome is None:
                messages = [
                    _("Innsending %(id)s venter ikke på gjennomgang i runden.") % {"id": pk}
                ]
                result.append({"id": pk, "accepted": False, "messages": messages})
            else:
                result.append({"id": pk, "accepted": outcome.done, "messages": outcome.messages})
        return Response(BulkOutcomeSerializer(result, many=True).data)


def register_routes(router) -> None:
    router.register("review-queue", ReviewQueueViewSet, basename="review-queue")
