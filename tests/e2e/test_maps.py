"""Browser tests of the municipality maps: keyboard through the regions, the same values and
colours in the map and its table, hover and zoom (JavaScript), 320 px wide, axe-core."""

import re

import pytest

pytestmark = pytest.mark.e2e

COUNTY = "/fylker/46/"


def regions_and_rows(page, figure: str):
    """Each region's (label, fill) and each table row's (value text, swatch fill), by number."""
    return page.evaluate(
        """(figure) => {
          const root = document.querySelector(figure);
          const regions = {}, rows = {};
          root.querySelectorAll("a.geo-map__region").forEach(a => {
            regions[a.dataset.number] = [a.getAttribute("aria-label"),
                                         a.querySelector("path").getAttribute("fill")];
          });
          root.querySelectorAll("table[data-geo-map-table] tbody tr").forEach(tr => {
            const cells = tr.querySelectorAll("td");
            rows[tr.dataset.number] = [tr.querySelector("th").innerText,
              cells[cells.length - 3].innerText.trim(),
              tr.querySelector("rect").getAttribute("fill")];
          });
          return [regions, rows];
        }""",
        figure,
    )


def test_county_map_keyboard_table_and_axe(page, assert_accessible):
    page.goto(COUNTY)
    assert page.get_by_text("Kartgrunnlag: Kartverket (CC BY 4.0)").first.is_visible()
    assert_accessible(page)

    regions, rows = regions_and_rows(page, "#kart-fylke-46")
    assert len(regions) == 43 and set(regions) == set(rows)
    for number, (label, fill) in regions.items():
        name, value, swatch = rows[number]
        assert fill == swatch, number
        assert label.startswith(name.split(" ")[0]), (label, name)
        assert value in label

    # Keyboard: the skip link, then every region in table order, each announcing its name.
    skip = page.locator("#kart-fylke-46 .geo-map__skip")
    skip.focus()
    assert skip.is_visible()
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.dataset.number || ''"))
    assert order == sorted(rows)[:3]
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert page.locator("#kart-fylke-46 [data-geo-map-info]").inner_text() == label
    active_row = page.locator(f"#kart-fylke-46 tr[data-number='{order[-1]}']")
    assert "is-active" in (active_row.get_attribute("class") or "")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/kommuner/{order[-1]}/$"))


def test_hover_shows_the_region(page):
    page.goto(COUNTY)
    page.locator("#kart-fylke-46 a.geo-map__region[data-number='4601']").hover()
    assert page.locator("#kart-fylke-46 [data-geo-map-info]").inner_text().startswith("Bergen")


def test_readable_at_320_px(browser, portal_server, assert_accessible):
    context = browser.new_context(
        base_url=portal_server, locale="nb-NO", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    try:
        page.goto(COUNTY)
        box = page.locator("#kart-fylke-46 .geo-map__svg").bounding_box()
        assert box and 200 <= box["width"] <= 320
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(page)
    finally:
        context.close()


def test_exports_download(page, portal_server):
    response = page.request.get(portal_server + "/kart/fylke/46.svg")
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    png = page.request.get(portal_server + "/kart/fylke/46.png")
    assert png.ok and png.body()[:4] == b"\x89PNG"


def test_round_overview_map_zooms_to_a_county(page, login, assert_accessible):
    from portal.demo import demo_round_year

    login("imdi")
    page.goto(f"/skjema/{demo_round_year()}/oversikt/")
    figure = page.locator("#kart-runde-status")
    svg = figure.locator(".geo-map__svg")
    full = svg.get_attribute("viewBox")
    regions, rows = regions_and_rows(page, "#kart-runde-status")
    assert len(regions) == 357
    for number, (label, fill) in regions.items():
        name, value, swatch = rows[number]
        assert fill == swatch and value in label, number
    page.get_by_label("Vis fylke").select_option(label="Vestland")
    assert svg.get_attribute("viewBox") != full
    page.get_by_label("Vis fylke").select_option(label="Hele landet")
    assert svg.get_attribute("viewBox") == full
    assert figure.locator(".geo-map__table--counties tbody tr").count() == 15
    assert_accessible(page)


def test_municipality_page_locator(page, login, assert_accessible):
    login("imdi")
    page.goto("/kommuner/4601/")
    figure = page.locator("#kart-kommune-4601")
    askoy = figure.locator("a.geo-map__region[data-number='4627']")
    assert askoy.get_attribute("aria-label").startswith("Askøy: nabokommune")
    assert figure.get_by_text("Kartgrunnlag: Kartverket (CC BY 4.0)").is_visible()
    assert_accessible(page)
