"""Submissions: the county's working copy of a municipality profile or of its own county
submission. Both share one workflow (``Submission``, multi-table inheritance), so versions,
transitions and comments attach to one table."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import rules
from portal.register.models import County, Municipality

from .rounds import Round


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the portal's time zone (Europe/Oslo)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Sendt inn")
    RETURNED = "returned", _("Returnert for retting")
    RESUBMITTED = "resubmitted", _("Sendt inn på nytt")
    ACCEPTED = "accepted", _("Godkjent")


# States in which the county may change its working copy.
EDITABLE_STATES = {Status.DRAFT, Status.RETURNED}
# States that mean "a version has been submitted at least once".
SUBMITTED_STATES = {Status.SUBMITTED, Status.RETURNED, Status.RESUBMITTED, Status.ACCEPTED}
# States waiting for IMDi.
AWAITING_REVIEW_STATES = {Status.SUBMITTED, Status.RESUBMITTED}


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for reading submissions, used by pages, API, exports and receipts.

        A county's officers see all of their county's submissions, drafts included. IMDi and KS
        see every submission that has been submitted at least once (never a draft). Officers of
        other counties see nothing here; published profiles reach them through search."""
        if not rules.can_view_submitted(user):
            return self.none()
        county = rules.county_of(user)
        if county is not None:
            return self.filter(county=county)
        return self.filter(status__in=SUBMITTED_STATES)

    def editable_by(self, user):
        county = rules.county_of(user)
        if county is None:
            return self.none()
        return self.filter(county=county)

    def in_round(self, round_):
        return self.filter(round=round_)


