"""Placement in the Wagtail admin: the ranking's weight sets (administrators only; saving an
edit makes a new version, so stored rankings keep the weights they used) and a menu link to
the choice statistics. Households are deliberately not in any admin."""

from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.accounts import rules
from portal.accounts.models import Role

from .models import CRITERIA, WeightSet


class WeightsPermissionPolicy(ModelPermissionPolicy):
    """Administrators add and edit (an edit is a new version); nobody deletes a version."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return rules.can_edit_placement_weights(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from portal.accounts.models import User

        return User.objects.filter(Q(is_superuser=True) | Q(role=Role.ADMINISTRATOR))


register_permission_policy(WeightSet, WeightsPermissionPolicy(WeightSet))


class WeightSetViewSet(ModelViewSet):
    model = WeightSet
    icon = "resubmit"
    menu_label = _("Vekter for plassering")
    add_to_admin_menu = True
    menu_order = 700
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["__str__", *CRITERIA, "note", "created_at"]
    panels = [FieldPanel(name) for name in CRITERIA] + [FieldPanel("note")]
    permission_policy = WeightsPermissionPolicy(WeightSet)

    def get_queryset(self, request):
        return WeightSet.objects.order_by("-version")


@hooks.register("register_admin_viewset")
def register_weights():
    return WeightSetViewSet("plassering_weights")


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_view_placement_statistics(request.user)


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return AdministratorMenuItem(
        _("Valg fra rangeringer"),
        reverse_lazy("plassering:statistics"),
        icon_name="table",
        order=701,
    )
