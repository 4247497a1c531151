"""The session warning and kept form input in a real browser, on a portal whose idle limit is
one minute (the warning comes 55 seconds before): «Forbli innlogget» in a live region extends
the session; what a county officer typed survives a logout in another tab and a login again,
and a login in another tab (a new CSRF token) does not make the form fail."""

import re

import pytest
from playwright.sync_api import expect

from portal.demo import demo_round_year
from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.oidc import run_portal

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
FORM = f"/skjema/{YEAR}/kommuner/4003/capacity/"
FIELD = "Antall kommunen kan bosette"


@pytest.fixture(scope="session")
def short_session_portal(portal_server, tmp_path_factory):
    env = {"SESSION_IDLE_MINUTES": "1", "SESSION_WARNING_SECONDS": "55"}
    with run_portal(env, tmp_path_factory) as base_url:
        yield base_url


@pytest.fixture
def context(browser, short_session_portal):
    context = browser.new_context(base_url=short_session_portal, locale="nb-NO")
    yield context
    context.close()


def login(page, username="fylke-40"):
    """Log in on the login page (where a refused request has sent the tab, keeping «next»)."""
    if "/logg-inn/" not in page.url:
        page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()


def logout(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()


def test_warning_before_idle_expiry_and_stay_logged_in(context, assert_accessible):
    page = context.new_page()
    page.set_default_timeout(20_000)
    login(page)
    page.goto(f"/skjema/{YEAR}/")
    status = page.locator("#session-expiry [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    button = page.get_by_role("button", name="Forbli innlogget")
    assert not button.is_visible()
    # 60 s idle limit, warned 55 s before: the warning comes after about 5 s.
    expect(status).to_contain_text("snart", timeout=20_000)
    assert "Du blir snart logget ut" in status.inner_text()
    assert button.is_visible()
    assert_accessible(page)
    with page.expect_response(re.compile(r"/konto/okt/forleng/$")) as answer:
        button.click()
    assert answer.value.status == 200 and answer.value.json()["idle"] >= 59
    assert status.inner_text() == "Du er fortsatt logget inn."
    assert not button.is_visible()
    assert page.request.get("/konto/okt/").json()["logged_in"] is True


def test_typed_input_survives_a_logout_and_login_again(context):
    form_tab = context.new_page()
    form_tab.set_default_timeout(20_000)
    login(form_tab)
    form_tab.goto(FORM)
    form_tab.get_by_label(FIELD, exact=True).fill("37")

    other_tab = context.new_page()
    other_tab.goto(f"/skjema/{YEAR}/")
    logout(other_tab)  # the session ends while the form is open

    with form_tab.expect_navigation():
        form_tab.get_by_role("button", name="Lagre").click()
    assert "/logg-inn/" in form_tab.url  # the save went nowhere: nothing was stored
    login(form_tab)
    assert FORM in form_tab.url
    assert form_tab.get_by_label(FIELD, exact=True).input_value() == "37"
    assert "fylt inn igjen" in form_tab.locator(".form-keeper__message").inner_text()


def test_login_in_another_tab_does_not_make_the_form_fail(context):
    form_tab = context.new_page()
    form_tab.set_default_timeout(20_000)
    login(form_tab)
    form_tab.goto(FORM)
    form_tab.get_by_label(FIELD, exact=True).fill("41")

    other_tab = context.new_page()
    other_tab.goto(f"/skjema/{YEAR}/")
    logout(other_tab)
    login(other_tab)  # a new session and a new CSRF token; the form tab still has the old

    with form_tab.expect_navigation():
        form_tab.get_by_role("button", name="Lagre").click()
    assert "Skjemaet ble ikke sendt" not in form_tab.content()
    form_tab.goto(FORM)
    assert form_tab.get_by_label(FIELD, exact=True).input_value() == "41"  # saved
