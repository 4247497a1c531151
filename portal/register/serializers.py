"""API representations of the register. Numbers are always strings ("0301")."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    County,
    Indicator,
    Municipality,
    MunicipalityNeighbour,
    Occupation,
    Programme,
    ProgrammeArea,
    StatisticValue,
    plain_decimal,
)
from .statistics_display import year_totals


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ["number", "name", "parallel_names", "valid_from", "valid_to"]


class MunicipalityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["number", "name"]


class MunicipalitySerializer(serializers.ModelSerializer):
    county = CountySerializer(read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="municipality-detail", lookup_field="number"
    )

    class Meta:
        model = Municipality
        fields = ["number", "name", "parallel_names", "county", "valid_from", "valid_to", "url"]


class NeighbourSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="neighbour.number")
    name = serializers.CharField(source="neighbour.name")
    kind = serializers.ChoiceField(
        choices=MunicipalityNeighbour.Kind.choices,
        help_text=_('"border": felles grense; "water": under 2 km over vann.'),
    )
    distance_m = serializers.IntegerField(help_text=_("Avstand i meter; 0 ved felles grense."))

    class Meta:
        model = MunicipalityNeighbour
        fields = ["number", "name", "kind", "distance_m"]


class MunicipalityDetailSerializer(MunicipalitySerializer):
    successors = MunicipalityRefSerializer(many=True, read_only=True)
    predecessors = MunicipalityRefSerializer(many=True, read_only=True)
    current = MunicipalityRefSerializer(read_only=True)
    neighbours = NeighbourSerializer(
        source="neighbour_links",
        many=True,
        read_only=True,
        help_text=_("Nabokommuner i dagens struktur (felles grense, eller under 2 km over vann)."),
    )

    class Meta(MunicipalitySerializer.Meta):
        fields = [
            *MunicipalitySerializer.Meta.fields,
            "current",
            "successors",
            "predecessors",
            "neighbours",
        ]


class OccupationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Occupation
        fields = ["code", "name", "level", "parent"]


class ProgrammeAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeArea
        fields = ["code", "name", "level"]


class ProgrammeSerializer(serializers.ModelSerializer):
    areas = ProgrammeAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["code", "name", "name_nn", "kind", "areas"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "source", "description"]


class StatisticValueSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.CharField(
        source="plain_value",
        allow_null=True,
        help_text=_('Desimaltall som tekst ("20", "33.3"); null når status ikke er "value".'),
    )
    status = serializers.ChoiceField(
        choices=StatisticValue.Status.choices,
        help_text=_(
            '"value": tall; "not_applicable": «.» i kilden; "missing": tom celle; '
            '"suppressed": «:» (skjermet).'
        ),
    )
    recorded_as = serializers.CharField(
        source="municipality.number",
        help_text=_("Kommunenummeret verdien er oppført på i kilden (kan være en historisk kode)."),
    )


class YearTotalSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.CharField(
        allow_null=True,
        help_text=_('Kommunens tall for året som tekst ("30"); null når status ikke er "value".'),
    )
    status = serializers.ChoiceField(choices=StatisticValue.Status.choices)
    parts = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Kommunenumrene tallet bygger på (flere når delene i en senere sammenslåing "
            "er lagt sammen)."
        ),
    )


class IndicatorSeriesSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.ChoiceField(source="indicator.unit", choices=Indicator.Unit.choices)
    source = serializers.CharField(source="indicator.source")
    values = StatisticValueSerializer(many=True)
    totals = serializers.SerializerMethodField(
        help_text=_(
            "Ett tall per år for kommunen, etter portalens ene skjermingsregel: er en del "
            'skjermet, er hele året skjermet ("suppressed"), aldri summen av de synlige delene.'
        )
    )

    @extend_schema_field(YearTotalSerializer(many=True))
    def get_totals(self, series) -> list[dict]:
        return [
            {
                "year": year,
                "value": plain_decimal(cell.value) if cell.value is not None else None,
                "status": cell.status,
                "parts": [part.split(" ", 1)[0] for part in cell.parts],
            }
            for year, cell in year_totals(series)
        ]
