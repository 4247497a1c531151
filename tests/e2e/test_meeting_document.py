"""IMDi's preparatory document in a real browser, for 15 Møre og Romsdal (no other browser
test uses it): made and approved from the county meeting's page, the county's data changes
(IMDi accepts one of its submissions), the document page warns and «Lag på nytt» makes a new
version that must be approved again, and once sent the meeting page tells the county when.
Then «Mine oppgaver» for the county's officer and for IMDi: counts and links, axe-clean."""

import re

import pytest

from portal.demo import demo_round_year
from tests.e2e.conftest import signed_in

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
COUNTY = "15"


def click(page, locator):
    with page.expect_navigation():
        locator.click()


def facts(page) -> str:
    return page.locator("dl.facts").inner_text()


def test_approve_change_regenerate_and_send(browser, portal_server, manage, assert_accessible):
    imdi_context, imdi = signed_in(browser, portal_server, "imdi")
    imdi.goto(f"/skjema/{YEAR}/oversikt/moter/")
    meeting_link = imdi.locator(f'a[href*="samarbeidsmote-{COUNTY}"]').first
    click(imdi, meeting_link)
    meeting_url = imdi.url
    assert "Ikke laget ennå." in facts(imdi), facts(imdi)
    assert_accessible(imdi)

    click(imdi, imdi.get_by_role("link", name="Gå til dokumentet"))
    document_url = imdi.url
    click(imdi, imdi.get_by_role("button", name="Lag dokumentet"))
    assert "Dokumentet er laget (versjon 1)." in imdi.content()
    click(imdi, imdi.get_by_role("button", name="Godkjenn versjon 1 for utsending"))
    assert "Versjon 1 er godkjent." in imdi.content()
    imdi.goto(meeting_url)
    assert "Godkjent, ikke sendt ennå." in facts(imdi)

    # The county's data changes: IMDi accepts one of its waiting submissions.
    imdi.goto(f"/skjema/{YEAR}/gjennomgang/?fylke={COUNTY}")
    rows = imdi.locator("table.review-queue tbody tr")
    assert rows.count() >= 1, imdi.content()[:3000]
    click(imdi, rows.first.locator("th a"))
    click(imdi, imdi.get_by_role("button", name=re.compile(r"^Godkjenn versjon \d+$")))

    # The document page warns and offers «Lag på nytt»; a background job makes version 2.
    imdi.goto(document_url)
    warning = imdi.locator("#endret-etter")
    assert warning.is_visible(), imdi.content()[:3000]
    assert_accessible(imdi)
    click(imdi, warning.get_by_role("button", name="Lag på nytt"))
    assert "Dokumentet lages på nytt i bakgrunnen" in imdi.content()
    manage("run_jobs", "--batch")
    imdi.goto(document_url)
    assert imdi.locator("#endret-etter").count() == 0
    assert "Ikke godkjent ennå" in imdi.content()
    imdi.goto(meeting_url)
    assert "Laget, venter på godkjenning fra IMDi." in facts(imdi)

    imdi.goto(document_url)
    click(imdi, imdi.get_by_role("button", name="Godkjenn versjon 2 for utsending"))
    click(imdi, imdi.get_by_role("button", name="Send versjon 2 nå"))
    assert "Versjon 2 er sendt." in imdi.content()
    imdi.goto(meeting_url)
    assert "Sendt til deltakerne" in facts(imdi) and "(versjon 2)" in facts(imdi)
    imdi_context.close()

    # The county's officer reads on the meeting page when it was sent, and opens it.
    county_context, county = signed_in(browser, portal_server, f"fylke-{COUNTY}")
    county.goto(meeting_url)
    shown = facts(county)
    assert re.search(r"Sendt til deltakerne \d+\. \w+ \d{4} kl\. \d\d\.\d\d \(versjon 2\)\.", shown)
    assert "godkjenning" not in shown
    assert_accessible(county)
    click(county, county.get_by_role("link", name="Les dokumentet"))
    assert county.url == document_url
    county_context.close()


def test_mine_oppgaver_for_a_county_and_for_imdi(browser, portal_server, assert_accessible):
    county_context, county = signed_in(browser, portal_server, f"fylke-{COUNTY}")
    county.goto("/skjema/oppgaver/")
    assert county.locator("h1").inner_text() == "Mine oppgaver"
    status = county.locator("section", has=county.locator("#tasks-status"))
    assert "Møre og Romsdal" in status.inner_text()
    counts = [
        int(item.locator("strong").inner_text())
        for item in status.locator("ul.tasks-counts li").all()
    ]
    assert len(counts) >= 4 and sum(counts) > 0, status.inner_text()
    total = status.get_by_role("link", name=re.compile(r"^Se alle \d+ innsending"))
    assert f"Se alle {sum(counts)} innsendinger i runden" == total.inner_text()
    assert total.get_attribute("href") == f"/skjema/{YEAR}/"
    for link in county.locator("li.tasks-returned a, li.tasks-draft a").all():
        assert re.match(rf"^/skjema/{YEAR}/", link.get_attribute("href"))
    assert_accessible(county)
    click(county, total)
    assert county.url.endswith(f"/skjema/{YEAR}/")
    county_context.close()

    imdi_context, imdi = signed_in(browser, portal_server, "imdi")
    imdi.goto("/skjema/oppgaver/")
    queue = imdi.locator("section", has=imdi.locator("#tasks-queue"))
    waiting = re.search(r"(\d+) innsendinger? venter på gjennomgang", queue.inner_text())
    assert waiting and int(waiting.group(1)) > 0, queue.inner_text()
    assert imdi.locator("li.tasks-queue a").count() >= 1
    assert imdi.get_by_role("link", name="Hele køen").get_attribute("href") == (
        f"/skjema/{YEAR}/gjennomgang/"
    )
    assert imdi.locator("#tasks-overdue").is_visible()
    assert imdi.locator("#tasks-changes").is_visible()
    assert_accessible(imdi)
    click(imdi, imdi.get_by_role("link", name="Neste til gjennomgang"))
    assert re.search(rf"/skjema/{YEAR}/gjennomgang/\d+/", imdi.url), imdi.url
    imdi_context.close()
