"""A real OpenID Connect server for the login tests: NAV's mock-oauth2-server, started by
scripts/ci/oidc.sh (Java, from Maven Central), and a portal server whose Ansattporten and Entra
ID logins point at it. Import the fixtures into a test module.

``OIDC_TEST_SERVER`` (e.g. ``http://127.0.0.1:8089``, printed by ``scripts/ci/oidc.sh url``)
names a server already running, as ``.ci/run`` starts one; otherwise the fixture starts its own
on a free port and stops it afterwards. With CI=true a missing Java or server fails the run.

The server's login page asks for a user name and the claims (JSON) to put in the tokens, so a
test decides who logs in: an Ansattporten user with ``authorization_details`` whose reportees
are organisations, or an Entra user with ``groups``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from contextlib import contextmanager, suppress

import pytest

from tests.conftest import IN_CI, require_service

from .conftest import _SERVER, ROOT, _free_port, _wait_until_up

OIDC_SCRIPT = ROOT / "scripts" / "ci" / "oidc.sh"
ALTINN_RESOURCE = "urn:altinn:resource:bosettingsportalen-test"
# Test organisation numbers (nine digits): Telemark fylkeskommune and KS in this test's register.
TELEMARK_ORGANISATION = "940192226"
KS_ORGANISATION = "971032146"
UNKNOWN_ORGANISATION = "974760673"
IMDI_GROUP = "5f1c9a52-7d4b-4a43-9c7e-0d1b7c2e6a11"


def _answers(url: str) -> bool:
    with (
        suppress(OSError, ValueError),
        urllib.request.urlopen(  # noqa: S310
            f"{url}/ansattporten/.well-known/openid-configuration", timeout=5
        ) as response,
    ):
        return "issuer" in json.load(response)
    return False


@pytest.fixture(scope="session")
def oidc_server(tmp_path_factory):
    """Base URL of a running mock-oauth2-server (its issuers: <url>/ansattporten, <url>/entra)."""
    given = os.environ.get("OIDC_TEST_SERVER", "").rstrip("/")
    if given:
        require_service(_answers(given), f"the OIDC test server at {given} (OIDC_TEST_SERVER)")
        yield given
        return
    require_service(shutil.which("java") is not None, "Java (for the OIDC test server)")
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_RUN_DIR": str(tmp_path_factory.mktemp("oidc")),
    }
    started = subprocess.run(
        ["bash", str(OIDC_SCRIPT), "start"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    url = f"http://127.0.0.1:{port}"
    if started.returncode != 0:
        message = f"scripts/ci/oidc.sh start failed:\n{started.stderr[-3000:]}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield url
    finally:
        subprocess.run(["bash", str(OIDC_SCRIPT), "stop"], env=env, capture_output=True)


def oidc_environment(oidc_url: str) -> dict[str, str]:
    """The settings that point the portal's two OpenID Connect logins at the test server."""
    return {
        "ANSATTPORTEN_ISSUER": f"{oidc_url}/ansattporten",
        "ANSATTPORTEN_CLIENT_ID": "bosettingsportalen-test",
        "ANSATTPORTEN_CLIENT_SECRET": "ansattporten-test-secret",
        "ANSATTPORTEN_ALTINN_RESOURCE": ALTINN_RESOURCE,
        "KS_ORGANISATION_NUMBER": KS_ORGANISATION,
        "ENTRA_ISSUER": f"{oidc_url}/entra",
        "ENTRA_CLIENT_ID": "bosettingsportalen-entra-test",
        "ENTRA_CLIENT_SECRET": "entra-test-secret",
        "ENTRA_GROUP_ROLES": f"{IMDI_GROUP}=imdi",
    }


@pytest.fixture(scope="session")
def oidc_portal(oidc_server, portal_server, manage, tmp_path_factory):
    """Base URL of a portal server on the e2e database whose logins go to the OIDC server.
    Telemark's organisation number is set in the register, as an administrator would."""
    manage(
        "shell",
        "-c",
        "from portal.register.models import County; "
        f"County.objects.filter(number='40').update(organisation_number='{TELEMARK_ORGANISATION}')",
    )
    with run_portal(oidc_environment(oidc_server), tmp_path_factory) as base_url:
        yield base_url


@contextmanager
def run_portal(extra_env: dict[str, str], tmp_path_factory):
    """Another portal server on the e2e database (set up by ``portal_server``), with some
    settings of its own; yields its base URL."""
    env = {**_SERVER["env"], **extra_env}
    port = _free_port()
    log = (tmp_path_factory.mktemp("portal") / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def oidc_page(browser, oidc_portal):
    context = browser.new_context(base_url=oidc_portal, locale="nb-NO")
    # The test server's login page links a web font; no page may reach an outside host.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def ansattporten_claims(*organisation_numbers: str, resource: str = ALTINN_RESOURCE) -> dict:
    """Claims as Ansattporten gives them for the portal's Altinn resource."""
    return {
        "pid": "12345678910",
        "name": "Kari Nordmann",
        "authorization_details": [
            {
                "type": "ansattporten:altinn:resource",
                "resource": resource,
                "reportees": [
                    {
                        "Rights": ["read", "write"],
                        "Authority": "iso6523-actorid-upis",
                        "ID": f"0192:{number}",
                        "Name": f"Organisasjon {number}",
                    }
                    for number in organisation_numbers
                ],
            }
        ],
    }


def entra_claims(*groups: str) -> dict:
    return {"name": "Ola IMDi", "email": "ola.imdi@imdi.example", "groups": list(groups)}
