"""The submission workflow in a real browser, on the demo data as ``make run`` serves it:
a county officer fills in Skien's profile (an empty draft in the demo) and submits it after the
deadline with a reason; IMDi returns it with a comment; the county corrects and resubmits; IMDi
sees the diff and accepts. axe-core checks the dashboard, the forms and the review page."""

import re

import pytest

from portal.demo import demo_round_year

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
PROFILE = f"/skjema/{YEAR}/kommuner/4003/"


def _click(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def test_draft_submit_return_resubmit_accept(browser, portal_server, assert_accessible):
    def new_page(username):
        from tests.e2e.conftest import DEMO_PASSWORD

        context = browser.new_context(base_url=portal_server, locale="nb-NO")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/logg-inn/")
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill(DEMO_PASSWORD)
        _click(page, "button", "Logg inn")
        return page

    county = new_page("fylke-40")
    county.goto(f"/skjema/{YEAR}/")
    assert re.search("Telemark", county.locator("h1").inner_text())
    assert county.get_by_role("link", name=re.compile("Skien")).count() >= 1
    assert_accessible(county)

    # Submitting the empty draft fails with an accessible error summary; nothing changes.
    county.goto(PROFILE)
    assert_accessible(county)
    county.get_by_label(re.compile("Hvorfor sendes skjemaet inn etter fristen")).fill(
        "Kommunestyret behandlet saken sent."
    )
    _click(county, "button", "Send inn til IMDi")
    summary = county.get_by_role("alert")
    assert summary.is_visible()
    assert "Ønsker å bosette" in summary.inner_text()
    assert_accessible(county)

    # Fill in section 5 by keyboard-friendly labels, then submit late with a reason.
    county.goto(PROFILE + "capacity/")
    assert_accessible(county)
    county.get_by_label("Ønsker å bosette", exact=True).select_option(label="Ja")
    county.get_by_label("Antall kommunen kan bosette", exact=True).fill("12")
    county.get_by_label("Tar imot enslige mindreårige", exact=True).select_option(label="Nei")
    _click(county, "button", "Lagre")
    county.goto(PROFILE)
    county.get_by_label(re.compile("Hvorfor sendes skjemaet inn etter fristen")).fill(
        "Kommunestyret behandlet saken sent."
    )
    _click(county, "button", "Send inn til IMDi")
    assert "kvittering" in county.url
    assert "12" in county.content()
    assert_accessible(county)

    # IMDi finds it through the county list and returns it with a field comment.
    imdi = new_page("imdi")
    imdi.goto(f"/skjema/{YEAR}/oversikt/")
    assert_accessible(imdi)
    imdi.goto(f"/skjema/{YEAR}/oversikt/fylke/40/")
    _click(imdi, "link", re.compile(r"Skien \(4003\)"))
    assert_accessible(imdi)
    imdi.get_by_label("Begrunnelse", exact=True).first.fill("Kapasiteten virker lav.")
    imdi.get_by_label("Kommentar til hele del 5").fill("Bekreft antallet med kommunen.")
    _click(imdi, "button", "Returner til fylket")
    assert "Returnert" in imdi.content()

    # The county sees the comment, corrects and resubmits.
    county.goto(PROFILE)
    assert "Bekreft antallet med kommunen." in county.content()
    county.goto(PROFILE + "capacity/")
    county.get_by_label("Antall kommunen kan bosette", exact=True).fill("20")
    _click(county, "button", "Lagre")
    county.goto(PROFILE)
    # Sent in again before IMDi's correction deadline: not late, so no late reason is asked.
    assert county.get_by_label(re.compile("Hvorfor sendes skjemaet inn etter fristen")).count() == 0
    _click(county, "button", "Send inn til IMDi")
    assert "kvittering" in county.url

    # IMDi sees what changed since the return, and accepts.
    imdi.reload()
    content = imdi.content()
    assert "12" in content and "20" in content
    assert_accessible(imdi)
    _click(imdi, "button", re.compile("Godkjenn versjon 2"))
    assert "Godkjent" in imdi.content()

    county.goto(f"/skjema/{YEAR}/")
    row = county.get_by_role("row", name=re.compile("Skien"))
    assert "Godkjent" in row.inner_text()
