"""Readable content of a submission: every section with display values (for the profile page,
the receipt page and the receipt document), and the receipt as a DOCX file (python-docx)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from .forms import ROW_NOUNS
from .models import Version
from .sections import CodeNames, Section, display_value, sections_for


def format_time(moment) -> str:
    """«10.06.2026 kl. 14.32», in Norwegian time."""
    return timezone.localtime(moment).strftime("%d.%m.%Y kl. %H.%M")


@dataclass
class Item:
    field: str
    label: str
    value: str
    url: str = ""
    comments: list = field(default_factory=list)


@dataclass
class Row:
    index: int
    uid: str
    legend: str
    items: list[Item]


@dataclass
class ReadSection:
    section: Section
    items: list[Item] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return str(self.section.title)

    @property
    def number(self) -> int:
        return self.section.number

    @property
    def is_repeating(self) -> bool:
        return self.section.is_repeating

    @property
    def is_empty(self) -> bool:
        if self.is_repeating:
            return not self.rows
        return all(item.value == "–" for item in self.items)


def _documents(kind: str, data: dict) -> dict:
    ids = {(data.get("plans") or {}).get("plan_document")} if kind == "county" else set()
    ids.discard(None)
    if not ids:
        return {}
    return {doc.pk: doc for doc in get_document_model().objects.filter(pk__in=ids)}


def describe(kind: str, data: dict) -> list[ReadSection]:
    """Every section of plain data with labels and display values, in a fixed number of queries
    (one per kind of register reference, one for the plan document)."""
    names = CodeNames()
    documents = _documents(kind, data)

    def item(section: Section, name: str, values: dict) -> Item:
        value = values.get(name)
        if name == "plan_document":
            document = documents.get(value)
            if document is None:
                return Item(name, section.field_label(name, kind), "–")
            return Item(name, section.field_label(name, kind), document.title, document.url)
        shown = display_value(section, name, value, kind, names)
        if isinstance(section.model_field(name, kind), models.DecimalField):
            shown = shown.replace(".", ",")  # Norwegian decimal comma
        return Item(name, section.field_label(name, kind), shown)

    described = []
    for section in sections_for(kind):
        values = data.get(section.key)
        read = ReadSection(section)
        if section.is_repeating:
            for index, row in enumerate(values or []):
                items = [item(section, name, row) for name in section.fields]
                legend = f"{ROW_NOUNS.get(section.key, _('Rad'))} {index + 1}"
                label_item = next((i for i in items if i.field == section.row_label_field), None)
                if label_item is not None and label_item.value != "–":
                    legend = f"{legend}: {label_item.value}"
                read.rows.append(Row(index, row.get("uid") or "", legend, items))
        else:
            read.items = [item(section, name, values or {}) for name in section.fields]
        described.append(read)
    return described


# ---------------------------------------------------------------------------------------------
# receipts


@dataclass
class Receipt:
    version: Version
    kind: str
    subject: str
    heading: str
    round_title: str
    year: int
    number: int
    submitted_at: str
    submitted_by: str
    is_late: bool
    late_reason: str
    sections: list[ReadSection]

    @property
    def filename(self) -> str:
        submission = self.version.submission
        code = (
            submission.municipality.number
            if submission.municipality_id
            else submission.county.number
        )
        return f"kvittering-{self.year}-{code}-v{self.number}.docx"

    @property
    def facts(self) -> list[tuple[str, str]]:
        facts = [
            (_("Innsending"), self.heading),
            (_("Runde"), self.round_title),
            (_("Versjon"), str(self.number)),
            (_("Sendt inn"), self.submitted_at),
            (_("Sendt inn av"), self.submitted_by),
            (_("Etter fristen"), _("Ja") if self.is_late else _("Nei")),
        ]
        if self.is_late:
            facts.append((_("Begrunnelse for sen innsending"), self.late_reason or "–"))
        return facts


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else "–"


def build_receipt(version: Version) -> Receipt:
    """The receipt of a submitted version. Select ``submission__round``, ``__county``,
    ``__municipality`` and ``created_by`` with it."""
    submission = version.submission
    kind = submission.kind
    if submission.municipality_id:
        subject = f"{submission.municipality.number} {submission.municipality.name}"
        heading = _("Kommuneprofil for %(name)s") % {"name": submission.municipality.name}
    else:
        subject = f"{submission.county.number} {submission.county.name}"
        heading = _("Fylkets innspill fra %(name)s") % {"name": submission.county.name}
    return Receipt(
        version=version,
        kind=kind,
        subject=subject,
        heading=heading,
        round_title=str(submission.round),
        year=submission.round.year,
        number=version.number,
        submitted_at=format_time(version.created_at),
        submitted_by=_user_name(version.created_by),
        is_late=version.is_late,
        late_reason=version.late_reason,
        sections=describe(kind, version.data),
    )


def _facts_table(document, rows: list[tuple[str, str]]):
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = str(label)
        cells[1].text = str(value)
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
    return table


def receipt_docx(receipt: Receipt) -> bytes:
    """The receipt as a Word document with the same content as the receipt page."""
    from docx import Document

    document = Document()
    document.core_properties.title = f"{_('Kvittering')}: {receipt.heading}"
    document.core_properties.language = "nb-NO"
    document.add_heading(_("Kvittering for innsending"), level=0)
    document.add_paragraph(
        _("%(heading)s, %(round)s, versjon %(number)s, sendt inn %(at)s.")
        % {
            "heading": receipt.heading,
            "round": receipt.round_title,
            "number": receipt.number,
            "at": receipt.submitted_at,
        }
    )
    _facts_table(document, receipt.facts)
    for section in receipt.sections:
        document.add_heading(f"{section.number}. {section.title}", level=1)
        if section.is_empty:
            document.add_paragraph(_("Ikke utfylt."))
            continue
        if section.is_repeating:
            for row in section.rows:
                document.add_heading(row.legend, level=2)
                _facts_table(document, [(item.label, item.value) for item in row.items])
        else:
            _facts_table(document, [(item.label, item.value) for item in section.items])
    document.add_paragraph(
        _("Kvitteringen er laget av Bosettingsportalen %(now)s.")
        % {"now": format_time(timezone.now())}
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
