"""Admin building blocks that every app's admin uses: a read-only Django admin, and the Wagtail
permission policy "the model permission, for IMDi officers and administrators only"."""

from django.contrib import admin
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from . import rules
from .models import Role


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ImdiModelPermissionPolicy(ModelPermissionPolicy):
    """The model permission, and only for IMDi officers and administrators."""

    def user_has_permission(self, user, action):
        return rules.is_imdi(user) and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return rules.is_imdi(user) and super().user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        # Mirrors rules.is_imdi: superusers count as administrators.
        return (
            super()
            .users_with_any_permission(actions)
            .filter(Q(is_superuser=True) | Q(role__in=[Role.IMDI_OFFICER, Role.ADMINISTRATOR]))
        )
