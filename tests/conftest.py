"""Shared fixtures: named users for every role, and the services CI must provide."""

import os

import pytest

from portal.accounts.models import Role

pytest_plugins = ["tests.fixtures.skjema"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(available: bool, what: str) -> None:
    """Skip locally when a service is missing; in CI a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a test's rolled-back rows must not live on in
    cached lookups (synonyms, register names) that the next test reads."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def counties(register):
    """County A is 03 Oslo, county B is 40 Telemark (from the real register)."""
    from portal.register.models import County

    return {number: County.objects.get(number=number) for number in ("03", "40")}


@pytest.fixture
def make_user(db, django_user_model):
    def _make(username, role="", county=None, **extra):
        user = django_user_model.objects.create_user(
            username=username, password="pw", role=role, county=county, **extra
        )
        return user

    return _make


@pytest.fixture
def users(make_user, counties):
    """One named user per role; county A is 03 Oslo, county B is 40 Telemark."""
    return {
        "fylke_a": make_user("fylke-a", Role.COUNTY_OFFICER, counties["03"]),
        "fylke_b": make_user("fylke-b", Role.COUNTY_OFFICER, counties["40"]),
        "imdi": make_user("imdi-test", Role.IMDI_OFFICER),
        "editor": make_user("redaktor-test", Role.EDITOR),
        "editor2": make_user("redaktor2-test", Role.EDITOR),
        "ks": make_user("ks-test", Role.KS_READER),
        "admin": make_user("admin-test", Role.ADMINISTRATOR, is_superuser=True, is_staff=True),
        "outsider": make_user("utenforstaende"),
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the project's register fixture once; most features stand on the real register."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_register", verbosity=0)


@pytest.fixture
def register(db):
    """The real register. Transactional tests (live server) flush it, so reload when missing."""
    from django.core.management import call_command

    from portal.register.models import Municipality

    if not Municipality.objects.filter(number="0301").exists():
        call_command("load_register", verbosity=0)


@pytest.fixture
def extensions_only_from(monkeypatch):
    """``extensions_only_from("skjema")`` keeps only the extension providers of those apps for
    the rest of the test: a lower app's query bound is its own, and the apps above bound
    theirs in their own tests (placement: tests/plassering/test_panels.py)."""
    from portal import extensions

    def keep(*apps):
        kept = {
            point: [entry for entry in entries if entry[1].split(".")[0] in apps]
            for point, entries in extensions._providers.items()
        }
        monkeypatch.setattr(extensions, "_providers", kept)

    return keep


@pytest.fixture(autouse=True)
def _job_worker_not_left_stopping():
    """A test that stops a worker sets the process-wide stop flag; the next test that runs a
    job must not find it set (it would put its job back instead of running it)."""
    yield
    from portal.jobs import worker

    worker._stopping.clear()
