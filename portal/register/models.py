"""Register models: structure versions, counties, municipalities, code changes, STYRK-08, Udir."""

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

municipality_number_validator = RegexValidator(
    r"^\d{4}$", _("Kommunenummer må være fire sifre, for eksempel «0301».")
)
county_number_validator = RegexValidator(
    r"^\d{2}$", _("Fylkesnummer må være to sifre, for eksempel «03».")
)


def _valid_on(date: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=date)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=date)
    )


class StructureVersionQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """The structure in force on 1 January of ``year`` (None if there is none)."""
        return self.filter(_valid_on(datetime.date(year, 1, 1))).order_by("-valid_from").first()

    def resolve(self, value: str):
        """A structure by its code ("2024") or by any year it covers ("2022")."""
        version = self.filter(code=value).first()
        if version is None and value.isdigit() and len(value) == 4:
            version = self.for_year(int(value))
        return version


class StructureVersion(models.Model):
    """A register structure: the set of counties and municipalities in force for a period."""

    code = models.CharField(
        _("kode"), max_length=9, unique=True, help_text=_("For eksempel «2024».")
    )
    label = models.CharField(_("navn"), max_length=100)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    objects = StructureVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("strukturversjon")
        verbose_name_plural = _("strukturversjoner")

    def __str__(self):
        return self.label

    @property
    def reference_date(self) -> datetime.date:
        return self.valid_from


def validity_text(valid_from: datetime.date | None, valid_to: datetime.date | None) -> str:
    """«gjeldende», «til 31. desember 2019», «fra 1. januar 2020 til 31. desember 2023».

    An empty start means the code was in use before the register's sources begin (1994), not
    that it started in any particular year.
    """
    if valid_from is None and valid_to is None:
        return gettext("gjeldende")
    parts = []
    if valid_from is not None:
        parts.append(gettext("fra %(date)s") % {"date": date_format(valid_from, "j. F Y")})
    if valid_to is not None:
        parts.append(gettext("til %(date)s") % {"date": date_format(valid_to, "j. F Y")})
    return " ".join(parts)


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, date: datetime.date):
        return self.filter(_valid_on(date))

    def in_structure(self, version: StructureVersion):
        return self.valid_on(version.reference_date)

    def current(self):
        return self.filter(valid_to__isnull=True)


class Malform(models.TextChoices):
    """The written standard a county or municipality has chosen (målvedtak, språklova § 6);
    what IMDi sends to it is written in that standard. Neutral gets bokmål."""

    BOKMAL = "bokmal", _("bokmål")
    NYNORSK = "nynorsk", _("nynorsk")
    NEUTRAL = "noytral", _("nøytral")


class MalformMixin(models.Model):
    malform = models.CharField(
        _("målform"),
        max_length=7,
        choices=Malform.choices,
        default=Malform.NEUTRAL,
        help_text=_("Skriftspråket i det IMDi sender hit (e-post, sakspapirer)."),
    )

    class Meta:
        abstract = True

    @property
    def language(self) -> str:
        """The portal's language code for what is sent here: "nn" or "nb"."""
        return "nn" if self.malform == Malform.NYNORSK else "nb"


