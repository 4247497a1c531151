"""Browser tests of the search results map and the placement ranking map: each region a
focusable link with its name and value, reached by keyboard from the skip link; each region's
value and colour the same as its table row; axe-core zero violations; readable at 320 px."""

import pytest

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

SEARCH = "/sok/?q=&sort=name"


def regions_and_rows(page, figure: str):
    """By municipality number: each region's (aria-label, fill, tag) and each table row's
    (name, value, swatch fill)."""
    return page.evaluate(
        """(figure) => {
          const root = document.querySelector(figure);
          const regions = {}, rows = {};
          root.querySelectorAll(".geo-map__region").forEach(a => {
            const path = a.querySelector("path");
            regions[a.dataset.number] = [a.getAttribute("aria-label") || "",
                                         path ? path.getAttribute("fill") : "", a.tagName];
          });
          root.querySelectorAll("table[data-geo-map-table] tbody tr").forEach(tr => {
            const th = tr.querySelector("th");
            rows[tr.dataset.number] = [th.querySelector("a") ? th.querySelector("a").innerText
                                                             : th.innerText,
                                       th.nextElementSibling.innerText.trim(),
                                       tr.querySelector("rect").getAttribute("fill")];
          });
          return [regions, rows];
        }""",
        figure,
    )


def check_map(page, figure: str) -> dict:
    regions, rows = regions_and_rows(page, figure)
    assert rows, "the map's table has rows"
    for number, (name, value, swatch) in rows.items():
        assert number in regions, number
        label, fill, tag = regions[number]
        assert tag.lower() == "a", (number, tag)  # a link, so it is focusable
        assert label.startswith(name), (label, name)
        assert value in label, (label, value)
        assert fill == swatch, (number, fill, swatch)
    return rows


def tab_through(page, figure: str, rows: dict, presses: int = 3) -> list[str]:
    """From the skip link, Tab reaches the regions, each announcing its name and value."""
    skip = page.locator(f"{figure} .geo-map__skip")
    skip.focus()
    assert skip.is_visible()
    reached = []
    for _ in range(6):  # past the map's zoom controls (JavaScript), to the first region
        if page.evaluate("!!document.activeElement.closest('.geo-map__region')"):
            break
        page.keyboard.press("Tab")
    for index in range(presses):
        if index:
            page.keyboard.press("Tab")
        number = page.evaluate("document.activeElement.dataset.number || ''")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        assert number in rows, number
        assert label.startswith(rows[number][0]) and rows[number][1] in label
        reached.append(number)
    assert len(set(reached)) == presses
    return reached


def test_search_results_map(page, login, assert_accessible):
    login("imdi")
    page.goto(SEARCH)
    figure = "#kart-sok"
    assert page.locator(figure).count() == 1
    assert page.locator(figure).get_by_text("Kartgrunnlag: Kartverket (CC BY 4.0)").count() == 1
    assert_accessible(page)
    rows = check_map(page, figure)
    reached = tab_through(page, figure, rows)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert reached[-1] in page.url


def test_search_results_map_follows_the_filters(page, login):
    login("imdi")
    page.goto(SEARCH)
    everything = check_map(page, "#kart-sok")
    first = sorted(everything)[0]
    page.goto(f"{SEARCH}&near={first}")
    nearby = check_map(page, "#kart-sok")
    assert first in nearby and set(nearby) <= set(everything)


def open_ranking(page, login):
    login("imdi")
    page.goto("/plassering/husholdninger/")
    with page.expect_navigation():
        page.get_by_role("link", name="DEMO-01 familie på fem").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Ranger kommuner").click()


def test_ranking_map(page, login, assert_accessible):
    open_ranking(page, login)
    figure = "#kart-rangering"
    assert page.locator(figure).count() == 1
    assert_accessible(page)
    rows = check_map(page, figure)
    tab_through(page, figure, rows)


@pytest.mark.parametrize("which", ["search", "ranking"])
def test_maps_readable_at_320_px(browser, portal_server, assert_accessible, which):
    context = browser.new_context(
        base_url=portal_server, locale="nb-NO", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    try:
        page.goto("/logg-inn/")
        page.get_by_label("Brukernavn").fill("imdi")
        page.get_by_label("Passord").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Logg inn").click()
        if which == "search":
            page.goto(SEARCH)
            figure = "#kart-sok"
        else:
            page.goto("/plassering/husholdninger/")
            with page.expect_navigation():
                page.get_by_role("link", name="DEMO-01 familie på fem").click()
            with page.expect_navigation():
                page.get_by_role("link", name="Ranger kommuner").click()
            figure = "#kart-rangering"
        box = page.locator(f"{figure} .geo-map__svg").bounding_box()
        assert box and 200 <= box["width"] <= 320
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
    finally:
        context.close()
