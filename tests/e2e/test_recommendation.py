"""The county's recommendation page in a real browser: Telemark's officer types numbers and sees
the sum and the warnings follow (above the stated capacity, a sum that differs from the county's
share, a negative number); saving a negative number is refused with the message and saves
nothing; the sum is reachable by keyboard and spoken (aria-live); the map and its table are on
the page; axe-core finds nothing; nothing scrolls sideways at 320 px."""

import re

import pytest

from portal.demo import demo_round_year

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
URL = f"/skjema/{YEAR}/fylke/40/recommendations/"


def as_int(text: str) -> int:
    return int(re.sub(r"[^\d-]", "", text))


def numbers(page) -> list[str]:
    return page.eval_on_selector_all("input[data-sum]", "inputs => inputs.map(i => i.value)")


def typed_sum(values: list[str]) -> int:
    return sum(int(v) for v in values if re.fullmatch(r"-?\d+", v.strip()))


def test_sum_and_warnings_follow_typing_and_a_negative_is_refused(page, login, assert_accessible):
    login("fylke-40")
    page.goto(URL)
    output = page.locator("[data-sum-output]")
    total = output.locator("[data-sum-total]")
    share = as_int(output.get_attribute("data-share"))
    assert f"{YEAR}" in page.locator(".recommendation-context__share").inner_text()
    # Context: the years are labelled, from IMDi's statistics (the demo imports the real file).
    history = page.locator(".recommendation-history").first.inner_text()
    assert re.search(r"20\d\d:", history), history
    assert as_int(total.inner_text()) == typed_sum(numbers(page))

    # A municipality with a stated capacity: one above it warns, and the sum follows.
    row = page.locator("tr[data-recommendation-row][data-capacity]").first
    capacity = int(row.get_attribute("data-capacity"))
    field = row.locator("input[data-sum]")
    original = field.input_value()
    warning = row.locator("[data-row-warning]")
    field.fill(str(capacity + 1))
    assert warning.is_visible()
    assert "Over kapasiteten kommunen har oppgitt" in warning.inner_text()
    assert as_int(total.inner_text()) == typed_sum(numbers(page))
    field.fill(str(capacity))
    assert warning.is_hidden()

    # The sum against the county's share: a warning while it differs, none when it matches.
    others = typed_sum(numbers(page)) - capacity
    field.fill(str(capacity + 7))
    sum_warning = output.locator("[data-sum-warning]")
    difference = others + capacity + 7 - share
    if difference:
        assert sum_warning.is_visible()
        assert ("over" if difference > 0 else "under") in sum_warning.inner_text()
    needed = share - others
    if 0 <= needed <= 5000:
        field.fill(str(needed))
        assert sum_warning.is_hidden()
        assert as_int(total.inner_text()) == share

    # A negative number warns, is counted in the sum shown, and marks the sum as not savable.
    other = page.locator("tr[data-recommendation-row]:not([data-capacity])").first
    other_field = other.locator("input[data-sum]")
    saved_value = other_field.input_value()
    before = as_int(total.inner_text())
    other_field.fill("-5")
    after = as_int(total.inner_text())
    assert after == before - (int(saved_value) if saved_value else 0) - 5
    assert "negativt" in other.locator("[data-row-warning]").inner_text()
    assert output.locator("[data-sum-invalid]").is_visible()
    assert sum_warning.is_visible()

    # Spoken after a pause in typing (aria-live), and reachable by keyboard.
    announcer = page.locator("[data-sum-announcer]")
    assert announcer.get_attribute("aria-live") == "polite"
    page.wait_for_function(
        "el => el.textContent.includes('Sum anbefalt')", arg=announcer.element_handle()
    )
    assert str(abs(after))[-1] in announcer.inner_text()
    page.get_by_role("link", name="Gå til kartet over anbefalt antall mot kapasitet").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "anbefaling-sum"
    assert output.get_attribute("role") == "region"
    assert_accessible(page)

    # Saving refuses the negative number with the message; nothing is saved.
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).last.click()
    summary = page.locator("[data-error-summary]")
    assert "Tallet kan ikke være negativt" in summary.inner_text()
    assert page.locator(f"#{other_field.get_attribute('id')}").input_value() == "-5"
    assert_accessible(page)
    page.goto(URL)
    assert page.locator(f"#{other_field.get_attribute('id')}").input_value() == saved_value
    assert page.locator(f"#{field.get_attribute('id')}").input_value() == original


def test_map_and_table_on_the_page_by_keyboard(page, login, assert_accessible):
    login("fylke-40")
    page.goto(URL)
    figure = page.locator("figure#kart-anbefaling-40")
    assert figure.is_visible()
    regions = figure.locator("a.geo-map__region")
    rows = figure.locator("table[data-geo-map-table] tbody tr")
    assert regions.count() == rows.count() == page.locator("tr[data-recommendation-row]").count()
    skip = figure.locator(".geo-map__skip")
    skip.focus()
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.dataset.number || ''")
    assert first == rows.first.get_attribute("data-number")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert "anbefal" in label
    assert_accessible(page)


def test_no_sideways_scrolling_at_320_px(browser, portal_server, assert_accessible):
    from tests.e2e.conftest import DEMO_PASSWORD

    context = browser.new_context(
        base_url=portal_server, locale="nb-NO", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill("fylke-40")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    page.goto(URL)
    field = page.locator("input[data-sum]").first
    field.fill("-3")
    assert page.locator("[data-sum-invalid]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator("[data-sum-output]").bounding_box()["width"] <= 320
    assert_accessible(page)
    context.close()
