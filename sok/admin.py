"""Django admin for search: the updates Elasticsearch has not received yet, with the reason, for
support (``manage.py sok_sync`` sends them; ``sok_reindex`` when the mapping is out of date)."""

from django.contrib import admin

from .models import PendingIndexUpdate


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(admin.ModelAdmin):
    list_display = ["key", "created_at", "generation", "attempts", "last_error"]
    search_fields = ["key"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
