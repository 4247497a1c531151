"""A round: one settlement year's process, with the ministry's criteria, the national need and
the deadline for the counties' input."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from portal.register.models import County, StructureVersion


class Round(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Under planlegging")
        OPEN = "open", _("Åpen for innspill")
        CLOSED = "closed", _("Lukket")
        ARCHIVED = "archived", _("Arkivert")

    year = models.PositiveSmallIntegerField(
        _("bosettingsår"), unique=True, help_text=_("Året flyktningene skal bosettes, f.eks. 2027.")
    )
    title = models.CharField(_("tittel"), max_length=200)
    criteria = RichTextField(
        _("anmodningskriterier"), blank=True, help_text=_("Kriteriene fra departementet.")
    )
    national_need = models.PositiveIntegerField(
        _("nasjonalt behov"),
        null=True,
        blank=True,
        help_text=_("Antall flyktninger Nasjonalt utvalg har fastsatt at skal bosettes."),
    )
    deadline = models.DateTimeField(
        _("frist for innspill"), help_text=_("Frist for fylkeskommunenes innspill.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNING
    )
    structure = models.ForeignKey(
        StructureVersion,
        verbose_name=_("kommunestruktur"),
        on_delete=models.PROTECT,
        related_name="rounds",
        help_text=_("Settes automatisk til strukturen som gjelder for bosettingsåret."),
        blank=True,
    )
    opened_at = models.DateTimeField(_("åpnet"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("runde")
        verbose_name_plural = _("runder")

    def __str__(self):
        return self.title or str(self.year)

    def clean(self):
        super().clean()
        if self.year and not self.structure_id:
            structure = StructureVersion.objects.for_year(self.year)
            if structure is None:
                raise ValidationError(
                    {
                        "year": _("Det finnes ingen kommunestruktur for %(year)s.")
                        % {"year": self.year}
                    }
                )
            self.structure = structure

    def save(self, *args, **kwargs):
        if not self.structure_id and self.year:
            self.structure = StructureVersion.objects.for_year(self.year)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_past_deadline(self, now=None) -> bool:
        return (now or timezone.now()) > self.deadline

    def counties(self):
        return County.objects.in_structure(self.structure)


class CountyShare(models.Model):
    """The county's share of the national need, which its recommended numbers are compared with."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="county_shares")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    share = models.PositiveIntegerField(_("fylkets andel"))

    class Meta:
        ordering = ["county__number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "county"], name="unique_county_share")
        ]
        verbose_name = _("fylkets andel")
        verbose_name_plural = _("fylkenes andeler")

    def __str__(self):
        return f"{self.county.name}: {self.share}"
