"""Browser test of the search page on the demo data: axe-core finds nothing, the form works by
keyboard alone, filters narrow the result, bad input is summarised, suggestions come as a
native list."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_search_page_is_accessible_and_works_by_keyboard(page, login, assert_accessible):
    login("imdi")
    for path in ["/sok/", "/sok/?q=helse", "/sok/?q=helse&county=46&sort=capacity", "/sok/?page=2"]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("h1").count() == 1
        assert_accessible(page)

    page.goto("/sok/")
    page.get_by_label("Fritekst").focus()
    page.keyboard.type("helsefagarbeider")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=helsefagarbeider" in page.url
    assert re.search(r"\d+ kommuneprofil", page.locator(".sok__count").inner_text())
    assert page.locator(".sok-hit mark").count() >= 1

    first_county = page.locator("#filter-county input[type=checkbox]").first
    first_county.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Bruk filtrene").click()
    assert "county=" in page.url
    assert page.locator("#filter-county input[type=checkbox]").first.is_checked()
    assert_accessible(page)


def test_bad_input_is_summarised(page, login, assert_accessible):
    login("ks")
    page.goto("/sok/?capacity_min=-5&page=abc")
    summary = page.get_by_role("alert")
    assert "Kapasitet må være et helt tall" in summary.inner_text()
    assert_accessible(page)


def test_municipality_suggestions(page, login):
    login("fylke-40")
    page.goto("/sok/")
    page.get_by_label("Fritekst").fill("tromso")
    # a locator wait, not wait_for_function: the page's CSP forbids evaluating a string
    page.locator("#sok-kommuneforslag option").first.wait_for(state="attached", timeout=5000)
    values = page.locator("#sok-kommuneforslag option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert values[0] == "Tromsø"


def test_roles_without_search_are_refused(page, login):
    login("redaktor")
    response = page.goto("/sok/")
    assert response is not None and response.status == 403


def test_keyboard_reaches_the_hits_quickly_and_sort_applies_on_change(page, login):
    login("imdi")
    page.goto("/sok/?q=helse")
    # «Gå til treff» is among the first links after the page's own navigation.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Gå til treff":
            break
    else:
        pytest.fail("«Gå til treff» was not reached in 30 Tab presses")
    page.keyboard.press("Enter")
    assert page.url.endswith("#treff")
    with page.expect_navigation():
        page.select_option("#id_sort", "name")
    assert "sort=name" in page.url


def test_chips_remove_one_filter_each_and_the_page_fits_a_phone(page, login, assert_accessible):
    login("imdi")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/sok/?q=helse&takes_minors=yes&capacity_min=5")
    chips = page.locator(".sok-chip")
    assert chips.count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    with page.expect_navigation():
        page.locator(".sok-chip", has_text="Tar imot enslige mindreårige").click()
    assert "takes_minors" not in page.url and "q=helse" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_no_profile_with_every_word_shows_partial_matches_apart(page, login, assert_accessible):
    login("imdi")
    page.goto("/sok/?q=helsefagarbeider+ordsomingenharbrukt")
    assert page.get_by_role("heading", name="Treff på noen av ordene").count() == 1
    assert "Har ordene" in page.locator(".sok-hit").first.inner_text()
    assert_accessible(page)
