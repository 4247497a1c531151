"""The county workbook in a real browser: Telemark downloads its workbook, changes two
municipalities and gets one wrong, uploads it, sees the wrong one refused and the others ready,
saves them, downloads the refused rows and sends the imported ones in with one action."""

import pytest
from openpyxl import load_workbook

from portal.demo import demo_round_year
from skjema.spreadsheets.columns import GUIDE_SHEET
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
CAPACITY = "Antall kommunen kan bosette"


def _locked_numbers(workbook) -> set[str]:
    """The municipalities the guide sheet names under «Profiler som ikke kan endres nå»."""
    locked, listing = set(), False
    for first, *_rest in workbook[str(GUIDE_SHEET)].iter_rows(values_only=True):
        text = str(first or "")
        if text == "Profiler som ikke kan endres nå":
            listing = True
        elif listing and text[:4].isdigit():
            locked.add(text[:4])
        elif listing:
            break
    return locked


def test_telemark_imports_per_municipality_and_sends_in(
    browser, portal_server, manage, assert_accessible, tmp_path
):
    manage("prepare_demo_county", "40")
    context = browser.new_context(base_url=portal_server, locale="nb-NO", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill("fylke-40")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()

    page.goto(f"/skjema/{YEAR}/regneark/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned arbeidsboken (.xlsx)").click()
    download.value.save_as(tmp_path / "lastet-ned.xlsx")
    workbook = load_workbook(tmp_path / "lastet-ned.xlsx")
    capacity = workbook["Kapasitet"]
    columns = {cell.value: cell.column for cell in capacity[1]}
    # Other browser tests share this database: IMDi may have approved a Telemark profile
    # already. The guide sheet lists those that cannot be changed now; leave them out.
    locked = _locked_numbers(workbook)
    rows = [
        row for row in capacity.iter_rows(min_row=2) if row[0].value and row[0].value not in locked
    ]
    (bad, good, also_good) = rows[:3]
    bad[columns[CAPACITY] - 1].value = "mange"
    good[columns[CAPACITY] - 1].value = 17
    also_good[columns[CAPACITY] - 1].value = 18
    path = tmp_path / "telemark.xlsx"
    workbook.save(path)

    page.get_by_label("Arbeidsbok (.xlsx)").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Last opp og forhåndsvis").click()
    if "/sjekker/" in page.url:  # parsed by the worker: run it once, then the page goes on
        manage("run_jobs", "--batch")
        page.goto(page.url)
    assert "Forhåndsvisning av «telemark.xlsx»" in page.locator("h1").inner_text()
    content = page.content()
    assert "Blir ikke importert (1 kommune)" in content, page.locator("main").inner_text()[:3000]
    assert "«mange» er ikke et helt tall." in content
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Lagre endringene").click()
    assert "Importert (2 kommuner)" in page.content()
    with page.expect_download() as refused:
        page.get_by_role("link", name="Last ned radene som ikke ble importert (.xlsx)").click()
    refused.value.save_as(tmp_path / "avviste.xlsx")
    refused_book = load_workbook(tmp_path / "avviste.xlsx")
    numbers = [r[0].value for r in refused_book["Kapasitet"].iter_rows(min_row=2) if r[0].value]
    assert numbers == [bad[0].value]
    assert_accessible(page)

    page.get_by_label("Bekreft også at delene som er overført fra i fjor").check()
    reason = page.get_by_label("Hvorfor sendes de inn etter fristen?")
    if reason.count():
        reason.fill("Kommunestyrene behandlet sakene etter fristen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send inn de importerte").click()
    summary = page.locator(".bulk-summary").inner_text()
    assert summary.startswith("2 kommuner er sendt inn"), page.content()[:3000]
    assert_accessible(page)
    context.close()
