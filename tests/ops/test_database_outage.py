"""While the database cannot be reached (PostgreSQL restarting), a page answers 503 with a
Norwegian page that says nothing is lost and to try again, not the 500 page; other errors keep
the 500 page."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def unreachable(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    # The first query a signed-in request makes is the session lookup.
    monkeypatch.setattr(SessionStore, "load", unreachable)


def test_a_signed_in_page_answers_503_in_norwegian(users, database_down):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/skjema/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert "Portalen er midlertidig utilgjengelig" in page
    assert "Det du sendte nå, er ikke lagret" in page


def test_a_form_sent_while_the_database_is_down_is_refused_cleanly(users, database_down):
    client = Client(raise_request_exception=False, enforce_csrf_checks=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.post("/skjema/2027/kommuner/0301/capacity/", {"capacity": "5"})
    assert response.status_code == 503
    assert "midlertidig utilgjengelig" in response.content.decode()


def test_another_server_error_keeps_the_500_page(users, monkeypatch):
    def broken(self):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(SessionStore, "load", broken)
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/skjema/")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()
