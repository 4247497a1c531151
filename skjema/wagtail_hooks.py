"""Rounds and the counties' shares of the national need in the Wagtail admin, for IMDi.

Access needs both the model permission (granted to the groups «IMDi» and «Administratorer» by
``skjema.signals_setup`` after migrate) and the IMDi rule, so a permission granted to another
group by mistake does not open it. Opening a round creates every county's drafts, so it is a
separate confirmed action («Åpne runden», ``skjema:open-round``), never a status edit."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permissions import register_permission_policy

from portal.accounts.admin_policies import ImdiModelPermissionPolicy
from portal.register.models import County, StructureVersion

from . import plan_documents
from .models import CountyShare, Round
from .review_forms import round_status_error

register_permission_policy(Round, ImdiModelPermissionPolicy(Round))
register_permission_policy(CountyShare, ImdiModelPermissionPolicy(CountyShare))


# ---------------------------------------------------------------------------------------------
# rounds


class RoundForm(WagtailAdminModelForm):
    def clean_year(self):
        year = self.cleaned_data["year"]
        if year and StructureVersion.objects.for_year(year) is None:
            raise forms.ValidationError(
                _("Det finnes ingen kommunestruktur for %(year)s.") % {"year": year}
            )
        return year

    def clean_status(self):
        status = self.cleaned_data["status"]
        error = round_status_error(self.instance, status)
        if error:
            raise forms.ValidationError(error)
        return status


def _open_round_url(round_: Round) -> str | None:
    if round_.status in {Round.Status.PLANNING, Round.Status.OPEN}:
        return reverse("skjema:open-round", args=[round_.year])
    return None


class RoundIndexView(IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        extra = [
            ListingButton(
                _("Oversikt"),
                url=reverse("skjema:round-overview", args=[instance.year]),
                priority=5,
                attrs={"aria-label": _("Oversikt over %(round)s") % {"round": instance}},
            )
        ]
        if url := _open_round_url(instance):
            label = (
                _("Åpne runden")
                if instance.status == Round.Status.PLANNING
                else _("Åpne for fylker som mangler skjemaer")
            )
            extra.append(
                ListingButton(
                    label,
                    url=url,
                    priority=6,
                    attrs={"aria-label": f"{label}: {instance}"},
                )
            )
        return extra + buttons


class RoundEditView(EditView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if url := _open_round_url(self.object):
            buttons.append(HeaderButton(_("Åpne runden"), url=url, icon_name="calendar-check"))
        buttons.append(
            HeaderButton(
                _("Oversikt"),
                url=reverse("skjema:round-overview", args=[self.object.year]),
                icon_name="view",
            )
        )
        return buttons


class RoundViewSet(ModelViewSet):
    model = Round
    name = "runder"
    icon = "calendar"
    menu_label = _("Runder")
    index_view_class = RoundIndexView
    edit_view_class = RoundEditView
    copy_view_enabled = False
    list_display = [
        "year",
        "title",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "deadline",
        "national_need",
    ]
    list_filter = ["status"]
    search_fields = ["title"]
    ordering = ["-year"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("year"), FieldPanel("status")]),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("deadline"), FieldPanel("national_need")]),
            FieldPanel("criteria"),
        ],
        base_form_class=RoundForm,
    )


# ---------------------------------------------------------------------------------------------
# county shares


class CountyShareForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        round_, county = cleaned.get("round"), cleaned.get("county")
        if round_ and county:
            in_structure = County.objects.in_structure(round_.structure).filter(pk=county.pk)
            if not in_structure.exists():
                self.add_error(
                    "county",
                    _("%(county)s finnes ikke i kommunestrukturen for %(year)s.")
                    % {"county": county, "year": round_.year},
                )
        return cleaned


class CountyShareViewSet(ModelViewSet):
    model = CountyShare
    name = "fylkesandeler"
    icon = "table"
    menu_label = _("Fylkenes andeler")
    copy_view_enabled = False
    list_display = ["county", "round", "share"]
    list_filter = ["round"]
    ordering = ["-round__year", "county__number"]
    edit_handler = ObjectList(
        [FieldPanel("round"), FieldPanel("county"), FieldPanel("share")],
        base_form_class=CountyShareForm,
    )

    def get_queryset(self, request):
        return CountyShare.objects.select_related("round", "county")


class RoundViewSetGroup(ModelViewSetGroup):
    menu_label = _("Bosettingsrunder")
    menu_icon = "calendar"
    menu_order = 700
    items = (RoundViewSet, CountyShareViewSet)


@hooks.register("register_admin_viewset")
def register_round_viewsets():
    return RoundViewSetGroup()


@hooks.register("before_serve_document")
def _plan_documents_by_county(document, request):
    """A county's plan document is for its own officers until submitted (see
    ``skjema.plan_documents``). Anonymous visitors are left to the collection's own
    restriction, which sends them to the login page."""
    if not plan_documents.is_plan_document(document) or not request.user.is_authenticated:
        return None
    if plan_documents.may_read(request.user, document):
        return None
    raise PermissionDenied(
        _("Dokumentet er et utkast fra et annet fylke, eller du har ikke tilgang til det.")
    )
