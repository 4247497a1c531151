"""The register in the Wagtail admin: browse and inspect counties, municipalities, STYRK and Udir,
the statistics indicators, and the statistics import (administrators only).

Rows are owned by ``load_register``/``import_register``/``import_statistics``, so Wagtail offers
no add, copy or delete; corrections of names go through the edit view like in the Django admin.
"""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.accounts import rules

from .models import County, Indicator, Municipality, Occupation, Programme
from .statistics_admin import StatisticsImportConfirmView, StatisticsImportView


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
    list_display = ["number", "name", "organisation_number", "valid_from", "valid_to"]
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


class IndicatorViewSet(RegisterViewSet):
    """Code, name and unit are how imports find an indicator, so they are not edited here."""

    model = Indicator
    icon = "table"
    menu_label = _("Statistikkindikatorer")
    list_display = ["code", "name", "unit", "source"]
    list_filter = ["unit"]
    search_fields = ["code", "name"]
    ordering = ["position", "code"]
    panels = [
        FieldPanel("code", read_only=True),
        FieldPanel("name", read_only=True),
        FieldPanel("unit", read_only=True),
        FieldPanel("source"),
        FieldPanel("description"),
        FieldPanel("position"),
    ]


class RegisterViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Register")
    menu_icon = "list-ul"
    menu_order = 800
    items = (
        MunicipalityViewSet,
        CountyViewSet,
        OccupationViewSet,
        ProgrammeViewSet,
        IndicatorViewSet,
    )


for viewset in RegisterViewSetGroup.items:
    register_permission_policy(viewset.model, ReadMostlyPermissionPolicy(viewset.model))
register_snippet(RegisterViewSetGroup)


class StatisticsImportMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.can_manage_register(request.user)


@hooks.register("register_admin_urls")
def register_statistics_import_urls():
    return [
        path(
            "statistikk/import/",
            StatisticsImportView.as_view(),
            name="register_statistics_import",
        ),
        path(
            "statistikk/import/bekreft/",
            StatisticsImportConfirmView.as_view(),
            name="register_statistics_import_confirm",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_statistics_import_menu_item():
    return StatisticsImportMenuItem(
        _("Importer statistikk"),
        reverse_lazy("register_statistics_import"),
        icon_name="upload",
        order=810,
    )
