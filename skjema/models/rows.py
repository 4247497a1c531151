"""Repeating rows of the profile's sections and the county's recommended numbers.

Each row has a ``uid`` that survives carry-forward into the next round, so a row can be
followed across versions and rounds (diffs match rows by it, not by position)."""

import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality, Occupation, ProgrammeArea

from .submissions import CountySubmission, MunicipalityProfile


class Row(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.position + 1}"


class QualificationOffer(Row):
    """Section 1: municipal training and qualification offers, with their results."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduksjonsprogram")
        NORWEGIAN = "norwegian", _("Opplæring i norsk")
        PRIMARY_ADULTS = "primary_adults", _("Grunnskole for voksne")
        UPPER_SECONDARY_ADULTS = "upper_secondary_adults", _("Videregående opplæring for voksne")
        VOCATIONAL = "vocational", _("Fag- og yrkesopplæring / fagbrev på jobb")
        WORK_PRACTICE = "work_practice", _("Arbeidspraksis")
        LANGUAGE_PRACTICE = "language_practice", _("Språkpraksis")
        OTHER = "other", _("Annet")

    profile = models.ForeignKey(
        MunicipalityProfile, on_delete=models.CASCADE, related_name="qualification_offers"
    )
    kind = models.CharField(_("type tilbud"), max_length=30, choices=Kind.choices, blank=True)
    name = models.CharField(_("navn på tilbudet"), max_length=255, blank=True)
    target_group = models.CharField(_("målgruppe"), max_length=255, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    seats = models.PositiveIntegerField(_("antall plasser"), null=True, blank=True)
    result_share = models.DecimalField(
        _("resultat: andel i arbeid eller utdanning (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    result_cohort_year = models.PositiveSmallIntegerField(
        _("resultat: kull (år)"), null=True, blank=True
    )
    result_participants = models.PositiveIntegerField(
        _("resultat: antall deltakere"), null=True, blank=True
    )
    partners = models.CharField(_("samarbeidspartnere"), max_length=500, blank=True)

    class Meta(Row.Meta):
        verbose_name = _("kvalifiseringstilbud")
        verbose_name_plural = _("kvalifiseringstilbud")


class UpperSecondaryOffer(Row):
    """Section 2: upper-secondary offers and adapted vocational training."""

    class Level(models.TextChoices):
        VG1 = "Vg1", "Vg1"
        VG2 = "Vg2", "Vg2"
        VG3 = "Vg3", "Vg3"
        APPRENTICESHIP = "apprenticeship", _("Læretid")

    profile = models.ForeignKey(
        MunicipalityProfile, on_delete=models.CASCADE, related_name="upper_secondary_offers"
    )
    programme_area = models.ForeignKey(
        ProgrammeArea,
        verbose_name=_("programområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.CharField(_("nivå"), max_length=14, choices=Level.choices, blank=True)
    provider = models.CharField(_("skole eller tilbyder"), max_length=255, blank=True)
    adapted_for_adults = models.BooleanField(_("tilpasset voksne"), default=False)
    adapted_for_minority_language = models.BooleanField(
        _("tilpasset minoritetsspråklige"), default=False
    )
    combination_class = models.BooleanField(_("kombinasjonsklasse"), default=False)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta(Row.Meta):
        verbose_name = _("videregående tilbud")
        verbose_name_plural = _("videregående tilbud")


class Cooperation(Row):
    """Section 3: inter-municipal cooperation on qualification and integration."""

    profile = models.ForeignKey(
        MunicipalityProfile, on_delete=models.CASCADE, related_name="cooperations"
    )
    partners = models.ManyToManyField(
        Municipality, verbose_name=_("samarbeidskommuner"), related_name="+", blank=True
    )
    area = models.CharField(_("område"), max_length=255, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta(Row.Meta):
        verbose_name = _("interkommunalt samarbeid")
        verbose_name_plural = _("interkommunale samarbeid")


class LabourNeed(Row):
    """Section 4: labour needs relevant to settled refugees."""

    class CompetenceLevel(models.TextChoices):
        NONE = "none", _("Ingen formelle krav")
        TRADE_CERTIFICATE = "trade_certificate", _("Fagbrev")
        HIGHER_EDUCATION = "higher_education", _("Høyere utdanning")

    class Scale(models.TextChoices):
        HIGH = "high", _("Stort")
        MEDIUM = "medium", _("Middels")
        LOW = "low", _("Lite")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Offentlig")
        PRIVATE = "private", _("Privat")
        BOTH = "both", _("Begge")

    profile = models.ForeignKey(
        MunicipalityProfile, on_delete=models.CASCADE, related_name="labour_needs"
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("yrke (STYRK-08)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    competence_level = models.CharField(
        _("kompetansenivå"), max_length=20, choices=CompetenceLevel.choices, blank=True
    )
    scale = models.CharField(
        _("omfang av behovet"), max_length=6, choices=Scale.choices, blank=True
    )
    sector = models.CharField(_("sektor"), max_length=7, choices=Sector.choices, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta(Row.Meta):
        verbose_name = _("arbeidskraftbehov")
        verbose_name_plural = _("arbeidskraftbehov")


class Recommendation(Row):
    """The county's recommended number for one of its municipalities, with a justification."""

    submission = models.ForeignKey(
        CountySubmission, on_delete=models.CASCADE, related_name="recommendations"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("anbefalt antall"), null=True, blank=True)
    justification = models.TextField(_("begrunnelse"), blank=True)

    class Meta(Row.Meta):
        ordering = ["municipality__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "municipality"], name="one_recommendation_per_municipality"
            )
        ]
        verbose_name = _("anbefalt antall")
        verbose_name_plural = _("anbefalte antall")
