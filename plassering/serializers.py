"""API serializers for placement. A household is validated here for the API and the batch
import alike: unknown keys are refused, and a key that would describe nationality, origin,
language, religion, ethnicity or gender is refused with its own plain message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.register.models import Municipality, Occupation, ProgrammeArea
from skjema.models import Round

from .models import (
    CRITERIA,
    AllocationStatus,
    EducationLevel,
    MinorGroup,
    Need,
    NorwegianLevel,
)
from .models.households import PROTECTED_MESSAGE, protected_keys

MAX_AGE_MINOR = 17


class StrictSerializer(serializers.Serializer):
    """Refuses protected keys first (with their own message), then any other unknown key."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            refused = protected_keys(data)
            if refused:
                raise serializers.ValidationError(
                    {key: [str(PROTECTED_MESSAGE % {"field": key})] for key in refused}
                )
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [
                            str(_("Ukjent felt «%(key)s». Gyldige felt: %(keys)s."))
                            % {"key": key, "keys": ", ".join(self.fields)}
                        ]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)


def occupation_code_error(code) -> str | None:
    """None when ``code`` is a STYRK-08 code. Where the register holds the code's level (levels
    3–4 come with ``import_register``), the code must be there; else its group must be."""
    if not isinstance(code, str):
        return str(_("STYRK-koden må skrives som tekst, f.eks. «7212»."))
    if not (code.isdigit() and 1 <= len(code) <= 4):
        return str(_("«%(code)s» er ikke en STYRK-08-kode (ett til fire sifre).") % {"code": code})
    known = set(
        Occupation.objects.filter(code__in=[code[:n] for n in range(1, len(code) + 1)]).values_list(
            "code", flat=True
        )
    )
    level_loaded = Occupation.objects.filter(level=len(code)).exists()
    if code in known or (not level_loaded and any(len(k) >= 2 for k in known)):
        return None
    return str(_("«%(code)s» er ikke en STYRK-08-kode.") % {"code": code})


class OccupationCodeField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=4, min_length=1, **kwargs)

    def to_internal_value(self, data):
        error = occupation_code_error(data)
        if error:
            raise serializers.ValidationError(error)
        return super().to_internal_value(data)


class CodeRelatedField(serializers.SlugRelatedField):
    """A register reference by its code, refused with a Norwegian message when unknown."""

    default_error_messages = {
        "does_not_exist": _("Ukjent kode «{value}»."),
        "invalid": _("Koden må skrives som tekst."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class HouseholdAdultSerializer(StrictSerializer):
    occupations = serializers.ListField(
        child=OccupationCodeField(),
        required=False,
        max_length=10,
        help_text=_("Arbeidserfaring som STYRK-08-koder på ett til fire sifre."),
    )
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, required=False, allow_blank=True
    )
    education_route = CodeRelatedField(
        slug_field="code",
        queryset=ProgrammeArea.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Udir-kode for programområdet, f.eks. «HSHSF1----»."),
    )
    norwegian_level = serializers.ChoiceField(
        choices=NorwegianLevel.choices, required=False, allow_blank=True
    )


class HouseholdConnectionSerializer(StrictSerializer):
    municipality = CodeRelatedField(
        slug_field="number",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Kommunenummer med fire sifre, f.eks. «4601»."),
    )
    required = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)


class HouseholdSerializer(StrictSerializer):
    case_reference = serializers.CharField(required=False, max_length=100, allow_blank=True)
    adults = HouseholdAdultSerializer(many=True, required=False, max_length=12)
    children_ages = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_AGE_MINOR),
        required=False,
        max_length=15,
    )
    unaccompanied_minor_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_AGE_MINOR
    )
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=Need.choices), required=False, max_length=3
    )
    connection = HouseholdConnectionSerializer(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs):
        adults = attrs.get("adults") or []
        minor = attrs.get("unaccompanied_minor_age")
        if minor is not None and (adults or attrs.get("children_ages")):
            raise serializers.ValidationError(
                _("En enslig mindreårig kommer uten voksne og barn: fjern voksne og barn.")
            )
        if minor is None and not adults:
            raise serializers.ValidationError(
                _("Oppgi minst én voksen, eller alderen til en enslig mindreårig.")
            )
        connection = attrs.get("connection") or {}
        if connection.get("required") and not connection.get("municipality"):
            raise serializers.ValidationError(
                {"connection": _("En påkrevd tilknytning må ha en kommune.")}
            )
        return attrs