class Submission(models.Model):
    class Kind(models.TextChoices):
        PROFILE = "profile", _("Kommuneprofil")
        COUNTY = "county", _("Fylkets innspill")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, editable=False)
    round = models.ForeignKey(
        Round, verbose_name=_("runde"), on_delete=models.PROTECT, related_name="submissions"
    )
    county = models.ForeignKey(
        County, verbose_name=_("fylke"), on_delete=models.PROTECT, related_name="submissions"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="submissions",
        null=True,
        blank=True,
        help_text=_("Kommunen profilen gjelder; tomt for fylkets innspill."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sist endret av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_submitted_at = models.DateTimeField(_("først sendt inn"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("sist sendt inn"), null=True, blank=True)
    is_late = models.BooleanField(_("sendt inn etter fristen"), default=False)
    late_reason = models.TextField(_("begrunnelse for sen innsending"), blank=True)
    correction_deadline = models.DateField(
        _("frist for retting"),
        null=True,
        blank=True,
        help_text=_(
            "Satt av IMDi ved retur. Sendes det rettede skjemaet inn innen utgangen av denne "
            "dagen, er det ikke for sent."
        ),
    )
    # Per section: {"carried_from": 2026 | None, "confirmed": bool, "edited": bool}
    section_state = models.JSONField(_("status per del"), default=dict, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["round", "county__number", "municipality__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"],
                condition=Q(kind="profile"),
                name="one_profile_per_round_and_municipality",
            ),
            models.UniqueConstraint(
                fields=["round", "county"],
                condition=Q(kind="county"),
                name="one_county_submission_per_round",
            ),
            models.CheckConstraint(
                condition=(Q(kind="profile") & Q(municipality__isnull=False))
                | (Q(kind="county") & Q(municipality__isnull=True)),
                name="municipality_iff_profile",
            ),
        ]
        verbose_name = _("innsending")
        verbose_name_plural = _("innsendinger")

    def __str__(self):
        return f"{self.get_kind_display()} {self.round.year} – {self.county.name}"

    @property
    def specific(self):
        if self.kind == self.Kind.PROFILE:
            return self.municipalityprofile
        return self.countysubmission

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def has_been_submitted(self) -> bool:
        return self.status in SUBMITTED_STATES

    @property
    def awaits_review(self) -> bool:
        return self.status in AWAITING_REVIEW_STATES

    def latest_version(self):
        return self.versions.order_by("-number").first()

    def effective_deadline(self):
        """When a submission in its current state is late: the round's deadline, or for a
        returned one the end of IMDi's correction deadline when that is later (a correction
        deadline gives the county time, never takes it away)."""
        deadline = self.round.deadline
        if self.status == Status.RETURNED and self.correction_deadline is not None:
            end = end_of_day(self.correction_deadline)
            deadline = max(deadline, end)
        return deadline

    def is_past_deadline(self, now=None) -> bool:
        return (now or timezone.now()) > self.effective_deadline()

    @property
    def shows_correction_deadline(self) -> bool:
        return self.status == Status.RETURNED and self.correction_deadline is not None

    @property
    def correction_deadline_applies(self) -> bool:
        """The correction deadline is the one that counts now (it is later than the round's)."""
        return (
            self.shows_correction_deadline
            and end_of_day(self.correction_deadline) >= self.round.deadline
        )


class MunicipalityProfile(Submission):
    """One per round and municipality: the six categories of information IMDi asks for."""

    class WantsToSettle(models.TextChoices):
        YES = "yes", _("Ja")
        PARTLY = "partly", _("Delvis")
        NO = "no", _("Nei")

    class HealthFollowup(models.TextChoices):
        YES = "yes", _("Ja")
        LIMITED = "limited", _("Begrenset")
        NO = "no", _("Nei")

    class HouseholdType(models.TextChoices):
        SINGLE = "single", _("Enslige voksne")
        COUPLE = "couple", _("Par uten barn")
        FAMILY = "family", _("Familier med barn")
        LARGE_FAMILY = "large_family", _("Store familier (5 eller flere)")
        SINGLE_PARENT = "single_parent", _("Enslige forsørgere")

    # Section 5: capacity and wish.
    wants_to_settle = models.CharField(
        _("ønsker å bosette"), max_length=6, choices=WantsToSettle.choices, blank=True
    )
    capacity = models.PositiveIntegerField(_("antall kommunen kan bosette"), null=True, blank=True)
    takes_unaccompanied_minors = models.BooleanField(
        _("tar imot enslige mindreårige"), null=True, blank=True
    )
    minors_under_15 = models.PositiveIntegerField(
        _("plasser for enslige mindreårige under 15 år"), null=True, blank=True
    )
    minors_15_18 = models.PositiveIntegerField(
        _("plasser for enslige mindreårige 15–18 år"), null=True, blank=True
    )
    household_types = models.JSONField(
        _("husholdningstyper kommunen kan ta imot"), default=list, blank=True
    )
    largest_household = models.PositiveSmallIntegerField(
        _("største husholdning kommunen kan bosette (personer)"), null=True, blank=True
    )
    wheelchair_dwellings = models.PositiveIntegerField(
        _("antall boliger tilrettelagt for rullestolbrukere"), null=True, blank=True
    )
    health_followup = models.CharField(
        _("kapasitet for helseoppfølging"),
        max_length=8,
        choices=HealthFollowup.choices,
        blank=True,
    )
    housing_situation = models.TextField(_("boligsituasjon"), blank=True)
    special_needs_capacity = models.TextField(
        _("kapasitet for personer med særlige behov"), blank=True
    )
    capacity_comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        ordering = ["round", "municipality__number"]
        verbose_name = _("kommuneprofil")
        verbose_name_plural = _("kommuneprofiler")

    def save(self, *args, **kwargs):
        self.kind = Submission.Kind.PROFILE
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.municipality.name} – {self.round.year}"

    def get_absolute_url(self):
        return reverse("skjema:profile", args=[self.round.year, self.municipality.number])


class CountySubmission(Submission):
    """One per round and county: the county's plans, recommended numbers and comment."""

    plan_title = models.CharField(_("tittel på planen"), max_length=255, blank=True)
    plan_summary = models.TextField(_("sammendrag"), blank=True)
    plan_period = models.CharField(
        _("periode"), max_length=50, blank=True, help_text=_("For eksempel «2024–2027».")
    )
    plan_url = models.URLField(_("lenke til planen"), blank=True)
    plan_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("planen som dokument"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    general_comment = models.TextField(_("generell kommentar"), blank=True)

    class Meta:
        ordering = ["round", "county__number"]
        verbose_name = _("fylkets innspill")
        verbose_name_plural = _("fylkenes innspill")

    def save(self, *args, **kwargs):
        self.kind = Submission.Kind.COUNTY
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.county.name} – {self.round.year}"

    def get_absolute_url(self):
        return reverse("skjema:county-submission", args=[self.round.year, self.county.number])
