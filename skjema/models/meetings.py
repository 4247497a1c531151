"""IMDi's preparatory document (saksforberedende dokument) for a county cooperation meeting:
one per meeting page, with every generated content kept as a frozen snapshot, and which snapshot
was sent to the participants, by whom and when. Building and sending live in ``skjema.meetings``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.register.models import County

from .rounds import Round


class DocumentState(models.TextChoices):
    DUE = "due", _("Skal lages")
    READY = "ready", _("Klart, ikke sendt")
    APPROVED = "approved", _("Godkjent, ikke sendt")
    SENT = "sent", _("Sendt")


class PreparatoryDocument(models.Model):
    """The document for one county meeting. The meeting's date (and so the due date) is read
    from the meeting page, which IMDi edits in Wagtail; nothing here copies it."""

    round = models.ForeignKey(
        Round,
        verbose_name=_("runde"),
        on_delete=models.CASCADE,
        related_name="preparatory_documents",
    )
    meeting = models.OneToOneField(
        "content.MeetingPage",
        verbose_name=_("møte"),
        on_delete=models.CASCADE,
        related_name="preparatory_document",
    )
    county = models.ForeignKey(
        County, verbose_name=_("fylke"), on_delete=models.PROTECT, related_name="+"
    )
    current = models.ForeignKey(
        "PreparatorySnapshot",
        verbose_name=_("gjeldende versjon"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_sent = models.ForeignKey(
        "PreparatorySnapshot",
        verbose_name=_("sist sendte versjon"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        ordering = ["round", "county__number"]
        verbose_name = _("saksforberedende dokument")
        verbose_name_plural = _("saksforberedende dokumenter")

    def __str__(self):
        return f"{self.county.name} – {self.round.year}"

    @property
    def state(self) -> str:
        if self.current_id is None:
            return DocumentState.DUE
        if self.last_sent_id == self.current_id:
            return DocumentState.SENT
        if self.current is not None and self.current.approved_at is not None:
            return DocumentState.APPROVED
        return DocumentState.READY

    @property
    def state_label(self) -> str:
        return str(DocumentState(self.state).label)


class PreparatorySnapshot(models.Model):
    """One generated content of the document, frozen: regenerating makes a new snapshot, so the
    one that was sent stays exactly as the participants got it."""

    document = models.ForeignKey(
        PreparatoryDocument, on_delete=models.CASCADE, related_name="snapshots"
    )
    number = models.PositiveIntegerField(_("versjon"))
    content = models.JSONField(_("innhold"))
    generated_at = models.DateTimeField(_("laget"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laget av"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # IMDi's approval: only an approved snapshot is sent by the scheduled job, three weeks
    # before the meeting; regenerating makes a new snapshot that must be approved again.
    approved_at = models.DateTimeField(_("godkjent"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkjent av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="unique_preparatory_snapshot_number"
            )
        ]
        verbose_name = _("versjon av saksforberedende dokument")
        verbose_name_plural = _("versjoner av saksforberedende dokumenter")

    def __str__(self):
        return f"{self.document} v{self.number}"
