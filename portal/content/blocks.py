"""StreamField blocks for guidance, meetings and minutes: each with a template, help text and
a clean() that says in Norwegian what is missing.

Checks that only matter when publishing (a heading without text, a FAQ without questions) are
skipped while an editor saves a draft (Wagtail's deferred validation)."""

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


def _is_blank(value) -> bool:
    """True for None, whitespace and rich text without visible text (e.g. "<p></p>")."""
    if value is None:
        return True
    source = getattr(value, "source", value)
    return not strip_tags(str(source)).replace("&nbsp;", " ").strip()


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(
        label=_("Tekst"),
        required=False,
        max_length=120,
        help_text=_("Kort og beskrivende, helst under 60 tegn."),
    )
    level = blocks.ChoiceBlock(
        label=_("Nivå"),
        choices=[("h2", _("Overskrift 2")), ("h3", _("Underoverskrift 3"))],
        default="h2",
        help_text=_(
            "Sidetittelen er overskrift 1. Bruk nivå 2 for hovedavsnitt og nivå 3 under dem."
        ),
    )

    class Meta:
        icon = "title"
        label = _("Overskrift")
        template = "content/blocks/heading.html"
        help_text = _("Overskrifter gir siden struktur for skjermlesere og innholdsfortegnelser.")

    def clean(self, value):
        value = super().clean(value)
        if not self.is_deferred_validation and _is_blank(value.get("text")):
            raise blocks.StructBlockValidationError(
                block_errors={"text": ValidationError(_("Skriv inn teksten i overskriften."))}
            )
        return value


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[
            ("info", _("Informasjon")),
            ("warning", _("Advarsel")),
            ("important", _("Viktig")),
        ],
        default="info",
        help_text=_("Advarsel og Viktig krever en tittel, slik at typen også leses opp."),
    )
    title = blocks.CharBlock(label=_("Tittel"), required=False, max_length=120)
    text = blocks.RichTextBlock(
        label=_("Tekst"),
        required=False,
        features=["bold", "italic", "link", "document-link", "ul", "ol"],
    )

    class Meta:
        icon = "warning"
        label = _("Merknad")
        template = "content/blocks/callout.html"
        help_text = _("Framhev en frist, en advarsel eller noe leseren ikke må gå glipp av.")

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            return value
        errors = {}
        if _is_blank(value.get("text")):
            errors["text"] = ValidationError(_("Skriv inn teksten i merknaden."))
        if value.get("kind") in {"warning", "important"} and _is_blank(value.get("title")):
            errors["title"] = ValidationError(_("Advarsler og viktige merknader må ha en tittel."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"), required=False)
    label = blocks.CharBlock(
        label=_("Lenketekst"),
        required=False,
        max_length=200,
        help_text=_("Valgfri. Tomt felt gir dokumentets tittel. Unngå «Klikk her»."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Dokumentlenke")
        template = "content/blocks/document_link.html"
        help_text = _("Lenke til et dokument i dokumentbiblioteket, med filtype og størrelse.")

    def clean(self, value):
        value = super().clean(value)
        if not self.is_deferred_validation and value.get("document") is None:
            raise blocks.StructBlockValidationError(
                block_errors={"document": ValidationError(_("Velg et dokument."))}
            )
        return value


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Spørsmål"), required=False, max_length=250)
    answer = blocks.RichTextBlock(
        label=_("Svar"),
        required=False,
        features=["bold", "italic", "link", "document-link", "ul", "ol"],
    )

    class Meta:
        icon = "help"
        label = _("Spørsmål og svar")


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Tittel"),
        required=False,
        max_length=120,
        help_text=_("Valgfri overskrift over spørsmålene, for eksempel «Ofte stilte spørsmål»."),
    )
    questions = blocks.ListBlock(QuestionAnswerBlock(), label=_("Spørsmål"))

    class Meta:
        icon = "list-ul"
        label = _("Spørsmål og svar (FAQ)")
        template = "content/blocks/faq.html"
        help_text = _("Hvert spørsmål vises som en sammenleggbar del. Alle trenger et svar.")

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            return value
        questions = list(value.get("questions") or [])
        if not questions:
            raise blocks.StructBlockValidationError(
                non_block_errors=[_("Legg inn minst ett spørsmål med svar.")]
            )
        incomplete = [
            index + 1
            for index, item in enumerate(questions)
            if _is_blank(item.get("question")) or _is_blank(item.get("answer"))
        ]
        if incomplete:
            numbers = ", ".join(str(n) for n in incomplete)
            raise blocks.StructBlockValidationError(
                non_block_errors=[
                    _("Hvert spørsmål trenger både spørsmål og svar (gjelder nr. %(numbers)s).")
                    % {"numbers": numbers}
                ]
            )
        return value


class AgendaItemBlock(blocks.StructBlock):
    time = blocks.TimeBlock(
        label=_("Klokkeslett"),
        required=False,
        help_text=_("Når saken starter, for eksempel 10.15. Tomt for saker uten fast tid."),
    )
    title = blocks.CharBlock(label=_("Sak"), required=False, max_length=200)
    description = blocks.TextBlock(label=_("Beskrivelse"), required=False)
    responsible = blocks.CharBlock(
        label=_("Ansvarlig"),
        required=False,
        max_length=200,
        help_text=_("Hvem som innleder eller har ansvar, for eksempel «IMDi» eller «KS»."),
    )

    class Meta:
        icon = "time"
        label = _("Sak på dagsordenen")
        template = "content/blocks/agenda_item.html"

    def clean(self, value):
        value = super().clean(value)
        if not self.is_deferred_validation and _is_blank(value.get("title")):
            raise blocks.StructBlockValidationError(
                block_errors={"title": ValidationError(_("Skriv inn hva saken gjelder."))}
            )
        return value


class AgendaBlock(blocks.StreamBlock):
    item = AgendaItemBlock()

    class Meta:
        required = False
        help_text = _("Sakene i rekkefølge. Klokkeslett må komme i stigende rekkefølge.")

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            return value
        times = [child.value.get("time") for child in value if child.value.get("time")]
        if any(later < earlier for earlier, later in zip(times, times[1:], strict=False)):
            raise blocks.StreamBlockValidationError(
                non_block_errors=[_("Klokkeslettene i dagsordenen må komme i stigende rekkefølge.")]
            )
        return value


class FeaturedLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        label=_("Side i portalen"), required=False, help_text=_("Velg en side, eller…")
    )
    url = blocks.URLBlock(
        label=_("Ekstern adresse"), required=False, help_text=_("…skriv inn en ekstern adresse.")
    )
    label = blocks.CharBlock(
        label=_("Lenketekst"),
        required=False,
        max_length=100,
        help_text=_("Påkrevd for eksterne lenker; tomt felt gir sidens tittel."),
    )
    description = blocks.CharBlock(label=_("Kort beskrivelse"), required=False, max_length=200)

    class Meta:
        icon = "link"
        label = _("Snarvei")
        template = "content/blocks/featured_link.html"

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            return value
        has_page, has_url = value.get("page") is not None, bool(value.get("url"))
        if has_page == has_url:
            raise blocks.StructBlockValidationError(
                non_block_errors=[_("Velg enten en side i portalen eller en ekstern adresse.")]
            )
        if has_url and _is_blank(value.get("label")):
            raise blocks.StructBlockValidationError(
                block_errors={"label": ValidationError(_("Eksterne lenker trenger lenketekst."))}
            )
        return value


class FeaturedLinksBlock(blocks.StreamBlock):
    link = FeaturedLinkBlock()

    class Meta:
        required = False
        max_num = 6


_PARAGRAPH_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"]


def _paragraph() -> blocks.RichTextBlock:
    return blocks.RichTextBlock(
        label=_("Avsnitt"),
        icon="pilcrow",
        features=_PARAGRAPH_FEATURES,
        template="content/blocks/paragraph.html",
    )


class ContentBlock(blocks.StreamBlock):
    """The body of a guidance page."""

    heading = HeadingBlock()
    paragraph = _paragraph()
    callout = CalloutBlock()
    document = DocumentLinkBlock()
    faq = FAQBlock()


class MinutesBodyBlock(blocks.StreamBlock):
    """The body of minutes: the guidance blocks without the FAQ."""

    heading = HeadingBlock()
    paragraph = _paragraph()
    callout = CalloutBlock()
    document = DocumentLinkBlock()
