from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Rolle", {"fields": ("role", "county", "language")})]
    list_display = ["username", "email", "role", "county", "is_active"]
    list_filter = ["role", "county", "is_active"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here, never shown: only a digest is stored, and new ones
    are made with ``manage.py create_api_token`` (which prints the token once)."""

    list_display = ["name", "user", "prefix", "created", "expires", "last_used", "revoked"]
    list_filter = ["migrated", ("revoked", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    fields = ["user", "name", "prefix", "created", "expires", "last_used", "revoked", "migrated"]
    readonly_fields = ["user", "prefix", "created", "last_used", "revoked", "migrated"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Trekk tilbake valgte nøkler"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked__isnull=True).update(revoked=timezone.now())
        self.message_user(
            request, _("%(count)d nøkler trukket tilbake.") % {"count": count}, messages.SUCCESS
        )
