"""Where each page type may live, and the meeting rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page

from portal.content.models import (
    GuidanceIndexPage,
    GuidancePage,
    HomePage,
    MeetingIndexPage,
    MeetingKind,
    MeetingPage,
    MinutesPage,
)
from portal.register.models import County, Municipality


def test_page_types_only_fit_where_they_belong(tree):
    root = Page.get_first_root_node()
    home, meeting = tree["home"], tree["meetings"][0]

    assert set(HomePage.allowed_parent_page_models()) == {Page}
    assert set(home.specific_class.allowed_subpage_models()) == {
        GuidanceIndexPage,
        MeetingIndexPage,
    }
    assert GuidancePage.allowed_parent_page_models() == [GuidanceIndexPage]
    assert MeetingPage.allowed_parent_page_models() == [MeetingIndexPage]
    assert MinutesPage.allowed_parent_page_models() == [MeetingPage]
    assert MinutesPage.allowed_subpage_models() == []
    assert GuidancePage.allowed_subpage_models() == []

    assert not MinutesPage.can_create_at(tree["guidance_index"])
    assert not MeetingPage.can_create_at(home)
    assert not GuidancePage.can_create_at(tree["meeting_index"])
    # One home page, one guidance index and one meeting index: they exist already.
    assert not HomePage.can_create_at(root)
    assert not GuidanceIndexPage.can_create_at(home)
    assert not MeetingIndexPage.can_create_at(home)
    # The June meeting has its minutes; a county meeting has none yet.
    assert not MinutesPage.can_create_at(meeting)
    assert MinutesPage.can_create_at(tree["meetings"][1])


def test_demo_tree_is_the_site(tree, client):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == tree["home"].pk
    assert not Page.objects.filter(depth=2).exclude(pk=tree["home"].pk).exists()
    assert tree["meeting_index"].url == "/moter/"


def _meeting(**fields) -> MeetingPage:
    starts_at = timezone.now() + datetime.timedelta(days=30)
    defaults = {
        "title": "Møte",
        "slug": "mote",
        "round_year": 2030,
        "kind": MeetingKind.JOINT_DIGITAL,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2),
    }
    return MeetingPage(**{**defaults, **fields})


@pytest.mark.django_db
def test_county_meeting_requires_a_county(counties):
    with pytest.raises(ValidationError) as error:
        _meeting(kind=MeetingKind.COUNTY_COOPERATION).clean()
    assert error.value.message_dict["county"] == ["Velg fylket for samarbeidsmøtet."]

    _meeting(kind=MeetingKind.COUNTY_COOPERATION, county=counties["03"]).clean()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [MeetingKind.JOINT_DIGITAL, MeetingKind.SUMMARY])
def test_joint_meetings_forbid_a_county(counties, kind):
    with pytest.raises(ValidationError) as error:
        _meeting(kind=kind, county=counties["03"]).clean()
    assert "Bare samarbeidsmøter med fylket har fylke" in error.value.message_dict["county"][0]

    _meeting(kind=kind).clean()


@pytest.mark.django_db
def test_meeting_must_end_after_it_starts():
    meeting = _meeting()
    meeting.ends_at = meeting.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        meeting.clean()
    assert error.value.message_dict["ends_at"] == ["Møtet må slutte etter at det starter."]


def test_saving_a_page_runs_the_county_rule(tree):
    meeting = _meeting(slug="uten-fylke", kind=MeetingKind.COUNTY_COOPERATION)
    with pytest.raises(ValidationError):
        tree["meeting_index"].add_child(instance=meeting)
    assert not MeetingPage.objects.filter(slug="uten-fylke").exists()


def test_county_meetings_know_when_the_preparatory_document_is_due(tree):
    county_meeting = tree["meetings"][1]
    assert county_meeting.kind == MeetingKind.COUNTY_COOPERATION
    assert (
        county_meeting.preparation_due
        == (county_meeting.starts_at - datetime.timedelta(weeks=3)).date()
    )
    assert tree["meetings"][0].preparation_due is None


def test_minutes_are_reachable_from_their_municipalities(tree):
    oslo = Municipality.objects.get(number="0301")
    porsgrunn = Municipality.objects.get(number="4001")
    minutes = tree["minutes"]

    assert list(oslo.minutes_pages.all()) == [minutes]
    assert list(MinutesPage.objects.concerning(oslo).live()) == [minutes]
    assert not porsgrunn.minutes_pages.exists()


def test_meeting_pages_are_listed_on_their_county(tree):
    vestland = County.objects.get(number="46")
    assert [m.slug for m in vestland.meeting_pages.all()] == [
        f"{tree['meetings'][0].round_year}-samarbeidsmote-46"
    ]
