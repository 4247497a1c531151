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
