"""API tokens: hashed at rest, named, expiring, printed once by the command, never shown by the
admin, and the old plain-text DRF tokens carried over by a migration."""

import hashlib
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import ApiToken
from portal.accounts.tokens import digest, issue_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/counties/"


def get(token, url=URL):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get(url)


def create(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_command_prints_the_token_once_and_stores_only_its_digest(users):
    token, note = create("--user", "imdi-test", "--name", "Statistikk", "--days", "30")
    assert token.startswith("bp_") and len(token) > 40
    assert "Statistikk" in note and "vises bare nå" in note
    row = ApiToken.objects.get(name="Statistikk")
    assert row.user == users["imdi"]
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.prefix, row.digest, row.name}
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert token not in stored
    assert timedelta(days=29) < row.expires - timezone.now() <= timedelta(days=30)
    assert get(token).status_code == 200
    assert ApiToken.objects.get(pk=row.pk).last_used is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "ingen", "--name", "X"], "Fant ingen bruker"),
        (["--user", "utenforstaende", "--name", "X"], "ingen rolle"),
        (["--user", "imdi-test", "--name", "  "], "Gi nøkkelen et navn"),
        (["--user", "imdi-test", "--name", "X", "--days", "0"], "mellom 1 og 365"),
        (["--user", "imdi-test", "--name", "X", "--days", "9999"], "mellom 1 og 365"),
    ],
)
def test_command_refuses_bad_input_and_makes_nothing(users, args, message):
    with pytest.raises(CommandError, match=message):
        create(*args)
    assert not ApiToken.objects.exists()


def test_one_live_token_per_name(users):
    create("--user", "imdi-test", "--name", "Statistikk")
    with pytest.raises(CommandError, match="allerede en nøkkel som heter"):
        create("--user", "imdi-test", "--name", "Statistikk")
    ApiToken.objects.update(revoked=timezone.now())
    create("--user", "imdi-test", "--name", "Statistikk")  # the revoked one is no obstacle
    assert ApiToken.objects.count() == 2


def test_expired_revoked_wrong_and_inactive_tokens_are_refused(users):
    row, token = issue_token(users["imdi"], name="Eksport", days=1)
    assert get(token).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = get(token)
    assert response.status_code == 401
    assert response.json()["detail"] == "Ugyldig, utløpt eller tilbaketrukket nøkkel."
    assert response["WWW-Authenticate"].startswith("Token")

    assert get(token[:-1] + ("A" if token[-1] != "A" else "B")).status_code == 401
    assert get(row.digest).status_code == 401  # the stored digest is no key

    users["imdi"].is_active = False
    users["imdi"].save()
    assert get(token).status_code == 401
    users["imdi"].is_active = True
    users["imdi"].save()
    ApiToken.objects.filter(pk=row.pk).update(revoked=timezone.now())
    assert get(token).status_code == 401


def test_bearer_keyword_works_too(users):
    _, token = issue_token(users["ks"], name="KS", days=5)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(URL).status_code == 200


def test_admin_lists_tokens_without_showing_them_and_cannot_add(client, users):
    row, token = issue_token(users["imdi"], name="Statistikk", days=10)
    client.force_login(users["admin"])
    listing = client.get("/django-admin/accounts/apitoken/")
    assert listing.status_code == 200
    change = client.get(f"/django-admin/accounts/apitoken/{row.pk}/change/")
    assert change.status_code == 200
    for response in (listing, change):
        html = response.content.decode()
        assert "Statistikk" in html
        assert token not in html and row.digest not in html
    assert client.get("/django-admin/accounts/apitoken/add/").status_code == 403
    # The old DRF token admin is gone with its app: no page shows plain-text tokens.
    assert client.get("/django-admin/authtoken/tokenproxy/").status_code == 404


def test_admin_revokes(client, users):
    row, token = issue_token(users["imdi"], name="Statistikk", days=10)
    client.force_login(users["admin"])
    response = client.post(
        "/django-admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert get(token).status_code == 401


def test_migration_hashes_old_drf_tokens_which_keep_working_until_expiry(users, settings):
    """The data migration 0004 on a database that still has rest_framework.authtoken's
    plain-text table: each key becomes a hashed token with the same value, the rows go."""
    migration = __import__(
        "portal.accounts.migrations.0004_move_authtoken_tokens", fromlist=["move_tokens"]
    )
    old_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created timestamp)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [old_key, users["imdi"].pk, timezone.now()],
        )
    settings.API_TOKEN_MIGRATED_DAYS = 30
    # The migration reads only schema_editor.connection (a real editor cannot open inside the
    # test's transaction on SQLite).
    migration.move_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    row = ApiToken.objects.get()
    assert row.migrated and row.user == users["imdi"] and row.digest == digest(old_key)
    assert get(old_key).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert get(old_key).status_code == 401
