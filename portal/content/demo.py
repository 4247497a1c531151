"""Demo content for one round: the site's home page, guidance built from IMDi's letter of
20.04.2021, the round's meetings and one set of minutes approved through the workflow.

Idempotent: pages are found by slug under their parent, and nothing that exists is changed.
A round is named by its settlement year; its meetings and the deadline fall in the year before
(the letter of April 2021 set the deadline 10 June 2021 for the 2022 round)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from portal.accounts.models import Role
from portal.register.models import County, Municipality

from .documents import sync_collections
from .models import (
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    MeetingDocument,
    MeetingIndexPage,
    MeetingKind,
    MeetingPage,
    MinutesPage,
    Visibility,
)
from .workflows import attach_minutes_workflow, editorial_collection, grant_editorial_permissions

FICTITIOUS = "Demoinnhold – fiktivt"
EDITOR_USERNAME = "redaktor"
APPROVER_USERNAME = "redaktor2"
HOME_SLUG = "forside"
DEADLINE_DAY = (6, 10)  # 10 June, as in the letter
# Well-known municipalities the demo minutes concern, when the register has them.
MINUTES_MUNICIPALITIES = ["0301", "4601", "5001", "1103"]


_BLOCK_TAGS = ("<p>", "<ol>", "<ul>", "<h2>", "<h3>")


def _rich(*paragraphs: str) -> str:
    """Rich text source: plain strings become paragraphs, block-level HTML is kept."""
    return "".join(p if p.startswith(_BLOCK_TAGS) else f"<p>{p}</p>" for p in paragraphs)


def _fictitious_callout(text: str) -> dict:
    return {
        "type": "callout",
        "value": {"kind": "info", "title": FICTITIOUS, "text": _rich(text)},
    }


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time(hour, minute))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _agenda(*items: tuple[str, str, str, str]) -> list[dict]:
    return [
        {
            "type": "item",
            "value": {"time": time, "title": title, "description": text, "responsible": who},
        }
        for time, title, text, who in items
    ]


class _Builder:
    def __init__(self, round_year: int):
        self.round_year = round_year
        self.meeting_year = round_year - 1
        self.deadline = datetime.date(self.meeting_year, *DEADLINE_DAY)
        self.created: list[Page] = []
        self.editor = _editor(EDITOR_USERNAME, "Demo", "Redaktør")
        self.approver = _editor(APPROVER_USERNAME, "Demo", "Redaktør 2")

    # Pages -----------------------------------------------------------------------------------

    def child(self, parent: Page, model, slug: str, **fields) -> Page:
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision(user=self.editor, log_action=True).publish(
            user=self.editor, skip_permission_checks=True
        )
        self.created.append(page)
        return page

    def home(self) -> HomePage:
        root = Page.get_first_root_node()
        home = HomePage.objects.child_of(root).first()
        if home is None:
            home = HomePage(
                title="Bosettingsportalen",
                slug=HOME_SLUG,
                intro=_rich(
                    "Bosettingsportalen er samarbeidsrommet til fylkeskommunene, KS og "
                    "Integrerings- og mangfoldsdirektoratet (IMDi) om bosetting av flyktninger. "
                    "Her gir fylkeskommunene informasjon om kommunene, og her finner du "
                    "veiledning, møter og referater for hver bosettingsrunde."
                ),
            )
            root.add_child(instance=home)
            home.save_revision(user=self.editor).publish(
                user=self.editor, skip_permission_checks=True
            )
            self.created.append(home)
        _make_site_root(home)
        return home

    def guidance(self, home: HomePage) -> tuple[GuidanceIndexPage, GuidancePage]:
        index = self.child(
            home,
            GuidanceIndexPage,
            "veiledning",
            title="Veiledning",
            intro=_rich(
                "Veiledning til fylkeskommunene om samarbeidet med IMDi om anmodning av "
                "kommuner: hva vi ber om, hvorfor, og når."
            ),
        )
        page = self.child(
            index,
            GuidancePage,
            "informasjon-fra-fylkeskommunene",
            title="Hvilken informasjon fylkeskommunene skal gi",
            search_description=(
                "De seks typene informasjon IMDi ber hver fylkeskommune om, hvorfor, og fristen."
            ),
            intro=_rich(
                "Før IMDi anmoder kommunene om å bosette flyktninger, ber vi hver "
                "fylkeskommune om informasjon om kommunene i fylket. Her står hva vi ber om, "
                "hvordan informasjonen brukes, og når den skal være sendt."
            ),
            body=self.guidance_body(),
        )
        return index, page

    def guidance_body(self) -> list[dict]:
        deadline = f"{self.deadline.day}. juni {self.deadline.year}"
        return [
            {
                "type": "callout",
                "value": {
                    "kind": "info",
                    "title": "Om denne teksten",
                    "text": _rich(
                        "Teksten bygger på IMDis brev av 20.04.2021, «Bosetting av flyktninger – "
                        "samarbeid om anmodning av kommuner for 2022». Årstall og frist er "
                        f"tilpasset demoens runde (bosetting i {self.round_year})."
                    ),
                },
            },
            {
                "type": "callout",
                "value": {
                    "kind": "important",
                    "title": f"Frist {deadline}",
                    "text": _rich(
                        f"Send informasjonen om kommunene i fylket i Bosettingsportalen innen "
                        f"{deadline}. Den brukes i samarbeidsmøtene til høsten og når IMDi "
                        f"anmoder kommunene om bosetting i {self.round_year}."
                    ),
                },
            },
            {"type": "heading", "value": {"text": "Hva vi ber om", "level": "h2"}},
            {
                "type": "paragraph",
                "value": _rich(
                    "Punkt 1–5 gjelder hver kommune i fylket. Punkt 6 gjelder fylkeskommunen selv.",
                    "<ol>"
                    "<li>Kvalifiserings- og opplæringstilbud i kommunen for flyktninger som gir "
                    "gode resultater.</li>"
                    "<li>Tilbud i videregående opplæring, også tilpasset fag- og "
                    "yrkesopplæring.</li>"
                    "<li>Interkommunalt samarbeid om kvalifisering og integrering.</li>"
                    "<li>Behov for arbeidskraft som er relevant for bosatte flyktninger: hvilke "
                    "kompetanser og yrkesgrupper det er behov for.</li>"
                    "<li>Kommunens kapasitet og ønske om å bosette flyktninger.</li>"
                    "<li>Fylkeskommunens egne planer for kvalifisering av innvandrere.</li>"
                    "</ol>",
                ),
            },
            {"type": "heading", "value": {"text": "Hvorfor vi ber om dette", "level": "h2"}},
            {
                "type": "paragraph",
                "value": _rich(
                    "Informasjonen brukes to ganger. Først når IMDi fastsetter hvor mange "
                    "flyktninger hver kommune anmodes om å bosette. Deretter i det daglige "
                    "bosettingsarbeidet: Når IMDi finner en kommune til en flyktning eller en "
                    "familie, ser vi etter kommuner med relevante kvalifiserings-, utdannings- "
                    "og arbeidstilbud. Målet er rask og treffsikker bosetting.",
                    "IMDi sammenholder informasjonen med kommunestatistikken, blant annet hvor "
                    "mange som går over til arbeid eller utdanning etter "
                    "introduksjonsprogrammet.",
                ),
            },
            {
                "type": "heading",
                "value": {"text": "Slik henger det sammen med møtene", "level": "h2"},
            },
            {
                "type": "paragraph",
                "value": _rich(
                    "<ul>"
                    "<li><strong>Juni:</strong> felles digitalt møte om anmodningskriteriene og "
                    "hvordan informasjonen hentes inn.</li>"
                    "<li><strong>Høsten:</strong> samarbeidsmøte med hvert fylke, med KS og IMDi. "
                    "IMDi sender et saksforberedende dokument tre uker før møtet.</li>"
                    "<li><strong>November:</strong> felles digitalt oppsummeringsmøte.</li>"
                    "</ul>"
                ),
            },
            {
                "type": "faq",
                "value": {
                    "title": "Spørsmål og svar",
                    "questions": [
                        {
                            "question": "Må vi gi informasjon om alle kommunene i fylket?",
                            "answer": _rich(
                                "Ja. Har en kommune ikke noe tilbud på et område, skriv det. "
                                "Det er også nyttig informasjon."
                            ),
                        },
                        {
                            "question": "Hva betyr «tilbud som gir gode resultater»?",
                            "answer": _rich(
                                "Tilbud der mange deltakere går videre til arbeid eller "
                                "utdanning. Beskriv tilbudet og hva dere vet om resultatene; "
                                "IMDi sammenligner med kommunestatistikken."
                            ),
                        },
                        {
                            "question": "Hvem fyller ut for kommunene?",
                            "answer": _rich(
                                "Fylkeskommunen, gjerne i dialog med kommunene. Det er "
                                "fylkeskommunens saksbehandlere som sender inn i portalen."
                            ),
                        },
                        {
                            "question": "Kan vi rette etter at vi har sendt inn?",
                            "answer": _rich(
                                "Ja. IMDi kan sende informasjonen tilbake med merknader, og dere "
                                "kan rette og sende inn på nytt."
                            ),
                        },
                    ],
                },
            },
            {
                "type": "document",
                "value": {"document": self.document().pk, "label": "Sjekkliste for fylkeskommunen"},
            },
        ]

    def meetings(self, index: MeetingIndexPage) -> list[MeetingPage]:
        year = self.round_year
        june_day = _weekday_on_or_after(self.deadline - datetime.timedelta(days=7))
        june = self.child(
            index,
            MeetingPage,
            f"{year}-felles-digitalt-mote",
            title=f"Felles digitalt møte – bosetting {year}",
            round_year=year,
            kind=MeetingKind.JOINT_DIGITAL,
            starts_at=_at(june_day, 10),
            ends_at=_at(june_day, 12),
            location="Digitalt (Teams)",
            meeting_url="https://bosetting.example/mote/juni",
            intro=_rich(
                f"{FICTITIOUS}. Alle fylkeskommunene, KS og IMDi går gjennom "
                f"anmodningskriteriene for {year} og hvordan informasjonen om kommunene "
                "hentes inn."
            ),
            participants=_rich(
                "Fylkeskommunene, KS og IMDi (regionkontorene og bosettingsavdelingen)."
            ),
            agenda=_agenda(
                ("10:00", "Velkommen", "", "IMDi"),
                (
                    "10:10",
                    f"Anmodningskriteriene for {year}",
                    "Kriteriene fra departementet.",
                    "IMDi",
                ),
                (
                    "10:40",
                    "Informasjonen vi ber fylkeskommunene om",
                    f"De seks punktene og fristen {self.deadline.day}. juni.",
                    "IMDi",
                ),
                ("11:20", "Spørsmål og erfaringer fra i fjor", "", "Alle"),
                ("11:50", "Veien videre", "Samarbeidsmøtene til høsten.", "IMDi"),
            ),
        )
        if june in self.created:
            # The checklist is for everyone who gives IMDi information: published as public.
            MeetingDocument.objects.create(
                page=june,
                document=self.document(),
                label="Sjekkliste for fylkeskommunen",
                visibility=Visibility.PUBLIC,
            )
            sync_collections(june)
        meetings = [june]
        day = _weekday_on_or_after(datetime.date(self.meeting_year, 9, 1))
        for county in County.objects.current().order_by("number"):
            meetings.append(self.county_meeting(index, county, day))
            # Every third weekday, so fifteen counties fill September and October.
            for _ in range(3):
                day = _weekday_on_or_after(day + datetime.timedelta(days=1))
        november_day = _weekday_on_or_after(datetime.date(self.meeting_year, 11, 18))
        meetings.append(
            self.child(
                index,
                MeetingPage,
                f"{year}-felles-oppsummeringsmote",
                title=f"Felles oppsummeringsmøte – bosetting {year}",
                round_year=year,
                kind=MeetingKind.SUMMARY,
                starts_at=_at(november_day, 10),
                ends_at=_at(november_day, 12),
                location="Digitalt (Teams)",
                meeting_url="https://bosetting.example/mote/november",
                intro=_rich(f"{FICTITIOUS}. Felles oppsummering av runden for {year}."),
                agenda=_agenda(
                    ("10:00", "Velkommen", "", "IMDi"),
                    ("10:10", f"Anmodningene for {year}", "Hva kommunene er anmodet om.", "IMDi"),
                    ("10:40", "Erfaringer fra samarbeidsmøtene", "", "Fylkeskommunene og KS"),
                    ("11:30", "Evaluering og forbedringer til neste år", "", "Alle"),
                ),
            )
        )
        return meetings

    def county_meeting(self, index, county: County, day: datetime.date) -> MeetingPage:
        year = self.round_year
        return self.child(
            index,
            MeetingPage,
            f"{year}-samarbeidsmote-{county.number}",
            title=f"Samarbeidsmøte med {county.name} – bosetting {year}",
            round_year=year,
            kind=MeetingKind.COUNTY_COOPERATION,
            county=county,
            starts_at=_at(day, 9),
            ends_at=_at(day, 12),
            location=f"{county.name} fylkeskommune, møterom 1 (fiktivt)",
            intro=_rich(
                f"{FICTITIOUS}. Fylkeskommunen, KS og IMDi drøfter kommunene i {county.name} og "
                "fylkeskommunens anbefaling om anmodningstall."
            ),
            participants=_rich(
                f"{county.name} fylkeskommune, KS og IMDis regionkontor. Navn er utelatt i demoen."
            ),
            agenda=_agenda(
                ("09:00", "Velkommen og presentasjon", "", f"{county.name} fylkeskommune"),
                ("09:15", "IMDis saksforberedende dokument", "", "IMDi"),
                (
                    "09:45",
                    "Kommunene i fylket",
                    "Kvalifisering, utdanning, arbeidsmarked og kapasitet.",
                    "Fylkeskommunen",
                ),
                ("10:45", "Innspill fra KS", "", "KS"),
                ("11:15", "Anbefalte anmodningstall", "", "Fylkeskommunen"),
                ("11:45", "Oppsummering og videre prosess", "", "IMDi"),
            ),
        )

    def minutes(self, june: MeetingPage) -> MinutesPage:
        existing = MinutesPage.objects.child_of(june).first()
        if existing is not None:
            return existing
        municipalities = list(Municipality.objects.filter(number__in=MINUTES_MUNICIPALITIES))
        if not municipalities:
            municipalities = list(Municipality.objects.current().order_by("number")[:3])
        minutes = MinutesPage(
            title=f"Referat fra felles digitalt møte – bosetting {self.round_year}",
            slug="referat",
            live=False,
            owner=self.editor,
            approved_date=(june.starts_at + datetime.timedelta(days=7)).date(),
            body=[
                _fictitious_callout("Referatet er laget for demoen og gjengir ikke et ekte møte."),
                {"type": "heading", "value": {"text": "Til stede", "level": "h2"}},
                {
                    "type": "paragraph",
                    "value": _rich("Alle fylkeskommunene, KS og IMDi var representert."),
                },
                {"type": "heading", "value": {"text": "Saker", "level": "h2"}},
                {
                    "type": "paragraph",
                    "value": _rich(
                        f"<strong>Anmodningskriteriene for {self.round_year}.</strong> IMDi "
                        "gikk gjennom kriteriene. Fylkeskommunene ba om tidlig beskjed om "
                        "det nasjonale behovet.",
                        "<strong>Informasjon om kommunene.</strong> Fristen er "
                        f"{self.deadline.day}. juni {self.deadline.year}. Flere fylker trakk "
                        "fram gode erfaringer med kombinasjonsklasser og tilpasset "
                        "fag- og yrkesopplæring i de største byene.",
                    ),
                },
            ],
        )
        minutes.municipalities = municipalities
        june.add_child(instance=minutes)
        minutes.save_revision(user=self.editor, log_action=True)
        _approve_through_workflow(minutes, submitter=self.editor, approver=self.approver)
        minutes.refresh_from_db()
        self.created.append(minutes)
        return minutes

    def document(self):
        Document = get_document_model()
        title = f"Sjekkliste for fylkeskommunen ({FICTITIOUS.lower()})"
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title, collection=editorial_collection())
            text = (
                f"{FICTITIOUS}\n\nSjekkliste for informasjonen fylkeskommunen gir IMDi:\n"
                "1. Kvalifiserings- og opplæringstilbud med gode resultater\n"
                "2. Videregående opplæring og tilpasset fag- og yrkesopplæring\n"
                "3. Interkommunalt samarbeid\n4. Behov for arbeidskraft\n"
                "5. Kapasitet og ønske om å bosette\n6. Fylkeskommunens egne planer\n"
            )
            data = text.encode()
            document.file.save("sjekkliste-fylkeskommunen.txt", ContentFile(data), save=False)
            document.file_size = len(data)
            document.save()
        elif document.collection.is_root():  # loaded before editors had their own collection
            document.collection = editorial_collection()
            document.save(update_fields=["collection"])
        return document


def _editor(username: str, first_name: str, last_name: str):
    """A demo editor; created without a password (set one to log in) if missing."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, first_name=first_name, last_name=last_name, role=Role.EDITOR
        )
    return user


