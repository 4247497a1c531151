"""The county's workload in a real browser: Vestland submits all 43 municipalities of a
prepared round (every draft carried forward from last year, the deadline passed) from the
round list, and the clicks are counted; the list is compact enough for 43 rows at 1280×800."""

import re

import pytest

from portal.demo import demo_round_year
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
MAX_CLICKS = 10


class Clicks:
    """Every click the officer makes, counted."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, locator, *, navigates=True):
        self.count += 1
        if navigates:
            with self.page.expect_navigation():
                locator.click()
        else:
            locator.click()


def test_vestland_submits_all_43_in_at_most_10_clicks(
    browser, portal_server, manage, assert_accessible
):
    print(manage("prepare_demo_county", "46"))
    context = browser.new_context(
        base_url=portal_server, locale="nb-NO", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    clicks = Clicks(page)

    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill("fylke-46")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    clicks.click(page.get_by_role("button", name="Logg inn"))
    clicks.click(page.get_by_role("link", name="Skjema", exact=True))
    assert "Vestland" in page.locator("h1").inner_text()
    assert "Viser 43 av 43 kommuner" in page.content()

    # Compact: the whole table (header and 43 rows) fits in the 800 px tall window.
    table = page.locator("table.dashboard-table--compact")
    assert table.locator("tbody tr").count() == 43
    box = table.bounding_box()
    assert box["height"] <= 800, box
    assert_accessible(page)

    not_done = page.locator("tbody input[name=valgt]:not([disabled])").count()
    assert not_done > 30  # the prepared drafts and the returned ones

    clicks.click(page.get_by_label("Velg alle viste"), navigates=False)
    assert page.locator("tbody input[name=valgt]:checked").count() == not_done
    clicks.click(page.get_by_role("button", name="Bekreft uendrede deler"))
    assert f"{not_done} kommuner er bekreftet" in page.content()
    assert_accessible(page)

    reason = page.get_by_label("Hvorfor sendes de valgte inn etter fristen?")
    clicks.click(reason, navigates=False)
    reason.type("Kommunestyrene i fylket behandlet sakene etter fristen.")
    clicks.click(page.get_by_role("button", name="Send inn de valgte"))
    summary = page.locator(".bulk-summary").inner_text()
    assert summary.startswith(f"{not_done} kommuner er sendt inn"), summary
    assert "Ikke sendt inn" not in page.content()
    assert page.get_by_role("link", name=re.compile("^kvittering")).count() == not_done
    assert_accessible(page)
    print(f"Vestland: {not_done} sent in {clicks.count} clicks (from the login button)")
    assert clicks.count <= MAX_CLICKS

    # All 43 are in: none is left to do.
    page.goto(f"/skjema/{YEAR}/?status=ikke-ferdig")
    assert "Viser 0 av 43 kommuner" in page.content()
    context.close()
