"""Account operations shared by the admin, the demo loader and commands."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import ROLE_GROUPS, Role


@transaction.atomic
def sync_role_groups(user) -> None:
    """Put the user in the group of their role and in no other role group."""
    role_group_names = set(ROLE_GROUPS.values())
    wanted = ROLE_GROUPS.get(Role(user.role)) if user.role else None
    current = set(user.groups.filter(name__in=role_group_names).values_list("name", flat=True))
    stale = current - {wanted}
    if stale:
        user.groups.remove(*Group.objects.filter(name__in=stale))
    if wanted and wanted not in current:
        group, _ = Group.objects.get_or_create(name=wanted)
        user.groups.add(group)


# Admin access per role group; page and snippet permissions are granted by the content app.
_ADMIN_ACCESS_GROUPS = {Role.IMDI_OFFICER, Role.EDITOR, Role.ADMINISTRATOR}


@transaction.atomic
def ensure_role_groups() -> None:
    """Create the role groups and their Wagtail admin access. Idempotent; runs after migrate."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    # Permissions are normally created after all migrations; get_or_create so order never matters.
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    for role, name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if role in _ADMIN_ACCESS_GROUPS:
            group.permissions.add(access_admin)
        else:
            group.permissions.remove(access_admin)
