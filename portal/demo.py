"""Demo data for ``make run`` (``manage.py load_demo``): the composition root calls each app's
demo loader. Everything is idempotent (a second run creates nothing new) and fictitious, except
the statistics: IMDi's real published figures (``portal.register.demo``)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def demo_round_year(today: datetime.date | None = None) -> int:
    """The settlement year the counties are working towards: the process runs the year before."""
    today = today or timezone.localdate()
    return today.year + 1


def load_demo(password: str) -> dict:
    """Each app's demo loader, in dependency order: users, pages, forms, meetings."""
    from plassering.demo import load as load_placement_demo
    from portal.accounts.demo import create_demo_users
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
    placement = load_placement_demo(round_year)
    return {
        "placement": placement,
        "logins": logins,
        "round_year": round_year,
        "statistics": statistics,
        "content": content,
        "skjema": skjema,
        "meetings": meetings,
    }
