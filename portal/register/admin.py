"""Django admin for the register: browse and search; rows come from load_register/import_register.

Read-mostly: natural keys cannot be edited and rows cannot be deleted here (statistics and forms
refer to them); names and validity can be corrected by an administrator.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    CodeChange,
    County,
    Indicator,
    Municipality,
    Occupation,
    Programme,
    ProgrammeArea,
    StatisticValue,
    StructureVersion,
)


class StructureListFilter(admin.SimpleListFilter):
    """Rows in force in a structure version (e.g. the 357 municipalities of 2024)."""

    title = _("strukturversjon")
    parameter_name = "struktur"

    def lookups(self, request, model_admin):
        return [(version.code, version.label) for version in StructureVersion.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        version = StructureVersion.objects.filter(code=self.value()).first()
        return queryset.in_structure(version) if version else queryset.none()


class CurrentListFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("gjeldende", _("gjeldende")), ("historisk", _("historisk"))]

    def queryset(self, request, queryset):
        if self.value() == "gjeldende":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "historisk":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class ReadMostlyAdmin(admin.ModelAdmin):
    key_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + self.key_fields if obj is not None else readonly

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StructureVersion)
class StructureVersionAdmin(ReadMostlyAdmin):
    list_display = ["code", "label", "valid_from", "valid_to"]
    key_fields = ("code",)


@admin.register(County)
class CountyAdmin(ReadMostlyAdmin):
    list_display = [
        "number",
        "name",
        "parallel_names",
        "malform",
        "organisation_number",
        "valid_from",
        "valid_to",
    ]
    list_filter = [StructureListFilter, CurrentListFilter, "malform"]
    search_fields = ["number", "name", "parallel_names"]
    key_fields = ("number",)


class SuccessorInline(admin.TabularInline):
    model = CodeChange
    fk_name = "predecessor"
    fields = ["successor", "kind", "date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("etterfølger")
    verbose_name_plural = _("etterfølgere")

    def has_add_permission(self, request, obj=None):
        return False


class PredecessorInline(SuccessorInline):
    fk_name = "successor"
    fields = ["predecessor", "kind", "date"]
    readonly_fields = fields
    verbose_name = _("forgjenger")
    verbose_name_plural = _("forgjengere")


@admin.register(Municipality)
class MunicipalityAdmin(ReadMostlyAdmin):
    list_display = [
        "number",
        "name",
        "parallel_names",
        "county",
        "malform",
        "valid_from",
        "valid_to",
        "current",
    ]
    list_filter = [StructureListFilter, CurrentListFilter, "county", "malform"]
    list_select_related = ["county", "current"]
    search_fields = ["number", "name", "parallel_names"]
    autocomplete_fields = ["current"]
    inlines = [SuccessorInline, PredecessorInline]
    key_fields = ("number",)
    show_full_result_count = False


@admin.register(CodeChange)
class CodeChangeAdmin(ReadMostlyAdmin):
    list_display = ["predecessor", "successor", "kind", "date"]
    list_filter = ["kind", "date"]
    list_select_related = ["predecessor", "successor"]
    search_fields = ["predecessor__number", "predecessor__name", "successor__number"]
    autocomplete_fields = ["predecessor", "successor"]
    key_fields = ("predecessor", "successor")


@admin.register(Occupation)
class OccupationAdmin(ReadMostlyAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    key_fields = ("code",)


class ProgrammeAreaInline(admin.TabularInline):
    model = ProgrammeArea
    fields = ["code", "name", "level"]
    extra = 0
    can_delete = False


@admin.register(Programme)
class ProgrammeAdmin(ReadMostlyAdmin):
    list_display = ["code", "name", "name_nn", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_nn"]
    inlines = [ProgrammeAreaInline]
    key_fields = ("code",)


@admin.register(ProgrammeArea)
class ProgrammeAreaAdmin(ReadMostlyAdmin):
    list_display = ["code", "name", "level", "programme"]
    list_filter = ["level", "programme"]
    list_select_related = ["programme"]
    search_fields = ["code", "name"]
    key_fields = ("code",)


@admin.register(Indicator)
class IndicatorAdmin(ReadMostlyAdmin):
    """Imports find indicators by name and unit, so those and the API code are fixed here."""

    list_display = ["code", "name", "unit", "source", "position"]
    list_filter = ["unit"]
    search_fields = ["code", "name"]
    key_fields = ("code", "name", "unit")


@admin.register(StatisticValue)
class StatisticValueAdmin(admin.ModelAdmin):
    """Browse only: values come from ``import_statistics`` (Wagtail admin: «Importer statistikk»)."""

    list_display = ["indicator", "municipality", "year", "value", "status"]
    list_filter = ["indicator", "status", "year"]
    list_select_related = ["indicator", "municipality"]
    search_fields = ["municipality__number", "municipality__name"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
