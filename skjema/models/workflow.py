"""Workflow records: immutable submitted versions, every status transition, IMDi's review
comments (attached to a section and optionally a field), and the log of every saved edit."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .submissions import Status, Submission


class Version(models.Model):
    """A submitted version, frozen: the full content as it was sent, never changed afterwards."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"))
    data = models.JSONField(_("innhold"))
    created_at = models.DateTimeField(_("sendt inn"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField(_("etter fristen"), default=False)
    late_reason = models.TextField(_("begrunnelse for sen innsending"), blank=True)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="unique_version_number")
        ]
        verbose_name = _("innsendt versjon")
        verbose_name_plural = _("innsendte versjoner")

    def __str__(self):
        return f"{self.submission} v{self.number}"


class Transition(models.Model):
    class Action(models.TextChoices):
        SUBMIT = "submit", _("Sendt inn")
        RETURN = "return", _("Returnert")
        ACCEPT = "accept", _("Godkjent")
        REOPEN = "reopen", _("Gjenåpnet")
        CARRY_FORWARD = "carry_forward", _("Opprettet fra forrige runde")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("handling"), max_length=14, choices=Action.choices)
    from_status = models.CharField(_("fra"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("til"), max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("tidspunkt"))
    reason = models.TextField(_("begrunnelse"), blank=True)
    version = models.ForeignKey(
        Version, on_delete=models.PROTECT, null=True, blank=True, related_name="transitions"
    )
    correction_deadline = models.DateField(_("frist for retting"), null=True, blank=True)

    class Meta:
        ordering = ["submission", "at", "id"]
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%d.%m.%Y %H:%M}"

    @property
    def carried_forward_text(self) -> str:
        """A carry-forward's note in the reader's language (the stored reason is in the
        language of whoever opened the round)."""
        from django.utils.translation import gettext

        year = re.search(r"\d{4}", self.reason or "")
        if year is None:
            return gettext("Nytt skjema.")
        return gettext("Forhåndsutfylt fra %(year)s.") % {"year": year.group(0)}


class ReviewComment(models.Model):
    """IMDi's comment on a submitted version, attached to a section and optionally a field."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="review_comments"
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="review_comments")
    transition = models.ForeignKey(
        Transition, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    section = models.CharField(_("del"), max_length=40)
    field = models.CharField(_("felt"), max_length=80, blank=True)
    text = models.TextField(_("kommentar"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    # The county's one answer, editable until it resubmits (``services.answer_comment``).
    answer = models.TextField(_("svar fra fylket"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besvart av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("kommentar fra IMDi")
        verbose_name_plural = _("kommentarer fra IMDi")


class SectionEdit(models.Model):
    """Every save of a section, with its full content afterwards: the audit trail, and the
    base against which a concurrent save is detected and explained."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="edits")
    section = models.CharField(_("del"), max_length=40)
    data = models.JSONField(_("innhold etter endringen"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("tidspunkt"))
    source = models.CharField(
        _("kilde"), max_length=20, default="form", help_text=_("form, api, import, carry_forward")
    )

    class Meta:
        ordering = ["submission", "section", "id"]
        indexes = [models.Index(fields=["submission", "section", "-id"])]
        verbose_name = _("endring")
        verbose_name_plural = _("endringer")
