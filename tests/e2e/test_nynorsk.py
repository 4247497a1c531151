"""The portal in nynorsk, in a real browser: a county officer who has chosen nynorsk does the
county round (dashboard, edit and save a section, confirm the carried-forward parts, submit,
receipt), and an IMDi officer who has chosen nynorsk follows the round, reviews and accepts
the submission, and searches (the tests run in this order: the review finds the submission). No page they see shows a bokmål string of the portal's own
catalogue, an English default of Django/DRF/allauth, or a bokmål word in the page's labels,
headings and buttons (bokmal_detector.py). The browser asks for bokmål (Accept-Language
nb-NO): the user's own choice wins.

Finnmark (56) is used: no other browser test changes it. Porsanger's draft has last year's
content carried forward, its capacity edited and one part confirmed (the demo)."""

from __future__ import annotations

import re

import pytest

from portal.demo import demo_round_year
from tests.e2e.bokmal_detector import PAGE_TEXT, bokmal_on, english_on
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
COUNTY = "56"
MUNICIPALITY = "5622"  # Porsanger
PROFILE = f"/skjema/{YEAR}/kommuner/{MUNICIPALITY}/"

# Words only bokmål uses, looked for in the page's own labels, headings, buttons and table
# headers, where no user data stands (a county's free text may be in either standard).
BOKMAL_WORDS = re.compile(
    r"\b(ikke|hvis|hva|hvordan|hvilke|hvilken|noen|ennå|uten|være|fra|kommunene|fylkene|"
    r"endret|lagret|mangler|innsendingen er sendt)\b",
    re.IGNORECASE,
)
CHROME_TEXT = """() => [...document.querySelectorAll(
  'h1, h2, h3, h4, label, legend, button, caption, th[scope=col], summary, .hint, dt,'
  + ' .error-summary h2, .breadcrumbs li:first-child, .site-nav, .site-footer')]
  .filter(el => !el.querySelector('.facet-count'))  // a facet's values are the counties' text
  .map(el => el.innerText).join('\\n')"""


def assert_nynorsk(page) -> None:
    assert page.locator("html").get_attribute("lang") == "nn", page.url
    text = page.evaluate(PAGE_TEXT)
    problems = []
    if found := bokmal_on(text):
        problems.append(f"bokmål strings of the catalogue: {found}")
    if found := english_on(text):
        problems.append(f"English: {found}")
    if found := sorted(set(BOKMAL_WORDS.findall(page.evaluate(CHROME_TEXT)))):
        problems.append(f"bokmål words in labels and headings: {found}")
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def sign_in_in_nynorsk(browser, portal_server, username):
    context = browser.new_context(base_url=portal_server, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    # The switcher on every page; for a signed-in user the choice is kept on the user.
    with page.expect_navigation():
        page.locator("button[name=language][value=nn]").click()
    assert page.locator("html").get_attribute("lang") == "nn"
    return context, page


def back_to_bokmal(page) -> None:
    """The demo users are shared with the other browser tests, which expect bokmål."""
    page.goto("/")
    with page.expect_navigation():
        page.locator("button[name=language][value=nb]").click()
    assert page.locator("html").get_attribute("lang") == "nb"


def click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_county_round_in_nynorsk(browser, portal_server, assert_accessible):
    context, county = sign_in_in_nynorsk(browser, portal_server, f"fylke-{COUNTY}")
    try:
        county.goto(f"/skjema/{YEAR}/")
        assert "Finnmark" in county.locator("h1").inner_text()
        assert_nynorsk(county)
        assert_accessible(county)

        county.goto(PROFILE)
        assert_nynorsk(county)

        # Edit and save a section.
        county.goto(PROFILE + "capacity/")
        assert_nynorsk(county)
        capacity = county.locator("input[name=capacity-capacity]")
        capacity.fill("17")
        click(county, county.locator("main button[name=save]:not([hidden])"))
        assert county.url.endswith(PROFILE) or "capacity" in county.url, county.url
        assert_nynorsk(county)
        county.goto(PROFILE)
        assert "17" in county.locator("#del-capacity").inner_text()

        # Confirm each part carried forward from last year, then submit (after the deadline).
        while county.locator("form[action*='/bekreft/'] button").count():
            click(county, county.locator("form[action*='/bekreft/'] button").first)
            assert_nynorsk(county)
        county.goto(PROFILE)
        reason = county.locator("textarea[name$=late_reason]")
        if reason.count():
            reason.fill("Kommunestyret handsama saka etter fristen.")
        click(county, county.locator("form[action$='/send-inn/'] button[type=submit]"))
        assert "kvittering" in county.url, county.url
        assert_nynorsk(county)
        assert_accessible(county)
    finally:
        back_to_bokmal(county)
        context.close()


def test_review_and_search_in_nynorsk(browser, portal_server, assert_accessible):
    context, imdi = sign_in_in_nynorsk(browser, portal_server, "imdi")
    try:
        imdi.goto(f"/skjema/{YEAR}/oversikt/")
        assert_nynorsk(imdi)
        imdi.goto(f"/skjema/{YEAR}/oversikt/fylke/{COUNTY}/")
        assert_nynorsk(imdi)
        # Porsanger, submitted by the county in the test above; else another one waiting.
        waiting = imdi.locator("main a[href*='/gjennomgang/']", has_text="Porsanger")
        if not waiting.count():
            waiting = imdi.locator("main a[href*='/gjennomgang/']")
        click(imdi, waiting.first)
        assert_nynorsk(imdi)
        assert_accessible(imdi)
        accept = imdi.locator("form[action$='/godkjenn/'] button[type=submit]")
        if accept.count():
            click(imdi, accept.first)
            assert_nynorsk(imdi)

        imdi.goto("/sok/?q=arbeid")
        assert imdi.locator("main").count() == 1
        assert_nynorsk(imdi)
        assert_accessible(imdi)
    finally:
        back_to_bokmal(imdi)
        context.close()
