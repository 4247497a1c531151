"""Browser tests of the foundation: the demo as a newcomer gets it from ``make run``, logged in
as a county officer, an IMDi officer and an editor, each page checked with axe-core."""

import re

import pytest

from portal.demo import demo_round_year

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
GUIDANCE = "/veiledning/informasjon-fra-fylkeskommunene/"
MEETING = f"/moter/{YEAR}-felles-digitalt-mote/"
MUNICIPALITY = "/kommuner/0301/"


def visit(page, path, assert_accessible, *, heading=None, status=200):
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path}: {response and response.status}"
    )
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("h1").count() == 1, f"{path} must have exactly one h1"
    if heading:
        assert re.search(heading, page.locator("h1").inner_text()), page.locator("h1").inner_text()
    assert_accessible(page)


def test_anonymous_visitor(page, assert_accessible):
    visit(page, "/", assert_accessible)
    visit(page, GUIDANCE, assert_accessible, heading="Hvilken informasjon")
    visit(page, "/kommuner/", assert_accessible, heading="Kommuner og fylker")
    visit(page, "/fylker/40/", assert_accessible, heading="Telemark")
    visit(page, MUNICIPALITY, assert_accessible, heading="Oslo")
    visit(page, "/logg-inn/", assert_accessible, heading="Logg inn")


def test_county_officer(page, login, assert_accessible):
    login("fylke-03")
    visit(page, "/", assert_accessible)
    nav = page.get_by_role("navigation", name="Hovedmeny")
    assert nav.get_by_role("link", name=re.compile("Mitt fylke: Oslo")).is_visible()
    assert nav.get_by_role("link", name="Administrasjon").count() == 0
    visit(page, GUIDANCE, assert_accessible)
    visit(page, MEETING, assert_accessible, heading="Felles digitalt møte")
    visit(page, MUNICIPALITY, assert_accessible)
    visit(page, "/kommuner/5612/", assert_accessible, heading="Kautokeino")


def test_imdi_officer(page, login, assert_accessible):
    login("imdi")
    visit(page, "/", assert_accessible)
    nav = page.get_by_role("navigation", name="Hovedmeny")
    assert nav.get_by_role("link", name="Administrasjon").is_visible()
    visit(page, MEETING, assert_accessible)
    visit(page, MUNICIPALITY, assert_accessible)
    visit(page, "/fylker/03/", assert_accessible)


def test_editor_reaches_wagtail_admin(page, login, assert_accessible):
    login("redaktor")
    visit(page, "/", assert_accessible)
    visit(page, GUIDANCE, assert_accessible)
    visit(page, MEETING, assert_accessible)
    visit(page, MUNICIPALITY, assert_accessible)
    visit(page, "/sok/", assert_accessible, heading="Ingen tilgang", status=403)
    with page.expect_navigation():
        page.get_by_role("link", name="Administrasjon").click()
    assert page.url.endswith("/admin/"), page.url
    assert page.get_by_role("link", name=re.compile("Sider|Pages")).count() >= 1


def test_keyboard_skip_link_and_login(page, assert_accessible):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "hovedinnhold"

    # The login form works by keyboard alone.
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").focus()
    page.keyboard.type("fylke-40")
    page.keyboard.press("Tab")
    from tests.e2e.conftest import DEMO_PASSWORD

    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Logg ut").is_visible()


def test_wrong_password_is_announced_and_accessible(page, assert_accessible):
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill("imdi")
    page.get_by_label("Passord").fill("feil")
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").is_visible()
    assert "Innloggingen mislyktes" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
