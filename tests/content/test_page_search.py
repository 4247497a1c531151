"""Wagtail's own page search (database backend) finds guidance and minutes by their bodies."""

from wagtail.models import Page

from portal.content.models import GuidancePage, MinutesPage


def _found(query: str) -> set[type]:
    return {page.specific_class for page in Page.objects.live().search(query)}


def test_guidance_is_found_by_words_in_its_body(tree):
    # "treffsikker" occurs only in the guidance body, never in a title.
    assert "treffsikker" not in tree["guidance"].title.lower()
    assert GuidancePage in _found("treffsikker")


def test_minutes_are_found_by_words_in_their_body(tree):
    assert _found("kombinasjonsklasser") == {MinutesPage}


def test_minutes_are_found_by_the_municipalities_they_concern(tree):
    assert MinutesPage in _found("Bergen")


def test_drafts_are_not_found(tree, users):
    meeting = tree["meetings"][1]
    draft = MinutesPage(
        title="Utkast",
        slug="utkast",
        live=False,
        body=[{"type": "paragraph", "value": "<p>Hemmelig sjøsprøytordning.</p>"}],
    )
    meeting.add_child(instance=draft)
    assert MinutesPage.objects.search("sjøsprøytordning").count() == 1
    assert _found("sjøsprøytordning") == set()
