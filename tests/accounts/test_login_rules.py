"""Login from the refused side: rate limits, LOCAL_LOGIN, claims that give no access, and the
admin's second factor."""

import pytest
from django.urls import reverse

from portal.accounts import oidc
from portal.accounts.models import Role

pytestmark = pytest.mark.django_db
RESOURCE = "urn:altinn:resource:bosettingsportalen"


def _details(*numbers, resource=RESOURCE):
    return {
        "authorization_details": [
            {
                "type": oidc.ALTINN_RESOURCE_TYPE,
                "resource": resource,
                "reportees": [{"ID": f"0192:{n}", "Name": "x"} for n in numbers],
            }
        ]
    }


def test_thirty_wrong_passwords_are_not_followed_by_a_login(client, users):
    for _ in range(30):
        client.post(reverse("login"), {"username": "fylke-a", "password": "feil"})
    response = client.post(reverse("login"), {"username": "fylke-a", "password": "pw"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_local_login_off_refuses_county_and_imdi_officers(client, users, settings):
    settings.LOCAL_LOGIN = False
    for username in ("fylke-a", "imdi-test", "ks-test"):
        response = client.post(reverse("login"), {"username": username, "password": "pw"})
        assert response.status_code == 200, username
        assert "_auth_user_id" not in client.session
    response = client.post(reverse("login"), {"username": "redaktor-test", "password": "pw"})
    assert response.status_code == 302


def test_unknown_organisation_gets_no_access(counties, settings):
    counties["03"].organisation_number = "958935420"
    counties["03"].save()
    assert isinstance(oidc.ansattporten_access(_details("999999999")), oidc.NoAccess)
    # another Altinn resource lends no rights
    other = _details("958935420", resource="urn:altinn:resource:annet")
    assert isinstance(oidc.ansattporten_access(other), oidc.NoAccess)
    access = oidc.ansattporten_access(_details("958935420"))
    assert access == oidc.Access(role=Role.COUNTY_OFFICER, county=counties["03"])


def test_ks_and_entra_groups(settings):
    settings.KS_ORGANISATION_NUMBER = "971032146"
    assert oidc.ansattporten_access(_details("971032146")).role == Role.KS_READER
    settings.ENTRA_GROUP_ROLES = {"g-imdi": Role.IMDI_OFFICER}
    assert oidc.entra_access({"groups": ["g-imdi"]}).role == Role.IMDI_OFFICER
    assert isinstance(oidc.entra_access({"groups": ["g-annen"]}), oidc.NoAccess)


def test_admin_asks_a_second_factor_after_a_password_login(client, users, settings):
    settings.ADMIN_MFA_REQUIRED = True
    client.post(reverse("login"), {"username": "redaktor-test", "password": "pw"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))
    assert client.get("/django-admin/").status_code == 302
