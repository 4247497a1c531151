"""REST API of «Varsler til meg»: the signed-in user's own notifications (newest first, with
the unread count, filtered by ``unread``) and marking them read. Nobody ever reads or changes
someone else's: the list is ``Notification.objects.for_recipient``, and ``mark_read`` ignores
ids that are not the user's (reported as ``unknown``, like ids that do not exist)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api_parsers import SafeJSONParser
from portal.register.filters import StrictBooleanFilter, StrictPageNumberPagination

from .models import Notification
from .notifications import mark_read
from .serializers import (
    MAX_ID,
    ErrorSerializer,
    RejectUnknownKeysMixin,
    StrictBooleanField,
    StrictIntegerField,
)

MAX_IDS = 1000


class NotificationSerializer(serializers.ModelSerializer):
    """Et varsel til deg."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    round = serializers.IntegerField(source="round.year", read_only=True, allow_null=True)
    submission = serializers.IntegerField(source="submission_id", read_only=True, allow_null=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject",
            "body",
            "url",
            "round",
            "submission",
            "status",
            "status_label",
            "created_at",
            "sent_at",
            "read_at",
            "unread",
        ]
        read_only_fields = fields

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class MarkReadSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    """Hvilke varsler som skal merkes som lest."""

    ids = serializers.ListField(
        child=StrictIntegerField(
            min_value=1,
            max_value=MAX_ID,
            error_messages={
                "min_value": _("En id er et positivt heltall."),
                "max_value": _("En id er et positivt heltall."),
            },
        ),
        required=False,
        allow_empty=False,
        max_length=MAX_IDS,
        help_text=_(
            "Varslene som skal merkes som lest. Id-er som ikke er dine varsler, endrer ingenting "
            "og listes i svaret som ukjente."
        ),
        error_messages={
            "empty": _("Oppgi minst ett varsel, eller «all»: true."),
            "max_length": _("Oppgi høyst {max_length} varsler om gangen."),
        },
    )
    all = StrictBooleanField(
        required=False, help_text=_("true: merk alle dine uleste varsler som lest.")
    )

    def validate(self, attrs):
        everything = attrs.get("all", False)
        if everything and "ids" in attrs:
            raise serializers.ValidationError(
                {"all": [_("Oppgi enten «ids» eller «all», ikke begge.")]}
            )
        if not everything and "ids" not in attrs:
            raise serializers.ValidationError(
                {"ids": [_("Oppgi hvilke varsler som skal merkes som lest, eller «all»: true.")]}
            )
        return attrs


class MarkReadResultSerializer(serializers.Serializer):
    """Hva som ble merket som lest."""

    marked = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Varslene som var uleste og nå er merket som lest."),
    )
    unknown = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Oppgitte id-er som ikke er blant dine varsler; de er ikke endret."),
    )
    unread_count = serializers.IntegerField(help_text=_("Uleste varsler etter endringen."))


class NotificationFilter(django_filters.FilterSet):
    unread = StrictBooleanFilter(
        method="filter_unread", label="true: bare uleste; false: bare leste"
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class NotificationPagination(StrictPageNumberPagination):
    """The other lists' pages, with the user's unread count beside the total."""

    page_size_query_param = "page_size"
    max_page_size = 200
    unread_count = 0

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {
            "count": response.data["count"],
            "unread_count": self.unread_count,
            **{k: v for k, v in response.data.items() if k != "count"},
        }
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"] = {
            "count": result["properties"]["count"],
            "unread_count": {
                "type": "integer",
                "description": "Alle dine uleste varsler, uansett filter og side.",
            },
            **{k: v for k, v in result["properties"].items() if k != "count"},
        }
        result["required"] = sorted({*result.get("required", []), "unread_count"})
        return result


@extend_schema_view(
    list=extend_schema(
        summary="Mine varsler",
        description="Varslene portalen har sendt (eller prøver å sende) til deg, det nyeste "
        "først, med antall uleste. Bare dine egne.",
    )
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    pagination_class = NotificationPagination
    parser_classes = [SafeJSONParser]

    def get_queryset(self):
        return (
            Notification.objects.for_recipient(self.request.user)
            .select_related("round")
            .order_by("-created_at", "-id")
        )

    def paginate_queryset(self, queryset):
        self.paginator.unread_count = Notification.objects.unread_for(self.request.user).count()
        return super().paginate_queryset(queryset)

    @extend_schema(
        summary="Merk varsler som lest",
        description="Merker de oppgitte varslene («ids») eller alle uleste («all»: true) som "
        "lest. Id-er som ikke er blant dine varsler, endrer ingenting: de listes som ukjente "
        "i svaret, på samme måte som id-er som ikke finnes.",
        request=MarkReadSerializer,
        examples=[
            OpenApiExample("Noen varsler", value={"ids": [101, 102]}, request_only=True),
            OpenApiExample("Alle uleste", value={"all": True}, request_only=True),
        ],
        responses={
            200: MarkReadResultSerializer,
            400: OpenApiResponse(description="Ugyldig forespørsel, med forklaring per felt."),
            403: OpenApiResponse(ErrorSerializer, description="Ingen rolle i portalen."),
        },
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def read(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = None if body.validated_data.get("all") else body.validated_data["ids"]
        result = mark_read(request.user, ids=ids)
        unread = Notification.objects.unread_for(request.user).count()
        return Response(
            MarkReadResultSerializer(
                {"marked": result.marked, "unknown": result.unknown, "unread_count": unread}
            ).data
        )


def register_routes(router) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")
