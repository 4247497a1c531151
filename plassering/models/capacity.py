"""The capacity ledger: per round and municipality, the council's decision (vedtak) in persons
and, of these, places for unaccompanied minors by age group; every change kept.

A ``Capacity`` row exists as soon as anyone decides or allocates for the municipality in the
round, also before a decision: allocations lock that row (``select_for_update``), so two
officers taking the last places are serialised, and remaining never goes below zero."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality
from skjema.models import Round


class CapacitySource(models.TextChoices):
    DECISION = "decision", _("vedtak i kommunestyret")
    RECOMMENDED = "recommended", _("anbefalt av fylket")
    PROFILE = "profile", _("oppgitt av kommunen")
    NONE = "none", _("ingen kapasitet oppgitt")


class Capacity(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("runde"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="+"
    )
    decided = models.PositiveIntegerField(
        _("vedtatt antall personer"),
        null=True,
        blank=True,
        help_text=_("Kommunestyrets vedtak. Tomt til vedtaket er kjent."),
    )
    decided_minors_under_15 = models.PositiveIntegerField(
        _("av disse: enslige mindreårige under 15 år"), default=0
    )
    decided_minors_15_18 = models.PositiveIntegerField(
        _("av disse: enslige mindreårige 15–18 år"), default=0
    )
    decided_on = models.DateField(_("vedtaksdato"), null=True, blank=True)
    source = models.CharField(
        _("kilde"),
        max_length=255,
        blank=True,
        help_text=_("For eksempel «Kommunestyret sak 45/26» eller «IMDi-statistikk: vedtak»."),
    )
    is_demo = models.BooleanField(_("demodata (fiktivt)"), default=False)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sist endret av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["round", "municipality__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"], name="one_capacity_per_round_and_municipality"
            ),
            models.CheckConstraint(
                condition=Q(decided__isnull=True)
                | Q(
                    decided__gte=models.F("decided_minors_under_15")
                    + models.F("decided_minors_15_18")
                ),
                name="capacity_minors_within_decided",
            ),
        ]
        verbose_name = _("kapasitet")
        verbose_name_plural = _("kapasitet")

    def __str__(self):
        return f"{self.municipality_id} {self.round_id}: {self.decided}"

    @property
    def decided_minors(self) -> int:
        return self.decided_minors_under_15 + self.decided_minors_15_18


class CapacityChange(models.Model):
    """One change of a decision: who, when, the old and the new values, and how it came."""

    class Channel(models.TextChoices):
        PAGE = "page", _("side")
        API = "api", _("API")
        IMPORT = "import", _("import av regneark")
        STATISTICS = "statistics", _("statistikkimport")
        DEMO = "demo", _("demodata")

    capacity = models.ForeignKey(Capacity, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("kanal"), max_length=12, choices=Channel.choices)
    old = models.JSONField(_("før"), default=dict)
    new = models.JSONField(_("etter"), default=dict)

    class Meta:
        ordering = ["capacity", "-at", "-id"]
        verbose_name = _("endring av kapasitet")
        verbose_name_plural = _("endringer av kapasitet")

    def __str__(self):
        return f"{self.capacity} {self.at:%d.%m.%Y %H:%M}"
