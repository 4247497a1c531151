"""Demo users: one named user per role and one county officer per county (``load_demo``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from portal.register.models import County

from .models import Role, User


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    county: str = ""


def _ensure_user(username: str, password: str, role: str, county=None, **extra) -> User:
    # Reserved .example domain (RFC 2606): e-mails show on the console, never reach anyone.
    extra.setdefault("email", f"{username}@bosetting.example")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "county": county, **extra},
    )
    changed = created
    for field, value in {"role": role, "county": county, **extra}.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    if created or not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return user


@transaction.atomic
def create_demo_users(password: str) -> list[DemoLogin]:
    logins = [
        DemoLogin("admin", str(Role.ADMINISTRATOR.label)),
        DemoLogin("imdi", str(Role.IMDI_OFFICER.label)),
        DemoLogin("redaktor", str(Role.EDITOR.label)),
        DemoLogin("redaktor2", str(Role.EDITOR.label)),
        DemoLogin("ks", str(Role.KS_READER.label)),
    ]
    _ensure_user(
        "admin",
        password,
        Role.ADMINISTRATOR,
        is_superuser=True,
        is_staff=True,
        first_name="Ada",
        last_name="Administrator",
    )
    _ensure_user("imdi", password, Role.IMDI_OFFICER, first_name="Ingrid", last_name="IMDi")
    _ensure_user("redaktor", password, Role.EDITOR, first_name="Rune", last_name="Redaktør")
    _ensure_user("redaktor2", password, Role.EDITOR, first_name="Randi", last_name="Redaktør")
    _ensure_user("ks", password, Role.KS_READER, first_name="Kari", last_name="KS")
    for county in County.objects.current().order_by("number"):
        username = f"fylke-{county.number}"
        _ensure_user(username, password, Role.COUNTY_OFFICER, county=county, last_name=county.name)
        logins.append(DemoLogin(username, str(Role.COUNTY_OFFICER.label), county.name))
    return logins
