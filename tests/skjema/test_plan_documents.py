"""Who may download a county's plan document (Wagtail serves documents by URL): the county's
own officers always; IMDi, KS and the other counties once a submitted version includes it;
nobody else — tested from the side of each user who must be refused."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from portal.register.models import Municipality
from skjema import plan_documents, services
from skjema.models import CountySubmission

pytestmark = pytest.mark.django_db

SUBMITTED_READERS = ["fylke_b", "fylke_a", "imdi", "ks", "admin"]


@pytest.fixture
def telemark(opened, counties):
    return CountySubmission.objects.get(round=opened, county=counties["40"])


def _upload(user, name="plan.pdf"):
    return get_document_model().objects.create(
        title="Telemark: Integreringsplan",
        file=ContentFile(b"%PDF-1.7\n...", name=name),
        uploaded_by_user=user,
        collection=plan_documents.collection(),
    )


def _attach(submission, document, user):
    ids = services.latest_edit_ids(submission)
    services.save_section(
        submission,
        "plans",
        {
            "plan_title": "Integreringsplan",
            "plan_summary": "Kvalifisering av innvandrere i Telemark.",
            "plan_period": "2026–2029",
            "plan_url": "",
            "plan_document": document.pk if document else None,
        },
        user,
        base_edit_id=ids["plans"],
    )


def _submit(submission, user):
    ids = services.latest_edit_ids(submission)
    rows = [
        {"municipality": m.number, "number": 10, "justification": "Kapasitet."}
        for m in Municipality.objects.current().filter(county=submission.county)
    ]
    services.save_section(
        submission, "recommendations", rows, user, base_edit_id=ids["recommendations"]
    )
    services.submit(submission, user)


def _status(client, user, document) -> int:
    client.force_login(user)
    return client.get(document.url).status_code


def test_a_draft_plan_is_the_county_s_own(client, users, telemark):
    document = _upload(users["fylke_b"])
    _attach(telemark, document, users["fylke_b"])
    assert _status(client, users["fylke_b"], document) == 200
    for who in ("fylke_a", "imdi", "ks", "admin", "editor", "outsider"):
        client.force_login(users[who])
        response = client.get(document.url)
        assert response.status_code == 403, who
        assert "utkast fra et annet fylke" in response.content.decode()


def test_a_submitted_plan_is_for_everyone_who_reads_submitted_content(client, users, telemark):
    document = _upload(users["fylke_b"])
    _attach(telemark, document, users["fylke_b"])
    _submit(telemark, users["fylke_b"])
    for who in SUBMITTED_READERS:
        assert _status(client, users[who], document) == 200, who
    for who in ("editor", "outsider"):
        assert _status(client, users[who], document) == 403, who
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_a_replaced_plan_stays_readable_as_it_was_submitted(client, users, telemark):
    old = _upload(users["fylke_b"], "gammel.pdf")
    _attach(telemark, old, users["fylke_b"])
    _submit(telemark, users["fylke_b"])
    services.return_submission(telemark, users["imdi"], reason="Legg ved den nye planen.")
    new = _upload(users["fylke_b"], "ny.pdf")
    _attach(telemark, new, users["fylke_b"])
    # The submitted version still has the old file; the new one is a draft until resubmitted.
    assert _status(client, users["fylke_a"], old) == 200
    assert _status(client, users["fylke_a"], new) == 403
    assert _status(client, users["fylke_b"], new) == 200


def test_an_unattached_upload_is_the_uploader_s_county_draft(client, users):
    document = _upload(users["fylke_b"])
    assert _status(client, users["fylke_b"], document) == 200
    for who in ("fylke_a", "imdi", "ks", "admin"):
        assert _status(client, users[who], document) == 403, who


def test_a_file_no_county_claims_is_for_administrators(client, users):
    document = _upload(users["imdi"])
    assert _status(client, users["admin"], document) == 200
    for who in ("fylke_b", "imdi", "ks"):
        assert _status(client, users[who], document) == 403, who


def test_other_documents_are_not_touched(client, users):
    """An editor's document outside the plan collection is served as Wagtail decides."""
    document = get_document_model().objects.create(
        title="Veileder", file=ContentFile(b"%PDF-1.7\n", name="veileder.pdf")
    )
    assert _status(client, users["editor"], document) == 200
    client.logout()
    assert client.get(document.url).status_code == 200


@pytest.fixture
def editorial(db):
    """The editorial set-up a home page gets (``portal.content.workflows``)."""
    from wagtail.models import Page

    from portal.content.workflows import grant_editorial_permissions

    grant_editorial_permissions(Page.get_first_root_node())


def test_editors_neither_list_nor_change_plan_documents(client, users, telemark, editorial):
    document = _upload(users["fylke_b"])
    _attach(telemark, document, users["fylke_b"])
    client.force_login(users["editor"])
    listing = client.get("/admin/documents/")
    assert listing.status_code == 200
    assert "Integreringsplan" not in listing.content.decode()
    edit = client.get(f"/admin/documents/edit/{document.pk}/")
    assert edit.status_code in {302, 403}
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": "Overskrevet", "collection": document.collection_id},
    )
    assert response.status_code in {302, 403}
    document.refresh_from_db()
    assert document.title == "Telemark: Integreringsplan"
    assert client.get(f"/admin/documents/delete/{document.pk}/").status_code in {302, 403}


def test_editors_upload_to_and_choose_from_the_editorial_collection(client, users, editorial):
    from portal.content.workflows import editorial_collection

    client.force_login(users["editor"])
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Veileder for fylkene",
            "file": ContentFile(b"%PDF-1.7\n", name="veileder.pdf"),
            "collection": editorial_collection().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get(title="Veileder for fylkene")
    assert document.collection == editorial_collection()
    chooser = client.get("/admin/documents/chooser/")
    assert chooser.status_code == 200
    assert "Veileder for fylkene" in chooser.content.decode()
