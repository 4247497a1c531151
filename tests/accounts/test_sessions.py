"""Session limits on the server: 30 minutes idle, 8 hours absolute, whatever the browser does;
the time-left answer does not count as activity, «Forbli innlogget» does."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
PAGE = "/skjema/varsler/"


@pytest.fixture
def logged_in(client, users):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        response = client.post(reverse("login"), {"username": "fylke-a", "password": "pw"})
        assert response.status_code == 302
        assert client.get(PAGE).status_code == 200
        yield clock


def logged_out(client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def test_settings():
    from django.conf import settings

    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 8 * 3600
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_idle_for_thirty_minutes_logs_out(client, logged_in):
    logged_in.shift(timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200  # activity: the idle time starts again
    logged_in.shift(timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200
    logged_in.shift(timedelta(minutes=30, seconds=1))
    assert logged_out(client)
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("login"))
    assert "Du ble logget ut fordi du ikke hadde vært aktiv" in page.content.decode()


def test_eight_hours_absolute_even_when_active(client, logged_in):
    for _ in range(16):  # active every 29 minutes: 7 h 44 min
        logged_in.shift(timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200
    logged_in.shift(timedelta(minutes=17))  # 8 h 1 min after login
    assert logged_out(client)
    page = client.get(reverse("login"))
    assert "økten varte lenger enn tillatt" in page.content.decode()


def test_status_is_no_activity_but_extend_is(client, logged_in):
    logged_in.shift(timedelta(minutes=20))
    status = client.get(reverse("session-status")).json()
    assert status["logged_in"] and 590 <= status["idle"] <= 600
    assert status["absolute"] == 8 * 3600 - 20 * 60
    logged_in.shift(timedelta(minutes=9))
    assert client.get(reverse("session-status")).json()["idle"] == 60  # asking did not extend
    extended = client.post(reverse("session-extend")).json()
    assert extended["idle"] == 30 * 60
    logged_in.shift(timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200


def test_extend_needs_post_and_csrf(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["fylke_a"])
    assert client.get(reverse("session-extend")).status_code == 405
    assert client.post(reverse("session-extend")).status_code == 403


def test_status_when_logged_out(client):
    assert client.get(reverse("session-status")).json() == {
        "logged_in": False,
        "idle": 0,
        "absolute": 0,
    }


def test_pages_carry_the_time_left_for_the_warning(client, logged_in):
    html = client.get(PAGE).content.decode()
    assert 'id="session-expiry"' in html and 'data-idle="1800"' in html
    assert "Forbli innlogget" in html and "js/session.js" in html
