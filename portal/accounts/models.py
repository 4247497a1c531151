"""The portal's user: one role, and for county officers exactly one county."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_OFFICER = "fylke", _("Saksbehandler i fylkeskommune")
    IMDI_OFFICER = "imdi", _("Saksbehandler i IMDi")
    EDITOR = "redaktor", _("Redaktør (IMDi)")
    KS_READER = "ks", _("Representant for KS")
    ADMINISTRATOR = "admin", _("Administrator")


# The Django group each role belongs to; Wagtail page privacy and admin permissions use groups.
ROLE_GROUPS = {
    Role.COUNTY_OFFICER: "Fylkeskommune",
    Role.IMDI_OFFICER: "IMDi",
    Role.EDITOR: "Redaktører",
    Role.KS_READER: "KS",
    Role.ADMINISTRATOR: "Administratorer",
}


class Language(models.TextChoices):
    BOKMAL = "nb", _("bokmål")
    NYNORSK = "nn", _("nynorsk")


class User(AbstractUser):
    language = models.CharField(
        _("språk"),
        max_length=5,
        choices=Language.choices,
        blank=True,
        help_text=_("Språket i portalen og i e-post. Tomt: nettleserens språk."),
    )
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices, blank=True)
    # When the user last opened «Mine oppgaver»: what changed since then is shown there.
    tasks_seen_at = models.DateTimeField(_("sist på «Mine oppgaver»"), null=True, editable=False)
    county = models.ForeignKey(
        "register.County",
        verbose_name=_("fylke"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        help_text=_("Påkrevd for saksbehandlere i fylkeskommunen, tomt for alle andre."),
    )

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="fylke") & Q(county__isnull=False))
                | (~Q(role="fylke") & Q(county__isnull=True)),
                name="county_iff_county_officer",
                violation_error_message=_(
                    "Saksbehandlere i fylkeskommunen må høre til nøyaktig ett fylke; "
                    "andre roller har ikke fylke."
                ),
            )
        ]

    def clean(self):
        super().clean()
        if self.role == Role.COUNTY_OFFICER and self.county_id is None:
            raise ValidationError({"county": _("Velg fylket saksbehandleren hører til.")})
        if self.role != Role.COUNTY_OFFICER and self.county_id is not None:
            raise ValidationError({"county": _("Bare saksbehandlere i fylkeskommunen har fylke.")})

    @property
    def role_label(self) -> str:
        if self.is_superuser and not self.role:
            return str(Role.ADMINISTRATOR.label)
        return self.get_role_display()

    @property
    def preferred_language(self) -> str:
        """The language for what is sent to this user: their own choice, else the målform of
        their county (county officers), else bokmål."""
        if self.language:
            return self.language
        if self.county_id is not None:
            return self.county.language
        return Language.BOKMAL


class ApiToken(models.Model):
    """An integration's key to the REST API. Only a SHA-256 digest is stored: the token itself
    is shown once, when it is made (``manage.py create_api_token``), and never again; a lost
    token is replaced, not recovered. Every token has a name (the integration) and an expiry."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="portal_api_tokens",
        verbose_name=_("bruker"),
    )
    name = models.CharField(
        _("navn"), max_length=100, help_text=_("Integrasjonen som bruker nøkkelen.")
    )
    prefix = models.CharField(
        _("begynnelse"),
        max_length=12,
        editable=False,
        help_text=_("De første tegnene i nøkkelen, for å kjenne den igjen."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("opprettet"), auto_now_add=True)
    expires = models.DateTimeField(_("utløper"))
    last_used = models.DateTimeField(_("sist brukt"), null=True, blank=True, editable=False)
    revoked = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    migrated = models.BooleanField(
        _("overført"),
        default=False,
        editable=False,
        help_text=_("En eldre nøkkel, overført med sin gamle verdi til den utløper."),
    )

    class Meta:
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked__isnull=True),
                name="api_token_name_unique_per_user",
                violation_error_message=_("Brukeren har allerede en nøkkel med dette navnet."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
