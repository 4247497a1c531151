"""Fuzzing the whole /api/v1/ API from its own OpenAPI schema (schemathesis): as a county officer
and as an IMDi officer, every operation, reading and writing, must never answer with a 5xx.

Runs in-process against Django's WSGI handler on the test database (no network), with a fixed
seed and deterministic generation, so a failure reproduces. Every operation on a submission is
run against one submission in each state, so the fuzzer reaches the real code behind the 404s."""

import datetime

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode, derive_operation_seed

from portal.accounts.tokens import issue_token
from skjema import services
from skjema.models import CountySubmission, MunicipalityProfile, Notification, Submission
from skjema.reviews import MAX_CORRECTION_DAYS

from .conftest import fill_profile

CONFIG = {
    "seed": 20270610,
    "generation": {
        "deterministic": True,
        "max-examples": 6,
        "database": "none",
        "allow-x00": True,
    },
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
}
PER_OBJECT = 3  # examples per mode for each submission an operation is run against


@pytest.fixture(params=["fylke_b", "imdi"])
def fuzz_user(request, users):
    return users[request.param]


def profile(round_, number):
    return MunicipalityProfile.objects.get(round=round_, municipality__number=number)


@pytest.fixture
def fuzz_data(opened, users, counties):
    """One submission in each state the API treats differently, for every operation to meet:
    profiles resubmitted (two versions and a comment), accepted, returned, submitted, a draft
    of the county and one of another county; county submissions submitted and draft."""
    county, imdi = users["fylke_b"], users["imdi"]
    skien, porsgrunn, notodden, bamble, kragero = (
        fill_profile(profile(opened, number), county)
        for number in ("4003", "4001", "4005", "4012", "4014")
    )
    for submission in (skien, porsgrunn, notodden, bamble):
        services.submit(submission, county)
    services.return_submission(
        skien, imdi, reason="", comments=[("capacity", "capacity", "Hvorfor?")]
    )
    services.submit(skien, county)
    services.accept(porsgrunn, imdi)
    services.return_submission(notodden, imdi, reason="Mangler kilde.")
    telemark = CountySubmission.objects.get(round=opened, county=counties["40"])
    numbers = MunicipalityProfile.objects.filter(round=opened, county=counties["40"]).values_list(
        "municipality__number", flat=True
    )
    for key, data in {
        "plans": {"plan_title": "Plan", "plan_summary": "Kort.", "plan_period": "2026–2029"},
        "recommendations": [
            {"municipality": n, "number": 5, "justification": "God kapasitet."} for n in numbers
        ],
    }.items():
        base = services.latest_edit_ids(telemark).get(key)
        services.save_section(telemark, key, data, county, base_edit_id=base)
    services.submit(telemark, county)
    oslo = CountySubmission.objects.get(round=opened, county=counties["03"])
    for user in (county, imdi):  # the notification list and mark-read meet real rows
        for number in range(3):
            Notification.objects.create(
                recipient=user,
                kind=Notification.Kind.RETURNED,
                dedupe_key=f"fuzz:{number}",
                subject=f"Varsel {number}",
                status=Notification.Status.SENT,
                submission=skien,
                round=opened,
            )
    return {
        "profiles": [s.pk for s in (skien, porsgrunn, notodden, bamble, kragero)]
        + [profile(opened, "0301").pk],
        "county-submissions": [telemark.pk, oslo.pk],
    }


@pytest.fixture
def auth_headers(fuzz_user):
    token = issue_token(fuzz_user, name="schemathesis", days=1)[1]
    return {"Authorization": f"Token {token}"}


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler closes the database connection after each request, which would
    end the test's transaction; like Django's test client, keep it open while testing."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, fuzz_data, auth_headers):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json",
        wsgi_app,
        config=SchemathesisConfig.from_dict(CONFIG),
        headers=auth_headers,
    )

    @schema.hook("flatmap_path_parameters")
    def existing_versions(context, path_parameters):
        """Mostly version numbers and years that exist, sometimes whatever was generated."""
        path, path_parameters = context.operation.path, path_parameters or {}
        choices = {}
        if "versions/{number}" in path:
            choices["number"] = st.sampled_from([1, 2])
        if "year" in path_parameters:
            choices["year"] = st.just("2027")
        if not choices:
            return st.just(path_parameters)
        chosen = st.fixed_dictionaries(choices).map(lambda c: {**path_parameters, **c})
        return st.one_of(chosen, chosen, chosen, st.just(path_parameters))

    known = {str(pk) for pks in fuzz_data.values() for pk in pks}

    @schema.hook("map_case")
    def current_base_edits(context, case):
        """Give a PATCH the real base edit ids, so well-formed saves get past the conflict
        check; ids generated as something else than integers stay, to test their refusal."""
        body = case.body
        if case.method.upper() == "POST" and isinstance(body, dict):
            return future_deadline(case, body)
        if case.method.upper() != "PATCH" or not isinstance(body, dict):
            return case
        sections, bases = body.get("sections"), body.get("base_edits")
        pk = str(case.path_parameters.get("id"))
        submission = Submission.objects.filter(pk=pk).first() if pk in known else None
        if submission is None or not isinstance(sections, dict):
            return case
        latest = services.latest_edit_ids(submission)
        bases = dict(bases) if isinstance(bases, dict) else {}
        for key in sections:
            if key not in bases or isinstance(bases[key], int):
                bases[key] = latest.get(key)
        body["base_edits"] = bases
        return case

    return schema.include(path_regex=r"^/api/v1/")


