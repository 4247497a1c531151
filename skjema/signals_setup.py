"""After migrate: the groups «IMDi» and «Administratorer» may manage rounds and the counties'
shares in the Wagtail admin. Idempotent. Auth permissions are normally created after all
migrations, so they are fetched with get_or_create and handler order never matters."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_migrate

from portal.accounts.models import ROLE_GROUPS, Role

# model -> actions, for each group below. Rounds are never deleted here (submissions protect them).
ROUND_PERMISSIONS = {
    "round": ("add", "change"),
    "countyshare": ("add", "change", "delete"),
}
ROUND_GROUPS = (ROLE_GROUPS[Role.IMDI_OFFICER], ROLE_GROUPS[Role.ADMINISTRATOR])

_NAMES = {"add": "Can add {model}", "change": "Can change {model}", "delete": "Can delete {model}"}


def _permission(model: str, action: str) -> Permission:
    content_type, _ = ContentType.objects.get_or_create(app_label="skjema", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": _NAMES[action].format(model=model)},
    )
    return permission


@transaction.atomic
def ensure_round_permissions() -> None:
    permissions = [
        _permission(model, action)
        for model, actions in ROUND_PERMISSIONS.items()
        for action in actions
    ]
    for name in ROUND_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def _after_migrate(sender, app_config=None, **kwargs):
    if app_config is not None and app_config.label == "skjema":
        ensure_round_permissions()


def connect() -> None:
    post_migrate.connect(_after_migrate, dispatch_uid="skjema.ensure_round_permissions")
