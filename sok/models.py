"""The search index kept in the portal's own database: one document per municipality and
round (the latest submitted or accepted profile, never a draft), its analysed terms and its
facet values. The database backend searches these tables; Elasticsearch mirrors them, so it
can be rebuilt from here at any time and search can fall back to the database."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.register.models import County, Municipality


class SearchDocument(models.Model):
    key = models.CharField(max_length=20, unique=True)  # "2027-0301"
    round_year = models.PositiveSmallIntegerField(db_index=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    submission_id = models.PositiveBigIntegerField()
    version_number = models.PositiveIntegerField()
    status = models.CharField(max_length=12)
    sort_name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(null=True)
    result = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    last_change = models.DateTimeField()
    # What a hit shows and what highlights are cut from (the same for both backends).
    payload = models.JSONField()
    # Numbers registered by apps above sok (``sok.dimensions.Number`` without a column).
    numbers = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round_year", "sort_name"]
        verbose_name = _("søkedokument")
        verbose_name_plural = _("søkedokumenter")

    def __str__(self):
        return self.key


class SearchTerm(models.Model):
    class Field(models.TextChoices):
        NAME = "name", _("navn")
        BODY = "body", _("tekst")
        CODE = "code", _("kode")
        PAIR = "pair", _("ordpar")

    # No index of its own: the unique constraint below starts with the document. No database
    # constraint either: PostgreSQL checks a foreign key row by row at commit, a third of a
    # rebuild's time for its 600,000 terms; the ORM still cascades deletes, and only the
    # rebuild (``sok.store``) and ``write_documents`` insert rows, with the ids they just read.
    document = models.ForeignKey(
        SearchDocument,
        on_delete=models.CASCADE,
        related_name="terms",
        db_index=False,
        db_constraint=False,
    )
    field = models.CharField(max_length=4, choices=Field.choices)
    # One index for both exact and prefix matching: on PostgreSQL a pattern-ops b-tree serves
    # equality too («ordinary equality comparisons can use these operator classes»), so the
    # plain one ``db_index`` adds beside it was a second b-tree to build for nothing.
    term = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(
                fields=["term"], name="sok_term_pattern", opclasses=["varchar_pattern_ops"]
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "field", "term"], name="unique_search_term")
        ]


class SearchFacet(models.Model):
    # Like SearchTerm.document: no database constraint, for the rebuild's sake.
    document = models.ForeignKey(
        SearchDocument,
        on_delete=models.CASCADE,
        related_name="facets",
        db_index=False,
        db_constraint=False,
    )
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["dimension", "value"])]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "dimension", "value"], name="unique_search_facet"
            )
        ]


class PendingIndexUpdate(models.Model):
    """A document that Elasticsearch has not yet received. Written in the same transaction as
    the database index, removed once Elasticsearch confirms, so no update is lost when it is
    down; ``sok_sync`` (and every later update) retries."""

    key = models.CharField(max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every new change of the document, so a send that read an older state removes
    # only the entry it sent, never one written while it was under way.
    generation = models.PositiveIntegerField(default=1)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at"]


class SynonymGroup(models.Model):
    """Words that mean the same in a search, e.g. «helsefagarbeider, helsearbeider»."""

    terms = models.CharField(
        _("ord som betyr det samme"),
        max_length=500,
        help_text=_("Skriv ordene med komma mellom, f.eks. «sykepleier, sykepleie»."),
    )

    class Meta:
        verbose_name = _("synonymer")
        verbose_name_plural = _("synonymer")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def words(self) -> list[str]:
        return [w.strip() for w in self.terms.split(",") if w.strip()]
