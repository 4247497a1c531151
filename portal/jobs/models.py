"""What django-tasks-db's row does not hold: attempts, the lease of the worker running the job,
and the error of every failed attempt (so «retried» and «failed with the error» show)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class JobState(models.Model):
    result = models.OneToOneField(
        DBTaskResult,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="job_state",
        verbose_name=_("jobb"),
    )
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    max_attempts = models.PositiveIntegerField(_("største antall forsøk"), default=1)
    worker_id = models.CharField(_("arbeider"), max_length=64, blank=True)
    # A running job belongs to its worker only until the lease runs out; the worker renews it
    # (the heartbeat) while the job runs, so a job whose worker was killed is taken back.
    lease_expires_at = models.DateTimeField(_("lånet utløper"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("siste livstegn"), null=True, blank=True)
    last_error = models.TextField(_("siste feil"), blank=True)
    errors = models.JSONField(_("feil per forsøk"), default=list, blank=True)
    # The id of the request that enqueued the job, so its log lines can be followed into it.
    request_id = models.CharField(_("forespørsels-id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("jobbstatus")
        verbose_name_plural = _("jobbstatus")
        indexes = [models.Index(fields=["lease_expires_at"], name="jobs_lease_idx")]

    def __str__(self):
        return f"{self.result_id} ({self.attempts}/{self.max_attempts})"

    @property
    def retried(self) -> bool:
        return self.attempts > 1


class ScheduleEntry(models.Model):
    """When each periodic job of ``JOBS_SCHEDULE`` was last enqueued: the row is locked while a
    worker decides, so several workers enqueue each due job once."""

    name = models.CharField(_("navn"), max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField(_("sist satt i kø"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodisk jobb")
        verbose_name_plural = _("periodiske jobber")

    def __str__(self):
        return self.name


class JobFile(models.Model):
    """An uploaded file handed to a job (a workbook to parse): the request stores it and
    returns; the job reads it, writes its outcome here and drops the bytes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("eier")
    )
    name = models.CharField(_("filnavn"), max_length=255)
    data = models.BinaryField(_("innhold"), null=True, editable=False)
    job_id = models.CharField(_("jobb"), max_length=64, blank=True)
    outcome = models.JSONField(_("resultat"), null=True, blank=True)
    created_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)

    class Meta:
        verbose_name = _("fil til en jobb")
        verbose_name_plural = _("filer til jobber")

    def __str__(self):
        return self.name

    def job_failed(self) -> str:
        """The error of the job, if it failed for good (time or memory limit, a crash)."""
        try:
            row = DBTaskResult.objects.filter(pk=self.job_id).first() if self.job_id else None
        except ValidationError:  # not a database job (the immediate backend in tests)
            return ""
        if row is None or row.status != "FAILED":
            return ""
        return (row.traceback.strip().splitlines() or [row.exception_class_path])[-1]