class County(MalformMixin):
    number = models.CharField(
        _("fylkesnummer"), max_length=2, unique=True, validators=[county_number_validator]
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Det norske navnet."))
    parallel_names = models.JSONField(
        _("parallellnavn"),
        default=list,
        blank=True,
        help_text=_("Offisielle samiske/kvenske navn."),
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    # Login: Ansattporten says which organisations a person may act for; this number makes
    # the fylkeskommune's officers officers of this county (portal/accounts/oidc.py).
    organisation_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        blank=True,
        default="",
        validators=[
            RegexValidator(r"^\d{9}$", _("Organisasjonsnummeret har ni siffer.")),
        ],
        help_text=_(
            "Fylkeskommunens organisasjonsnummer i Enhetsregisteret. Den som logger inn med "
            "Ansattporten på vegne av denne organisasjonen, blir saksbehandler i fylket."
        ),
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("fylke")
        verbose_name_plural = _("fylker")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~Q(organisation_number=""),
                name="county_organisation_number_unique",
                violation_error_message=_("Et annet fylke har dette organisasjonsnummeret."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("register:county", args=[self.number])

    @property
    def display_name(self) -> str:
        return " – ".join([self.name, *self.parallel_names])

    @property
    def validity_label(self) -> str:
        return validity_text(self.valid_from, self.valid_to)

    def valid_on_date(self, date: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or self.valid_to >= date
        )


class Municipality(MalformMixin):
    number = models.CharField(
        _("kommunenummer"),
        max_length=4,
        unique=True,
        validators=[municipality_number_validator],
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Det norske navnet."))
    parallel_names = models.JSONField(
        _("parallellnavn"),
        default=list,
        blank=True,
        help_text=_("Offisielle samiske/kvenske navn."),
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("fylke"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
        help_text=_("Tomt for historiske kommuner fra før 2020."),
    )
    valid_from = models.DateField(_("gyldig fra"), null=True, blank=True)
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    current = models.ForeignKey(
        "self",
        verbose_name=_("dagens kommune"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="historical_codes",
        help_text=_("Kommunen koden hører til i dagens struktur (SSBs kommunegruppering)."),
    )
    successors = models.ManyToManyField(
        "self",
        through="CodeChange",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("register:municipality", args=[self.number])

    @property
    def display_name(self) -> str:
        return " – ".join([self.name, *self.parallel_names])

    @property
    def validity_label(self) -> str:
        return validity_text(self.valid_from, self.valid_to)

    def valid_on_date(self, date: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or self.valid_to >= date
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def resolve_current(self) -> "Municipality":
        """Today's municipality for this code: itself, or where its code history leads."""
        if self.is_current:
            return self
        return self.current or self


class CodeChange(models.Model):
    """A link from a municipality code to its successor (renumbering, merger or split)."""

    class Kind(models.TextChoices):
        RENUMBERED = "renumbered", _("nytt nummer")
        MERGED = "merged", _("sammenslåing")
        SPLIT = "split", _("deling")
        RENAMED = "renamed", _("nytt navn")

    predecessor = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="successor_changes"
    )
    successor = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="predecessor_changes"
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("gjelder fra"))

    class Meta:
        ordering = ["date", "predecessor__number"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_code_change")
        ]
        verbose_name = _("kodeendring")
        verbose_name_plural = _("kodeendringer")

    def __str__(self):
        return f"{self.predecessor.number} → {self.successor.number} ({self.date:%Y})"


class Occupation(models.Model):
    """STYRK-08: major group (1 digit) → sub-major (2) → minor (3) → unit group (4)."""

    code = models.CharField(_("kode"), max_length=4, unique=True)
    name = models.CharField(_("navn"), max_length=255)
    level = models.PositiveSmallIntegerField(_("nivå"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=4), name="occupation_level_1_to_4"
            )
        ]
        verbose_name = _("yrke (STYRK-08)")
        verbose_name_plural = _("yrker (STYRK-08)")

    def __str__(self):
        return f"{self.code} {self.name}"

    def ancestor_codes(self) -> list[str]:
        """Codes of this group and every group above it; STYRK codes are prefixes of each other."""
        return [self.code[:n] for n in range(1, len(self.code) + 1)]


class Programme(models.Model):
    """Udir's upper-secondary education programmes (utdanningsprogram), since 2020."""

    class Kind(models.TextChoices):
        VOCATIONAL = "yrkesfaglig", _("yrkesfaglig")
        STUDY = "studieforberedende", _("studieforberedende")

    code = models.CharField(_("kode"), max_length=2, unique=True)
    name = models.CharField(_("navn (bokmål)"), max_length=255)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=255, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("utdanningsprogram")
        verbose_name_plural = _("utdanningsprogrammer")

    def __str__(self):
        return self.name


class ProgrammeArea(models.Model):
    """A Vg1 or Vg2 programme area (programområde), e.g. HSHSF1---- Vg1 Helse- og oppvekstfag."""

    class Level(models.TextChoices):
        VG1 = "Vg1", "Vg1"
        VG2 = "Vg2", "Vg2"

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("navn"), max_length=255)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="areas")
    level = models.CharField(_("trinn"), max_length=3, choices=Level.choices)

    class Meta:
        ordering = ["programme__code", "level", "code"]
        verbose_name = _("programområde")
        verbose_name_plural = _("programområder")

    def __str__(self):
        return f"{self.level} {self.name} ({self.code})"


# --- statistics (IMDi) -------------------------------------------------------------------------


class Indicator(models.Model):
    """A statistical measure with one unit, e.g. «Anmodning om bosetting» in persons.

    The same measure in persons and in per cent are two indicators (``anmodning`` and
    ``anmodning_prosent``): a value's meaning depends on its unit, and sums only make sense for
    persons. Imports find an indicator by its name and unit, as the source file writes them.
    """

    class Unit(models.TextChoices):
        PERSONS = "persons", _("personer")
        PERCENT = "percent", _("prosent")

    code = models.SlugField(
        _("kode"),
        max_length=60,
        unique=True,
        help_text=_("Fast kode som API-et bruker, for eksempel «anmodning» eller «vedtak»."),
    )
    name = models.CharField(
        _("navn"),
        max_length=200,
        help_text=_("Navnet som i kilden, for eksempel «Anmodning om bosetting»."),
    )
    unit = models.CharField(_("enhet"), max_length=10, choices=Unit.choices)
    source = models.CharField(
        _("kilde"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel «IMDi: bosatt og anmodede»."),
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("rekkefølge"), default=100, help_text=_("Lavere tall vises først.")
    )

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["name", "unit"], name="unique_indicator_name_unit")
        ]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self):
        return f"{self.name} ({self.get_unit_display()})"


def _valid_in_year(municipality: Municipality, year: int) -> bool:
    start, end = municipality.valid_from, municipality.valid_to
    return (start is None or start.year <= year) and (end is None or end.year >= year)


def _years_away(municipality: Municipality, year: int) -> int:
    start, end = municipality.valid_from, municipality.valid_to
    if start is not None and start.year > year:
        return start.year - year
    if end is not None and end.year < year:
        return year - end.year
    return 0


class StatisticValueQuerySet(models.QuerySet):
    def for_municipality(self, municipality: Municipality):
        """Every value recorded under ``municipality`` or a code that resolves to it.

        Raw rows: a year can appear under several codes. ``series_for`` combines them.
        """
        from .lineage import codes_resolving_to

        return self.filter(municipality_id__in=codes_resolving_to(municipality))

    def series_for(self, municipality: Municipality, indicators=None) -> list["IndicatorSeries"]:
        """Each indicator's values for today's ``municipality``, old codes included, once per year.

        For each indicator and year, among the values recorded under the codes that resolve here:
        1. an empty cell (missing) under one code gives way to a number or symbol under another;
        2. the values recorded under a code that was in force that year win; several such codes
           are the parts of a later merger (0104 Moss and 0136 Rygge in 2019), each kept once
           with its own ``recorded_as``;
        3. otherwise (IMDi back-cast the series onto a later code, like 3001 Halden for 1995)
           the one value whose code is nearest in time is kept.
        So the same people are never counted twice. Two queries.
        """
        return self.series_for_many([municipality], indicators=indicators)[municipality.pk]

    def series_for_many(
        self, municipalities, indicators=None
    ) -> dict[int, list["IndicatorSeries"]]:
        """``series_for`` for several of today's municipalities: {id: its series}. Two queries,
        whatever the number of municipalities (a county's 43 cost the same as one)."""
        from .lineage import codes_resolving_to_many

        municipalities = list(municipalities)
        codes = codes_resolving_to_many(municipalities)
        owners: dict[int, list[int]] = {}
        for pk, found in codes.items():
            for code in found:
                owners.setdefault(code, []).append(pk)
        grouped: dict[int, dict[Indicator, dict[int, list[StatisticValue]]]] = {
            m.pk: {} for m in municipalities
        }
        if owners:
            rows = self.filter(municipality_id__in=owners).select_related(
                "indicator", "municipality"
            )
            if indicators is not None:
                rows = rows.filter(indicator__code__in=indicators)
            for row in rows.order_by("indicator__position", "indicator__code", "year"):
                for pk in owners[row.municipality_id]:
                    grouped[pk].setdefault(row.indicator, {}).setdefault(row.year, []).append(row)
        out = {}
        for pk, by_indicator in grouped.items():
            series = []
            for indicator, years in by_indicator.items():
                values = []
                for year, candidates in years.items():
                    values.extend(_preferred(year, candidates))
                series.append(IndicatorSeries(indicator, values))
            out[pk] = series
        return out


def _preferred(year: int, candidates: list["StatisticValue"]) -> list["StatisticValue"]:
    informative = [row for row in candidates if row.status != StatisticValue.Status.MISSING]
    candidates = informative or candidates
    in_force = [row for row in candidates if _valid_in_year(row.municipality, year)]
    if in_force:
        return sorted(in_force, key=lambda row: row.municipality.number)
    nearest = min(
        candidates,
        key=lambda row: (_years_away(row.municipality, year), row.municipality.number),
    )
    return [nearest]


class StatisticValue(models.Model):
    """One indicator's value for one municipality and year, on the code the source recorded it.

    Values under historical codes stay on the historical municipality; reading a municipality's
    series (``StatisticValue.objects.series_for``) brings them to today's municipality.
    """

    class Status(models.TextChoices):
        VALUE = "value", _("tall")
        NOT_APPLICABLE = "not_applicable", _("ikke aktuelt")  # "." in IMDi's and SSB's files
        MISSING = "missing", _("mangler")  # an empty cell
        SUPPRESSED = "suppressed", _("skjermet")  # ":" – withheld for confidentiality

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="values"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.PROTECT,
        related_name="statistic_values",
        help_text=_("Kommunenummeret verdien er oppført på i kilden, også historiske."),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("verdi"), max_digits=15, decimal_places=8, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)

    objects = StatisticValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year"], name="unique_statistic_value"
            ),
            models.CheckConstraint(
                condition=(Q(status="value") & Q(value__isnull=False))
                | (~Q(status="value") & Q(value__isnull=True)),
                name="statistic_value_iff_status_value",
            ),
        ]
        verbose_name = _("statistikkverdi")
        verbose_name_plural = _("statistikkverdier")

    def __str__(self):
        shown = self.plain_value or self.get_status_display()
        return f"{self.indicator.code} {self.municipality.number} {self.year}: {shown}"

    @property
    def plain_value(self) -> str | None:
        """The value as the source wrote it, without trailing zeros: "20", "33.3"; else None."""
        return plain_decimal(self.value) if self.value is not None else None


