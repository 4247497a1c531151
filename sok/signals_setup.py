"""After migrate: the groups «IMDi» and «Administratorer» may edit the synonym list in the
Wagtail admin. Idempotent; permissions are fetched with get_or_create, so it does not matter
whether Django has created them yet."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_migrate

from portal.accounts.models import ROLE_GROUPS, Role

SYNONYM_ACTIONS = ("add", "change", "delete")
SYNONYM_GROUPS = (ROLE_GROUPS[Role.IMDI_OFFICER], ROLE_GROUPS[Role.ADMINISTRATOR])
_NAMES = {"add": "Can add {model}", "change": "Can change {model}", "delete": "Can delete {model}"}


@transaction.atomic
def ensure_synonym_permissions() -> None:
    content_type, _ = ContentType.objects.get_or_create(app_label="sok", model="synonymgroup")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_synonymgroup",
            defaults={"name": _NAMES[action].format(model="synonymer")},
        )[0]
        for action in SYNONYM_ACTIONS
    ]
    for name in SYNONYM_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def _after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "sok":
        ensure_synonym_permissions()


def connect() -> None:
    post_migrate.connect(_after_migrate, dispatch_uid="sok.ensure_synonym_permissions")