def future_deadline(case, body):
    """A return's correction deadline lies from today to a year ahead (OpenAPI 3.0 cannot say
    «from today»; the refusal has its own tests in test_returns.py). A well-formed date outside
    is moved to two weeks from today, so the rest of the request is tested; malformed values
    stay, to test their refusal."""
    value = body.get("correction_deadline")
    if isinstance(value, str):
        try:
            given = datetime.date.fromisoformat(value)
        except ValueError:
            return case
        today = datetime.date.today()
        if not today <= given <= today + datetime.timedelta(days=MAX_CORRECTION_DAYS):
            body["correction_deadline"] = (
                datetime.date.today() + datetime.timedelta(days=14)
            ).isoformat()
    return case


def fuzz(
    operation, strategy, label: str, headers, max_examples: int, checks=(not_a_server_error,)
) -> list[str]:
    """Run one strategy for one operation; return the failure found, if any (shrunk to the
    smallest input, with a curl command to reproduce it)."""
    failures = []
    settings = operation.schema.config.get_hypothesis_settings(
        operation=operation, phase="fuzzing", apply_ci_profile=False
    )

    @hypothesis.seed(derive_operation_seed(CONFIG["seed"], f"{operation.label} {label}"))
    @hypothesis.settings(
        settings, max_examples=max_examples, suppress_health_check=list(hypothesis.HealthCheck)
    )
    @hypothesis.given(strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=list(checks))

    try:
        run()
    except FailureGroup as exc:  # keep going, to report every operation that fails
        failures.append(f"{operation.label} ({label}): {exc}")
    except hypothesis.errors.Unsatisfiable:
        pass  # nothing here can be made invalid (e.g. no parameters that are not fixed)
    return failures


def strategies(operation, objects):
    """(label, strategy, examples) to run: for an operation on one submission, once for each
    submission in ``objects`` (a state each); positive and negative data from the schema; and
    the documented request examples, which reach the success paths random data rarely does."""
    hooks = operation.schema.hooks
    request_body = operation.definition.raw.get("requestBody") or {}
    examples = request_body.get("content", {}).get("application/json", {}).get("examples", {})
    resource = operation.path.split("/")[3]
    ids = objects[resource] if "{id}" in operation.path else [None]
    for pk in ids:
        fixed = {"id": pk} if pk is not None else None
        generated = [p.name for p in operation.path_parameters if p.name != "id"]
        if not (generated or len(operation.query) or len(operation.body)):
            # Everything is fixed (e.g. GET /profiles/{id}/): one request says it all.
            yield f"id={pk}", operation.as_strategy(hooks=hooks, path_parameters=fixed), 1
            continue
        count = PER_OBJECT if pk is not None else CONFIG["generation"]["max-examples"]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(
                generation_mode=mode, hooks=hooks, path_parameters=fixed
            )
            yield f"{mode}, id={pk}", strategy, count
        for name, example in examples.items():
            strategy = operation.as_strategy(
                body=example["value"], hooks=hooks, path_parameters=fixed
            )
            yield f"{name}, id={pk}", strategy, 1


def test_no_server_errors(api_schema, fuzz_data, auth_headers):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30, [op.label for op in operations]
    for operation in operations:
        for label, strategy, count in strategies(operation, fuzz_data):
            # Each run starts from the same data: what one operation changed (accepted,
            # returned, saved) is rolled back before the next meets it.
            with transaction.atomic():
                failures += fuzz(operation, strategy, label, auth_headers, count)
                transaction.set_rollback(True)
    assert not failures, "\n\n".join(failures)


# Every check schemathesis has (its --checks all): status codes, content types, headers and
# bodies as documented, schema-valid input accepted (positive_data_acceptance) and invalid input
# refused (negative_data_rejection). The schema states the rules the API enforces on input
# (portal/api_schema.py: the register's codes, no NUL, a return's reason or comments, a comment's
# field of its section, the result window), so none is left out.
def all_checks():
    import schemathesis.specs.openapi.checks  # noqa: F401 - registers the OpenAPI checks

    return list(CHECKS.get_all())


@pytest.mark.parametrize("fuzz_user", ["imdi"], indirect=True)
def test_schema_and_responses_agree(api_schema, fuzz_data, auth_headers):
    checks = all_checks()
    names = {check.__name__ for check in checks}
    assert {"positive_data_acceptance", "negative_data_rejection"} <= names, names
    assert len(checks) >= 10, checks
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for label, strategy, count in strategies(operation, fuzz_data):
            with transaction.atomic():
                failures += fuzz(operation, strategy, label, auth_headers, count, checks)
                transaction.set_rollback(True)
    assert not failures, "\n\n".join(failures)
