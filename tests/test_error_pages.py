"""Error pages speak Norwegian and say what happened: a missing page, a refused one (with the
reason the rule gives), and a server error page that needs no database or context."""

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_a_missing_page(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert "Fant ikke siden" in page


def test_a_refused_page_gives_the_reason(client, users):
    client.force_login(users["editor"])
    response = client.get("/sok/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Ingen tilgang" in page
    assert "Søk i kommuneprofiler er for IMDi, KS og fylkeskommunene." in page


def test_the_server_error_page_stands_alone():
    page = render_to_string("500.html")
    assert "Noe gikk galt" in page and "{%" not in page


def test_a_get_on_a_post_only_address_explains_and_links_back(client, users):
    client.force_login(users["imdi"])
    response = client.get(
        "/skjema/2027/gjennomgang/1/godkjenn/",
        HTTP_REFERER="http://testserver/skjema/2027/gjennomgang/1/",
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "Denne adressen tar imot skjema" in page
    assert 'href="http://testserver/skjema/2027/gjennomgang/1/"' in page


def test_without_a_referer_the_405_page_links_to_the_page_above(client, users):
    client.force_login(users["imdi"])
    page = client.get("/skjema/2027/gjennomgang/1/godkjenn/").content.decode()
    assert 'href="/skjema/2027/gjennomgang/1/"' in page


def test_a_foreign_referer_is_not_linked(client):
    page = client.get("/sprak/", HTTP_REFERER="https://example.org/x").content.decode()
    assert "example.org" not in page
    assert "Denne adressen tar imot skjema" in page


def test_the_api_keeps_its_json_405(client, users):
    client.force_login(users["imdi"])
    response = client.post("/api/v1/schema/")
    assert response.status_code == 405
    assert "Denne adressen" not in response.content.decode()


def test_the_csrf_failure_page_is_the_portals_own(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["imdi"])
    response = client.post("/sprak/", {"language": "nn", "next": "/"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Skjemaet ble ikke sendt" in page
    assert "Bosettingsportalen" in page and "CSRF" not in page


def test_the_csrf_failure_page_in_nynorsk(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="nn")
    response = client.post("/sprak/", {"language": "nb", "next": "/"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="nn">' in page
    assert "Skjemaet vart ikkje sendt" in page


def test_the_missing_page_in_nynorsk(client):
    page = client.get("/finnes-ikke/", HTTP_ACCEPT_LANGUAGE="nn").content.decode()
    assert '<html lang="nn">' in page
    assert "Fann ikkje sida" in page


def test_the_bad_request_page_stands_alone():
    from django.utils import translation

    with translation.override("nb"):
        page = render_to_string("400.html")
    assert "Ugyldig forespørsel" in page and "{%" not in page
