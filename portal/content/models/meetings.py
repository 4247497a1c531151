"""Meetings of a round (the joint June meeting, the county meetings in the autumn and the joint
November meeting), their agendas and documents, and their minutes."""

import datetime
from itertools import groupby
from operator import attrgetter

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.accounts import rules
from portal.register.serializers import CountySerializer, MunicipalityRefSerializer

from ..blocks import AgendaBlock, MinutesBodyBlock
from .base import ContentPageManager, ContentPageQuerySet
from .moderation import MeetingPermissionTester, MinutesPermissionTester

# IMDi sends the preparatory document (saksforberedende dokument) three weeks before each
# county cooperation meeting.
PREPARATION_LEAD_TIME = datetime.timedelta(weeks=3)


class Visibility(models.TextChoices):
    """Who may read minutes and meeting documents, chosen by the editor when publishing."""

    PARTICIPANTS = "deltakere", _("Bare møtedeltakerne (fylket, IMDi og KS)")
    PUBLIC = "offentlig", _("Offentlig (alle, også uten innlogging)")


VISIBILITY_HELP = _(
    "Velges før publisering. Standard er bare møtedeltakerne: fylkeskommunen (alle "
    "fylkeskommunene for felles møter), IMDi og KS. Andre får «fant ikke siden»."
)


class MeetingKind(models.TextChoices):
    JOINT_DIGITAL = "felles_digitalt", _("Felles digitalt møte")
    COUNTY_COOPERATION = "samarbeid_fylke", _("Samarbeidsmøte med fylket")
    SUMMARY = "oppsummering", _("Felles oppsummeringsmøte")


MEETING_KIND_DESCRIPTIONS = {
    MeetingKind.JOINT_DIGITAL: _(
        "Juni: anmodningskriteriene for året og hvordan informasjonen om kommunene hentes inn."
    ),
    MeetingKind.COUNTY_COOPERATION: _(
        "Høsten: fylkeskommunen, KS og IMDi drøfter kommunene i fylket. IMDi sender et "
        "saksforberedende dokument tre uker før møtet."
    ),
    MeetingKind.SUMMARY: _("November: felles digital oppsummering av runden."),
}


class MeetingDocumentsField(serializers.Field):
    """A meeting's documents in the pages API, as the page shows them to the reader: documents
    for the participants only to participants."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        shown = []
        for item in page.documents_for(user):
            document = item.document
            url = request.build_absolute_uri(document.url) if request else document.url
            shown.append(
                {
                    "id": item.pk,
                    "label": item.label,
                    "visibility": item.visibility,
                    "document": {
                        "id": document.pk,
                        "title": document.title,
                        "meta": {"type": "wagtaildocs.Document", "download_url": url},
                    },
                }
            )
        return shown


class MeetingIndexPage(Page):
    intro = RichTextField(_("ingress"), blank=True, features=["bold", "italic", "link"])

    objects = ContentPageManager()

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.MeetingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("møteoversikt")
        verbose_name_plural = _("møteoversikter")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        meetings = list(
            MeetingPage.objects.child_of(self)
            .visible_to(user)
            .defer_streamfields()
            .select_related("county")
            .order_by("-round_year", "starts_at", "path")
        )
        minutes_by_meeting_path = {
            minutes.path[: -Page.steplen]: minutes
            for minutes in MinutesPage.objects.descendant_of(self)
            .visible_to(user)
            .defer_streamfields()
        }
        for meeting in meetings:
            meeting.visible_minutes = minutes_by_meeting_path.get(meeting.path)
        context["rounds"] = [
            (year, list(group)) for year, group in groupby(meetings, key=attrgetter("round_year"))
        ]
        return context


class MeetingPageForm(WagtailAdminPageForm):
    """Offer today's counties, plus the one the meeting already has."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.register.models import County

        field = self.fields.get("county")
        if field is not None:
            field.queryset = County.objects.filter(
                Q(valid_to__isnull=True) | Q(pk=self.instance.county_id)
            )


