"""Wagtail page privacy on minutes: login for anonymous visitors, refusal for other groups."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction


@pytest.fixture
def imdi_only_minutes(tree):
    minutes = tree["minutes"]
    restriction = PageViewRestriction.objects.create(
        page=minutes, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="IMDi")])
    return minutes


def test_anonymous_visitors_are_sent_to_the_portal_login(client, imdi_only_minutes):
    response = client.get(imdi_only_minutes.url)
    assert response.status_code == 302
    assert response["Location"] == f"/logg-inn/?next={imdi_only_minutes.url}"


def test_users_outside_the_group_are_refused(client, users, imdi_only_minutes):
    client.force_login(users["ks"])
    response = client.get(imdi_only_minutes.url)
    assert response.status_code == 403
    assert "Du har ikke tilgang til denne siden" in response.content.decode()
    assert imdi_only_minutes.title not in response.content.decode()


@pytest.mark.parametrize("role", ["imdi", "admin"])
def test_group_members_and_administrators_read_them(client, users, imdi_only_minutes, role):
    client.force_login(users[role])
    response = client.get(imdi_only_minutes.url)
    assert response.status_code == 200
    assert "Til stede" in response.content.decode()


def test_login_restriction_admits_any_logged_in_user(client, users, tree):
    minutes = tree["minutes"]
    PageViewRestriction.objects.create(page=minutes, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(minutes.url).status_code == 302
    client.force_login(users["fylke_b"])
    assert client.get(minutes.url).status_code == 200


def test_listings_hide_minutes_the_user_may_not_open(client, users, tree, imdi_only_minutes):
    june_meeting = tree["meetings"][0]
    link = f'href="{imdi_only_minutes.url}"'

    client.force_login(users["ks"])
    assert link not in client.get(june_meeting.url).content.decode()
    assert link not in client.get(tree["meeting_index"].url).content.decode()

    client.force_login(users["imdi"])
    assert link in client.get(june_meeting.url).content.decode()
    assert link in client.get(tree["meeting_index"].url).content.decode()
