"""REST API for rounds, municipality profiles and county submissions (DRF).

Reading goes through ``skjema.reading`` (``Submission.objects.visible_to``, ``read_submission``); every change goes through
``skjema.services``, and the services' refusals become HTTP answers here (``handle_exception``).
Profiles and county submissions share one viewset class and differ only in their serializers."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from portal.accounts import rules
from portal.api_parsers import SafeJSONParser
from portal.register.filters import (
    StrictBooleanFilter,
    StrictChoiceFilter,
    StrictPageNumberPagination,
)
from portal.register.models import county_number_validator, municipality_number_validator

from . import api_notifications, api_review, services
from .api_docs import COUNTY_EXAMPLES, PROFILE_EXAMPLES, documented
from .exceptions import EditConflict, InvalidTransition, NotAllowed, SubmissionInvalid
from .models import (
    CountyShare,
    CountySubmission,
    MunicipalityProfile,
    ReviewComment,
    Round,
    Status,
    Submission,
    Version,
)
from .reading import latest_version, read_submission
from .sections import diff, diff_section, get_section, prefetch_for_serialize, sections_for
from .serializers import (
    AcceptSerializer,
    AnswerSerializer,
    ConfirmResultSerializer,
    ConfirmSerializer,
    CountySubmissionDetailSerializer,
    CountySubmissionPatchSerializer,
    CountySubmissionReturnSerializer,
    CountySubmissionSummarySerializer,
    CountySubmissionVersionSerializer,
    DiffQuerySerializer,
    DiffSerializer,
    EditSerializer,
    ProfileDetailSerializer,
    ProfilePatchSerializer,
    ProfileReturnSerializer,
    ProfileSummarySerializer,
    ProfileVersionSerializer,
    ReopenSerializer,
    ReviewCommentSerializer,
    RoundSerializer,
    SectionDiffSerializer,
    SubmitSerializer,
    TransitionResultSerializer,
    VersionSummarySerializer,
)

# ---------------------------------------------------------------------------------------------
# permissions: the rules module decides; these only say which rule an action needs


class CanEditCountyData(BasePermission):
    message = "Bare fylkets egne saksbehandlere kan endre og sende inn dette skjemaet."

    def has_object_permission(self, request, view, obj):
        return rules.can_edit_county_data(request.user, obj.county)


class CanAnswerComments(BasePermission):
    message = "Bare fylkets egne saksbehandlere kan svare på IMDis kommentarer."

    def has_object_permission(self, request, view, obj):
        return rules.can_answer_review_comments(request.user, obj.county)


class CanReview(BasePermission):
    message = "Bare IMDi kan returnere, godkjenne og gjenåpne innsendinger."

    def has_object_permission(self, request, view, obj):
        return rules.can_review(request.user)


# ---------------------------------------------------------------------------------------------
# parsing, filters and pagination


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class SubmissionFilter(django_filters.FilterSet):
    round = IntegerFilter(
        field_name="round__year", min_value=1900, max_value=2100, label="Bosettingsår (runde)"
    )
    county = django_filters.CharFilter(
        field_name="county__number",
        validators=[county_number_validator],
        label="Fylkesnummer, for eksempel «40»",
    )
    status = StrictChoiceFilter(choices=Status.choices, label="Status")
    is_late = StrictBooleanFilter(label="Sendt inn etter fristen")

    class Meta:
        model = Submission
        fields = ["round", "county", "status", "is_late"]


class ProfileFilter(SubmissionFilter):
    municipality = django_filters.CharFilter(
        field_name="municipality__number",
        validators=[municipality_number_validator],
        label="Kommunenummer, for eksempel «0301»",
    )

    class Meta(SubmissionFilter.Meta):
        model = MunicipalityProfile
        fields = [*SubmissionFilter.Meta.fields, "municipality"]


class CountySubmissionFilter(SubmissionFilter):
    class Meta(SubmissionFilter.Meta):
        model = CountySubmission


class SubmissionPagination(StrictPageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


# ---------------------------------------------------------------------------------------------
# the services' refusals as HTTP answers


def _error(status_code: int, body: dict) -> Response:
    response = Response(body, status=status_code)
    response.exception = True
    return response


def skjema_error_response(exc: Exception, kind: str) -> Response | None:
    if isinstance(exc, EditConflict):
        base, latest = exc.base_edit, exc.latest_edit
        changes = diff_section(
            get_section(kind, exc.section), base.data if base else None, latest.data, kind
        )
        return _error(
            status.HTTP_409_CONFLICT,
            {
                "detail": exc.message,
                "section": exc.section,
                "base_edit": base.pk if base else None,
                "latest_edit": EditSerializer(latest).data,
                "latest_data": latest.data,
                "changes": SectionDiffSerializer(changes).data,
            },
        )
    if isinstance(exc, SubmissionInvalid):
        problems = [
            {
                "section": p.section,
                "row": p.row,
                "row_uid": p.row_uid,
                "field": p.field,
                "message": p.message,
            }
            for p in exc.problems
        ]
        unconfirmed = [p.section for p in exc.problems if p.field == services.UNCONFIRMED]
        return _error(
            status.HTTP_400_BAD_REQUEST,
            {"detail": exc.message, "problems": problems, "unconfirmed": unconfirmed},
        )
    if isinstance(exc, NotAllowed):
        return _error(status.HTTP_403_FORBIDDEN, {"detail": exc.message})
    if isinstance(exc, InvalidTransition):
        return _error(status.HTTP_409_CONFLICT, {"detail": exc.message})
    if isinstance(exc, DjangoValidationError):
        # apply_section's own check of a code, in case the register changed since validation.
        return _error(status.HTTP_400_BAD_REQUEST, {"detail": " ".join(exc.messages)})
    return None


# ---------------------------------------------------------------------------------------------
# submissions


# Shared by profiles and county submissions; subclasses set the model and serializers.
class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    kind: str
    model: type[Submission]
    list_serializer_class: type
    detail_serializer_class: type
    patch_serializer_class: type
    return_serializer_class: type
    version_serializer_class: type

    pagination_class = SubmissionPagination
    parser_classes = [SafeJSONParser]
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    action_permissions = {
        "partial_update": CanEditCountyData,
        "submit": CanEditCountyData,
        "confirm": CanEditCountyData,
        "answer": CanAnswerComments,
        "return_": CanReview,
        "accept": CanReview,
        "reopen": CanReview,
    }

    def get_permissions(self):
        permissions = super().get_permissions()
        extra = self.action_permissions.get(self.action)
        return [*permissions, extra()] if extra else permissions

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user).select_related(
            "round", "county", "municipality", "updated_by"
        )
        if self.action == "retrieve":
            queryset = self._with_working_copy(queryset)
        return queryset

    def filter_queryset(self, queryset):
        # The list filters narrow the list only; a detail or action URL names its object.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def _with_working_copy(self, queryset):
        if rules.county_of(self.request.user) is not None:
            return prefetch_for_serialize(queryset, self.kind)
        return queryset

    def get_serializer_class(self):
        return {
            "list": self.list_serializer_class,
            "partial_update": self.patch_serializer_class,
            "submit": SubmitSerializer,
            "confirm": ConfirmSerializer,
            "answer": AnswerSerializer,
            "return_": self.return_serializer_class,
            "accept": AcceptSerializer,
            "reopen": ReopenSerializer,
        }.get(self.action, self.detail_serializer_class)

    def handle_exception(self, exc):
        response = skjema_error_response(exc, self.kind)
        return response if response is not None else super().handle_exception(exc)

    def _detail(self, submission) -> dict:
        submission.reading = read_submission(submission=submission, user=self.request.user)
        return self.detail_serializer_class(submission, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def partial_update(self, request, *args, **kwargs):
        submission = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sections = serializer.validated_data["sections"]
        bases = serializer.validated_data.get("base_edits") or {}
        try:
            # All sections or none: a conflict or error in one rolls back the others.
            with transaction.atomic():
                for key, data in sections.items():
                    services.save_section(
                        submission, key, data, request.user, base_edit_id=bases[key], source="api"
                    )
        except IntegrityError:
            return _error(
                status.HTTP_409_CONFLICT,
                {
                    "detail": _(
                        "Endringen kunne ikke lagres fordi den bryter med en regel for dataene, "
                        "for eksempel at en kommune bare kan ha én anbefaling (det skjer når "
                        "kommuner byttes mellom rader: send da radene uten uid). Ingenting er "
                        "lagret."
                    )
                },
            )
        fresh = self._with_working_copy(self.get_queryset()).get(pk=submission.pk)
        return Response(self._detail(fresh))

    def _transition(self, request, operation):
        submission = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        operation(submission, request.user, **serializer.validated_data)
        transition = submission.transitions.select_related("by", "version").order_by("-id").first()
        result = {"id": submission.pk, "status": transition.to_status, "transition": transition}
        return Response(TransitionResultSerializer(result).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, format=None):
        return self._transition(request, services.submit)

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None, format=None):
        submission = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        keys = serializer.validated_data.get("sections")
        if keys is not None:
            known = {section.key for section in sections_for(self.kind)}
            unknown = [key for key in keys if key not in known]
            if unknown:
                return _error(
                    status.HTTP_400_BAD_REQUEST,
                    {"sections": [_("Ukjent del «%(key)s».") % {"key": k} for k in unknown]},
                )
        confirmed = services.confirm_unchanged(submission, request.user, sections=keys)
        submission.refresh_from_db(fields=["section_state"])
        result = {
            "id": submission.pk,
            "confirmed": confirmed,
            "unconfirmed": services.unconfirmed_sections(submission),
        }
        return Response(ConfirmResultSerializer(result).data)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"comments/(?P<comment_id>[0-9]{1,18})/answer",
        url_name="answer",
    )
    def answer(self, request, pk=None, comment_id=None, format=None):
        submission = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = submission.review_comments.filter(pk=int(comment_id)).first()
        if comment is None:
            raise NotFound(_("Kommentaren finnes ikke på denne innsendingen."))
        comment = services.answer_comment(
            comment, request.user, serializer.validated_data["answer"]
        )
        comment = ReviewComment.objects.select_related("by", "version", "answered_by").get(
            pk=comment.pk
        )
        return Response(ReviewCommentSerializer(comment).data)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None, format=None):
        def operation(submission, user, reason="", comments=(), correction_deadline=None):
            comments = [(c["section"], c.get("field", ""), c["text"]) for c in comments]
            return services.return_submission(
                submission,
                user,
                reason=reason,
                comments=comments,
                correction_deadline=correction_deadline,
            )

        return self._transition(request, operation)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None, format=None):
        return self._transition(request, services.accept)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None, format=None):
        return self._transition(request, services.reopen)

    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request, pk=None, format=None):
        submission = self.get_object()
        versions = submission.versions.select_related("created_by").order_by("number")
        return Response(VersionSummarySerializer(versions, many=True).data)

    def _version(self, submission, number: int) -> Version:
        version = (
            submission.versions.select_related("created_by", "submission__round")
            .filter(number=number)
            .first()
        )
        if version is None:
            raise NotFound(_("Versjon %(number)s finnes ikke.") % {"number": number})
        return version

    @action(
        detail=True,
        methods=["get"],
        url_path=r"versions/(?P<number>[0-9]{1,9})",
        url_name="version",
        pagination_class=None,
        filter_backends=[],
    )
    def version(self, request, pk=None, number=None, format=None):
        version = self._version(self.get_object(), int(number))
        return Response(self.version_serializer_class(version).data)

    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def diff(self, request, pk=None, format=None):
        submission = self.get_object()
        query = DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        to_number = query.validated_data.get("to")
        if to_number is None:
            latest = latest_version(submission=submission)
            if latest is None:
                raise NotFound(_("Ingen versjoner er sendt inn ennå."))
            to_number = latest.number
        to_version = self._version(submission, to_number)
        source = submission
        if "from_submission" in query.validated_data:
            source = self.get_queryset().filter(pk=query.validated_data["from_submission"]).first()
            if source is None:
                raise NotFound(_("Finner ikke innsendingen det skal sammenlignes med."))
        from_number = query.validated_data.get("from")
        if from_number is None and source.pk == submission.pk:
            if to_number == 1:
                raise NotFound(
                    _("Versjon 1 er den første; oppgi en annen versjon å sammenligne med.")
                )
            from_number = to_number - 1
        elif from_number is None:
            latest = latest_version(submission=source)
            if latest is None:
                raise NotFound(_("Innsendingen det skal sammenlignes med har ingen versjoner."))
            from_number = latest.number
        from_version = self._version(source, from_number)
        result = {
            "from_version": from_version,
            "to_version": to_version,
            "sections": diff(from_version.data, to_version.data, self.kind),
        }
        return Response(DiffSerializer(result).data)


class ProfileViewSet(SubmissionViewSet):
    kind = Submission.Kind.PROFILE
    model = MunicipalityProfile
    filterset_class = ProfileFilter
    list_serializer_class = ProfileSummarySerializer
    detail_serializer_class = ProfileDetailSerializer
    patch_serializer_class = ProfilePatchSerializer
    return_serializer_class = ProfileReturnSerializer
    version_serializer_class = ProfileVersionSerializer


class CountySubmissionViewSet(SubmissionViewSet):
    kind = Submission.Kind.COUNTY
    model = CountySubmission
    filterset_class = CountySubmissionFilter
    list_serializer_class = CountySubmissionSummarySerializer
    detail_serializer_class = CountySubmissionDetailSerializer
    patch_serializer_class = CountySubmissionPatchSerializer
    return_serializer_class = CountySubmissionReturnSerializer
    version_serializer_class = CountySubmissionVersionSerializer


ProfileViewSet = documented(
    ProfileViewSet, singular="Kommuneprofil", plural="Kommuneprofiler", examples=PROFILE_EXAMPLES
)
CountySubmissionViewSet = documented(
    CountySubmissionViewSet,
    singular="Fylkets innspill",
    plural="Fylkenes innspill",
    examples=COUNTY_EXAMPLES,
)


# ---------------------------------------------------------------------------------------------
# rounds


class RoundFilter(django_filters.FilterSet):
    status = StrictChoiceFilter(choices=Round.Status.choices)

    class Meta:
        model = Round
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(summary="Runder", description="Endres i Wagtail-admin, ikke her."),
    retrieve=extend_schema(summary="Runde"),
)
class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Round.objects.select_related("structure").prefetch_related(
        Prefetch("county_shares", queryset=CountyShare.objects.select_related("county"))
    )
    serializer_class = RoundSerializer
    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"
    filterset_class = RoundFilter


def register_routes(router) -> None:
    router.register("rounds", RoundViewSet, basename="round")
    router.register("profiles", ProfileViewSet, basename="profile")
    router.register("county-submissions", CountySubmissionViewSet, basename="county-submission")
    api_review.register_routes(router)
    api_notifications.register_routes(router)
