"""Receipts: what was sent in, when and by whom, with every section as ``skjema.reading``
presents it, as a page and as a DOCX file (python-docx)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Version
from .reading.present import ReadSection, present_sections


def format_time(moment) -> str:
    """«10.06.2026 kl. 14.32», in Norwegian time."""
    return timezone.localtime(moment).strftime("%d.%m.%Y kl. %H.%M")


def describe(kind: str, data: dict) -> list[ReadSection]:
    """Every section of plain data with labels and display values (``present_sections``)."""
    return present_sections(kind=kind, data=data)


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
