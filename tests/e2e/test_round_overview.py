"""IMDi's round overview, the meetings schedule with the demo's ready preparatory document,
and a municipality page with IMDi's statistics, checked with axe-core."""

import re

import pytest

from portal.demo import demo_round_year

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()


def test_round_overview_meetings_and_document(page, login, assert_accessible):
    login("imdi")
    page.goto(f"/skjema/{YEAR}/oversikt/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Møter og saksforberedende dokumenter").first.click()
    assert "Møter og saksforberedende dokumenter" in page.locator("h1").inner_text()
    assert_accessible(page)
    ready = page.get_by_role("link", name=re.compile(r"^Åpne dokumentet for"))
    assert ready.count() >= 1, "the demo has one preparatory document ready"
    with page.expect_navigation():
        ready.first.click()
    assert "Saksforberedende dokument" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_municipality_page_with_statistics(page, login, assert_accessible):
    login("imdi")
    response = page.goto("/kommuner/3103/")  # Moss: values also recorded under 0104 and 3002
    assert response.status == 200
    assert page.locator("svg[role=img]").count() >= 1
    table = page.get_by_role("table", name=re.compile("Moss"))
    assert table.count() >= 1
    assert_accessible(page)
    page.goto("/kommuner/0301/")
    assert page.get_by_role("heading", name="Kommuneprofil").is_visible()
    assert_accessible(page)
