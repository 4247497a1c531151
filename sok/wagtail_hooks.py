"""The synonym list in the Wagtail admin, for IMDi: words that mean the same in a search
(«helsefagarbeider, helsearbeider»). An edit applies to the next search, on both backends,
without reindexing (synonyms expand the query, not the index).

Access needs the model permission (granted to «IMDi» and «Administratorer» after migrate by
``sok.signals_setup``) and the IMDi rule, like rounds in ``skjema.wagtail_hooks``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from portal.accounts.admin_policies import ImdiModelPermissionPolicy

from .analysis import analyse
from .models import SynonymGroup

register_permission_policy(SynonymGroup, ImdiModelPermissionPolicy(SynonymGroup))


class SynonymGroupForm(WagtailAdminModelForm):
    def clean_terms(self):
        words = [w.strip() for w in self.cleaned_data["terms"].split(",") if w.strip()]
        # The query is expanded word by word, so each entry must be a single word.
        several = [w for w in words if len(analyse(w, keep_stop_words=True)) != 1]
        if several:
            raise forms.ValidationError(
                _("Skriv ett ord mellom hvert komma; dette virker ikke som synonym: %(words)s.")
                % {"words": ", ".join(f"«{w}»" for w in several)}
            )
        if len(dict.fromkeys(w.lower() for w in words)) < 2:
            raise forms.ValidationError(_("Skriv minst to ord med komma mellom."))
        return ", ".join(dict.fromkeys(words))


class SynonymGroupViewSet(ModelViewSet):
    model = SynonymGroup
    name = "synonymer"
    icon = "list-ul"
    menu_label = _("Synonymer i søket")
    menu_order = 750
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["terms"]
    search_fields = ["terms"]
    ordering = ["terms"]
    edit_handler = ObjectList([FieldPanel("terms")], base_form_class=SynonymGroupForm)


@hooks.register("register_admin_viewset")
def register_synonym_viewset():
    return SynonymGroupViewSet()
