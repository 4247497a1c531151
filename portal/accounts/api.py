"""The token endpoint: an integration asks which token it uses and when it expires (so it can
be renewed in time). Rate limited more strictly than the rest of the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_throttling import TokenEndpointThrottle

from .models import ApiToken


class CurrentTokenSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")

    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "user", "created", "expires", "last_used"]


class CurrentTokenView(APIView):
    throttle_classes = [TokenEndpointThrottle]

    @extend_schema(
        summary="Nøkkelen i bruk",
        description="Navn, begynnelse og utløpstid for API-nøkkelen forespørselen bruker.",
        responses=CurrentTokenSerializer,
    )
    def get(self, request):
        if not isinstance(request.auth, ApiToken):
            raise NotAuthenticated("Forespørselen bruker ingen API-nøkkel.")
        return Response(CurrentTokenSerializer(request.auth).data)