def _make_site_root(home: HomePage) -> None:
    """Point the default site at the home page and drop Wagtail's "Welcome" placeholder."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Bosettingsportalen",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or "Bosettingsportalen"
        site.save()
    plain_page = ContentType.objects.get_for_model(Page)
    for placeholder in Page.objects.filter(depth=2, content_type=plain_page):
        if placeholder.is_leaf() and not Site.objects.filter(root_page=placeholder).exists():
            placeholder.delete()


def _approve_through_workflow(page: Page, *, submitter, approver) -> None:
    workflow = page.get_workflow()
    if workflow is None:
        raise RuntimeError(f"«{page.title}» har ingen arbeidsflyt for godkjenning.")
    state = workflow.start(page, submitter)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, approver, "approve")


@transaction.atomic
def build_demo_content(round_year: int) -> dict:
    """Build (or find) the demo pages for the round ``round_year`` (the settlement year).

    Meetings and the information deadline (10 June) fall in ``round_year - 1``. The minutes
    are submitted by the demo editor ``redaktor`` and approved by ``redaktor2``; both are
    created as editors without a password if they do not exist. Returns the pages and
    ``created``, the pages this call created (empty on a second call)."""
    builder = _Builder(round_year)
    home = builder.home()
    grant_editorial_permissions(home)
    guidance_index, guidance = builder.guidance(home)
    meeting_index = builder.child(
        home,
        MeetingIndexPage,
        "moter",
        title="Møter",
        intro=_rich(
            "Møtene i hver bosettingsrunde: det felles digitale møtet i juni, "
            "samarbeidsmøtene med hvert fylke om høsten og oppsummeringsmøtet i november. "
            "Her finner du dagsordener, møtedokumenter og referater."
        ),
    )
    attach_minutes_workflow(meeting_index)
    meetings = builder.meetings(meeting_index)
    minutes = builder.minutes(meetings[0])
    return {
        "home_page": home,
        "guidance_index": guidance_index,
        "guidance_page": guidance,
        "meeting_index": meeting_index,
        "meetings": meetings,
        "minutes": minutes,
        "deadline": builder.deadline,
        "created": builder.created,
    }