class RoundField(serializers.IntegerField):
    """A round by its settlement year (the schema says integer 1990–2100)."""

    def to_internal_value(self, data):
        year = super().to_internal_value(data)
        found = Round.objects.filter(year=year).first() if 1990 <= year <= 2100 else None
        if found is None:
            raise serializers.ValidationError(
                _("Det finnes ingen runde for bosettingsåret %(year)s.") % {"year": year}
            )
        return found

    def to_representation(self, value):
        return value.year if isinstance(value, Round) else value


class RankingWeightsSerializer(StrictSerializer):
    def get_fields(self):
        return {
            key: serializers.FloatField(min_value=0, max_value=1, required=False)
            for key in CRITERIA
        }

    def validate(self, attrs):
        if attrs and sum(attrs.values()) <= 0:
            raise serializers.ValidationError(_("Minst én vekt må være større enn 0."))
        return attrs


class RankingRequestSerializer(StrictSerializer):
    round = RoundField(help_text=_("Bosettingsåret, f.eks. 2027."))
    limit = serializers.IntegerField(min_value=1, max_value=400, default=10, required=False)
    household = HouseholdSerializer()
    weights = RankingWeightsSerializer(
        required=False, help_text=_("«Hva om»: egne vekter i stedet for gjeldende vektsett.")
    )


class RankingSourceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    section = serializers.CharField(required=False)
    row = serializers.IntegerField(required=False)
    field = serializers.CharField(required=False)
    round = serializers.IntegerField(required=False)
    date = serializers.CharField(required=False)
    indicator = serializers.CharField(required=False)
    years = serializers.ListField(child=serializers.IntegerField(), required=False)
    url = serializers.CharField(required=False)


class RankingCriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    weight = serializers.FloatField()
    score = serializers.FloatField()
    reason = serializers.CharField()
    missing_data = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    sources = RankingSourceSerializer(many=True)


class RankedSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()
    decided = serializers.IntegerField()
    remaining = serializers.IntegerField()
    capacity_source = serializers.CharField()
    criteria = RankingCriterionSerializer(many=True)


class ExcludedSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField()


class RankingResponseSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    ranking = serializers.IntegerField(help_text=_("Id for den lagrede rangeringen."))
    weights_version = serializers.IntegerField()
    weights = serializers.DictField(child=serializers.FloatField())
    results = RankedSerializer(many=True)
    excluded = ExcludedSerializer(many=True)


def ranking_payload(round_, stored, result, limit: int) -> dict:
    return {
        "round": round_.year,
        "ranking": stored.pk,
        "weights_version": stored.weights.version,
        "weights": result.weights,
        "results": [
            {
                "municipality": r.number,
                "name": r.name,
                "score": round(r.score, 4),
                "decided": r.capacity.decided,
                "remaining": r.capacity.remaining,
                "capacity_source": r.capacity.source,
                "criteria": [
                    {
                        "key": c.key,
                        "weight": c.weight,
                        "score": round(c.score, 4),
                        "reason": c.reason,
                        "missing_data": c.missing_data,
                        "warnings": [str(w) for w in c.warnings],
                        "sources": [s.as_dict() for s in c.sources],
                    }
                    for c in r.criteria
                ],
            }
            for r in result.top(limit)
        ],
        "excluded": [
            {"municipality": e.number, "name": e.name, "reason": e.reason} for e in result.excluded
        ],
    }


