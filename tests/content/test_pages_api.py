"""The Wagtail pages API (v2) exposes each page type's own fields."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction


@pytest.fixture
def api(client, users):
    client.force_login(users["imdi"])
    return client


def test_meeting_fields(api, tree):
    response = api.get("/api/v2/pages/", {"type": "content.MeetingPage", "fields": "*"})
    assert response.status_code == 200
    items = {item["meta"]["slug"]: item for item in response.json()["items"]}
    assert len(items) == len(tree["meetings"])

    county_meeting = tree["meetings"][1]
    item = items[county_meeting.slug]
    assert item["kind"] == "samarbeid_fylke"
    assert item["kind_display"] == "Samarbeidsmøte med fylket"
    assert item["round_year"] == county_meeting.round_year
    assert item["starts_at"].startswith(str(county_meeting.starts_at.year))
    assert item["county"]["number"] == county_meeting.county.number
    assert [entry["type"] for entry in item["agenda"]] == ["item"] * 6
    assert item["agenda"][0]["value"]["title"] == "Velkommen og presentasjon"

    june = items[tree["meetings"][0].slug]
    assert june["county"] is None
    assert june["documents"][0]["label"] == "Sjekkliste for fylkeskommunen"
    assert june["documents"][0]["document"]["meta"]["download_url"].endswith(".txt")


def test_minutes_fields(api, tree):
    response = api.get("/api/v2/pages/", {"type": "content.MinutesPage", "fields": "*"})
    (item,) = response.json()["items"]
    assert item["approved_date"] == tree["minutes"].approved_date.isoformat()
    assert {m["number"] for m in item["municipalities"]} == {"0301", "1103", "4601", "5001"}
    assert any(block["type"] == "heading" for block in item["body"])


def test_guidance_fields(api, tree):
    response = api.get(f"/api/v2/pages/{tree['guidance'].pk}/")
    body = response.json()
    assert body["meta"]["type"] == "content.GuidancePage"
    assert {block["type"] for block in body["body"]} >= {"heading", "paragraph", "callout", "faq"}


def test_restricted_pages_only_reach_their_groups(client, users, tree):
    restriction = PageViewRestriction.objects.create(
        page=tree["minutes"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="IMDi")])
    query = {"type": "content.MinutesPage"}

    client.force_login(users["ks"])
    assert client.get("/api/v2/pages/", query).json()["meta"]["total_count"] == 0
    client.force_login(users["imdi"])
    assert client.get("/api/v2/pages/", query).json()["meta"]["total_count"] == 1


def test_documents_endpoint(api, tree):
    response = api.get("/api/v2/documents/")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 1


def test_public_pages_are_readable_without_login(client, tree):
    response = client.get("/api/v2/pages/?type=content.MeetingPage&fields=kind,starts_at")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] >= 1


def test_wagtail_default_workflow_is_retired(db):
    from wagtail.models import Workflow

    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert Workflow.objects.filter(name="Godkjenning av referat", active=True).exists()
