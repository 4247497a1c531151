"""Logging in as the users really do, through a real OpenID Connect server (NAV's
mock-oauth2-server): a county officer with Ansattporten (the county comes from the
authorization_details reportees), an IMDi officer with Entra ID (the role comes from the
group), and a person whose organisation is no county and has no role (refused, no account)."""

import json
import re

import pytest

from portal.demo import demo_round_year
from tests.e2e.oidc import (
    IMDI_GROUP,
    TELEMARK_ORGANISATION,
    UNKNOWN_ORGANISATION,
    ansattporten_claims,
    entra_claims,
)

pytestmark = pytest.mark.e2e

YEAR = demo_round_year()


def _oidc_login(page, button: str, subject: str, claims: dict) -> str:
    """Start the login with the portal's button, sign in at the OIDC server with these claims;
    returns the server's login page text (it lists the authorization request)."""
    page.goto("/logg-inn/")
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    page.wait_for_selector("text=Mock OAuth2 Server Sign-in")
    request_text = page.inner_text("body")
    page.fill("input[name=username]", subject)
    page.fill("textarea[name=claims]", json.dumps(claims))
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.wait_for_load_state()
    return request_text


def _user(manage, username: str) -> dict | None:
    out = manage(
        "shell",
        "-c",
        "import json; from portal.accounts.models import User; "
        f"u = User.objects.filter(username={username!r}).first(); "
        "print(json.dumps(u and {'role': u.role, 'county': u.county and u.county.number, "
        "'staff': u.is_staff, 'usable': u.has_usable_password()}))",
    )
    return json.loads(out.strip().splitlines()[-1])


def test_county_officer_logs_in_with_ansattporten(oidc_page, manage, assert_accessible):
    page = oidc_page
    request = _oidc_login(
        page,
        "Ansattporten – for fylkeskommuner og KS",
        "kari-telemark",
        ansattporten_claims(TELEMARK_ORGANISATION),
    )
    # The authorization request the portal sent: PKCE with S256 and the Altinn resource.
    assert re.search(r"code_challenge_method\s*=\s*S256", request), request
    assert re.search(r"code_challenge\s*=\s*\S{43}", request), request
    assert "ansattporten:altinn:resource" in request and "bosettingsportalen-test" in request

    assert page.get_by_role("button", name="Logg ut").is_visible(), page.content()[:2000]
    assert _user(manage, "ansattporten-kari-telemark") == {
        "role": "fylke",
        "county": "40",
        "staff": False,
        "usable": False,
    }
    # The county's rights: Telemark's own dashboard opens, IMDi's overview does not.
    page.goto(f"/skjema/{YEAR}/")
    assert "Telemark" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name=re.compile("Skien")).count() >= 1
    assert_accessible(page)
    response = page.goto(f"/skjema/{YEAR}/oversikt/")
    assert response.status == 403


def test_imdi_officer_logs_in_with_entra(oidc_page, manage):
    page = oidc_page
    _oidc_login(
        page,
        "IMDi-ansatte (Entra ID)",
        "ola-imdi",
        entra_claims("00000000-0000-0000-0000-000000000000", IMDI_GROUP),
    )
    assert page.get_by_role("button", name="Logg ut").is_visible(), page.content()[:2000]
    user = _user(manage, "entra-ola-imdi")
    assert user["role"] == "imdi" and user["county"] is None and not user["staff"]
    response = page.goto(f"/skjema/{YEAR}/oversikt/")
    assert response.status == 200
    assert page.get_by_role("link", name=re.compile("Telemark")).count() >= 1


def test_refused_login_gets_no_access_and_no_account(oidc_page, manage, assert_accessible):
    page = oidc_page
    _oidc_login(
        page,
        "Ansattporten – for fylkeskommuner og KS",
        "per-utenfor",
        ansattporten_claims(UNKNOWN_ORGANISATION),
    )
    assert page.locator("h1").inner_text() == "Ingen tilgang"
    assert "er en fylkeskommune eller KS" in page.inner_text("main")
    assert_accessible(page)
    assert _user(manage, "ansattporten-per-utenfor") is None
    # Not logged in: a county page sends the person to the login page.
    page.goto(f"/skjema/{YEAR}/")
    assert "/logg-inn/" in page.url
    assert page.get_by_role("button", name="Logg ut").count() == 0

    # Telemark's organisation, but for another service's Altinn resource: refused too.
    _oidc_login(
        page,
        "Ansattporten – for fylkeskommuner og KS",
        "per-annen-tjeneste",
        ansattporten_claims(TELEMARK_ORGANISATION, resource="urn:altinn:resource:annen"),
    )
    assert page.locator("h1").inner_text() == "Ingen tilgang"
    assert _user(manage, "ansattporten-per-annen-tjeneste") is None
