"""Every page type renders for visitors, with one h1, breadcrumbs and a bounded query count."""

import datetime
import re

import pytest
from django.utils import timezone

from portal.content.models import MeetingKind, MeetingPage


def _html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'style="' not in html
    return html


def test_home_page(client, tree):
    html = _html(client, tree["home"])
    assert "<h1>Bosettingsportalen</h1>" in html
    assert 'href="/kommuner/"' in html
    assert 'href="/veiledning/informasjon-fra-fylkeskommunene/"' in html
    assert "Kommende møter" in html
    # The demo round lies ahead, so its first meeting is listed with a Norwegian date.
    june = tree["meetings"][0]
    assert f'href="{june.url}"' in html
    assert re.search(r"\d{1,2}\. juni \d{4} kl\. 10\.00", html)
    assert 'class="breadcrumbs"' not in html


def test_home_page_falls_back_to_recent_meetings(client, tree):
    MeetingPage.objects.filter(starts_at__gte=timezone.now()).update(
        starts_at=timezone.now() - datetime.timedelta(days=1), ends_at=None
    )
    html = _html(client, tree["home"])
    assert "Ingen kommende møter er publisert." in html
    assert "Siste møter" in html


def test_guidance_pages(client, tree):
    index_html = _html(client, tree["guidance_index"])
    assert "Hvilken informasjon fylkeskommunene skal gi" in index_html

    html = _html(client, tree["guidance"])
    assert '<nav class="breadcrumbs" aria-label="Brødsmulesti">' in html
    assert 'aria-current="page">Hvilken informasjon fylkeskommunene skal gi</li>' in html
    assert "Tilbud i videregående opplæring, også tilpasset fag- og yrkesopplæring." in html
    assert "treffsikker bosetting" in html
    assert f"Frist 10. juni {tree['meetings'][0].round_year - 1}" in html
    assert "<details" in html and "<summary>" in html
    assert "callout--important" in html
    assert "(TXT, " in html  # document link with file type and size


def test_meeting_index_groups_meetings_by_round(client, tree, users):
    client.force_login(users["ks"])  # the demo minutes are for the participants
    older = tree["meetings"][0].copy(
        update_attrs={
            "slug": "tidligere-mote",
            "title": "Felles digitalt møte – tidligere runde",
            "round_year": tree["meetings"][0].round_year - 1,
        },
        keep_live=True,
    )
    html = _html(client, tree["meeting_index"])
    year = tree["meetings"][0].round_year
    newer_at, older_at = html.index(f"Bosetting i {year}"), html.index(f"Bosetting i {year - 1}")
    assert newer_at < older_at
    assert html.index(older.title) > older_at
    assert f"<caption>Møter i runden for bosetting i {year}</caption>" in html
    assert '<th scope="col">Referat</th>' in html
    assert f'href="{tree["minutes"].url}"' in html


def test_meeting_page(client, tree):
    county_meeting = next(m for m in tree["meetings"] if m.kind == MeetingKind.COUNTY_COOPERATION)
    html = _html(client, county_meeting)
    assert "Samarbeidsmøte med fylket" in html
    assert f'href="/fylker/{county_meeting.county.number}/"' in html
    assert "<caption>Dagsorden for" in html
    assert '<th scope="row">IMDis saksforberedende dokument</th>' in html
    assert "Saksforberedende dokument" in html
    assert "Referatet er ikke publisert ennå." in html
    assert re.search(r"kl\. 09\.00–12\.00", html)

    june_html = _html(client, tree["meetings"][0])
    assert "Sjekkliste for fylkeskommunen" in june_html  # published as public
    assert tree["minutes"].url not in june_html  # for the participants only
    assert "Referatet er publisert bare for møtedeltakerne" in june_html


def test_minutes_page(client, tree, users):
    client.force_login(users["fylke_b"])  # a joint meeting: every county takes part
    html = _html(client, tree["minutes"])
    assert "Bare for møtedeltakerne: fylkeskommunene, IMDi og KS." in html
    assert "Demoinnhold – fiktivt" in html
    assert 'href="/kommuner/0301/"' in html
    assert f'href="{tree["meetings"][0].url}"' in html


def test_unpublished_meeting_is_not_served(client, tree):
    meeting = tree["meetings"][-1]
    meeting.unpublish()
    assert client.get(meeting.url).status_code == 404


@pytest.mark.parametrize("role", [None, "editor", "fylke_a"])
def test_home_page_query_count(client, tree, users, django_assert_max_num_queries, role):
    if role:
        client.force_login(users[role])
    with django_assert_max_num_queries(19):  # 18 + the header's notification badge
        assert client.get(tree["home"].url).status_code == 200


def test_meeting_index_query_count_does_not_grow_with_meetings(
    client, tree, users, django_assert_max_num_queries
):
    client.force_login(users["imdi"])
    # Seventeen meetings (fifteen counties) and one set of minutes in the demo round.
    assert len(tree["meetings"]) >= 3
    with django_assert_max_num_queries(18):
        assert client.get(tree["meeting_index"].url).status_code == 200


def test_meeting_page_query_count(client, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(18):
        assert client.get(tree["meetings"][0].url).status_code == 200
