"""«Mine oppgaver»: the county's start page (its own submissions only, returned first), IMDi's
(queue, overdue counties, changes since the previous visit), refusals from the refused user's
side, and a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from skjema import services
from skjema.models import MunicipalityProfile

from .conftest import fill_profile

pytestmark = pytest.mark.django_db

URL = "/skjema/oppgaver/"


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def work(opened, users, skien):
    """Telemark: Skien returned with two comments, Porsgrunn submitted; Oslo: Oslo submitted."""
    county_b, county_a, imdi = users["fylke_b"], users["fylke_a"], users["imdi"]
    base = timezone.now() - datetime.timedelta(days=2)
    skien = fill_profile(skien, county_b)
    services.submit(skien, county_b, now=base)
    services.return_submission(
        skien,
        imdi,
        reason="Se kommentarene.",
        comments=[("capacity", "capacity", "Hva bygger tallet på?"), ("labour", "", "Mangler.")],
    )
    porsgrunn = MunicipalityProfile.objects.get(round=opened, municipality__number="4001")
    porsgrunn = fill_profile(porsgrunn, county_b)
    services.submit(porsgrunn, county_b, now=base + datetime.timedelta(hours=1))
    oslo = MunicipalityProfile.objects.get(round=opened, municipality__number="0301")
    oslo = fill_profile(oslo, county_a)
    services.submit(oslo, county_a, now=base - datetime.timedelta(hours=1))
    return {"skien": skien, "porsgrunn": porsgrunn, "oslo": oslo}


def test_the_url():
    assert reverse("skjema:tasks") == URL


class TestCounty:
    def test_sees_its_own_county_returned_first(
        self, client, work, users, django_assert_max_num_queries
    ):
        as_user(client, users["fylke_b"])
        with django_assert_max_num_queries(12):
            response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Skien – kommuneprofil" in html
        assert "2 kommentarer fra IMDi" in html
        assert "Oslo – kommuneprofil" not in html
        returned = html.index('class="tasks-returned"')
        first_draft = html.index('class="tasks-draft"')
        assert returned < first_draft
        # counts per status: Skien returned, Porsgrunn submitted, the rest drafts
        assert '<li data-status="returned">Returnert for retting: <strong>1</strong>' in html
        assert '<li data-status="submitted">Sendt inn: <strong>1</strong>' in html
        assert reverse("skjema:profile", args=[2027, "4003"]) in html
        assert "Fristen for innsending er" in html and "igjen" in html
        # Telemark's county submission and 15 more drafts: ten by name, the rest counted
        assert html.count('class="tasks-draft"') == 10
        assert "og 6 til i rundelisten" in html

    def test_the_other_county_sees_only_its_own(self, client, work, users):
        as_user(client, users["fylke_a"])
        html = client.get(URL).content.decode()
        assert "Skien" not in html and "Porsgrunn" not in html
        assert "Ingen innsendinger er returnert for retting." in html
        assert '<li data-status="submitted">Sendt inn: <strong>1</strong>' in html

    def test_the_header_links_to_it(self, client, work, users):
        as_user(client, users["fylke_b"])
        html = client.get(reverse("skjema:notifications")).content.decode()
        assert f'href="{URL}"' in html and "Mine oppgaver" in html

    def test_without_a_round(self, client, users):
        as_user(client, users["fylke_b"])
        response = client.get(URL)
        assert response.status_code == 200
        assert "Ingen runde er åpnet ennå." in response.content.decode()


class TestImdi:
    def test_queue_oldest_first_and_next(self, client, work, users, django_assert_max_num_queries):
        as_user(client, users["imdi"])
        with django_assert_max_num_queries(12):
            html = client.get(URL).content.decode()
        assert "2 innsendinger venter på gjennomgang." in html
        assert html.index("Oslo – kommuneprofil") < html.index("Porsgrunn – kommuneprofil")
        assert "Skien – kommuneprofil" not in html  # returned: not waiting for IMDi
        assert reverse("skjema:review", args=[2027, work["oslo"].pk]) in html
        assert reverse("skjema:review-queue", args=[2027]) in html
        assert "Neste til gjennomgang" in html

    def test_overdue_counties_once_the_deadline_has_passed(self, client, work, users, opened):
        as_user(client, users["imdi"])
        assert "Fristen har ikke gått ut ennå." in client.get(URL).content.decode()
        opened.deadline = timezone.now() - datetime.timedelta(days=1)
        opened.save(update_fields=["deadline"])
        html = client.get(URL).content.decode()
        assert 'class="tasks-overdue"' in html
        assert reverse("skjema:round-county", args=[2027, "40"]) in html
        # Oslo county: Oslo is sent in, but the county's own submission is still a draft
        assert reverse("skjema:round-county", args=[2027, "03"]) in html

    def test_overdue_leaves_out_a_county_with_everything_sent_in(self, work, opened):
        from skjema import reading
        from skjema.models import Submission

        opened.deadline = timezone.now() - datetime.timedelta(days=1)
        opened.save(update_fields=["deadline"])
        Submission.objects.filter(round=opened, county__number="03").update(status="submitted")
        numbers = [c.number for c in reading.overdue_counties(round_=opened)]
        assert numbers == ["40"]

    def test_changes_since_the_previous_visit(self, client, work, users):
        as_user(client, users["imdi"])
        first = client.get(URL).content.decode()
        assert "Dette er ditt første besøk" in first
        users["imdi"].refresh_from_db()
        assert users["imdi"].tasks_seen_at is not None
        # after the first visit: Skien is answered and sent in again
        skien = MunicipalityProfile.objects.get(pk=work["skien"].pk)
        comment = skien.review_comments.order_by("id").first()
        services.answer_comment(comment, users["fylke_b"], "Tallet bygger på boligplanen.")
        services.submit(MunicipalityProfile.objects.get(pk=skien.pk), users["fylke_b"])
        html = client.get(URL).content.decode()
        assert "sendt inn 1, returnert 0, kommentarer besvart av fylkene 1." in html
        assert html.count('class="tasks-change"') == 2
        # the visit after that: nothing new
        html = client.get(URL).content.decode()
        assert "sendt inn 0, returnert 0, kommentarer besvart av fylkene 0." in html

    def test_the_previous_visit_survives_a_new_login(self, client, work, users):
        as_user(client, users["imdi"])
        assert "Dette er ditt første besøk" in client.get(URL).content.decode()
        client.logout()
        as_user(client, users["imdi"])
        assert "Dette er ditt første besøk" not in client.get(URL).content.decode()


class TestRefused:
    @pytest.mark.parametrize("who", ["ks", "editor", "outsider"])
    def test_others_get_403_and_no_link(self, client, work, users, who):
        as_user(client, users[who])
        response = client.get(URL)
        assert response.status_code == 403
        home = client.get(reverse("skjema:notifications")).content.decode()
        assert f'href="{URL}"' not in home

    def test_anonymous_goes_to_login(self, client, work):
        response = client.get(URL)
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]

    def test_post_is_not_allowed(self, client, work, users):
        as_user(client, users["imdi"])
        assert client.post(URL).status_code == 405


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("fylke_a", True),
        ("fylke_b", True),
        ("imdi", True),
        ("admin", True),
        ("ks", False),
        ("editor", False),
        ("outsider", False),
    ],
)
def test_the_rule(users, who, allowed):
    from portal.accounts import rules

    assert rules.can_see_task_page(users[who]) is allowed


def test_the_rule_refuses_anonymous():
    from django.contrib.auth.models import AnonymousUser

    from portal.accounts import rules

    assert rules.can_see_task_page(AnonymousUser()) is False
