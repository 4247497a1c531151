"""Guidance (veiledning): how the counties take part in the yearly round."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import ContentBlock
from .base import ContentPageManager


class GuidanceIndexPage(Page):
    intro = RichTextField(_("ingress"), blank=True, features=["bold", "italic", "link"])

    objects = ContentPageManager()

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.GuidancePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("veiledningsoversikt")
        verbose_name_plural = _("veiledningsoversikter")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guidance_pages"] = list(
            GuidancePage.objects.child_of(self)
            .visible_to(request.user)
            .defer_streamfields()
            .order_by("path")
        )
        return context


class GuidancePage(Page):
    intro = RichTextField(
        _("ingress"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Ett eller to avsnitt som sier hva siden svarer på."),
    )
    body = StreamField(
        ContentBlock(),
        verbose_name=_("innhold"),
        help_text=_("Bruk overskrifter, avsnitt, merknader, dokumentlenker og spørsmål og svar."),
    )

    objects = ContentPageManager()

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    api_fields = [APIField("intro"), APIField("body"), APIField("last_published_at")]

    parent_page_types = ["content.GuidanceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("veiledningsside")
        verbose_name_plural = _("veiledningssider")
