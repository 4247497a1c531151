"""Demo data for ``make run``: named users for every role and the demo content.

Everything here is idempotent (a second run creates nothing new) and fictitious, except the
statistics: IMDi's real published figures (``portal.register.demo``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.register.models import County


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    county: str = ""


def demo_round_year(today: datetime.date | None = None) -> int:
    """The settlement year the counties are working towards: the process runs the year before."""
    today = today or timezone.localdate()
    return today.year + 1


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


def load_demo(password: str) -> dict:
    from portal.content.demo import build_demo_content
    from portal.register.demo import load_demo_statistics
    from skjema.demo import build_demo_skjema
    from skjema.meetings import build_demo_meetings

    logins = create_demo_users(password)
    round_year = demo_round_year()
    statistics = load_demo_statistics()  # IMDi's real figures, not fictitious
    content = build_demo_content(round_year)
    skjema = build_demo_skjema(round_year)
    meetings = build_demo_meetings(round_year)
    return {
        "logins": logins,
        "round_year": round_year,
        "statistics": statistics,
        "content": content,
        "skjema": skjema,
        "meetings": meetings,
    }
