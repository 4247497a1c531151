"""The demo page tree, built once per test module inside a transaction that is rolled back.

Each test still runs in its own savepoint (the ``db`` fixture), so what a test changes is gone
before the next one starts."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from portal.content.demo import build_demo_content

# A round whose meetings lie ahead (next calendar year), so "upcoming meetings" has content.
ROUND_YEAR = timezone.now().year + 2


def _ensure_register():
    """The real register is loaded once per session (tests/conftest.py); live-server tests
    flush it, so load it again when it is missing."""
    from django.core.management import call_command

    from portal.register.models import Municipality

    if not Municipality.objects.filter(number="0301").exists():
        call_command("load_register", verbosity=0)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content for ROUND_YEAR: home, guidance, a meeting per county, minutes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # Wagtail caches site root paths; a rolled-back tree must not leak through it.
            cache.clear()
            _ensure_register()
            yield build_demo_content(ROUND_YEAR)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def tree(demo, db):
    """The demo pages, fetched fresh for each test (the module's objects may carry caches)."""
    from wagtail.models import Page

    def fresh(page):
        return Page.objects.get(pk=page.pk).specific

    return {
        "home": fresh(demo["home_page"]),
        "guidance_index": fresh(demo["guidance_index"]),
        "guidance": fresh(demo["guidance_page"]),
        "meeting_index": fresh(demo["meeting_index"]),
        "meetings": [fresh(m) for m in demo["meetings"]],
        "minutes": fresh(demo["minutes"]),
    }
