"""End-to-end harness: a real portal server, set up exactly as ``make run`` does, driven by
headless Chromium (Debian's /usr/bin/chromium through Playwright) and checked with axe-core.

The server runs in its own process on its own database (a temporary SQLite file, or a
``<name>_e2e`` PostgreSQL database when DATABASE_URL points at PostgreSQL), so the browser
sees the demo data a newcomer sees and the rest of the suite is untouched."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DEMO_PASSWORD = "demo-e2e-passord"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.e2e

# The running server's environment, for tests that prepare data with a management command.
_SERVER: dict = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _e2e_database_url(tmp_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_dir / 'e2e.sqlite3'}"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_e2e"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the portal server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # it answers; health itself is tested elsewhere
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the portal server did not answer in time")


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory):
    """Base URL of a running portal with the register and demo data loaded."""
    tmp_dir = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DEBUG": "true",
        "DATABASE_URL": _e2e_database_url(tmp_dir),
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "MEDIA_ROOT": str(tmp_dir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SOK_INDEX_PREFIX": "bosetting-e2e",
    }
    log = (tmp_dir / "setup.log").open("w")
    commands = [["migrate", "--no-input"], ["load_register"], ["load_demo"]]
    # The real history of municipality codes and IMDi's statistics, as an administrator would
    # import them, so the municipality page shows its chart and table.
    grouping = SHARED_DATA / "register" / "ssb-kommunegruppering-1994-2024.xlsx"
    statistics = SHARED_DATA / "imdi" / "bosatt_anmodede.csv"
    require_service(grouping.exists() and statistics.exists(), f"reference data in {SHARED_DATA}")
    commands += [["import_register", str(grouping)], ["import_statistics", str(statistics)]]
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=600,
        )
    port = _free_port()
    server_log = (tmp_dir / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    _SERVER["env"] = env
    try:
        _wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def manage(portal_server):
    """Run a management command against the server's database; returns its output."""

    def _run(*args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=_SERVER["env"],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return result.stdout

    return _run


@pytest.fixture(scope="session")
def browser():
    require_service(Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is not None, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, portal_server):
    context = browser.new_context(base_url=portal_server, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def signed_in(browser, portal_server, username):
    """A browser context of its own, signed in as ``username``: (context, page). For tests
    with more than one person at once; the caller closes the context."""
    context = browser.new_context(base_url=portal_server, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("button", name="Logg ut").is_visible()
    return context, page


@pytest.fixture
def login(page):
    def _login(username: str) -> None:
        page.goto("/logg-inn/")
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Logg inn").click()
        assert page.get_by_role("button", name="Logg ut").is_visible(), page.content()[:2000]

    return _login


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules and best practices) and require zero violations."""

    def _check(page) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, (
            f"axe-core found violations on {page.url}:\n{results.generate_report()}"
        )

    return _check


# The OpenID Connect test server and a portal logging in through it (tests/e2e/oidc.py).
from tests.e2e.oidc import oidc_page, oidc_portal, oidc_server  # noqa: E402, F401, I001
