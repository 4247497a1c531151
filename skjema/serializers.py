"""API representations of rounds, submissions, versions and diffs, and strict validation of the
sections' plain data (codes as text, never coerced numbers; unknown keys and codes refused).

Section serializers are built from the section registry (``skjema.sections``), so a field added
to a section reaches the API, its validation and its OpenAPI schema without further code."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from wagtail.documents import get_document_model
from wagtail.rich_text import expand_db_html

from portal.register.models import Municipality, municipality_number_validator
from portal.register.serializers import MunicipalityRefSerializer

from . import recommendations
from .models import (
    Cooperation,
    CountyShare,
    CountySubmission,
    LabourNeed,
    MunicipalityProfile,
    QualificationOffer,
    Recommendation,
    ReviewComment,
    Round,
    Status,
    Transition,
    UpperSecondaryOffer,
    Version,
)
from .sections import get_section, reference, sections_for

# The largest values the database columns hold (PostgreSQL's integer and smallint).
MAX_INTEGER = 2_147_483_647
MAX_SMALL_INTEGER = 32_767
MAX_ID = 9_223_372_036_854_775_807


# ---------------------------------------------------------------------------------------------
# strict fields: JSON types are checked, never coerced


class StrictCharField(serializers.CharField):
    default_error_messages = {"not_text": _("Må være tekst, ikke {kind}.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", kind=_json_kind(data))
        return super().to_internal_value(data)


class StrictURLField(StrictCharField, serializers.URLField):
    pass


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"not_integer": _("Må være et heltall, ikke {kind}.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_integer", kind=_json_kind(data))
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"not_boolean": _("Må være true eller false, ikke {kind}.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("not_boolean", kind=_json_kind(data))
        return data


class StrictChoiceField(serializers.ChoiceField):
    default_error_messages = {"not_text": _("Må være en kode skrevet som tekst, ikke {kind}.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", kind=_json_kind(data))
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A decimal given as a number or as text ("72.5"); stored plain data keeps it as text."""

    default_error_messages = {"not_number": _("Må være et tall, ikke {kind}.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("not_number", kind=_json_kind(data))
        return super().to_internal_value(data)


def _json_kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(_("en sannhetsverdi"))
    if isinstance(value, int | float):
        return str(_("tallet %(value)s")) % {"value": value}
    if isinstance(value, str):
        return str(_("tekst"))
    if isinstance(value, list):
        return str(_("en liste"))
    return str(_("et objekt"))


class CodeField(StrictCharField):
    """A code from the register (municipality number, STYRK-08, Udir programme area), as text.

    Known codes are loaded once per request and shared by every field through the root
    serializer's context, so a payload with many rows costs one query per kind of code."""

    default_error_messages = {
        "not_text": _("Koden må skrives som tekst, for eksempel «{example}», ikke som {kind}."),
        "unknown": _("Ukjent kode «{code}» for {label}."),
    }

    def __init__(self, *, model, attr, **kwargs):
        self.model = model
        self.attr = attr
        kwargs.setdefault("allow_blank", kwargs.get("allow_null", False))
        if model is Municipality:
            kwargs.setdefault("validators", [municipality_number_validator])
        super().__init__(**kwargs)

    @property
    def example(self) -> str:
        return {"Municipality": "0301", "Occupation": "53", "ProgrammeArea": "HSHSF1----"}.get(
            self.model.__name__, "0301"
        )

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text", example=self.example, kind=_json_kind(data))
        return super().to_internal_value(data)

    def run_validators(self, value):
        super().run_validators(value)
        if value and value not in self._known_codes():
            self.fail("unknown", code=value, label=self.model._meta.verbose_name)

    def _known_codes(self) -> set[str]:
        cache = self.context.setdefault("known_codes", {})
        if self.model not in cache:
            cache[self.model] = set(self.model.objects.values_list(self.attr, flat=True))
        return cache[self.model]


class DocumentIdField(StrictIntegerField):
    default_error_messages = {"unknown": _("Det finnes ikke noe dokument med id {value}.")}

    def run_validators(self, value):
        super().run_validators(value)
        if value is not None and not get_document_model().objects.filter(pk=value).exists():
            self.fail("unknown", value=value)


# ---------------------------------------------------------------------------------------------
# section data


class RejectUnknownKeysMixin:
    """Refuse keys the serializer does not know (a typo must not be silently dropped)."""

    unknown_key_message = _("Ukjent felt «{key}».")

    def unknown_key_error(self, key: str) -> str:
        return str(self.unknown_key_message).format(key=key)

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {
                str(k): [self.unknown_key_error(str(k))] for k in data if k not in self.fields
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class RejectUnknownKeysSchema(OpenApiSerializerExtension):
    """The schema says what the serializers do: keys that are not listed are refused."""

    target_class = RejectUnknownKeysMixin
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        if direction == "request":
            # The API validates PATCH bodies in full (a PATCH saves whole sections), so fields
            # stay required even where drf-spectacular would relax them for PATCH.
            required = [
                name
                for name, field in self.target.fields.items()
                if field.required and not field.read_only
            ]
            if required:
                schema["required"] = required
        return schema


class PlainDataMixin:
    """Output is the plain data ``skjema.sections`` produced (already codes, already JSON);
    the fields only validate input and describe the shape in the schema."""

    def to_representation(self, instance):
        return instance


class SectionSerializer(RejectUnknownKeysMixin, PlainDataMixin, serializers.ModelSerializer):
    """A non-repeating section, or one row of a repeating section, built from the model fields
    the section registry lists (``Meta.section = (kind, key)``)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.URLField: StrictURLField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.BooleanField: StrictBooleanField,
        models.DecimalField: StrictDecimalField,
    }
    serializer_choice_field = StrictChoiceField

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        section = getattr(getattr(cls, "Meta", None), "section", None)
        if section:  # the schema describes each section in the words the forms use
            found = get_section(*section)
            row = " (én rad)" if found.is_repeating else ""
            cls.__doc__ = f"{found.number}. {found.title}{row}: {found.help_text}"

    def get_field_names(self, declared_fields, info):
        kind, key = self.Meta.section
        names = list(get_section(kind, key).fields)
        return ["uid", *names] if get_section(kind, key).is_repeating else names

    def get_validators(self):
        return []

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.PositiveSmallIntegerField):
            kwargs.update(min_value=0, max_value=MAX_SMALL_INTEGER)
        elif isinstance(model_field, models.PositiveIntegerField):
            kwargs.update(min_value=0, max_value=MAX_INTEGER)
        elif isinstance(model_field, models.DecimalField):
            kwargs.update(min_value=Decimal(0), coerce_to_string=True)
        return field_class, kwargs

    def build_relational_field(self, field_name, relation_info):
        model_field = relation_info.model_field
        ref = reference(model_field)
        if ref is None:  # the county's uploaded plan: a Wagtail document id
            return DocumentIdField, {
                "required": False,
                "allow_null": True,
                "min_value": 1,
                "max_value": MAX_ID,
            }
        model, attr = ref
        if relation_info.to_many:
            return serializers.ListField, {
                "child": CodeField(model=model, attr=attr),
                "required": False,
                "help_text": str(model_field.verbose_name),
            }
        optional = model_field.null or model_field.blank
        return CodeField, {
            "model": model,
            "attr": attr,
            "required": not optional,
            "allow_null": optional,
            "help_text": str(model_field.verbose_name),
        }


class RowListSerializer(PlainDataMixin, serializers.ListSerializer):
    """The rows of a repeating section, in order; each row keeps its ``uid`` across versions."""

    def validate(self, attrs):
        uids = [row["uid"] for row in attrs if row.get("uid")]
        if len(uids) != len(set(uids)):
            raise serializers.ValidationError(_("Flere rader har samme uid."))
        unique_by = getattr(self.child.Meta, "unique_by", None)
        if unique_by:
            seen, repeated = set(), []
            for row in attrs:
                value = row.get(unique_by)
                if value in seen:
                    repeated.append(value)
                seen.add(value)
            if repeated:
                raise serializers.ValidationError(
                    _("Kommune %(numbers)s er oppført mer enn én gang.")
                    % {"numbers": ", ".join(sorted(set(map(str, repeated))))}
                )
        return attrs


class RowSerializer(SectionSerializer):
    uid = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Radens id. Utelat for nye rader; send med for å endre en eksisterende rad."),
    )

    class Meta:
        list_serializer_class = RowListSerializer

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value.get("uid") is not None:
            value["uid"] = str(value["uid"])
        return value


class QualificationSerializer(RowSerializer):
    class Meta(RowSerializer.Meta):
        model = QualificationOffer
        section = ("profile", "qualification")


class UpperSecondarySerializer(RowSerializer):
    class Meta(RowSerializer.Meta):
        model = UpperSecondaryOffer
        section = ("profile", "upper_secondary")


class CooperationSerializer(RowSerializer):
    class Meta(RowSerializer.Meta):
        model = Cooperation
        section = ("profile", "cooperation")


class LabourNeedSerializer(RowSerializer):
    class Meta(RowSerializer.Meta):
        model = LabourNeed
        section = ("profile", "labour")


class CapacitySerializer(SectionSerializer):
    household_types = serializers.ListField(
        child=StrictChoiceField(choices=MunicipalityProfile.HouseholdType.choices),
        required=False,
        help_text=_("Husholdningstyper kommunen kan ta imot."),
    )

    class Meta:
        model = MunicipalityProfile
        section = ("profile", "capacity")


class PlansSerializer(SectionSerializer):
    class Meta:
        model = CountySubmission
        section = ("county", "plans")


class RecommendationSerializer(RowSerializer):
    class Meta(RowSerializer.Meta):
        model = Recommendation
        section = ("county", "recommendations")
        unique_by = "municipality"

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name == "number":
            # The same bound and words as the form (skjema.recommendations).
            kwargs.update(
                min_value=0,
                max_value=recommendations.MAX_RECOMMENDED,
                error_messages={
                    "min_value": recommendations.NEGATIVE_MESSAGE,
                    "max_value": lazy(recommendations.too_large_message, str)(),
                },
            )
        return field_class, kwargs


class CountyCommentSerializer(SectionSerializer):
    class Meta:
        model = CountySubmission
        section = ("county", "comment")


class SectionsSerializer(RejectUnknownKeysMixin, PlainDataMixin, serializers.Serializer):
    """All sections of a submission; in a PATCH, only the sections given are saved."""

    kind = ""
    unknown_key_message = _("Ukjent del «{key}». Gyldige deler: {keys}.")

    def unknown_key_error(self, key: str) -> str:
        keys = ", ".join(section.key for section in sections_for(self.kind))
        return str(self.unknown_key_message).format(key=key, keys=keys)


class ProfileSectionsSerializer(SectionsSerializer):
    kind = "profile"
    qualification = QualificationSerializer(many=True, required=False)
    upper_secondary = UpperSecondarySerializer(many=True, required=False)
    cooperation = CooperationSerializer(many=True, required=False)
    labour = LabourNeedSerializer(many=True, required=False)
    capacity = CapacitySerializer(required=False)


class CountySectionsSerializer(SectionsSerializer):
    kind = "county"
    plans = PlansSerializer(required=False)
    recommendations = RecommendationSerializer(many=True, required=False)
    comment = CountyCommentSerializer(required=False)


def _base_edits_serializer(name: str, kind: str) -> type[serializers.Serializer]:
    """Per section, the id of the latest saved edit the client has seen (for conflicts)."""
    fields = {
        section.key: StrictIntegerField(
            required=False, allow_null=True, min_value=1, max_value=MAX_ID
        )
        for section in sections_for(kind)
    }
    attrs = {
        **fields,
        "kind": kind,
        "__doc__": "Id-en til siste lagrede endring per del, slik klienten så den (fra GET).",
        "__module__": __name__,
    }
    return type(name, (RejectUnknownKeysMixin, PlainDataMixin, serializers.Serializer), attrs)


ProfileBaseEditsSerializer = _base_edits_serializer("ProfileBaseEditsSerializer", "profile")
CountyBaseEditsSerializer = _base_edits_serializer("CountyBaseEditsSerializer", "county")


class SubmissionPatchSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    """PATCH body: the sections to save and, for each, the edit the client based it on."""

    def validate(self, attrs):
        sections = attrs.get("sections") or {}
        if not sections:
            raise serializers.ValidationError(
                {"sections": [_("Oppgi minst én del som skal lagres.")]}
            )
        bases = attrs.get("base_edits") or {}
        missing = {
            key: [
                _(
                    "Oppgi id-en til siste endring du har sett av denne delen (fra GET), "
                    "eller null hvis den aldri er lagret."
                )
            ]
            for key in sections
            if key not in bases
        }
        if missing:
            raise serializers.ValidationError({"base_edits": missing})
        return attrs


class ProfilePatchSerializer(SubmissionPatchSerializer):
    sections = ProfileSectionsSerializer()
    base_edits = ProfileBaseEditsSerializer(required=False)


class CountySubmissionPatchSerializer(SubmissionPatchSerializer):
    sections = CountySectionsSerializer()
    base_edits = CountyBaseEditsSerializer(required=False)


# ---------------------------------------------------------------------------------------------
# transitions (request bodies)


class SubmitSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    late_reason = StrictCharField(
        required=False,
        allow_blank=True,
        help_text=_("Påkrevd når fristen er ute: hvorfor innsendingen kommer for sent."),
    )


class ReviewCommentInputSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    kind = ""
    field = StrictCharField(required=False, allow_blank=True, max_length=80)
    text = StrictCharField()

    def get_fields(self):
        section = StrictChoiceField(
            choices=[(s.key, str(s.title)) for s in sections_for(self.kind)],
            help_text=_("Delen kommentaren gjelder."),
        )
        return {"section": section, **super().get_fields()}

    def validate(self, attrs):
        field_name = attrs.get("field") or ""
        if field_name and field_name not in get_section(self.kind, attrs["section"]).fields:
            raise serializers.ValidationError(
                {"field": [_("Delen har ikke noe felt «%(field)s».") % {"field": field_name}]}
            )
        return attrs


class ProfileReviewCommentInputSerializer(ReviewCommentInputSerializer):
    kind = "profile"


class CountyReviewCommentInputSerializer(ReviewCommentInputSerializer):
    kind = "county"


class ReturnSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True)
    correction_deadline = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text=_(
            "Frist for retting (ÅÅÅÅ-MM-DD), standard 14 dager fra i dag. Sendes det rettede "
            "skjemaet inn innen utgangen av dagen, er det ikke for sent."
        ),
        error_messages={
            "invalid": _("Skriv fristen for retting som en dato på formen ÅÅÅÅ-MM-DD."),
            "datetime": _("Skriv fristen for retting som en dato på formen ÅÅÅÅ-MM-DD."),
        },
    )

    def validate_correction_deadline(self, value):
        from .reviews import correction_deadline_error

        problem = correction_deadline_error(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate(self, attrs):
        if not (attrs.get("reason") or "").strip() and not attrs.get("comments"):
            raise serializers.ValidationError(
                {"reason": [_("Skriv hva fylket må rette: en begrunnelse eller kommentarer.")]}
            )
        return attrs


class ProfileReturnSerializer(ReturnSerializer):
    comments = ProfileReviewCommentInputSerializer(many=True, required=False)


class CountySubmissionReturnSerializer(ReturnSerializer):
    comments = CountyReviewCommentInputSerializer(many=True, required=False)


class AcceptSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    reason = StrictCharField(required=False, allow_blank=True)


class ReopenSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    reason = StrictCharField(help_text=_("Hvorfor innsendingen gjenåpnes."))

    def validate_reason(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Skriv en begrunnelse."))
        return value


# ---------------------------------------------------------------------------------------------
# read side


class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class CountyRefSerializer(serializers.Serializer):
    number = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CountyShareSerializer(serializers.ModelSerializer):
    county = CountyRefSerializer(read_only=True)

    class Meta:
        model = CountyShare
        fields = ["county", "share"]


class RoundSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    criteria = serializers.SerializerMethodField(help_text=_("Anmodningskriteriene, som HTML."))
    structure = serializers.CharField(source="structure.code", read_only=True)
    is_past_deadline = serializers.BooleanField(read_only=True)
    county_shares = CountyShareSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="round-detail", lookup_field="year")

    class Meta:
        model = Round
        fields = [
            "year",
            "title",
            "status",
            "status_label",
            "deadline",
            "is_past_deadline",
            "national_need",
            "criteria",
            "structure",
            "opened_at",
            "county_shares",
            "url",
        ]

    def get_criteria(self, round_) -> str:
        return expand_db_html(round_.criteria) if round_.criteria else ""


class VersionSummarySerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Version
        fields = ["number", "created_at", "created_by", "is_late", "late_reason"]


class ProfileVersionSerializer(VersionSummarySerializer):
    data = ProfileSectionsSerializer(read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "data"]


class CountySubmissionVersionSerializer(VersionSummarySerializer):
    data = CountySectionsSerializer(read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "data"]


class ReviewCommentSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReviewComment
        fields = [
            "id",
            "section",
            "field",
            "text",
            "by",
            "at",
            "version",
            "answer",
            "answered_by",
            "answered_at",
        ]


class AnswerSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    answer = StrictCharField(
        allow_blank=True,
        max_length=4000,
        help_text=_("Fylkets svar på kommentaren; tomt fjerner svaret."),
        error_messages={"max_length": _("Svaret kan være høyst 4000 tegn.")},
    )


class TransitionSerializer(serializers.ModelSerializer):
    by = UserRefSerializer(read_only=True, allow_null=True)
    version = serializers.IntegerField(source="version.number", read_only=True, allow_null=True)

    class Meta:
        model = Transition
        fields = [
            "action",
            "from_status",
            "to_status",
            "by",
            "at",
            "reason",
            "version",
            "correction_deadline",
        ]


class TransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    transition = TransitionSerializer(read_only=True)


class SubmissionSummarySerializer(serializers.Serializer):
    """The fields every submission has; subclasses add what their kind has."""

    id = serializers.IntegerField(read_only=True)
    round = serializers.IntegerField(source="round.year", read_only=True)
    county = CountyRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    first_submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    correction_deadline = serializers.SerializerMethodField(
        help_text=_("IMDis frist for retting mens innsendingen er returnert, ellers null.")
    )

    def get_correction_deadline(self, submission) -> datetime.date | None:
        return submission.correction_deadline if submission.shows_correction_deadline else None


class ProfileSummarySerializer(SubmissionSummarySerializer):
    municipality = MunicipalityRefSerializer(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="profile-detail")


class CountySubmissionSummarySerializer(SubmissionSummarySerializer):
    url = serializers.HyperlinkedIdentityField(view_name="county-submission-detail")


class DetailMixin(serializers.Serializer):
    """What a reader sees: a county's own officers the working copy with its edit state; IMDi
    and KS the latest submitted version (``view`` says which), never a draft's working copy."""

    view = serializers.ChoiceField(
        choices=[
            ("working_copy", _("Fylkets arbeidskopi")),
            ("latest_version", _("Siste innsendte versjon")),
        ],
        source="reading.view",
        read_only=True,
    )
    latest_version = VersionSummarySerializer(
        source="reading.latest_version", read_only=True, allow_null=True
    )
    late_reason = serializers.CharField(read_only=True)
    updated_by = UserRefSerializer(read_only=True, allow_null=True)
    section_state = serializers.JSONField(
        source="reading.section_state",
        read_only=True,
        allow_null=True,
        help_text=_(
            "Bare for fylkets egne saksbehandlere: per del om den er ført videre fra et tidligere "
            "år (carried_from), bekreftet (confirmed) eller endret (edited)."
        ),
    )
    comments = ReviewCommentSerializer(source="reading.comments", many=True, read_only=True)


class ProfileDetailSerializer(ProfileSummarySerializer, DetailMixin):
    sections = ProfileSectionsSerializer(source="reading.sections", read_only=True)
    base_edits = ProfileBaseEditsSerializer(
        source="reading.base_edits", read_only=True, allow_null=True
    )


class CountySubmissionDetailSerializer(CountySubmissionSummarySerializer, DetailMixin):
    sections = CountySectionsSerializer(source="reading.sections", read_only=True)
    base_edits = CountyBaseEditsSerializer(
        source="reading.base_edits", read_only=True, allow_null=True
    )
    county_share = serializers.IntegerField(
        source="reading.county_share",
        read_only=True,
        allow_null=True,
        help_text=_("Fylkets andel av det nasjonale behovet."),
    )
    recommended_total = serializers.IntegerField(
        source="reading.recommended_total",
        read_only=True,
        help_text=_("Summen av anbefalt antall i det som vises."),
    )


# ---------------------------------------------------------------------------------------------
# diffs


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    old = serializers.CharField(read_only=True)
    new = serializers.CharField(read_only=True)


class RowChangeSerializer(serializers.Serializer):
    uid = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    change = serializers.ChoiceField(
        choices=[("added", _("lagt til")), ("removed", _("fjernet")), ("changed", _("endret"))],
        read_only=True,
    )
    fields = FieldChangeSerializer(many=True, read_only=True)


class SectionDiffSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    changed = serializers.BooleanField(read_only=True)
    fields = FieldChangeSerializer(many=True, read_only=True)
    rows = RowChangeSerializer(many=True, read_only=True)


class VersionRefSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission_id", read_only=True)
    round = serializers.IntegerField(source="submission.round.year", read_only=True)
    number = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class DiffSerializer(serializers.Serializer):
    to = VersionRefSerializer(source="to_version", read_only=True)
    sections = SectionDiffSerializer(many=True, read_only=True)

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        return {"from": VersionRefSerializer(source="from_version", read_only=True), **fields}


class DiffQuerySerializer(serializers.Serializer):
    to = serializers.IntegerField(required=False, min_value=1, max_value=MAX_INTEGER)
    from_submission = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_INTEGER
        )
        return fields


# ---------------------------------------------------------------------------------------------
# errors (documentation of the error bodies)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


class ProblemSerializer(serializers.Serializer):
    section = serializers.CharField(read_only=True)
    row = serializers.IntegerField(read_only=True, allow_null=True)
    row_uid = serializers.CharField(read_only=True)
    field = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)


class SubmissionInvalidSerializer(ErrorSerializer):
    problems = ProblemSerializer(many=True, read_only=True)
    unconfirmed = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "Delene som er overført fra forrige runde og verken endret eller bekreftet "
            "uendret (bekreft dem med confirm)."
        ),
    )


class ConfirmSerializer(RejectUnknownKeysMixin, serializers.Serializer):
    sections = serializers.ListField(
        child=StrictCharField(),
        required=False,
        help_text=_(
            "Delene som skal bekreftes uendret. Uten: alle delene som er overført fra forrige "
            "runde og verken endret eller bekreftet."
        ),
    )


class ConfirmResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    confirmed = serializers.ListField(child=serializers.CharField(), read_only=True)
    unconfirmed = serializers.ListField(child=serializers.CharField(), read_only=True)


class EditSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    by = UserRefSerializer(read_only=True, allow_null=True)
    at = serializers.DateTimeField(read_only=True)
    source = serializers.CharField(read_only=True)


class EditConflictSerializer(ErrorSerializer):
    section = serializers.CharField(read_only=True)
    base_edit = serializers.IntegerField(read_only=True, allow_null=True)
    latest_edit = EditSerializer(read_only=True)
    latest_data = serializers.JSONField(
        read_only=True, help_text=_("Delens innhold slik den ble lagret sist.")
    )
    changes = SectionDiffSerializer(
        read_only=True, help_text=_("Hva den andre endringen endret, sammenlignet med din base.")
    )
