"""Rate limits: the API per address (anonymous) and per user, stricter on the token endpoint
and on wrong tokens; allauth's limit on password resets. A refused request gets 429 with a
Norwegian message (JSON from the API) and changes nothing."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from rest_framework.test import APIClient

from portal.accounts.tokens import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def _set(**rates):
        settings.REST_FRAMEWORK = {
            **django_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "token": "1000/min"}
            | rates,
        }

    return _set


def assert_throttled(response):
    assert response.status_code == 429
    body = response.json()
    assert body["detail"].startswith("For mange forespørsler. Prøv igjen om ")
    assert body["detail"].endswith("sekunder.") or body["detail"].endswith("sekund.")
    assert int(response["Retry-After"]) >= 1


def test_anonymous_callers_are_limited_per_address(rates, register):
    """The schema is the API's one open endpoint (everything else answers 401 before any
    work is done; wrong tokens have their own limit below)."""
    rates(anon="2/min")
    client = APIClient()
    answers = [client.get("/api/v1/schema/?format=json").status_code for _ in range(2)]
    assert answers == [200, 200]
    assert_throttled(client.get("/api/v1/schema/?format=json"))
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other.get("/api/v1/schema/?format=json").status_code == 200


def test_users_are_limited_per_user_not_per_address(rates, users):
    rates(user="2/min")
    county, imdi = APIClient(), APIClient()
    county.force_authenticate(users["fylke_a"])
    imdi.force_authenticate(users["imdi"])
    assert [county.get("/api/v1/counties/").status_code for _ in range(2)] == [200, 200]
    assert_throttled(county.get("/api/v1/counties/"))
    assert imdi.get("/api/v1/counties/").status_code == 200


def test_token_endpoint_is_stricter(rates, users):
    rates(user="100/min", token="2/min")
    _, token = issue_token(users["imdi"], name="Statistikk", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    first = client.get("/api/v1/token/")
    assert first.status_code == 200
    assert first.json()["name"] == "Statistikk" and first.json()["user"] == "imdi-test"
    assert token not in first.content.decode()
    assert client.get("/api/v1/token/").status_code == 200
    assert_throttled(client.get("/api/v1/token/"))
    assert client.get("/api/v1/counties/").status_code == 200  # the rest of the API is not


def test_token_endpoint_refuses_a_session_without_token(users):
    client = APIClient()
    client.force_login(users["imdi"])
    response = client.get("/api/v1/token/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Forespørselen bruker ingen API-nøkkel."


def test_wrong_tokens_are_limited_per_address_even_before_a_right_one(settings, users):
    settings.API_TOKEN_FAILURES_PER_MINUTE = 3
    _, token = issue_token(users["imdi"], name="Statistikk", days=30)
    guesser = APIClient()
    for guess in ("bp_a", "bp_b", "bp_c"):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {guess}")
        assert guesser.get("/api/v1/counties/").status_code == 401
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert_throttled(guesser.get("/api/v1/counties/"))
    honest = APIClient(REMOTE_ADDR="10.0.0.7")
    honest.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert honest.get("/api/v1/counties/").status_code == 200


def test_password_reset_is_rate_limited(client, users, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/m/ip"}
    users["imdi"].email = "imdi@bosetting.example"
    users["imdi"].save()
    for _ in range(2):
        response = client.post("/konto/password/reset/", {"email": "imdi@bosetting.example"})
        assert response.status_code == 302
    sent = len(mail.outbox)
    response = client.post("/konto/password/reset/", {"email": "imdi@bosetting.example"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "For mange forsøk" in html
    assert len(mail.outbox) == sent  # nothing more sent
