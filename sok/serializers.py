"""API shapes of a profile search (hits, facets, paging) and of municipality suggestions.
The response serializers also document the API in the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


class SearchMunicipalityRefSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Kommunenummer, alltid fire tegn («0301»).")
    name = serializers.CharField()
    parallel_names = serializers.ListField(child=serializers.CharField(), required=False)


class SearchCountyRefSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Fylkesnummer, alltid to tegn («03»).")
    name = serializers.CharField()


class HighlightSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="Delen av profilen treffet er i («labour» osv.).")
    label = serializers.CharField(help_text="Delens navn («Arbeidskraftbehov»).")
    row = serializers.CharField(help_text="Raden i delen utdraget er fra (tilbudet, yrket …).")
    html = serializers.CharField(
        help_text="Utdrag som HTML: teksten er escapet, bare <mark> rundt ordene som traff."
    )


class RecentSettlementSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    settled = serializers.IntegerField(allow_null=True)
    decided = serializers.IntegerField(allow_null=True)


class SettlementFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        help_text="Siste år før runden som har et tall for faktisk bosatte fra IMDi."
    )
    requested = serializers.IntegerField(
        allow_null=True, help_text="Anmodet om å bosette (personer)."
    )
    decided = serializers.IntegerField(
        allow_null=True, help_text="Kommunestyrets vedtak (personer)."
    )
    settled = serializers.IntegerField(allow_null=True, help_text="Faktisk bosatt (personer).")
    recent = RecentSettlementSerializer(
        many=True,
        required=False,
        help_text="Bosatt og vedtatt de siste tre årene til og med «year».",
    )


class MatchedFilterValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class MatchedFilterSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    label = serializers.CharField()
    values = MatchedFilterValueSerializer(many=True)


class ProfileHitSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Runde og kommunenummer, «2027-0301».")
    municipality = SearchMunicipalityRefSerializer()
    county = SearchCountyRefSerializer()
    round = serializers.IntegerField()
    status = serializers.CharField(help_text="submitted, resubmitted, returned eller accepted.")
    status_label = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    result = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        help_text="Beste resultat for introduksjonsprogrammet (andel i arbeid/utdanning, %).",
    )
    wants_to_settle = serializers.CharField(allow_null=True)
    takes_minors = serializers.BooleanField(allow_null=True)
    last_change = serializers.DateTimeField(help_text="Da versjonen som er søkbar ble sendt inn.")
    statistics = SettlementFiguresSerializer(
        allow_null=True,
        help_text=(
            "IMDis siste tall for anmodet, vedtatt og bosatt før rundens år; null når IMDi "
            "ikke har tall for kommunen. Et tall som er skjermet, ikke aktuelt eller mangler, "
            "er null."
        ),
    )
    score = serializers.FloatField(
        help_text="Relevans: vekter per felt for ordene som traff, pluss for hver valgt "
        "filterverdi profilen har; 0 uten fritekst og filtre."
    )
    matched_all_terms = serializers.BooleanField(
        help_text="Sann når profilen har alle ordene i søket; usann for treff på noen av ordene."
    )
    matched_terms = serializers.ListField(
        child=serializers.CharField(), help_text="Ordene og frasene i søket som traff."
    )
    highlights = HighlightSerializer(many=True)
    filters_matched = MatchedFilterSerializer(
        many=True, help_text="De valgte filterverdiene profilen har."
    )


class NearMunicipalitySerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Kommunenummer, alltid fire tegn («0301»).")
    name = serializers.CharField()


class NearSerializer(NearMunicipalitySerializer):
    municipalities = NearMunicipalitySerializer(
        many=True, help_text="Kommunen selv og nabokommunene, kommunene treffene kan være i."
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()
    label = serializers.CharField()


# platform: one object (results, facets, …), not a list, although the action is «list».
@extend_schema_serializer(many=False)
class ProfileSearchSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Antall profiler som har alle ordene i søket.")
    partial = serializers.BooleanField(
        help_text="Sann når ingen profil har alle ordene: «results» er da treff på noen av ordene."
    )
    partial_count = serializers.IntegerField(
        help_text="Antall treff på noen av ordene når «partial» er sann, ellers 0."
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProfileHitSerializer(many=True)
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        help_text=(
            "Antall treff per verdi i hver dimensjon, regnet på det filtrerte resultatet. En "
            "dimensjon du har valgt verdier i, telles med alle de andre filtrene, men ikke sine "
            "egne, så du ser hva et valg til ville gi."
        ),
    )
    near = NearSerializer(
        allow_null=True,
        help_text="Filteret «i nærheten av» slik det ble brukt (parameteret «near»), ellers null.",
    )
    backend = serializers.CharField(help_text="«database» eller «elasticsearch».")
    degraded = serializers.BooleanField(
        help_text="Sann når Elasticsearch ikke svarte og svaret kommer fra databasen."
    )


class MunicipalitySuggestionSerializer(serializers.Serializer):
    number = serializers.CharField()
    name = serializers.CharField()
    parallel_names = serializers.ListField(child=serializers.CharField())
    county = SearchCountyRefSerializer(allow_null=True)


# platform: one object (results, facets, …), not a list, although the action is «list».
@extend_schema_serializer(many=False)
class MunicipalitySuggestionsSerializer(serializers.Serializer):
    results = MunicipalitySuggestionSerializer(many=True)


def search_error_serializer(field_names) -> type[serializers.Serializer]:
    """A 400 answer: each refused parameter with its messages in Norwegian (the schema lists
    every parameter the search takes)."""
    fields = {
        name: serializers.ListField(child=serializers.CharField(), required=False)
        for name in [*field_names, "non_field_errors"]
    }
    return type("SearchErrorSerializer", (serializers.Serializer,), fields)
