"""A spreadsheet upload waiting for the county officer's confirmation.

The parsed content lives here, on the server, between the preview and the confirmation, so the
confirmation never trusts data sent back by the browser. It expires after 24 hours."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.register.models import County

from .rounds import Round

PENDING_IMPORT_LIFETIME = datetime.timedelta(hours=24)


class PendingImportQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(created_at__lt=(now or timezone.now()) - PENDING_IMPORT_LIFETIME)

    def active(self, now=None):
        return self.filter(created_at__gte=(now or timezone.now()) - PENDING_IMPORT_LIFETIME)


class PendingImport(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pending_imports")
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("filnavn"), max_length=255, blank=True)
    # [{"submission": id, "municipality": "0301", "section": key, "data": plain data,
    #   "base_edit_id": id or None}] – only the sections the workbook changes.
    changes = models.JSONField(_("endringer"), default=list)
    # The preview as shown to the user: rows, their state, field changes and every error.
    report = models.JSONField(_("forhåndsvisning"), default=dict)
    has_errors = models.BooleanField(_("har feil"), default=False)
    created_at = models.DateTimeField(_("lastet opp"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("bekreftet"), null=True, blank=True)
    # What confirming did, per municipality: {"imported": [{"number", "name", "submission",
    # "sections"}], "refused": [{"number", "name", "message", "conflicts"}]}.
    result = models.JSONField(_("resultat"), default=dict, blank=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("opplasting som venter på bekreftelse")
        verbose_name_plural = _("opplastinger som venter på bekreftelse")

    def __str__(self):
        return f"{self.filename or self.token} ({self.county.name}, {self.round.year})"

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + PENDING_IMPORT_LIFETIME

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    @property
    def can_confirm(self) -> bool:
        return bool(self.changes) and not self.has_errors and self.confirmed_at is None
