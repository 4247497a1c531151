"""The return-and-answer cycle in a real browser, on the demo's current round (its deadline
has passed): IMDi takes the oldest submission from Telemark in the review queue and returns it
with a correction deadline and a comment; Telemark's officer sees the deadline, answers the
comment and sends the corrected form in before that deadline without being asked for a late
reason; IMDi sees the answer beside its comment and goes on with «Neste til gjennomgang».
axe-core finds no violations on any page visited."""

import datetime
import re

import pytest

from portal.demo import demo_round_year
from tests.e2e.conftest import signed_in

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()
COMMENT = "Hvor mange boliger er klare til bruk?"
ANSWER = "Tolv boliger er klare; fire til er under oppussing og klare i mars."


def test_return_answer_resubmit_and_next(browser, portal_server, assert_accessible):
    imdi_context, imdi = signed_in(browser, portal_server, "imdi")

    # The review queue, Telemark only, oldest first.
    imdi.goto(f"/skjema/{YEAR}/gjennomgang/")
    assert imdi.locator("h1").inner_text().startswith("Til gjennomgang")
    assert_accessible(imdi)
    imdi.get_by_label("Fylke", exact=True).select_option("40")
    with imdi.expect_navigation():
        imdi.get_by_role("button", name="Vis").click()
    rows = imdi.locator("table.review-queue tbody tr")
    assert rows.count() >= 2, imdi.content()[:3000]
    first = rows.first.locator("th a")
    title = first.inner_text()
    assert "Telemark" in rows.first.inner_text()
    with imdi.expect_navigation():
        first.click()
    review_url = imdi.url.split("?")[0]
    assert re.search(rf"/skjema/{YEAR}/gjennomgang/\d+/$", review_url), review_url
    assert_accessible(imdi)

    # Return it with a correction deadline of ten days and a comment on the capacity section.
    deadline = datetime.date.today() + datetime.timedelta(days=10)
    assert (
        imdi.get_by_label("Frist for retting").input_value()
        == (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    )
    imdi.get_by_label("Frist for retting").fill(deadline.isoformat())
    imdi.get_by_label("Begrunnelse", exact=True).fill("Kapasiteten må begrunnes.")
    imdi.get_by_label("Kommentar til hele del 5").fill(COMMENT)
    with imdi.expect_navigation():
        imdi.get_by_role("button", name="Returner til fylket").click()
    assert "Innsendingen er returnert til fylket for retting." in imdi.content()
    form_url = imdi.get_by_role("link", name="Skjemasiden").get_attribute("href")

    # Telemark's officer: the deadline, the comment, the answer, the resubmission.
    county_context, county = signed_in(browser, portal_server, "fylke-40")
    county.goto(form_url)
    day = f"{deadline.day}.{deadline.month}.{deadline.year}"
    assert f"Frist for retting: {day}." in county.content()
    assert county.locator("#frist-for-retting").is_visible()
    toc = county.get_by_role("navigation", name="Innhold")
    assert "1 kommentar fra IMDi" in toc.inner_text()
    assert COMMENT in county.content()
    assert_accessible(county)
    county.get_by_label("Ditt svar til IMDi").fill(ANSWER)
    with county.expect_navigation():
        county.get_by_role("button", name="Lagre svaret").click()
    assert "Svaret ditt er lagret." in county.content()
    assert county.get_by_label("Ditt svar til IMDi").input_value() == ANSWER
    assert "1 kommentar fra IMDi" in county.get_by_role("navigation", name="Innhold").inner_text()
    assert_accessible(county)
    # Before the correction deadline no late reason is asked, though the round's has passed.
    assert county.get_by_label("Hvorfor sendes skjemaet inn etter fristen?").count() == 0
    with county.expect_navigation():
        county.get_by_role("button", name="Send inn til IMDi").click()
    assert "Skjemaet er sendt inn" in county.content(), county.content()[:3000]
    assert county.locator(".status--late").count() == 0  # the receipt: «Etter fristen: Nei»
    assert_accessible(county)
    county_context.close()

    # IMDi sees the answer beside its comment, then goes on to the next in the queue.
    imdi.goto(review_url + "?fylke=40")
    content = imdi.locator(".version-section").filter(has_text=COMMENT)
    assert "Svar fra fylket" in content.inner_text() and ANSWER in content.inner_text()
    assert "Sendt inn på nytt" in imdi.content()
    assert_accessible(imdi)
    with imdi.expect_navigation():
        imdi.get_by_role("link", name="Neste til gjennomgang").click()
    assert imdi.url.split("?")[0] != review_url
    assert re.search(rf"/skjema/{YEAR}/gjennomgang/\d+/", imdi.url), imdi.url
    assert title not in imdi.locator("h1").inner_text()
    assert_accessible(imdi)
    imdi_context.close()
