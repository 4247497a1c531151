"""The county meeting's Wagtail page says where its preparatory document stands: sent (when,
which version, with a link), or not yet – and, for IMDi only, whether it is made, waits for
approval or is approved, and that a newer version waits after one was sent. Only to those who
may open the document (the county's officers, KS, IMDi); tested from the other county's side,
the anonymous visitor's and a user without a role."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from portal.content.models import MeetingIndexPage
from skjema import meeting_dispatch, meetings
from skjema.models import PreparatoryDocument
from skjema.preparatory import format_day, format_moment

from . import meetings_support as support

meeting_tree = support.meeting_tree
pages = support.pages
people = support.people
telemark = support.telemark

pytestmark = pytest.mark.django_db

PARTICIPANTS = ["fylke_b", "ks"]
OTHERS = [None, "fylke_a", "outsider"]


@pytest.fixture
def routed(meeting_tree, pages):
    """The meeting pages under the default site's root, so they have URLs and are served."""
    site_root = Site.objects.get(is_default_site=True).root_page
    MeetingIndexPage.objects.get(pk=meeting_tree["index"]).move(site_root, pos="last-child")
    return {key: Page.objects.get(pk=page.pk).specific for key, page in pages.items()}


def show(users, who, page) -> str:
    client = Client()
    if who is not None:
        client.force_login(users[who])
    response = client.get(page.url)
    assert response.status_code == 200, (who, response.status_code)
    return response.content.decode()


def facts(html: str) -> str:
    """The facts list of the page (where the document's state is)."""
    start = html.index('<dl class="facts">')
    return html[start : html.index("</dl>", start)]


def document() -> PreparatoryDocument:
    return PreparatoryDocument.objects.select_related("current", "last_sent").get(
        county__number="40"
    )


def test_through_the_whole_cycle(telemark, routed, people):
    page = routed["telemark"]
    due = format_day(meetings.due_date(page))
    imdi = people["imdi"]

    # Nothing made yet.
    assert "Ikke laget ennå." in facts(show(people, "imdi", page))
    for who in PARTICIPANTS:
        shown = facts(show(people, who, page))
        assert f"Ikke sendt ennå. IMDi sender det {due} (tre uker før møtet)." in shown
        assert "godkjenning" not in shown and "Ikke laget" not in shown

    # Made: IMDi sees it waits for approval; the participants only that it is not sent.
    meetings.generate(page, imdi)
    shown = facts(show(people, "imdi", page))
    assert "Laget, venter på godkjenning fra IMDi." in shown
    assert f"Sendes automatisk til deltakerne {due} (tre uker før møtet)" in shown
    assert f'href="{meetings.document_url(page)}"' in shown
    for who in PARTICIPANTS:
        shown = facts(show(people, who, page))
        assert "Ikke sendt ennå." in shown and "godkjenning" not in shown
        assert meetings.document_url(page) not in shown  # nothing to read yet

    meeting_dispatch.approve(document(), imdi)
    assert "Godkjent, ikke sendt ennå." in facts(show(people, "imdi", page))

    # Sent: everyone who may read it is told when, with a link.
    meetings.mark_sent(document(), imdi)
    sent_at = format_moment(document().last_sent.sent_at)
    for who in ["imdi", *PARTICIPANTS]:
        shown = facts(show(people, who, page))
        assert f"Sendt til deltakerne {sent_at} (versjon 1)." in shown
        assert f'<a href="{meetings.document_url(page)}">Les dokumentet</a>' in shown

    # Made again after the data changed: IMDi is told the new version waits; the
    # participants still see what they got.
    meetings.generate(page, imdi)
    shown = facts(show(people, "imdi", page))
    assert f"Sendt til deltakerne {sent_at} (versjon 1)." in shown
    assert "Versjon 2 er laget på nytt og venter på godkjenning." in shown
    for who in PARTICIPANTS:
        shown = facts(show(people, who, page))
        assert f"Sendt til deltakerne {sent_at} (versjon 1)." in shown
        assert "Versjon 2" not in shown


@pytest.mark.parametrize("who", OTHERS)
def test_others_see_only_the_due_date(telemark, routed, people, who):
    page = routed["telemark"]
    imdi = people["imdi"]
    meetings.generate(page, imdi)
    meetings.mark_sent(document(), imdi)
    shown = facts(show(people, who, page))
    assert "Saksforberedende dokument" in shown and "Sendes fra IMDi senest" in shown
    assert "Sendt til deltakerne" not in shown
    assert meetings.document_url(page) not in shown


def test_joint_meetings_have_no_document(telemark, routed, people):
    for key in ("june", "november"):
        assert "Saksforberedende dokument" not in show(people, "imdi", routed[key])


def test_the_state_costs_one_query(telemark, routed, people):
    page = routed["telemark"]
    meetings.generate(page, people["imdi"])
    client = Client()
    client.force_login(people["fylke_a"])  # no panel: the page's own queries
    with CaptureQueriesContext(connection) as without:
        client.get(page.url)
    client.force_login(people["fylke_b"])
    with CaptureQueriesContext(connection) as with_panel:
        client.get(page.url)
    assert len(with_panel.captured_queries) <= len(without.captured_queries) + 1
