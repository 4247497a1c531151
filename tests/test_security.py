"""Security from the attacker's side: no private file under /media/, documents only as
attachments with a CSP that blocks scripts, uploads of other file types refused, and the
security headers on every page (a CSP with no inline or eval'd script outside the admin)."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from wagtail.documents import get_document_model

from skjema import plan_documents

pytestmark = pytest.mark.django_db


def _script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


@pytest.mark.parametrize("url", ["/", "/logg-inn/", "/finnes-ikke/", "/api/v1/schema/"])
def test_every_page_has_a_strict_script_policy(client, url):
    response = client.get(url)
    script_src = _script_src(response)
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_wagtail_admin_alone_gets_what_it_needs(client, users):
    client.force_login(users["editor"])
    response = client.get("/admin/")
    assert "unsafe-inline" in _script_src(response)


def test_security_headers(client):
    response = client.get("/")
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_refers_to_an_outside_host(client, users, settings):
    client.force_login(users["admin"])
    for url in ("/", "/admin/", "/admin/account/"):
        content = client.get(url).content.decode()
        assert "gravatar" not in content.lower(), url


@pytest.fixture
def debug_urls(settings):
    """The URLs as `make run` builds them (DEBUG on)."""
    import portal.urls

    settings.DEBUG = True
    importlib.reload(portal.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(portal.urls)
    clear_url_caches()


def test_a_draft_plan_is_not_under_media_even_in_development(client, users, debug_urls):
    document = get_document_model().objects.create(
        title="Telemark: utkast",
        file=ContentFile(b"%PDF-1.7\nutkast", name="utkast.pdf"),
        uploaded_by_user=users["fylke_b"],
        collection=plan_documents.collection(),
    )
    path = f"/media/{document.file.name}"
    assert client.get(path).status_code == 404
    client.force_login(users["fylke_a"])
    assert client.get(path).status_code == 404
    assert client.get(document.url).status_code == 403  # the checked view refuses county A


def test_a_document_download_is_an_attachment_that_runs_nothing(client, users):
    document = get_document_model().objects.create(
        title="Telemark: plan",
        file=ContentFile(b"%PDF-1.7\nplan", name="plan.pdf"),
        uploaded_by_user=users["fylke_b"],
        collection=plan_documents.collection(),
    )
    client.force_login(users["fylke_b"])
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def editorial(db):
    from wagtail.models import Page

    from portal.content.workflows import grant_editorial_permissions

    grant_editorial_permissions(Page.get_first_root_node())


def _document_form(user, name, content):
    from wagtail.documents.forms import get_document_form

    Form = get_document_form(get_document_model())
    from portal.content.workflows import editorial_collection

    return Form(
        data={"title": "Fil", "collection": editorial_collection().pk},
        files={"file": _upload(name, content)},
        user=user,
    )


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("side.html", b"<html><script>alert(1)</script></html>"),
        ("bilde.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("forkledd.pdf", b"<html><script>alert(1)</script></html>"),
        ("forkledd.docx", b"%PDF-1.7\n"),
        ("forkledd.txt", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("program.exe", b"MZ\x90\x00"),
    ],
)
def test_editors_cannot_upload_other_file_types(users, editorial, name, content):
    form = _document_form(users["editor"], name, content)
    assert not form.is_valid()
    assert "file" in form.errors


@pytest.mark.parametrize(
    ("name", "content"),
    [("veileder.pdf", b"%PDF-1.7\n1 0 obj"), ("liste.csv", b"kommune;antall\n0301;5\n")],
)
def test_editors_can_upload_the_formats_imdi_uses(users, editorial, name, content):
    form = _document_form(users["editor"], name, content)
    assert form.is_valid(), form.errors


def test_an_office_file_is_checked_inside(users, editorial):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert _document_form(users["editor"], "notat.docx", buffer.getvalue()).is_valid()
    assert not _document_form(users["editor"], "notat.xlsx", buffer.getvalue()).is_valid()


def test_api_links_use_the_public_address(client, settings, users, opened):
    settings.PORTAL_BASE_URL = "https://bosetting.example.no"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "bosetting.example.no"]
    client.force_login(users["imdi"])
    response = client.get("/api/v1/rounds/", HTTP_HOST="intern-vert:8000")
    assert response.status_code == 200
    urls = [item["url"] for item in response.json()["results"]]
    assert urls and all(url.startswith("https://bosetting.example.no/api/v1/") for url in urls)
