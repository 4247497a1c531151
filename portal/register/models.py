"""Register models: structure versions, counties, municipalities, code changes, STYRK-08, Udir."""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

municipality_number_validator = RegexValidator(
    r"^\d{4}$", _("Kommunenummer må være fire sifre, for eksempel «0301».")
)
county_number_validator = RegexValidator(
    r"^\d{2}$", _("Fylkesnummer må være to sifre, for eksempel «03».")
)


def _valid_on(date: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=date)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=date)
    )


class StructureVersionQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """The structure in force on 1 January of ``year`` (None if there is none)."""
        return self.filter(_valid_on(datetime.date(year, 1, 1))).order_by("-valid_from").first()

    def resolve(self, value: str):
        """A structure by its code ("2024") or by any year it covers ("2022")."""
        version = self.filter(code=value).first()
        if version is None and value.isdigit() and len(value) == 4:
            version = self.for_year(int(value))
        return version


class StructureVersion(models.Model):
    """A register structure: the set of counties and municipalities in force for a period."""

    code = models.CharField(
        _("kode"), max_length=9, unique=True, help_text=_("For eksempel «2024».")
    )
    label = models.CharField(_("navn"), max_length=100)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = StructureVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("strukturversjon")
        verbose_name_plural = _("strukturversjoner")

    def __str__(self):
        return self.label

    @property
    def reference_date(self) -> datetime.date:
        return self.valid_from


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, date: datetime.date):
        return self.filter(_valid_on(date))

    def in_structure(self, version: StructureVersion):
        return self.valid_on(version.reference_date)

    def current(self):
        return self.filter(valid_to__isnull=True)


class County(models.Model):
    number = models.CharField(
        _("fylkesnummer"), max_length=2, unique=True, validators=[county_number_validator]
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Det norske navnet."))
    parallel_names = models.JSONField(
        _("parallellnavn"),
        default=list,
        blank=True,
        help_text=_("Offisielle samiske/kvenske navn."),
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("register:county", args=[self.number])

    @property
    def display_name(self) -> str:
        return " – ".join([self.name, *self.parallel_names])


class Municipality(models.Model):
    number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        unique=True,
        validators=[municipality_number_validator],
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Det norske navnet."))
    parallel_names = models.JSONField(
        _("parallellnavn"),
        default=list,
        blank=True,
        help_text=_("Offisielle samiske/kvenske navn."),
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("fylke"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
        help_text=_("Tomt for historiske kommuner fra før 2020."),
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    current = models.ForeignKey(
        "self",
        verbose_name=_("dagens kommune"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="historical_codes",
        help_text=_("Kommunen koden hører til i dagens struktur (SSBs kommunegruppering)."),
    )
    successors = models.ManyToManyField(
        "self",
        through="CodeChange",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("register:municipality", args=[self.number])

    @property
    def display_name(self) -> str:
        return " – ".join([self.name, *self.parallel_names])

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def resolve_current(self) -> "Municipality":
        """Today's municipality for this code: itself, or where its code history leads."""
        if self.is_current:
            return self
        return self.current or self


class CodeChange(models.Model):
    """A link from a municipality code to its successor (renumbering, merger or split)."""

    class Kind(models.TextChoices):
        RENUMBERED = "renumbered", _("nytt nummer")
        MERGED = "merged", _("sammenslåing")
        SPLIT = "split", _("deling")
        RENAMED = "renamed", _("nytt navn")

    predecessor = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="successor_changes"
    )
    successor = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="predecessor_changes"
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("gjelder fra"))

    class Meta:
        ordering = ["date", "predecessor__number"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_code_change")
        ]
        verbose_name = _("kodeendring")
        verbose_name_plural = _("kodeendringer")

    def __str__(self):
        return f"{self.predecessor.number} → {self.successor.number} ({self.date:%Y})"


class Occupation(models.Model):
    """STYRK-08: major group (1 digit) → sub-major (2) → minor (3) → unit group (4)."""

    code = models.CharField(_("kode"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=255)
    level = models.PositiveSmallIntegerField(_("nivå"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=4), name="occupation_level_1_to_4"
            )
        ]
        verbose_name = _("yrke (STYRK-08)")
        verbose_name_plural = _("yrker (STYRK-08)")

    def __str__(self):
        return f"{self.code} {self.name}"

    def ancestor_codes(self) -> list[str]:
        """Codes of this group and every group above it; STYRK codes are prefixes of each other."""
        return [self.code[:n] for n in range(1, len(self.code) + 1)]


class Programme(models.Model):
    """Udir's upper-secondary education programmes (utdanningsprogram), since 2020."""

    class Kind(models.TextChoices):
        VOCATIONAL = "yrkesfaglig", _("yrkesfaglig")
        STUDY = "studieforberedende", _("studieforberedende")

    code = models.CharField(_("kode"), max_length=2, unique=True)
    name = models.CharField(_("navn (bokmål)"), max_length=255)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=255, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("utdanningsprogram")
        verbose_name_plural = _("utdanningsprogrammer")

    def __str__(self):
        return self.name


class ProgrammeArea(models.Model):
    """A Vg1 or Vg2 programme area (programområde), e.g. HSHSF1---- Vg1 Helse- og oppvekstfag."""

    class Level(models.TextChoices):
        VG1 = "Vg1", "Vg1"
        VG2 = "Vg2", "Vg2"

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("navn"), max_length=255)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="areas")
    level = models.CharField(_("trinn"), max_length=3, choices=Level.choices)

    class Meta:
        ordering = ["programme__code", "level", "code"]
        verbose_name = _("programområde")
        verbose_name_plural = _("programområder")

    def __str__(self):
        return f"{self.level} {self.name} ({self.code})"
