"""Allocations (tildelinger): a household proposed to a municipality, with its transitions.

proposed → accepted → settled; proposed or accepted → withdrawn (by IMDi) or declined (by the
municipality), each with a reason. Withdrawn and declined allocations free their places."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.register.models import Municipality
from skjema.models import Round

from .households import Household


class MinorGroup(models.TextChoices):
    NONE = "", _("Ikke enslig mindreårig")
    UNDER_15 = "under_15", _("Enslig mindreårig under 15 år")
    FROM_15 = "15_18", _("Enslig mindreårig 15–18 år")


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Foreslått")
    ACCEPTED = "accepted", _("Akseptert av kommunen")
    SETTLED = "settled", _("Bosatt")
    WITHDRAWN = "withdrawn", _("Trukket")
    DECLINED = "declined", _("Avslått av kommunen")


# The states whose persons count against the municipality's capacity.
ACTIVE_STATES = (AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED, AllocationStatus.SETTLED)
# action -> (states it may start from, the state it leads to, a reason is required)
TRANSITIONS = {
    "accept": ((AllocationStatus.PROPOSED,), AllocationStatus.ACCEPTED, False),
    "settle": ((AllocationStatus.ACCEPTED,), AllocationStatus.SETTLED, False),
    "withdraw": (
        (AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED),
        AllocationStatus.WITHDRAWN,
        True,
    ),
    "decline": (
        (AllocationStatus.PROPOSED, AllocationStatus.ACCEPTED),
        AllocationStatus.DECLINED,
        True,
    ),
}
ACTION_LABELS = {
    "accept": _("Kommunen har akseptert"),
    "settle": _("Bosatt"),
    "withdraw": _("Trekk tilbake"),
    "decline": _("Kommunen har avslått"),
}


class AllocationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATES)


class Allocation(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("runde"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommune"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("husholdning"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocations",
    )
    case_reference = models.CharField(_("IMDis saksreferanse"), max_length=100)
    persons = models.PositiveIntegerField(_("antall personer"))
    minor_group = models.CharField(
        _("enslig mindreårig"), max_length=8, choices=MinorGroup.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AllocationStatus.choices,
        default=AllocationStatus.PROPOSED,
        db_index=True,
    )
    proposed_on = models.DateField(_("foreslått dato"))
    closed_at = models.DateTimeField(
        _("avsluttet"),
        null=True,
        blank=True,
        help_text=_("Når tildelingen ble bosatt, trukket eller avslått."),
    )
    is_demo = models.BooleanField(_("demodata (fiktivt)"), default=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(persons__gte=1), name="allocation_persons_positive"
            )
        ]
        verbose_name = _("tildeling")
        verbose_name_plural = _("tildelinger")

    def __str__(self):
        return f"{self.case_reference} → {self.municipality_id} ({self.get_status_display()})"

    @property
    def available_actions(self) -> list[str]:
        return [a for a, (sources, _to, _r) in TRANSITIONS.items() if self.status in sources]


class AllocationTransition(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("handling"), max_length=10)
    from_status = models.CharField(
        _("fra"), max_length=10, choices=AllocationStatus.choices, blank=True
    )
    to_status = models.CharField(_("til"), max_length=10, choices=AllocationStatus.choices)
    reason = models.TextField(_("begrunnelse"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("tidspunkt"))

    class Meta:
        ordering = ["allocation", "at", "id"]
        verbose_name = _("statusendring for tildeling")
        verbose_name_plural = _("statusendringer for tildelinger")

    def __str__(self):
        return f"{self.allocation_id}: {self.from_status} → {self.to_status}"
