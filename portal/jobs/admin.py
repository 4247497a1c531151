"""Job state for administrators: queued, running, failed with the error, retried. Replaces
django-tasks-db's own admin page with one that shows the attempts and errors."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import JobState

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


class JobStateInline(admin.StackedInline):
    model = JobState
    can_delete = False
    extra = 0
    fields = (
        "attempts",
        "max_attempts",
        "worker_id",
        "heartbeat_at",
        "lease_expires_at",
        "error_list",
        "last_error_text",
    )
    readonly_fields = fields
    verbose_name = _("forsøk og feil")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("feil per forsøk"))
    def error_list(self, obj):
        if not obj.errors:
            return "–"
        items = format_html_join(
            "",
            "<li>{} ({}): {}</li>",
            ((e.get("at", ""), e.get("worker", ""), e.get("error", "")) for e in obj.errors),
        )
        return format_html("<ol>{}</ol>", items)

    @admin.display(description=_("siste feil"))
    def last_error_text(self, obj):
        return format_html("<pre>{}</pre>", obj.last_error) if obj.last_error else "–"


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    list_display = (
        "enqueued_at",
        "task_name",
        "state_label",
        "attempts",
        "started_at",
        "finished_at",
        "error_summary",
        "queue_name",
    )
    list_filter = ("status", "queue_name")
    search_fields = ("task_path", "job_state__last_error")
    inlines = [JobStateInline]
    actions = ["retry_failed"]
    list_select_related = ("job_state",)

    @admin.display(description=_("tilstand"), ordering="status")
    def state_label(self, obj):
        state = getattr(obj, "job_state", None)
        attempts = state.attempts if state else 0
        if obj.status == TaskResultStatus.READY:
            return _("venter på nytt forsøk") if attempts else _("i kø")
        return {
            TaskResultStatus.RUNNING: _("kjører"),
            TaskResultStatus.SUCCESSFUL: _("ferdig (etter nye forsøk)")
            if attempts > 1
            else _("ferdig"),
            TaskResultStatus.FAILED: _("feilet"),
        }.get(obj.status, obj.status)

    @admin.display(description=_("forsøk"))
    def attempts(self, obj):
        state = getattr(obj, "job_state", None)
        return f"{state.attempts}/{state.max_attempts}" if state else "0"

    @admin.display(description=_("feil"))
    def error_summary(self, obj):
        state = getattr(obj, "job_state", None)
        if state and state.errors:
            return state.errors[-1].get("error", "")[:120]
        return ""

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # only for the «try again» action; fields stay read-only

    @admin.action(description=_("Prøv de valgte feilede jobbene igjen"))
    def retry_failed(self, request, queryset):
        with transaction.atomic():
            ids = list(queryset.filter(status=TaskResultStatus.FAILED).values_list("pk", flat=True))
            DBTaskResult.objects.filter(pk__in=ids).update(
                status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
            )
            for state in JobState.objects.filter(result_id__in=ids):
                state.max_attempts = state.attempts + 1
                state.save(update_fields=["max_attempts"])
        messages.success(request, _("%(n)s jobber er satt i kø igjen.") % {"n": len(ids)})