class MunicipalityCapacitySerializer(serializers.Serializer):
    municipality = serializers.CharField(source="number")
    name = serializers.CharField()
    county = serializers.CharField()
    decided = serializers.IntegerField()
    decided_minors_under_15 = serializers.IntegerField(source="minors_under_15")
    decided_minors_15_18 = serializers.IntegerField(source="minors_15_18")
    allocated = serializers.IntegerField()
    remaining = serializers.IntegerField()
    remaining_minors_under_15 = serializers.IntegerField(source="remaining_under_15")
    remaining_minors_15_18 = serializers.IntegerField(source="remaining_15_18")
    capacity_source = serializers.CharField(source="source")
    decided_on = serializers.CharField(allow_blank=True)
    source = serializers.CharField(source="decision_source", allow_blank=True)


class MunicipalityCapacityQuerySerializer(StrictSerializer):
    round = RoundField()
    county = serializers.RegexField(r"^\d{2}$", required=False, max_length=2)
    page = serializers.IntegerField(required=False, min_value=1)


class MunicipalityCapacityUpdateSerializer(StrictSerializer):
    decided = serializers.IntegerField(min_value=0, max_value=100000, allow_null=True)
    decided_minors_under_15 = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, default=0
    )
    decided_minors_15_18 = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, default=0
    )
    decided_on = serializers.DateField(required=False, allow_null=True)
    source = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class AllocationTransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()


class AllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    round = serializers.IntegerField(source="round.year")
    municipality = serializers.CharField(source="municipality.number")
    persons = serializers.IntegerField()
    case_reference = serializers.CharField()
    minor_group = serializers.CharField()
    status = serializers.ChoiceField(choices=AllocationStatus.choices)
    proposed_on = serializers.DateField()
    transitions = AllocationTransitionSerializer(many=True)


class AllocationCreateSerializer(StrictSerializer):
    round = RoundField()
    municipality = CodeRelatedField(slug_field="number", queryset=Municipality.objects.all())
    persons = serializers.IntegerField(min_value=1, max_value=30)
    case_reference = serializers.CharField(max_length=100)
    minor_group = serializers.ChoiceField(
        choices=MinorGroup.choices, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs):
        round_, municipality = attrs["round"], attrs["municipality"]
        valid = Municipality.objects.in_structure(round_.structure).filter(pk=municipality.pk)
        if not valid.exists():
            raise serializers.ValidationError(
                {
                    "municipality": _("Kommune %(n)s finnes ikke i kommunestrukturen for %(y)s.")
                    % {"n": municipality.number, "y": round_.year}
                }
            )
        return attrs


class AllocationReasonSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BatchHouseholdSerializer(HouseholdSerializer):
    case_reference = serializers.CharField(max_length=100)


class BatchRequestSerializer(StrictSerializer):
    round = RoundField()
    households = BatchHouseholdSerializer(many=True, min_length=1, max_length=300)


class BatchProposalSerializer(serializers.Serializer):
    case_reference = serializers.CharField()
    household = serializers.IntegerField()
    municipality = serializers.CharField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    best_municipality = serializers.CharField(allow_null=True)
    best_score = serializers.FloatField(allow_null=True)
    loss = serializers.FloatField(allow_null=True)


class BatchResponseSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    round = serializers.IntegerField()
    weights_version = serializers.IntegerField()
    objective = serializers.FloatField()
    greedy_objective = serializers.FloatField()
    gain_over_greedy = serializers.FloatField()
    best_bound = serializers.FloatField()
    solve_ms = serializers.FloatField()
    proposals = BatchProposalSerializer(many=True)


def batch_payload(batch) -> dict:
    proposals = list(
        batch.proposals.select_related("household", "municipality", "best_municipality")
    )
    return {
        "batch": batch.pk,
        "round": batch.round.year,
        "weights_version": batch.weights.version,
        "objective": round(batch.objective, 6),
        "greedy_objective": round(batch.greedy_objective, 6),
        "gain_over_greedy": round(batch.objective - batch.greedy_objective, 6),
        "best_bound": round(batch.best_bound, 6),
        "solve_ms": round(batch.solve_ms, 1),
        "proposals": [
            {
                "case_reference": p.household.case_reference,
                "household": p.household_id,
                "municipality": p.municipality.number if p.municipality else None,
                "score": p.score,
                "best_municipality": p.best_municipality.number if p.best_municipality else None,
                "best_score": p.best_score,
                "loss": p.loss,
            }
            for p in proposals
        ],
    }
