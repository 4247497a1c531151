"""Tokens made with rest_framework.authtoken (stored in plain text) become hashed ApiTokens
with the same value, so integrations keep working until API_TOKEN_MIGRATED_DAYS from now;
the plain-text rows are then deleted. README: «API-nøkler» says how to re-issue."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def move_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires = timezone.now() + timedelta(days=settings.API_TOKEN_MIGRATED_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {OLD_TABLE}")  # noqa: S608 - a fixed name
        rows = cursor.fetchall()
    for key, user_id in rows:
        ApiToken.objects.create(
            user_id=user_id,
            name="Overført token",
            prefix=key[:10],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            expires=expires,
            migrated=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OLD_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_apitoken")]

    operations = [migrations.RunPython(move_tokens, migrations.RunPython.noop)]
