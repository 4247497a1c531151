"""Versioned criterion weights (edited by IMDi's administrators in the Wagtail admin), every
ranking made with the weights it used, the officer's choice with its override reason, and
batches of households assigned together."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality
from skjema.models import Round

from .allocations import Allocation
from .households import Household

CRITERIA = ("work", "qualification", "education", "needs", "connection", "balance", "track_record")
CRITERION_LABELS = {
    "work": _("Arbeid"),
    "qualification": _("Kvalifisering"),
    "education": _("Utdanning"),
    "needs": _("Behov og tjenester"),
    "connection": _("Tilknytning"),
    "balance": _("Spredning (ledig andel)"),
    "track_record": _("Bosettingshistorikk"),
}
DEFAULT_WEIGHTS = {
    "work": Decimal("0.30"),
    "qualification": Decimal("0.20"),
    "education": Decimal("0.15"),
    "needs": Decimal("0.10"),
    "connection": Decimal("0.10"),
    "balance": Decimal("0.10"),
    "track_record": Decimal("0.05"),
}


def _weight_field(key):
    return models.DecimalField(
        CRITERION_LABELS[key],
        max_digits=4,
        decimal_places=2,
        default=DEFAULT_WEIGHTS[key],
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )


class WeightSetQuerySet(models.QuerySet):
    def current(self):
        """The newest version; made from the defaults the first time anyone ranks."""
        found = self.order_by("-version").first()
        if found is None:
            with transaction.atomic():
                found, _created = WeightSet.objects.get_or_create(
                    version=1, defaults={"note": "Standardvekter"}
                )
        return found


class WeightSet(models.Model):
    """A version of the weights. Saving never changes a version that rankings used: an edit in
    the admin saves a new version (see ``save``), so every stored ranking keeps its weights."""

    version = models.PositiveIntegerField(_("versjon"), unique=True, editable=False)
    work = _weight_field("work")
    qualification = _weight_field("qualification")
    education = _weight_field("education")
    needs = _weight_field("needs")
    connection = _weight_field("connection")
    balance = _weight_field("balance")
    track_record = _weight_field("track_record")
    note = models.CharField(_("merknad"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WeightSetQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("vektsett for rangering")
        verbose_name_plural = _("vektsett for rangering")

    def __str__(self):
        return f"Versjon {self.version}"

    def clean(self):
        if sum(self.as_dict().values()) <= 0:
            raise ValidationError(_("Minst én vekt må være større enn 0."))

    def as_dict(self) -> dict[str, Decimal]:
        return {key: Decimal(getattr(self, key)) for key in CRITERIA}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # An edit becomes a new version; the old one stays as the rankings used it.
            self.pk = None
            self.version = None
            kwargs.pop("force_update", None)
            kwargs["force_insert"] = True
        with transaction.atomic():
            if not self.version:
                last = WeightSet.objects.select_for_update().order_by("-version").first()
                self.version = (last.version if last else 0) + 1
            super().save(*args, **kwargs)


class Ranking(models.Model):
    """A ranking as shown: its input, the weights (version, and what-if weights if used), and
    the order with scores, so a later decision can say what the officer saw."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, null=True, blank=True, related_name="rankings"
    )
    weights = models.ForeignKey(
        WeightSet, verbose_name=_("vektsett"), on_delete=models.PROTECT, related_name="rankings"
    )
    custom_weights = models.JSONField(_("egne vekter («hva om»)"), null=True, blank=True)
    input = models.JSONField(_("husholdningen slik den ble rangert"), default=dict)
    results = models.JSONField(_("rekkefølge"), default=list)  # [[number, score], ...]
    excluded_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rangering")
        verbose_name_plural = _("rangeringer")

    def __str__(self):
        return f"Rangering {self.pk} ({self.created_at:%d.%m.%Y})"

    def position_of(self, number: str) -> int | None:
        for index, (candidate, _score) in enumerate(self.results):
            if candidate == number:
                return index + 1
        return None


class PlacementChoice(models.Model):
    """The officer's choice from a ranking; outside the top 3 it carries a reason (override)."""

    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="choices")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("plass i rangeringen"), null=True, blank=True)
    in_top_3 = models.BooleanField(_("blant de tre øverste"))
    reason = models.TextField(_("begrunnelse for å velge utenom de tre øverste"), blank=True)
    allocation = models.OneToOneField(
        Allocation, on_delete=models.SET_NULL, null=True, blank=True, related_name="choice"
    )
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("valg fra rangering")
        verbose_name_plural = _("valg fra rangeringer")

    def __str__(self):
        return f"{self.municipality_id} (plass {self.position})"


class Batch(models.Model):
    """Households assigned together: the exact optimum of the total score within capacity."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    weights = models.ForeignKey(WeightSet, on_delete=models.PROTECT, related_name="+")
    objective = models.FloatField(_("samlet poengsum"))
    greedy_objective = models.FloatField(_("samlet poengsum, grådig fordeling"))
    best_bound = models.FloatField(_("øvre grense fra løseren"))
    solve_ms = models.FloatField(_("løsetid (ms)"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("samlet fordeling")
        verbose_name_plural = _("samlede fordelinger")

    def __str__(self):
        return f"Fordeling {self.pk}"


class BatchProposal(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="proposals")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(null=True, blank=True)
    best_score = models.FloatField(null=True, blank=True)
    best_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocation = models.OneToOneField(
        Allocation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["batch", "id"]

    def __str__(self):
        return f"{self.batch_id}: {self.household_id} → {self.municipality_id}"

    @property
    def loss(self) -> float | None:
        if self.score is None or self.best_score is None:
            return None
        return max(0.0, self.best_score - self.score)
