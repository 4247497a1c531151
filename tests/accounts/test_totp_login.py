"""The admin's second factor, all the way: a staff user with allauth's TOTP logs in with a
password, the admin asks for the code, a wrong code is refused, a code computed from the secret
(RFC 6238, computed here, not by allauth) opens the admin, and a recovery code works once."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
REAUTH = reverse("mfa_reauthenticate")


def totp(secret: str, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


@pytest.fixture
def editor_with_totp(users, settings):
    settings.ADMIN_MFA_REQUIRED = True
    editor = users["editor"]
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    codes = RecoveryCodes.activate(editor).get_unused_codes()
    return editor, secret, codes


def password_login(client):
    response = client.post(reverse("login"), {"username": "redaktor-test", "password": "pw"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def asked_for_code(client) -> str:
    for admin in ("/admin/", "/django-admin/"):
        response = client.get(admin)
        assert response.status_code == 302, admin
        assert response.url.startswith(REAUTH), response.url
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    return response.url


def test_code_from_the_secret_opens_the_admin_a_wrong_one_does_not(client, editor_with_totp):
    _, secret, _ = editor_with_totp
    password_login(client)
    url = asked_for_code(client)

    right = totp(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(url, {"code": wrong})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    )
    assert client.get("/admin/").status_code == 302  # still closed

    response = client.post(url, {"code": right})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_code_from_another_secret_is_refused(client, editor_with_totp):
    password_login(client)
    url = asked_for_code(client)
    response = client.post(url, {"code": totp(generate_totp_secret())})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(editor_with_totp):
    _, _, codes = editor_with_totp
    first = Client()
    password_login(first)
    response = first.post(asked_for_code(first), {"code": codes[0]})
    assert response.status_code == 302
    assert first.get("/admin/").status_code == 200

    second = Client()
    password_login(second)
    url = asked_for_code(second)
    assert second.post(url, {"code": codes[0]}).status_code == 200  # used: refused
    assert second.get("/admin/").status_code == 302
    assert second.post(url, {"code": codes[1]}).status_code == 302
    assert second.get("/admin/").status_code == 200


def test_without_the_setting_the_admin_asks_nothing(client, editor_with_totp, settings):
    settings.ADMIN_MFA_REQUIRED = False
    password_login(client)
    assert client.get("/admin/").status_code == 200
