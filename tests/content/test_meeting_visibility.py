"""Minutes and meeting documents are for the meeting's participants unless published as public.

Participants: IMDi, KS, the editors and the meeting's county (every county for the joint
meetings). Everyone else – anonymous visitors, other counties, users without a role – gets 404
for the page, through the pages API and for the document's URL, and the documents API lists only
the public collection. Tested from each refused side.
"""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from portal.content.documents import (
    PARTICIPANTS_COLLECTION,
    PUBLIC_COLLECTION,
)
from portal.content.models import MeetingDocument, MinutesPage, Visibility
from portal.content.models.meetings import MinutesPageForm
from portal.content.workflows import editorial_collection
from portal.register.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def oslo_meeting(tree):
    """The county cooperation meeting of 03 Oslo (county A)."""
    meeting = tree["meetings"][1]
    assert meeting.county.number == "03"
    return meeting


def _publish(page, user=None):
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    return MinutesPage.objects.get(pk=page.pk) if isinstance(page, MinutesPage) else page


def _document(title="Presentasjon fra møtet"):
    return get_document_model().objects.create(
        title=title,
        file=ContentFile(b"%PDF-1.7\n...", name="presentasjon.pdf"),
        collection=editorial_collection(),
    )


def _minutes(meeting, visibility=None, document=None):
    body = [{"type": "paragraph", "value": "<p>Fylket og IMDi drøftet kommunene.</p>"}]
    if document is not None:
        body.append({"type": "document", "value": {"document": document.pk, "title": ""}})
    minutes = MinutesPage(title="Referat fra samarbeidsmøtet", slug="referat", body=body)
    if visibility:
        minutes.visibility = visibility
    meeting.add_child(instance=minutes)
    return _publish(minutes)


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


PARTICIPANTS = ["fylke_a", "imdi", "ks", "editor", "admin"]
REFUSED = [None, "fylke_b", "outsider"]


class TestMinutes:
    def test_new_minutes_are_for_the_participants_by_default(self, tree):
        assert MinutesPage().visibility == Visibility.PARTICIPANTS
        assert tree["minutes"].visibility == Visibility.PARTICIPANTS

    @pytest.mark.parametrize("who", REFUSED)
    def test_others_do_not_find_them(self, client, users, oslo_meeting, who):
        minutes = _minutes(oslo_meeting)
        response = _get(client, users.get(who), minutes.url)
        assert response.status_code == 404
        assert "Fylket og IMDi drøftet" not in response.content.decode()

    @pytest.mark.parametrize("who", PARTICIPANTS)
    def test_participants_read_them_and_the_page_says_for_whom(
        self, client, users, oslo_meeting, who
    ):
        minutes = _minutes(oslo_meeting)
        response = _get(client, users[who], minutes.url)
        assert response.status_code == 200
        assert (
            "Bare for møtedeltakerne: Oslo fylkeskommune, IMDi og KS." in response.content.decode()
        )

    def test_public_minutes_are_read_by_anyone(self, client, oslo_meeting):
        minutes = _minutes(oslo_meeting, Visibility.PUBLIC)
        html = client.get(minutes.url).content.decode()
        assert "Offentlig: alle kan lese referatet." in html
        assert "Fylket og IMDi drøftet" in html

    def test_a_joint_meeting_takes_in_every_county(self, client, users, tree):
        url = tree["minutes"].url
        assert _get(client, users["fylke_b"], url).status_code == 200
        assert _get(client, None, url).status_code == 404
        assert _get(client, users["outsider"], url).status_code == 404

    def test_listings_leave_them_out_for_others(self, client, users, oslo_meeting, tree):
        minutes = _minutes(oslo_meeting)
        link = f'href="{minutes.url}"'
        for who in REFUSED:
            html = _get(client, users.get(who), oslo_meeting.url).content.decode()
            assert link not in html
            assert "publisert bare for møtedeltakerne" in html
            assert (
                link not in _get(client, users.get(who), tree["meeting_index"].url).content.decode()
            )
        assert link in _get(client, users["fylke_a"], oslo_meeting.url).content.decode()

    def test_every_page_listing_and_search_leaves_them_out(self, users, oslo_meeting):
        from wagtail.models import Page

        from portal.content.models import ContentPageQuerySet

        minutes = _minutes(oslo_meeting)
        for who, seen in ((None, False), ("fylke_b", False), ("fylke_a", True), ("ks", True)):
            pages = ContentPageQuerySet(model=Page).visible_to(users.get(who))
            assert pages.filter(pk=minutes.pk).exists() is seen, who

    def test_the_municipality_page_links_them_only_for_participants(self, client, users, tree):
        link = f'href="{tree["minutes"].url}"'
        assert link not in _get(client, None, "/kommuner/0301/").content.decode()
        assert link in _get(client, users["ks"], "/kommuner/0301/").content.decode()


