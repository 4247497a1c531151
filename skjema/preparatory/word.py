"""The preparatory document as a Word file (python-docx): A4 with 2.5 cm margins, «Side N» in
the footer, title, author (IMDi) and language in the document properties, drawn from the same
blocks as the PDF (``blocks.layout``)."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from . import blocks as b

FLAG_SHADING = "FDE9D9"  # a light red behind a row with a deviation (the text says it too)


def _table(document, block: b.Table):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = document.add_table(rows=0, cols=len(block.header))
    table.style = "Table Grid"
    cells = table.add_row().cells
    for cell, text in zip(cells, block.header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for position, values in enumerate(block.rows):
        flagged = position < len(block.flagged) and block.flagged[position]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = "" if text is None else str(text)
            if flagged:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), FLAG_SHADING)
                cell._tc.get_or_add_tcPr().append(shading)
    if block.wide:
        for row in table.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(8)
    return table


def _facts(document, block: b.Facts):
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in block.rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), "" if value is None else str(value)
        for run in cells[0].paragraphs[0].runs:
            run.bold = True


def draw(document, block) -> None:
    from docx.shared import Cm

    if isinstance(block, b.Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, b.Paragraph):
        paragraph = document.add_paragraph()
        paragraph.add_run(block.text).bold = block.strong
    elif isinstance(block, b.Facts):
        _facts(document, block)
    elif isinstance(block, b.Table):
        _table(document, block)
    elif isinstance(block, b.Bullets):
        for lead, text in block.items:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(lead).bold = True
            paragraph.add_run(text)
    elif isinstance(block, b.Picture):
        document.add_picture(io.BytesIO(block.png), width=Cm(15))
        document.add_paragraph(block.caption)


def _a4_with_page_numbers(document) -> None:
    """A4 pages with 2.5 cm margins and «Side N» centred in the footer (a PAGE field)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.5))
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(_("Side") + " ")
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)


def document_docx(content: dict, *, version: int) -> bytes:
    """The preparatory document as a Word file with the same content as the page and the PDF."""
    from docx import Document

    language = b.content_language(content)
    with translation.override(language):
        document = Document()
        document.core_properties.title = b.title(content)
        document.core_properties.author = "IMDi"
        document.core_properties.language = f"{language}-NO"
        _a4_with_page_numbers(document)
        for block in b.layout(content, version=version):
            draw(document, block)
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
