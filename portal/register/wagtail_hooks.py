"""The register in the Wagtail admin: browse and inspect counties, municipalities, STYRK and Udir.

Rows are owned by ``load_register``/``import_register``, so Wagtail offers no add, copy or delete;
corrections of names go through the edit view like in the Django admin.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import County, Municipality, Occupation, Programme


class ReadMostlyPermissionPolicy(ModelPermissionPolicy):
    """The model's own permissions, except that nobody adds or deletes register rows here."""

    denied_actions = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        if action in self.denied_actions:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RegisterViewSet(SnippetViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return self.model._default_manager.select_related(*self.select_related)


class CountyViewSet(RegisterViewSet):
    model = County
    icon = "site"
    menu_label = _("Fylker")
    list_display = ["number", "name", "display_name", "valid_from", "valid_to"]
    search_fields = ["number", "name", "parallel_names"]
    ordering = ["number"]


class MunicipalityViewSet(RegisterViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Kommuner")
    list_display = ["number", "display_name", "county", "valid_from", "valid_to", "current"]
    list_filter = ["county"]
    search_fields = ["number", "name", "parallel_names"]
    select_related = ("county", "current")
    ordering = ["number"]
    list_per_page = 100


class OccupationViewSet(RegisterViewSet):
    model = Occupation
    icon = "group"
    menu_label = _("Yrker (STYRK-08)")
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    select_related = ("parent",)
    ordering = ["code"]
    list_per_page = 100


class ProgrammeViewSet(RegisterViewSet):
    model = Programme
    icon = "doc-full"
    menu_label = _("Utdanningsprogram")
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    ordering = ["code"]


class RegisterViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Register")
    menu_icon = "list-ul"
    menu_order = 800
    items = (MunicipalityViewSet, CountyViewSet, OccupationViewSet, ProgrammeViewSet)


for viewset in RegisterViewSetGroup.items:
    register_permission_policy(viewset.model, ReadMostlyPermissionPolicy(viewset.model))
register_snippet(RegisterViewSetGroup)