def plain_decimal(value) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


class IndicatorSeries:
    """An indicator with its combined values for one municipality (see ``series_for``)."""

    def __init__(self, indicator: Indicator, values: list[StatisticValue]):
        self.indicator = indicator
        self.values = values

    def __repr__(self):
        return f"<IndicatorSeries {self.indicator.code}: {len(self.values)} values>"


# --- neighbours (maps) -------------------------------------------------------------------------


class MunicipalityNeighbour(models.Model):
    """Two of today's municipalities with a shared border, or under 2 km apart across water.

    Computed from the boundary file (``manage.py compute_neighbours``, also run by
    ``load_register``) and stored once in each direction, so "the neighbours of X" is one
    filter. Read through ``portal.register.selectors``.
    """

    class Kind(models.TextChoices):
        BORDER = "border", _("felles grense")
        WATER = "water", _("over vann")

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommune"),
        on_delete=models.CASCADE,
        related_name="neighbour_links",
    )
    neighbour = models.ForeignKey(
        Municipality,
        verbose_name=_("nabokommune"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    distance_m = models.PositiveIntegerField(
        _("avstand (meter)"), default=0, help_text=_("0 ved felles grense.")
    )

    class Meta:
        ordering = ["municipality__number", "neighbour__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "neighbour"], name="unique_municipality_neighbour"
            ),
            models.CheckConstraint(
                condition=~Q(municipality=models.F("neighbour")), name="neighbour_not_itself"
            ),
        ]
        verbose_name = _("nabokommune")
        verbose_name_plural = _("nabokommuner")

    def __str__(self):
        return f"{self.municipality.number} – {self.neighbour.number} ({self.get_kind_display()})"
