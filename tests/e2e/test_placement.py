"""Browser test of placement on the demo data: the ranking page of a demo household (top 10
with bars and their text, reasons with sources, the excluded list, the what-if form) passes
axe-core with zero violations; the choice works by keyboard; the household form and the
capacity page are accessible too."""

import pytest

pytestmark = pytest.mark.e2e


def test_ranking_page_is_accessible_and_works(page, login, assert_accessible):
    login("imdi")
    page.goto("/plassering/husholdninger/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="DEMO-01 familie på fem").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Ranger kommuner").click()
    assert page.locator("h1").count() == 1
    assert page.locator(".result").count() == 10
    assert page.locator(".criteria").first.get_by_text("Arbeid").count() >= 1
    assert "%" in page.locator(".criteria td").nth(1).inner_text()
    assert page.locator("h2#utelatt").count() == 1  # the map's tooltips say «Utelatt:» too
    assert_accessible(page)

    page.locator("summary").first.click()  # the excluded list opens without a script
    assert page.locator("details[open] table tbody tr").count() >= 1
    assert_accessible(page)

    page.get_by_label("Spredning (ledig andel)").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Ranger på nytt").click()
    assert "w_balance=1" in page.url
    assert page.get_by_text("Egne vekter").count() >= 1
    assert_accessible(page)

    first = page.locator(".result").first.get_by_role("button")
    first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("er foreslått for DEMO-01").count() == 1


@pytest.mark.parametrize("path", ["/plassering/", "/plassering/husholdninger/ny/"])
def test_placement_pages_are_accessible(page, login, assert_accessible, path):
    login("imdi")
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert_accessible(page)


def test_capacity_page_is_accessible(page, login, assert_accessible):
    login("imdi")
    page.goto("/plassering/")
    with page.expect_navigation():
        page.get_by_role("link", name="Kapasitet og vedtak").first.click()
    assert page.get_by_text("Ledig").count() >= 1 or page.locator("table").count() == 1
    assert_accessible(page)
