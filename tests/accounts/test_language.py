"""The language of pages and e-mails: the user's own choice, else the browser's; the switcher
on every page; the admin sites in bokmål for everyone."""

import pytest

from portal.accounts.models import Language

pytestmark = pytest.mark.django_db


def test_the_default_is_bokmal(client):
    page = client.get("/tilgjengelighet/").content.decode()
    assert '<html lang="nb">' in page
    assert "Hopp til hovedinnhold" in page


def test_the_browser_language_is_the_fallback(client):
    page = client.get("/tilgjengelighet/", HTTP_ACCEPT_LANGUAGE="nn").content.decode()
    assert '<html lang="nn">' in page
    assert "Hopp til hovudinnhaldet" in page
    assert "Hopp til hovedinnhold" not in page


def test_every_page_has_the_switcher_posting_to_set_language(client):
    page = client.get("/kommuner/").content.decode()
    assert 'action="/sprak/"' in page
    assert 'name="language" value="nn"' in page
    assert "<script" not in page.split('action="/sprak/"')[1].split("</form>")[0]


def test_switching_sets_the_cookie_and_the_users_choice(client, users):
    user = users["fylke_a"]
    client.force_login(user)
    response = client.post("/sprak/", {"language": "nn", "next": "/kommuner/"})
    assert response.status_code == 302 and response["Location"] == "/kommuner/"
    user.refresh_from_db()
    assert user.language == Language.NYNORSK
    assert client.cookies["sprak"].value == "nn"


def test_the_users_choice_wins_over_the_browser(client, users):
    user = users["imdi"]
    user.language = Language.NYNORSK
    user.save()
    client.force_login(user)
    page = client.get("/tilgjengelighet/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert '<html lang="nn">' in page


def test_a_get_on_the_switcher_changes_nothing(client, users):
    client.force_login(users["imdi"])
    assert client.get("/sprak/?language=nn").status_code == 405
    users["imdi"].refresh_from_db()
    assert users["imdi"].language == ""


def test_the_admin_sites_stay_bokmal(client, users):
    admin = users["admin"]
    admin.language = Language.NYNORSK
    admin.save()
    client.force_login(admin)
    response = client.get("/django-admin/")
    assert response.status_code == 200
    assert response["Content-Language"] == "nb"
    response = client.get("/admin/")
    assert response.status_code == 200
    assert '<html lang="nb"' in response.content.decode()


def test_the_preferred_language_falls_back_to_the_county_malform(users, counties):
    officer = users["fylke_a"]
    assert officer.preferred_language == "nb"
    county = counties["03"]
    county.malform = "nynorsk"
    county.save()
    officer.refresh_from_db()
    assert officer.preferred_language == "nn"
    officer.language = "nb"
    assert officer.preferred_language == "nb"
    assert users["imdi"].preferred_language == "nb"


def test_the_accessibility_statement_is_linked_from_the_footer(client):
    page = client.get("/kommuner/").content.decode()
    footer = page.split('class="site-footer"')[1]
    assert 'href="/tilgjengelighet/"' in footer
    statement = client.get("/tilgjengelighet/").content.decode()
    assert "uustatus.no" in statement
    assert "Meld fra om et problem" in statement
