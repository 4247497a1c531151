"""Django admin for search: the updates Elasticsearch has not received yet, with the reason, for
support (``manage.py sok_sync`` sends them; ``sok_reindex`` when the mapping is out of date)."""

from django.contrib import admin

from portal.accounts.admin_policies import ReadOnlyAdmin

from .models import PendingIndexUpdate


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(ReadOnlyAdmin):
    list_display = ["key", "created_at", "generation", "attempts", "last_error"]
    search_fields = ["key"]
