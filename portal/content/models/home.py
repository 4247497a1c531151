"""The portal's front page: what the portal is, shortcuts, upcoming meetings, new guidance."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import FeaturedLinksBlock
from .base import ContentPageManager
from .guidance import GuidanceIndexPage, GuidancePage
from .meetings import MeetingIndexPage, MeetingPage

UPCOMING_MEETINGS_SHOWN = 5
LATEST_GUIDANCE_SHOWN = 5
RECENT_SHOWN = 3


class HomePage(Page):
    intro = RichTextField(
        _("ingress"),
        features=["bold", "italic", "link"],
        help_text=_("Hva portalen er og hvem den er for, i to–tre setninger."),
    )
    featured_links = StreamField(
        FeaturedLinksBlock(),
        blank=True,
        verbose_name=_("snarveier"),
        help_text=_("Opptil seks snarveier som vises øverst på forsiden."),
    )

    objects = ContentPageManager()

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured_links")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("featured_links")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.GuidanceIndexPage", "content.MeetingIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("forside")
        verbose_name_plural = _("forsider")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        now = timezone.now()
        meetings = (
            MeetingPage.objects.descendant_of(self)
            .visible_to(user)
            .defer_streamfields()
            .select_related("county")
        )
        context["upcoming_meetings"] = list(
            meetings.filter(starts_at__gte=now).order_by("starts_at")[:UPCOMING_MEETINGS_SHOWN]
        )
        # Between rounds nothing is coming up; the latest meetings are the next best thing.
        context["recent_meetings"] = (
            []
            if context["upcoming_meetings"]
            else list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:RECENT_SHOWN])
        )
        context["latest_guidance"] = list(
            GuidancePage.objects.descendant_of(self)
            .visible_to(user)
            .defer_streamfields()
            .order_by("-last_published_at")[:LATEST_GUIDANCE_SHOWN]
        )
        context["guidance_index"] = GuidanceIndexPage.objects.child_of(self).live().first()
        context["meeting_index"] = MeetingIndexPage.objects.child_of(self).live().first()
        return context
