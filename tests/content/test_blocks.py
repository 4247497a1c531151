"""Block validation: each clean() names what is missing, and drafts may be incomplete."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.rich_text import RichText

from portal.content.blocks import (
    AgendaBlock,
    CalloutBlock,
    ContentBlock,
    DocumentLinkBlock,
    FAQBlock,
    FeaturedLinkBlock,
    HeadingBlock,
)


def _messages(error: ValidationError) -> str:
    return repr(getattr(error, "block_errors", {})) + repr(
        [str(e.message) for e in getattr(error, "non_block_errors", []).as_data()]
    )


def test_heading_needs_text():
    block = HeadingBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize({"text": "   ", "level": "h2"}))
    assert "Skriv inn teksten i overskriften." in _messages(error.value)

    assert block.clean(block.normalize({"text": "Frister", "level": "h3"}))["level"] == "h3"


def test_heading_levels_exclude_the_page_title_level():
    with pytest.raises(ValidationError):
        HeadingBlock().clean(HeadingBlock().normalize({"text": "Tittel", "level": "h1"}))


def test_callout_needs_text_and_warnings_need_a_title():
    block = CalloutBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize({"kind": "info", "title": "", "text": RichText("<p></p>")}))
    assert "Skriv inn teksten i merknaden." in _messages(error.value)

    with pytest.raises(ValidationError) as error:
        block.clean(
            block.normalize({"kind": "warning", "title": "", "text": RichText("<p>Obs</p>")})
        )
    assert "Advarsler og viktige merknader må ha en tittel." in _messages(error.value)

    block.clean(block.normalize({"kind": "info", "title": "", "text": RichText("<p>Obs</p>")}))


def test_document_link_needs_a_document():
    block = DocumentLinkBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize({"document": None, "label": "Sjekkliste"}))
    assert "Velg et dokument." in _messages(error.value)


def test_faq_needs_at_least_one_complete_question():
    block = FAQBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize({"title": "", "questions": []}))
    assert "Legg inn minst ett spørsmål med svar." in _messages(error.value)

    questions = [
        {"question": "Frist?", "answer": RichText("<p>10. juni.</p>")},
        {"question": "Hvem?", "answer": RichText("")},
    ]
    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize({"title": "", "questions": questions}))
    assert "gjelder nr. 2" in _messages(error.value)

    block.clean(block.normalize({"title": "", "questions": questions[:1]}))


def test_agenda_times_must_run_forwards():
    block = AgendaBlock()

    def item(time, title="Sak"):
        return ("item", {"time": time, "title": title, "description": "", "responsible": ""})

    ok = block.normalize([item(datetime.time(10)), item(None), item(datetime.time(11))])
    block.clean(ok)

    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize([item(datetime.time(11)), item(datetime.time(10))]))
    assert "stigende rekkefølge" in _messages(error.value)

    with pytest.raises(ValidationError):
        block.clean(block.normalize([item(datetime.time(10), title="")]))


@pytest.mark.django_db
def test_featured_link_needs_exactly_one_target():
    block = FeaturedLinkBlock()
    empty = {"page": None, "url": "", "label": "", "description": ""}
    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize(empty))
    assert "Velg enten en side i portalen eller en ekstern adresse." in _messages(error.value)

    with pytest.raises(ValidationError) as error:
        block.clean(block.normalize({**empty, "url": "https://www.imdi.no/"}))
    assert "Eksterne lenker trenger lenketekst." in _messages(error.value)

    block.clean(block.normalize({**empty, "url": "https://www.imdi.no/", "label": "IMDi"}))


def test_drafts_may_hold_incomplete_blocks():
    """Wagtail defers publish-only checks when an editor saves a draft."""
    body = ContentBlock()
    value = body.normalize(
        [
            ("heading", {"text": "", "level": "h2"}),
            ("faq", {"title": "", "questions": []}),
            ("document", {"document": None, "label": ""}),
        ]
    )
    body.clean_deferred(value)
    with pytest.raises(ValidationError):
        body.clean(value)
