"""Issue 14: the authorisation matrix. Every URL pattern of the portal (Django's resolver, read as
the accessibility crawl reads it) is filled with real demo objects of one county (county A) and
requested through Django's test client by seven roles: anonymous, the officer of county A, the
officer of another county (B), IMDi, KS, an editor and an administrator.

GET, for every role and every URL: no 5xx; a 200 only for the roles ``ACCESS`` allows, which
restates ``portal.accounts.rules`` per URL family (anonymous: only the public set; placement and
households: IMDi and administrators; county A's objects: never county B). POST, for every URL
and every role ``ACCESS`` refuses: a refusal (login redirect, 401, 403, 404, 405) and an
unchanged database. Each test collects every breach and names URL and role in its report."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.signals import request_finished
from django.db import close_old_connections, connection, models, transaction
from django.test import Client
from django.urls import Resolver404, resolve

from portal.accounts.models import Role, User
from tests.e2e.crawl_support import CONVERTER, Pattern, sample_for, url_patterns

ROLES = ("anonym", "fylke_egen", "fylke_annen", "imdi", "ks", "redaktor", "admin")
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"anonym"}
IMDI = frozenset({"imdi", "admin"})  # rules.is_imdi: IMDi officers and administrators
ADMIN = frozenset({"admin"})  # rules.is_administrator, superusers
OWN_COUNTY = frozenset({"fylke_egen"})  # rules.can_edit_county_data / can_view_county_drafts
COUNTY_OFFICERS = frozenset({"fylke_egen", "fylke_annen"})  # each in their own county
# rules.can_view_submitted, narrowed by Submission.objects.visible_to to the own county
READERS_OF_A = frozenset({"fylke_egen", "imdi", "ks", "admin"})
SUBMITTED_READERS = frozenset({"fylke_egen", "fylke_annen", "imdi", "ks", "admin"})
FOLLOWERS = frozenset({"imdi", "ks", "admin"})  # rules.can_follow_rounds
ADMIN_USERS = frozenset({"imdi", "redaktor", "admin"})  # rules.can_access_admin
TASKS = frozenset({"fylke_egen", "fylke_annen", "imdi", "admin"})  # rules.can_see_task_page
DEMO_PASSWORD = "matrise-demo"


@dataclass(frozen=True)
class Access:
    """The roles that may get a 200 from the URLs whose key (the route; a Wagtail page's path)
    the regex finds (``{county}``: county A's number). Every other role must be refused."""

    regex: str
    allowed: frozenset
    rule: str


# The last match wins: families first, then the exceptions inside them.
ACCESS = [
    Access(r"", LOGGED_IN, "login required: the default for every URL"),
    # The public set: the only URLs an anonymous visitor may open.
    Access(r"^healthz", EVERYONE, "health checks for load balancers"),
    Access(r"^logg-inn/$", EVERYONE, "the login page"),
    Access(r"^konto/okt/$", EVERYONE, "session status for the expiry warning (JSON)"),
    Access(
        r"^konto/(login/|signup/|inactive/|confirm-email/|\^confirm-email/|password/reset/|"
        r"\^password/reset/|3rdparty/login/)",
        EVERYONE,
        "allauth's login, closed sign-up notice, password reset and e-mail link pages",
    ),
    Access(
        r"^(logg-ut/|konto/logout/|sprak/|konto/okt/forleng/)$",
        EVERYONE,
        "log out, choose a language, extend the session (a no-op when logged out)",
    ),
    Access(
        r"^konto/social/",
        EVERYONE,
        "allauth's permanent redirects to konto/3rdparty/, which is checked in its own right",
    ),
    Access(r"^tilgjengelighet/$", EVERYONE, "the accessibility statement"),
    Access(r"^api/v1/(schema|docs)/$", EVERYONE, "the API's documentation"),
    Access(
        r"^api/v2/",
        EVERYONE,
        "Wagtail's pages API: live public pages and the public collection's documents only "
        "(portal.content.api)",
    ),
    Access(r"^(kommuner|fylker|kart)/", EVERYONE, "the register: municipalities and counties"),
    Access(r"^dokumenter/\^", EVERYONE, "documents of the public collection (the demo's sample)"),
    Access(r"^/", EVERYONE, "published content pages"),
    Access(
        r"^/moter/[^/]+/referat/",
        LOGGED_IN,
        "minutes of the joint meeting: for its participants (rules.can_read_meeting_material)",
    ),
    Access(
        r"^/moter/[^/]+-{county}/referat/",
        frozenset({"fylke_egen", "imdi", "ks", "redaktor", "admin"}),
        "minutes of county A's meeting: not for other counties (rules.can_read_meeting_material)",
    ),
    # Behind the login, by family.
    Access(r"^drift/tellere/", ADMIN, "operators' counters: superusers (portal.health)"),
    Access(r"^django-admin/", ADMIN, "Django's admin: superusers"),
    Access(r"^django-admin/logout/$", EVERYONE, "Django's admin logout: logs out whoever asks"),
    Access(r"^admin/", ADMIN_USERS, "Wagtail's admin (rules.can_access_admin)"),
    Access(
        r"^admin/(sprite|jsi18n)/",
        EVERYONE,
        "Wagtail's admin: its icon sprite and JavaScript translations (static assets); its "
        "password-reset form is switched off (WAGTAIL_PASSWORD_RESET_ENABLED = False)",
    ),
    Access(r"^skjema/oppgaver/", TASKS, "rules.can_see_task_page"),
    Access(r"^(sok/|api/v1/\^search/)", SUBMITTED_READERS, "search: rules.can_view_submitted"),
    Access(
        r"^skjema/<int:year>/(kommuner|fylke)/<str:number>/<slug:section_key>/$|"
        r"^skjema/<int:year>/fylke/",
        OWN_COUNTY,
        "county A's editable sections and county form: rules.can_view_county_drafts",
    ),
    Access(r"^skjema/<int:year>/regneark/", COUNTY_OFFICERS, "spreadsheets: own county only"),
    Access(
        r"^skjema/<int:year>/fylke/$",
        COUNTY_OFFICERS,
        "«our county form»: redirects each county officer to their own county's form",
    ),
    Access(
        r"^skjema/<int:year>/kommuner/<str:number>/$|^skjema/<int:year>/kvittering/|"
        r"^skjema/versjoner/|^skjema/innsendinger/|^api/v1/\^profiles/\(\?P<pk>",
        READERS_OF_A,
        "county A's submitted profile, receipts, versions: never another county",
    ),
    Access(
        r"^api/v1/\^county-submissions/\(\?P<pk>",
        OWN_COUNTY,
        "county A's county submission (a draft in the demo): rules.can_view_county_drafts",
    ),
    Access(r"^skjema/<int:year>/oversikt/", FOLLOWERS, "round overview: rules.can_follow_rounds"),
    Access(
        r"^skjema/<int:year>/gjennomgang/", IMDI, "the review queue: rules.can_work_review_queue"
    ),
    Access(
        r"^skjema/<int:year>/gjennomgang/<int:submission_id>/$",
        FOLLOWERS,
        "rules.can_follow_rounds",
    ),
    Access(r"^api/v1/\^review-queue", IMDI, "rules.can_work_review_queue"),
    Access(r"^skjema/<int:year>/(apne|eksport)", IMDI, "opening a round, IMDi's exports"),
    Access(
        r"^skjema/<int:year>/moter/<int:meeting_id>/",
        frozenset({"fylke_egen", "imdi", "ks", "admin"}),
        "county A's preparatory document: rules.can_open_meeting_document",
    ),
    # Placement: households are personal data, IMDi's only.
    Access(r"^(plassering/|api/v1/placement/)", IMDI, "rules.can_view_households and the rest"),
    Access(r"^plassering/statistikk/", ADMIN, "rules.can_view_placement_statistics"),
]

# Patterns not requested at all. Each says why; the coverage test counts them.
EXCLUDED = {
    "admin/failwhale/": "Wagtail's deliberate exception, to test error reporting: 500 by design",
}

# A refusal: a redirect to the login page, 401, 403, 404 or 405.
REFUSALS = {401, 403, 404, 405}
REDIRECTS = {301, 302, 303, 307, 308}


def key_of(pattern: Pattern, url: str) -> str:
    return url if pattern.name == "wagtail_serve" else pattern.route


def access_for(key: str, county: str) -> Access:
    match = ACCESS[0]
    for access in ACCESS[1:]:
        if re.search(access.regex.replace("{county}", county), key):
            match = access
    return match


def refused(response) -> bool:
    if response.status_code in REFUSALS:
        return True
    if response.status_code in REDIRECTS:
        # Wagtail's admin sends refused users to its own login URL, which the portal redirects.
        return "/logg-inn/" in response["Location"] or "/login/" in response["Location"]
    return False


# --- filling the routes ---------------------------------------------------------------------

# Values for regular-expression groups and for routes the crawl's samples do not know.
FALLBACK = {
    "int": "1",
    "path": "1",
    "str": "1",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "drf_format_suffix": ".json",
}


def _group_end(regex: str, start: int) -> int:
    depth = 0
    position = start
    while position < len(regex):
        char = regex[position]
        if char == "\\":
            position += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    raise ValueError(regex)


def _regex_value(route: str, name: str | None, body: str, samples: dict) -> str:
    if name:
        if name == "format":
            return "json"
        value = api_sample(route, name, samples)
        if value is not None:
            return str(value)
    first = body.split("|")[0]
    if re.fullmatch(r"[\w-]+", first):
        return first
    return "1" if first.startswith(("\\d", "[0-9]")) else "x"


def api_sample(route: str, name: str, samples: dict):
    """The sample for a regular-expression group of the REST API's router."""
    before = route.split(f"(?P<{name}>")[0]
    if name == "pk":
        if "county-submissions/" in before:
            return samples["county_submission_id"]
        if "profiles/" in before:
            return samples["submission_id"]
    if name == "number":
        if "versions/" in before:
            return samples["version_number"]
        if "counties/" in before:
            return samples["county_number"]
        if "municipalities/" in before:
            return samples["municipality_number"]
    if name == "comment_id":
        return samples["comment_id"]
    if name == "code":
        for prefix, key in (("occupations/", "occupation"), ("programmes/", "programme")):
            if prefix in before:
                return samples[key]
        return samples.get("indicator")
    return samples.get(name)


def fill(pattern: Pattern, samples: dict) -> str | None:
    """A concrete path for any route, converters and regular expressions alike, or None when
    the path does not resolve back to the same route."""
    route = pattern.route
    out = []
    position = 0
    while position < len(route):
        char = route[position]
        if route.startswith("(?P<", position) or (
            char == "(" and not route.startswith("(?:", position)
        ):
            end = _group_end(route, position)
            inner = route[position + 1 : end]
            name = None
            if inner.startswith("?P<"):
                name, inner = inner[3:].split(">", 1)
            out.append(_regex_value(route, name, inner, samples))
            position = end + 1
            if route.startswith(("*", "+", "?"), position):
                position += 1
            continue
        match = CONVERTER.match(route, position)
        if match:
            value = sample_for(route, position, match.group("name"), samples)
            if value is None:
                value = samples.get(match.group("name"))
            if value is None:
                value = FALLBACK.get(match.group("converter") or "str", "1")
            out.append(str(value))
            position = match.end()
            continue
        if char in "^$":
            position += 1
        elif char == "\\":
            out.append(route[position + 1])
            position += 2
        elif route.startswith("/?", position):
            position += 2
        elif route.startswith(".*", position):
            out.append("finnes-ikke")
            position += 2
        else:
            out.append(char)
            position += 1
    path = "/" + "".join(out)
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.route.replace("^", "") != route.replace("^", ""):
        return None
    return path


# --- the demo and the users -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo (as ``make run`` loads it) once for the module, rolled back at the end; each
    test runs inside it in a savepoint of its own. The samples are county A's objects."""
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from portal.content.models.meetings import MeetingPage
    from portal.demo import load_demo
    from skjema.models import CountySubmission, ReviewComment, Version
    from tests.e2e.crawl_samples import demo_samples

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(DEMO_PASSWORD)
            data = demo_samples()
            samples = data["samples"]
            county = samples["county_number"]
            version = Version.objects.get(pk=samples["version_id"])
            county_submission = CountySubmission.objects.get(
                round__year=samples["year"], county__number=county
            )
            comment = ReviewComment.objects.filter(submission__county__number=county).first()
            samples.update(
                version_number=version.number,
                county_submission_id=county_submission.pk,
                comment_id=comment.pk if comment else 1,
                occupation="2",
                programme="HS",
                indicator="bosatt",
            )
            pages = set(data["content_pages"].values())
            for meeting in MeetingPage.objects.live().filter(county__number=county):
                pages.update(
                    page.url for page in Page.objects.live().descendant_of(meeting, inclusive=True)
                )
            document = get_document_model().objects.order_by("pk").first()
            data["pages"] = sorted(pages)
            data["document_url"] = document.url if document else None
            other = (
                User.objects.filter(role=Role.COUNTY_OFFICER, is_active=True)
                .exclude(county__number=county)
                .order_by("username")
                .first()
            )
            data["users"] = {
                "fylke_egen": data["county_officer"],
                "fylke_annen": other.username,
                "imdi": "imdi",
                "ks": "ks",
                "redaktor": "redaktor",
                "admin": "admin",
            }
            data["rows"] = {
                "submission": ("skjema.Submission", samples["submission_id"]),
                "county_submission": ("skjema.CountySubmission", county_submission.pk),
                "household": ("plassering.Household", samples["pk"]),
                "allocation": ("plassering.Allocation", samples["allocation_id"]),
            }
            data["urls"], data["unfilled"] = matrix_urls(data)
            yield data
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def client_for(role: str, demo: dict) -> Client:
    client = Client(raise_request_exception=False)
    client.role = role
    client.username = demo["users"].get(role)
    still_logged_in(client)
    return client


def finish(response) -> None:
    """Close the response (file downloads hold their file open) as the test client closes it:
    without ``close_old_connections``, which would close PostgreSQL's connection in the middle
    of the module's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def still_logged_in(client: Client) -> None:
    """Log the role (back) in: a logout URL the role may use must not turn the rest of the loop
    into anonymous requests."""
    if client.role != "anonym" and "_auth_user_id" not in client.session:
        client.force_login(User.objects.get(username=client.username))


def matrix_urls(demo: dict) -> tuple[list[tuple[Pattern, str]], list[Pattern]]:
    samples = demo["samples"]
    filled, unfilled = [], []
    for pattern in url_patterns():
        if pattern.route in EXCLUDED:
            continue
        if pattern.name == "wagtail_serve":
            filled.extend((pattern, url) for url in demo["pages"])
            continue
        if pattern.name == "wagtaildocs_serve" and demo["document_url"]:
            filled.append((pattern, demo["document_url"]))
            continue
        url = fill(pattern, samples)
        if url is None:
            unfilled.append(pattern)
        else:
            filled.append((pattern, url))
    return filled, unfilled


def database_state(demo: dict) -> dict:
    """What a write would change, per table, and the sample rows in full. PostgreSQL counts
    the rows this transaction inserted, updated and deleted per table; SQLite gets the rows,
    highest key and latest auto_now stamp of every table. Sessions are left out: a visitor's
    own session is not data."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
                "WHERE relname <> 'django_session'"
            )
            state = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
        return state | _sample_rows(demo)
    parts = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table == "django_session":
            continue
        stamps = [
            f.column
            for f in meta.local_concrete_fields
            if isinstance(f, models.DateTimeField) and f.auto_now
        ]
        quote = connection.ops.quote_name
        latest = f"CAST(MAX({quote(stamps[0])}) AS TEXT)" if stamps else "CAST(NULL AS TEXT)"
        pk = quote(meta.pk.column)
        # PostgreSQL has no MAX for UUIDs; integers compare as numbers, not as text.
        if isinstance(meta.pk, (models.AutoField, models.IntegerField)):
            highest = f"CAST(MAX({pk}) AS TEXT)"
        else:
            highest = f"MAX(CAST({pk} AS TEXT))"
        # Table and column names from the models' own meta, quoted: no outside input.
        table = quote(meta.db_table)
        parts.append(f"SELECT '{meta.db_table}', COUNT(*), {highest}, {latest} FROM {table}")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        state = {row[0]: tuple(str(value) for value in row[1:]) for row in cursor.fetchall()}
    return state | _sample_rows(demo)


def _sample_rows(demo: dict) -> dict:
    state = {}
    for name, (label, pk) in demo["rows"].items():
        rows = list(apps.get_model(label).objects.filter(pk=pk).values())
        state[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return state


def changes(before: dict, after: dict) -> list[str]:
    return [
        name for name in sorted(before.keys() | after.keys()) if before.get(name) != after.get(name)
    ]


# --- the matrix -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_get_answers_only_the_roles_the_rules_allow(demo, role):
    county = demo["samples"]["county_number"]
    client = client_for(role, demo)
    breaches = []
    for pattern, url in demo["urls"]:
        response = client.get(url)
        status = response.status_code
        finish(response)
        still_logged_in(client)
        access = access_for(key_of(pattern, url), county)
        if status >= 500:
            breaches.append(f"{status} {url}  [{pattern.label}]")
        elif 200 <= status < 300 and role not in access.allowed:
            breaches.append(f"{status} {url}  [{pattern.label}]: {access.rule}")
    assert not breaches, f"{role}: {len(breaches)} URL(s)\n" + "\n".join(breaches)


# County A's objects the own county (or IMDi) must really find, so that county B's refusal
# above is a refusal of a real object, not a 404 for a sample that does not exist.
REAL_SAMPLES = {
    "fylke_egen": [
        "skjema:profile",
        "skjema:receipt",
        "skjema:versions",
        "skjema:compare",
        "skjema:county-submission",
        "skjema:county-section",
        "skjema:profile-section",
        "profile-detail",
        "profile-versions",
        "county-submission-detail",
    ],
    "imdi": [
        "skjema:review",
        "plassering:household",
        "plassering:ranking",
        "placement-allocation",
        "skjema:meeting-document",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(REAL_SAMPLES))
def test_the_samples_are_real_objects(demo, role):
    client = client_for(role, demo)
    found = {pattern.name: url for pattern, url in demo["urls"]}
    missing = []
    for name in REAL_SAMPLES[role]:
        response = client.get(found[name])
        if response.status_code != 200:
            missing.append(f"{response.status_code} {found[name]} ({name})")
    assert not missing, f"{role} should find these samples:\n" + "\n".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_refused_post_changes_nothing(demo, role):
    """Every URL, POSTed (empty body, no CSRF check: the test client's default) by a role the
    rules refuse it to: a refusal, never 2xx or 5xx, and the database as it was."""
    county = demo["samples"]["county_number"]
    client = client_for(role, demo)
    breaches = []
    posted = 0
    before = database_state(demo)
    for pattern, url in demo["urls"]:
        if role in access_for(key_of(pattern, url), county).allowed:
            continue
        response = client.post(url)
        finish(response)
        still_logged_in(client)
        after = database_state(demo)
        posted += 1
        if not refused(response):
            where = response.get("Location", "")
            breaches.append(f"{response.status_code} {where} POST {url}  [{pattern.label}]")
        if changed := changes(before, after):
            breaches.append(f"POST {url} changed {', '.join(changed)}  [{pattern.label}]")
        before = after
    print(f"{role}: {posted} refused POSTs")
    assert posted
    assert not breaches, f"{role}: {len(breaches)} POST(s)\n" + "\n".join(breaches)


@pytest.mark.django_db
def test_every_url_pattern_is_covered(demo):
    """A new URL pattern must be filled from the samples (or excluded here, with its reason)."""
    resolver = url_patterns()
    covered = {(pattern.route, pattern.name) for pattern, _url in demo["urls"]}
    assert not demo["unfilled"], "no sample for: " + ", ".join(p.label for p in demo["unfilled"])
    assert len(covered) == len(resolver) - len(EXCLUDED), sorted(
        p.label for p in resolver if (p.route, p.name) not in covered
    )
