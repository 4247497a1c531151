"""The preparatory document as a PDF (reportlab, pure Python): A4 with 2 cm margins, «Side N»
centred in the footer, title, author (IMDi), subject and language in the PDF's properties,
drawn from the same blocks as the Word file (``blocks.layout``).

The standard PDF fonts (Helvetica) cover Norwegian letters, dashes and «», but not the thin
no-break space the portal groups thousands with: it is drawn as a no-break space."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _

from . import blocks as b

FLAG_BACKGROUND = "#fde9d9"  # behind a row with a deviation (the «Avvik» column says it too)
HEADER_BACKGROUND = "#e8eef3"
GRID = "#8a8a8a"


def _plain(text) -> str:
    return str("" if text is None else text).replace("\u202f", "\u00a0").replace("\u2009", "\u00a0")


def _markup(text) -> str:
    """Text for a reportlab Paragraph: escaped, line breaks kept."""
    return escape(_plain(text)).replace("\n", "<br/>")


class _Styles:
    def __init__(self):
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

        sheet = getSampleStyleSheet()
        self.title = sheet["Title"]
        self.headings = {1: sheet["Heading1"], 2: sheet["Heading2"], 3: sheet["Heading3"]}
        self.body = sheet["BodyText"]
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=9, leading=11)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7, leading=8.5)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=12, bulletIndent=2)


def _table(block: b.Table, styles: _Styles, width: float):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    style = styles.small if block.wide else styles.cell
    header = [Paragraph(f"<b>{_markup(text)}</b>", style) for text in block.header]
    rows = [[Paragraph(_markup(text), style) for text in values] for values in block.rows]
    columns = len(block.header)
    if block.wide:
        first, last = width * 0.17, width * 0.14
        rest = (width - first - last) / max(1, columns - 2)
        widths = [first, *[rest] * (columns - 2), last]
    else:
        widths = [width / columns] * columns
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(GRID)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_BACKGROUND)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for position, flagged in enumerate(block.flagged, start=1):
        if flagged:
            commands.append(
                ("BACKGROUND", (0, position), (-1, position), colors.HexColor(FLAG_BACKGROUND))
            )
    table.setStyle(TableStyle(commands))
    return table


def _facts(block: b.Facts, styles: _Styles, width: float):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [
        [Paragraph(f"<b>{_markup(label)}</b>", styles.cell), Paragraph(_markup(value), styles.cell)]
        for label, value in block.rows
    ]
    table = Table(rows, colWidths=[width * 0.3, width * 0.7])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(GRID)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _flowables(block, styles: _Styles, width: float) -> list:
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, Paragraph, Spacer

    if isinstance(block, b.Heading):
        style = styles.title if block.level == 0 else styles.headings[min(block.level, 3)]
        return [Paragraph(_markup(block.text), style)]
    if isinstance(block, b.Paragraph):
        text = _markup(block.text)
        return [Paragraph(f"<b>{text}</b>" if block.strong else text, styles.body)]
    if isinstance(block, b.Facts):
        return [_facts(block, styles, width), Spacer(1, 0.3 * cm)]
    if isinstance(block, b.Table):
        return [_table(block, styles, width), Spacer(1, 0.3 * cm)]
    if isinstance(block, b.Bullets):
        return [
            Paragraph(f"<b>{_markup(lead)}</b>{_markup(text)}", styles.bullet, bulletText="•")
            for lead, text in block.items
        ]
    if isinstance(block, b.Picture):
        picture_width, picture_height = ImageReader(io.BytesIO(block.png)).getSize()
        shown = min(width, 15 * cm)
        image = Image(
            io.BytesIO(block.png), width=shown, height=shown * picture_height / picture_width
        )
        return [image, Paragraph(_markup(block.caption), styles.cell)]
    raise TypeError(f"Unknown block {block!r}")


def document_pdf(content: dict, *, version: int) -> bytes:
    """The preparatory document as a PDF with the same content as the page and the Word file."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    language = b.content_language(content)
    with translation.override(language):
        title = b.title(content)
        page = _("Side")
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2 * cm,
            bottomMargin=2 * cm,
            title=_plain(title),
            author="IMDi",
            subject=_plain(
                _("Versjon %(v)s, laget %(at)s") % {"v": version, "at": content["generated_at"]}
            ),
            creator="Bosettingsportalen",
            lang=f"{language}-NO",
        )
        styles = _Styles()
        story = []
        for block in b.layout(content, version=version):
            story += _flowables(block, styles, document.width)

        def footer(canvas, doc):
            canvas.saveState()
            canvas.setFont("Helvetica", 9)
            canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"{page} {doc.page}")
            canvas.restoreState()

        document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
