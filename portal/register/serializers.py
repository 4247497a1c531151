"""API representations of the register. Numbers are always strings ("0301")."""

from rest_framework import serializers

from .models import County, Municipality, Occupation, Programme, ProgrammeArea


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


class MunicipalityDetailSerializer(MunicipalitySerializer):
    successors = MunicipalityRefSerializer(many=True, read_only=True)
    predecessors = MunicipalityRefSerializer(many=True, read_only=True)
    current = MunicipalityRefSerializer(read_only=True)

    class Meta(MunicipalitySerializer.Meta):
        fields = [*MunicipalitySerializer.Meta.fields, "current", "successors", "predecessors"]


class OccupationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

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
