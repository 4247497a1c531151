"""Django admin for skjema: rounds with their county shares, and read-only views of submissions,
versions, transitions, comments and e-mail notifications (with delivery errors) for support.

Read-mostly: the workflow changes only through the services (pages, API), never by editing rows
here. Submissions follow ``Submission.objects.visible_to``, so drafts are not listed."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.accounts.admin_policies import ReadOnlyAdmin

from .models import (
    CountyShare,
    Notification,
    ReviewComment,
    Round,
    Submission,
    Transition,
    Version,
)
from .review_forms import round_status_error


class RoundAdminForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["year", "title", "criteria", "national_need", "deadline", "status"]

    def clean_status(self):
        status = self.cleaned_data["status"]
        error = round_status_error(self.instance, status)
        if error:
            raise forms.ValidationError(error)
        return status


class CountyShareInline(admin.TabularInline):
    model = CountyShare
    extra = 0
    autocomplete_fields = ["county"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundAdminForm
    list_display = ["year", "title", "status", "deadline", "national_need", "opened_at"]
    list_filter = ["status"]
    readonly_fields = ["structure", "opened_at"]
    inlines = [CountyShareInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "round",
        "county",
        "municipality",
        "status",
        "last_submitted_at",
        "is_late",
    ]
    list_filter = ["kind", "status", "is_late", "round"]
    search_fields = ["municipality__number", "municipality__name", "county__name"]
    fields = [
        "kind",
        "round",
        "county",
        "municipality",
        "status",
        "first_submitted_at",
        "last_submitted_at",
        "is_late",
        "late_reason",
        "updated_at",
        "updated_by",
    ]

    def get_queryset(self, request):
        return (
            Submission.objects.visible_to(request.user)
            .select_related("round", "county", "municipality")
            .order_by("round", "county__number", "municipality__number")
        )


def _visible_submissions(request):
    return Submission.objects.visible_to(request.user)


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ["submission", "number", "created_at", "created_by", "is_late"]
    list_filter = ["is_late", "submission__round"]
    list_select_related = ["submission__round", "submission__county", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(submission__in=_visible_submissions(request))


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["submission", "action", "from_status", "to_status", "by", "at"]
    list_filter = ["action", "submission__round"]
    list_select_related = ["submission__round", "submission__county", "by"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(submission__in=_visible_submissions(request))


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["submission", "section", "field", "short_text", "by", "at"]
    list_select_related = ["submission__round", "submission__county", "by"]

    @admin.display(description=_("kommentar"))
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(submission__in=_visible_submissions(request))


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """What was sent to whom, and what could not be sent yet (``retry_failed`` tries again)."""

    list_display = ["created_at", "recipient", "kind", "status", "attempts", "subject", "sent_at"]
    list_filter = ["status", "kind", "round"]
    search_fields = ["subject", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