class TestPagesApi:
    QUERY = {"type": "content.MinutesPage", "fields": "visibility"}

    @pytest.mark.parametrize("who", REFUSED)
    def test_others_get_neither_list_nor_detail(self, client, users, oslo_meeting, who):
        minutes = _minutes(oslo_meeting)
        body = _get(client, users.get(who), "/api/v2/pages/?type=content.MinutesPage").json()
        assert minutes.pk not in [item["id"] for item in body["items"]]
        assert _get(client, users.get(who), f"/api/v2/pages/{minutes.pk}/").status_code == 404
        found = _get(client, users.get(who), "/api/v2/pages/?search=drøftet").json()
        assert minutes.pk not in [item["id"] for item in found.get("items", [])]

    @pytest.mark.parametrize("who", ["fylke_a", "ks"])
    def test_participants_get_them(self, client, users, oslo_meeting, who):
        minutes = _minutes(oslo_meeting)
        body = _get(client, users[who], f"/api/v2/pages/{minutes.pk}/").json()
        assert body["visibility"] == "deltakere"

    def test_public_minutes_for_anyone(self, client, oslo_meeting):
        minutes = _minutes(oslo_meeting, Visibility.PUBLIC)
        assert client.get(f"/api/v2/pages/{minutes.pk}/").json()["visibility"] == "offentlig"


class TestDocuments:
    def _meeting_document(self, meeting, visibility=Visibility.PARTICIPANTS):
        document = _document()
        MeetingDocument.objects.create(
            page=meeting, document=document, label="Presentasjon", visibility=visibility
        )
        _publish(meeting)
        document.refresh_from_db()
        return document

    def test_publishing_puts_each_document_where_its_visibility_says(self, oslo_meeting):
        private = self._meeting_document(oslo_meeting)
        public = self._meeting_document(oslo_meeting, Visibility.PUBLIC)
        assert private.collection.name == PARTICIPANTS_COLLECTION
        assert public.collection.name == PUBLIC_COLLECTION
        # Both sit under the editorial collection, whose permissions editors hold.
        assert private.collection.get_parent() == editorial_collection()

    @pytest.mark.parametrize("who", REFUSED)
    def test_others_do_not_find_a_participants_document(self, client, users, oslo_meeting, who):
        document = self._meeting_document(oslo_meeting)
        assert _get(client, users.get(who), document.url).status_code == 404
        html = _get(client, users.get(who), oslo_meeting.url).content.decode()
        assert document.url not in html

    @pytest.mark.parametrize("who", PARTICIPANTS)
    def test_participants_download_it(self, client, users, oslo_meeting, who):
        document = self._meeting_document(oslo_meeting)
        assert _get(client, users[who], document.url).status_code == 200
        html = _get(client, users[who], oslo_meeting.url).content.decode()
        assert document.url in html and "bare for møtedeltakerne" in html

    def test_a_public_document_for_anyone(self, client, oslo_meeting):
        document = self._meeting_document(oslo_meeting, Visibility.PUBLIC)
        assert client.get(document.url).status_code == 200
        assert "offentlig)" in client.get(oslo_meeting.url).content.decode()

    def test_a_document_in_participants_minutes(self, client, users, oslo_meeting):
        document = _document("Vedlegg til referatet")
        _minutes(oslo_meeting, document=document)
        document.refresh_from_db()
        assert document.collection.name == PARTICIPANTS_COLLECTION
        assert _get(client, None, document.url).status_code == 404
        assert _get(client, users["fylke_b"], document.url).status_code == 404
        assert _get(client, users["fylke_a"], document.url).status_code == 200

    def test_an_unattached_editorial_document_is_not_public(self, client, users):
        document = _document("Utkast")
        assert _get(client, None, document.url).status_code == 404
        assert _get(client, users["fylke_a"], document.url).status_code == 404
        assert _get(client, users["editor"], document.url).status_code == 200

    def test_the_meeting_pages_api_lists_what_the_reader_may_open(
        self, client, users, oslo_meeting
    ):
        private = self._meeting_document(oslo_meeting)
        public = self._meeting_document(oslo_meeting, Visibility.PUBLIC)
        url = f"/api/v2/pages/{oslo_meeting.pk}/"
        for who, expected in (
            (None, {public.pk}),
            ("fylke_b", {public.pk}),
            ("fylke_a", {private.pk, public.pk}),
        ):
            body = _get(client, users.get(who), url).json()
            assert {item["document"]["id"] for item in body["documents"]} == expected, who