class MeetingPage(Page):
    round_year = models.PositiveSmallIntegerField(
        _("bosettingsår (runde)"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_(
            "Året anmodningen gjelder, for eksempel 2026. Møtene i en runde holdes året før."
        ),
    )
    kind = models.CharField(_("møtetype"), max_length=20, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    location = models.CharField(
        _("sted"),
        max_length=255,
        blank=True,
        help_text=_("Adresse og rom, eller «Digitalt» for møter på video."),
    )
    meeting_url = models.URLField(
        _("møtelenke"), blank=True, help_text=_("Lenke til videomøtet, hvis det er digitalt.")
    )
    county = models.ForeignKey(
        "register.County",
        verbose_name=_("fylke"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_pages",
        help_text=_("Påkrevd for samarbeidsmøter med fylket, tomt for felles møter."),
    )
    intro = RichTextField(
        _("om møtet"),
        blank=True,
        features=["bold", "italic", "link", "document-link", "ul"],
        help_text=_("Formålet med møtet og hva deltakerne bør forberede."),
    )
    participants = RichTextField(
        _("deltakere"),
        blank=True,
        features=["bold", "italic", "ul"],
        help_text=_("Hvem som deltar fra fylkeskommunen, KS og IMDi."),
    )
    agenda = StreamField(AgendaBlock(), blank=True, verbose_name=_("dagsorden"))

    objects = ContentPageManager()
    base_form_class = MeetingPageForm

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("round_year"), FieldPanel("kind")]),
                # A plain list of today's counties rather than the register's chooser.
                FieldPanel("county", widget=forms.Select),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("location"),
                FieldPanel("meeting_url"),
            ],
            heading=_("Tid og sted"),
        ),
        FieldPanel("intro"),
        FieldPanel("participants"),
        FieldPanel("agenda"),
        InlinePanel("documents", label=_("Møtedokumenter"), heading=_("Møtedokumenter")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("agenda"),
        index.FilterField("round_year"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
    ]
    api_fields = [
        APIField("round_year"),
        APIField("kind"),
        APIField(
            "kind_display",
            serializer=serializers.CharField(source="get_kind_display", read_only=True),
        ),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("location"),
        APIField("meeting_url"),
        APIField("county", serializer=CountySerializer(read_only=True)),
        APIField("intro"),
        APIField("participants"),
        APIField("agenda"),
        APIField("documents", serializer=MeetingDocumentsField()),
    ]

    parent_page_types = ["content.MeetingIndexPage"]
    subpage_types = ["content.MinutesPage"]

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        indexes = [models.Index(fields=["round_year", "starts_at"], name="meeting_round_start")]

    def clean(self):
        super().clean()
        errors = {}
        is_county_meeting = self.kind == MeetingKind.COUNTY_COOPERATION
        if is_county_meeting and self.county_id is None:
            errors["county"] = _("Velg fylket for samarbeidsmøtet.")
        elif not is_county_meeting and self.county_id is not None:
            errors["county"] = _(
                "Bare samarbeidsmøter med fylket har fylke. Fjern fylket for felles møter."
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Møtet må slutte etter at det starter.")
        if errors:
            raise ValidationError(errors)

    @property
    def kind_description(self) -> str:
        return MEETING_KIND_DESCRIPTIONS.get(self.kind, "")

    @property
    def is_county_meeting(self) -> bool:
        return self.kind == MeetingKind.COUNTY_COOPERATION

    @property
    def preparation_due(self) -> datetime.date | None:
        """When IMDi's preparatory document is due (county meetings only)."""
        if not self.is_county_meeting or self.starts_at is None:
            return None
        return (self.starts_at - PREPARATION_LEAD_TIME).date()

    def permissions_for_user(self, user):
        return MeetingPermissionTester(user, self)

    def material_readable_by(self, user) -> bool:
        """Whether ``user`` is a participant: may read what is published for participants."""
        return rules.can_read_meeting_material(user, self.county)

    def documents_for(self, user) -> list["MeetingDocument"]:
        """The meeting's documents ``user`` may open: the public ones, and all for participants."""
        documents = list(self.documents.select_related("document"))
        if self.material_readable_by(user):
            return documents
        return [item for item in documents if item.visibility == Visibility.PUBLIC]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        minutes = MinutesPage.objects.child_of(self).visible_to(request.user).first()
        context["minutes"] = minutes
        context["minutes_for_participants"] = (
            minutes is None and MinutesPage.objects.child_of(self).live().exists()
        )
        context["meeting_documents"] = self.documents_for(request.user)
        return context


class MeetingDocument(Orderable):
    page = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("dokument"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(
        _("lenketekst"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel «Saksforberedende dokument». Tomt felt gir dokumentets tittel."),
    )
    visibility = models.CharField(
        _("synlighet"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
        help_text=VISIBILITY_HELP,
    )

    panels = [FieldPanel("document"), FieldPanel("label"), FieldPanel("visibility")]
    api_fields = [APIField("label"), APIField("visibility"), APIField("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("møtedokument")
        verbose_name_plural = _("møtedokumenter")

    def __str__(self):
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or self.document.title


class MinutesPageQuerySet(ContentPageQuerySet):
    def concerning(self, municipality):
        """Minutes linked to a municipality (for its page in the register)."""
        return self.filter(municipalities=municipality)

    def readable_by(self, user):
        """Public minutes, and those published for participants where ``user`` is one
        (``rules.can_read_meeting_material``: a county officer only under the county's own
        meetings and the joint ones)."""
        if rules.can_read_meeting_material(user, None) and rules.county_of(user) is None:
            return self  # IMDi, KS, editors and administrators take part in every meeting
        public = Q(visibility=Visibility.PUBLIC)
        county = rules.county_of(user)
        if county is None or not rules.can_read_meeting_material(user, county):
            return self.filter(public)
        meetings = MeetingPage.objects.filter(Q(county=county) | Q(county__isnull=True))
        own = Q()
        for path in meetings.values_list("path", flat=True):
            own |= Q(path__startswith=path)
        return self.filter(public | own) if own else self.filter(public)

    def unreadable_by(self, user):
        """Ids of the minutes ``user`` may not read (a subquery, no query of its own)."""
        return MinutesPage.objects.exclude(pk__in=self.readable_by(user).values("pk")).values("pk")


class MinutesPageManager(ContentPageManager.from_queryset(MinutesPageQuerySet)):
    pass


class MinutesPageForm(WagtailAdminPageForm):
    """Offer the meeting's county's municipalities of today (every current municipality for the
    joint meetings), plus any others the minutes already link to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.register.models import Municipality

        field = self.fields.get("municipalities")
        if field is None:
            return
        linked = [m.pk for m in self.instance.municipalities.all()] if self.instance.pk else []
        offered = Q(valid_to__isnull=True)
        county_id = self._meeting_county_id(kwargs.get("parent_page"))
        if county_id is not None:
            offered &= Q(county_id=county_id)
        field.queryset = Municipality.objects.filter(offered | Q(pk__in=linked)).order_by("number")

    def _meeting_county_id(self, parent_page):
        parent = parent_page or (self.instance.get_parent() if self.instance.pk else None)
        meeting = getattr(parent, "specific", None)
        return getattr(meeting, "county_id", None)


class MinutesPage(Page):
    approved_date = models.DateField(
        _("godkjent dato"),
        null=True,
        blank=True,
        help_text=_("Datoen møtedeltakerne godkjente referatet."),
    )
    body = StreamField(MinutesBodyBlock(), verbose_name=_("referat"))
    municipalities = ParentalManyToManyField(
        "register.Municipality",
        verbose_name=_("kommuner referatet gjelder"),
        related_name="minutes_pages",
        blank=True,
        help_text=_("Referatet vises på sidene til kommunene du krysser av for."),
    )
    visibility = models.CharField(
        _("synlighet"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
        help_text=VISIBILITY_HELP,
    )

    objects = MinutesPageManager()
    base_form_class = MinutesPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("visibility", widget=forms.RadioSelect),
        FieldPanel("approved_date"),
        FieldPanel("body"),
        FieldPanel("municipalities", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.RelatedFields("municipalities", [index.SearchField("name")]),
        index.FilterField("approved_date"),
    ]
    api_fields = [
        APIField("visibility"),
        APIField("approved_date"),
        APIField("body"),
        APIField("municipalities", serializer=MunicipalityRefSerializer(many=True, read_only=True)),
    ]

    parent_page_types = ["content.MeetingPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("referat")
        verbose_name_plural = _("referater")

    def permissions_for_user(self, user):
        return MinutesPermissionTester(user, self)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    def meeting(self) -> "MeetingPage | None":
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    def readable_by(self, user) -> bool:
        if self.is_public:
            return True
        meeting = self.meeting()
        return rules.can_read_meeting_material(user, getattr(meeting, "county", None))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["meeting"] = self.get_parent().specific
        context["linked_municipalities"] = sorted(
            self.municipalities.all(), key=attrgetter("number")
        )
        return context
