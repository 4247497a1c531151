"""The notification log: every e-mail the portal sends (or decided not to send) to a user, one
row per recipient and message, so a message is never sent twice and users can see what was
sent to them. Sending lives in ``skjema.notifications``."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rounds import Round
from .submissions import Submission


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """What the portal sent (or tried to send) to this user; skipped reminders are not
        messages and are left out. Everyone sees their own notifications, nobody else's."""
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(recipient=user).exclude(status=Notification.Status.SKIPPED)

    def unread_for(self, user):
        return self.for_recipient(user).filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sendt inn til IMDi")
        RETURNED = "returned", _("Returnert for retting")
        ACCEPTED = "accepted", _("Godkjent av IMDi")
        REOPENED = "reopened", _("Gjenåpnet av IMDi")
        REMINDER = "reminder", _("Påminnelse om fristen")
        OVERDUE = "overdue", _("Fristen har gått ut")
        DOCUMENT_SENT = "document_sent", _("Saksforberedende dokument")
        DOCUMENT_APPROVAL = (
            "document_approval",
            _("Saksforberedende dokument venter på godkjenning"),
        )

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter på sending")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Ikke sendt ennå")
        SKIPPED = "skipped", _("Hoppet over")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottaker"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    dedupe_key = models.CharField(
        _("nøkkel"),
        max_length=200,
        help_text=_("Samme nøkkel til samme mottaker sendes aldri to ganger."),
    )
    subject = models.CharField(_("emne"), max_length=255)
    body = models.TextField(_("innhold"), blank=True)
    url = models.CharField(_("lenke"), max_length=500, blank=True)
    round = models.ForeignKey(
        Round,
        verbose_name=_("runde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("innsending"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("prøves ikke etter"),
        null=True,
        blank=True,
        help_text=_("En melding som ikke er sendt innen dette tidspunktet, prøves ikke igjen."),
    )
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_attempt_at = models.DateTimeField(_("sist forsøkt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    error = models.TextField(_("feil"), blank=True)
    read_at = models.DateTimeField(_("lest"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="one_notification_per_recipient_and_key"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler")

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