class TestDocumentsApi:
    def _listed(self, client, user=None) -> set[str]:
        body = _get(client, user, "/api/v2/documents/").json()
        return {item["title"] for item in body["items"]}

    @pytest.mark.parametrize("who", [None, "fylke_a", "fylke_b", "imdi", "ks"])
    def test_only_the_public_collection_is_listed(self, client, users, oslo_meeting, who):
        from skjema import plan_documents

        get_document_model().objects.create(
            title="Telemark: Integreringsplan (utkast)",
            file=ContentFile(b"%PDF-1.7\n...", name="plan.pdf"),
            collection=plan_documents.collection(),
        )
        _document("Utkast uten side")
        document = _document("For deltakerne")
        MeetingDocument.objects.create(page=oslo_meeting, document=document)
        _publish(oslo_meeting)
        listed = self._listed(client, users.get(who))
        assert "Telemark: Integreringsplan (utkast)" not in listed
        assert "Utkast uten side" not in listed and "For deltakerne" not in listed
        assert any(title.startswith("Sjekkliste for fylkeskommunen") for title in listed)

    def test_a_document_not_in_the_public_collection_has_no_detail(self, client):
        document = _document("Utkast uten side")
        assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404


class TestMunicipalityChecklist:
    def _offered(self, meeting) -> set[str]:
        form_class = MinutesPage.get_edit_handler().get_form_class()
        assert issubclass(form_class, MinutesPageForm)
        form = form_class(instance=MinutesPage(), parent_page=meeting, for_user=None)
        return set(form.fields["municipalities"].queryset.values_list("number", flat=True))

    def test_a_county_meeting_offers_the_county_s_own_municipalities(self, tree):
        telemark = next(m for m in tree["meetings"] if m.county and m.county.number == "40")
        offered = self._offered(telemark)
        assert offered == set(
            Municipality.objects.current()
            .filter(county__number="40")
            .values_list("number", flat=True)
        )
        assert len(offered) == 17 and "4001" in offered and "0301" not in offered

    def test_a_joint_meeting_offers_every_current_municipality(self, tree):
        assert len(self._offered(tree["meetings"][0])) == 357


class TestPlanDocumentsPerCounty:
    """A county's plan document in the county's own private collection (issue 14 §4)."""

    def test_own_collection_not_listed_and_refused_from_every_other_side(
        self, client, users, counties
    ):
        from skjema import plan_documents

        own = plan_documents.collection(counties["40"])
        assert own.get_parent() == plan_documents.collection()
        assert own.name == "40 Telemark"
        assert plan_documents.collection(counties["40"]) == own  # idempotent
        document = get_document_model().objects.create(
            title="Telemark: Integreringsplan (utkast)",
            file=ContentFile(b"%PDF-1.7\n...", name="plan.pdf"),
            collection=own,
            uploaded_by_user=users["fylke_b"],
        )
        assert plan_documents.is_plan_document(document)
        for who in (None, "fylke_a", "fylke_b", "imdi", "ks"):
            body = _get(client, users.get(who), "/api/v2/documents/").json()
            assert document.pk not in [item["id"] for item in body["items"]], who
        assert _get(client, users["fylke_b"], document.url).status_code == 200
        for who in ("fylke_a", "imdi", "ks", "editor", "outsider"):
            assert _get(client, users[who], document.url).status_code == 403, who
        assert _get(client, None, document.url).status_code == 302  # the collection's login
