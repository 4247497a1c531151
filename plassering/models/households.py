"""A household to place, described only by what the placement needs: adults' education, work
experience (STYRK-08), education route and Norwegian level; children's ages or an
unaccompanied minor's age; needs; a connection to a municipality.

There is deliberately no field for nationality, country of origin, language, religion,
ethnicity or gender: the ranking must never be able to use them (``PROTECTED_FIELDS``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts import rules
from portal.register.models import Municipality, ProgrammeArea

# Keys refused anywhere a household enters (forms, API, imports), with a plain message.
PROTECTED_FIELDS = frozenset(
    {
        "nationality",
        "nasjonalitet",
        "citizenship",
        "statsborgerskap",
        "country",
        "country_of_origin",
        "origin",
        "opprinnelse",
        "opprinnelsesland",
        "land",
        "language",
        "languages",
        "mother_tongue",
        "sprak",
        "språk",
        "morsmal",
        "morsmål",
        "religion",
        "faith",
        "tro",
        "ethnicity",
        "etnisitet",
        "ethnic_group",
        "gender",
        "sex",
        "kjonn",
        "kjønn",
    }
)
PROTECTED_MESSAGE = _(
    "Opplysninger om nasjonalitet, opprinnelsesland, språk, religion, etnisitet eller kjønn "
    "kan ikke registreres og brukes aldri i plasseringen. Fjern «%(field)s»."
)


def protected_keys(keys) -> list[str]:
    return sorted(k for k in keys if str(k).strip().lower().replace(" ", "_") in PROTECTED_FIELDS)


class Need(models.TextChoices):
    ACCESSIBLE_DWELLING = "accessible_dwelling", _("Tilrettelagt bolig for rullestolbruker")
    HEALTH_FOLLOWUP = "health_followup", _("Helseoppfølging")
    ADAPTED_SCHOOLING = "adapted_schooling", _("Tilpasset skoletilbud")


class EducationLevel(models.TextChoices):
    NONE = "none", _("Ingen")
    PRIMARY = "primary", _("Grunnskole")
    UPPER_SECONDARY = "upper_secondary", _("Videregående")
    HIGHER = "higher", _("Høyere utdanning")


class NorwegianLevel(models.TextChoices):
    NONE = "none", _("Ingen norskkunnskaper")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", _("B2 eller bedre")


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Households are personal data: IMDi officers (and administrators) only, everywhere."""
        if not rules.can_view_households(user):
            return self.none()
        return self


class Household(models.Model):
    case_reference = models.CharField(
        _("IMDis saksreferanse"), max_length=100, help_text=_("Fritekst, for eksempel 26/01234.")
    )
    children_ages = models.JSONField(_("barnas alder"), default=list, blank=True)
    unaccompanied_minor_age = models.PositiveSmallIntegerField(
        _("alder (enslig mindreårig)"), null=True, blank=True
    )
    needs = models.JSONField(_("behov"), default=list, blank=True)
    connection_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("tilknytning til kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    connection_reason = models.CharField(_("grunn til tilknytning"), max_length=255, blank=True)
    connection_required = models.BooleanField(_("tilknytningen er et krav"), default=False)
    note = models.TextField(_("merknad"), blank=True)
    is_demo = models.BooleanField(_("demodata (fiktivt)"), default=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("husholdning")
        verbose_name_plural = _("husholdninger")

    def __str__(self):
        return self.case_reference

    @property
    def is_unaccompanied_minor(self) -> bool:
        return self.unaccompanied_minor_age is not None

    @property
    def persons(self) -> int:
        if self.is_unaccompanied_minor:
            return 1
        return len(self.adults.all()) + len(self.children_ages or [])


class Adult(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="adults")
    position = models.PositiveSmallIntegerField(default=0)
    education_level = models.CharField(
        _("utdanningsnivå"), max_length=16, choices=EducationLevel.choices, blank=True
    )
    occupations = models.JSONField(
        _("arbeidserfaring (STYRK-08)"),
        default=list,
        blank=True,
        help_text=_("STYRK-08-koder på ett til fire sifre."),
    )
    education_route = models.ForeignKey(
        ProgrammeArea,
        verbose_name=_("utdanningsvei (programområde)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    norwegian_level = models.CharField(
        _("norsknivå"), max_length=4, choices=NorwegianLevel.choices, blank=True
    )

    class Meta:
        ordering = ["household", "position", "id"]
        verbose_name = _("voksen")
        verbose_name_plural = _("voksne")

    def __str__(self):
        return f"{self.household} – voksen {self.position + 1}"


class HouseholdAccess(models.Model):
    """Every view of a household: who, when, what. Kept after the household is deleted (the
    id only, no personal data), so access can be audited."""

    class Action(models.TextChoices):
        VIEW = "view", _("visning")
        RANK = "rank", _("rangering")
        CREATE = "create", _("opprettet")
        EDIT = "edit", _("endret")
        API = "api", _("API")
        DELETE = "delete", _("slettet")

    household_id_value = models.BigIntegerField(_("husholdning (id)"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    action = models.CharField(_("handling"), max_length=8, choices=Action.choices)
    path = models.CharField(_("adresse"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("innsyn i husholdning")
        verbose_name_plural = _("innsyn i husholdninger")

    def __str__(self):
        return f"{self.household_id_value} {self.action} {self.at:%d.%m.%Y %H:%M}"
