"""IMDi's preparatory document (saksforberedende dokument) for a county meeting, by concern:

- ``content``: what the portal holds, read once into plain data (``build_content``), frozen in
  a snapshot; ``summary``: the summary table and its deviations; ``highlights``: what a profile
  says; ``text``: Norwegian dates and numbers.
- ``blocks``: the document laid out once from that data; ``word`` (DOCX) and ``pdf`` draw it.
"""

from .blocks import summary_facts
from .content import FORMAT, build_content, statistics
from .pdf import document_pdf
from .text import format_day, format_moment
from .word import document_docx

__all__ = [
    "FORMAT",
    "build_content",
    "document_docx",
    "document_pdf",
    "format_day",
    "format_moment",
    "statistics",
    "summary_facts",
]
