"""Fuzzing the placement API from its OpenAPI schema (schemathesis), the way the project runs
it for the whole API (tests/skjema/test_schemathesis.py): as an IMDi officer, every placement
operation, positive and negative data and the documented examples, must never answer 5xx."""

import pytest
import schemathesis
from django.db import transaction
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from plassering import services
from portal.accounts.tokens import issue_token
from portal.register.models import Municipality
from tests.skjema.test_schemathesis import CONFIG, fuzz, wsgi_app  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocation(placement_round, users):
    return services.propose_allocation(
        placement_round,
        Municipality.objects.get(number="4003"),
        persons=2,
        case_reference="26/7",
        by=users["imdi"],
    )


@pytest.fixture
def headers(users):
    token = issue_token(users["imdi"], name="schemathesis", days=1)[1]
    return {"Authorization": f"Token {token}"}


@pytest.fixture
def placement_schema(wsgi_app, headers, allocation):  # noqa: F811 (fixture)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json",
        wsgi_app,
        config=SchemathesisConfig.from_dict(CONFIG),
        headers=headers,
    )

    @schema.hook("flatmap_path_parameters")
    def existing_objects(context, path_parameters):
        path_parameters = path_parameters or {}
        choices = {}
        if "year" in path_parameters:
            choices["year"] = st.just(2027)
        if "number" in path_parameters:
            choices["number"] = st.sampled_from(["4003", "4001", "0301"])
        if "allocation_id" in path_parameters:
            choices["allocation_id"] = st.just(allocation.pk)
        if not choices:
            return st.just(path_parameters)
        chosen = st.fixed_dictionaries(choices).map(lambda c: {**path_parameters, **c})
        return st.one_of(chosen, chosen, st.just(path_parameters))

    return schema.include(path_regex=r"^/api/v1/placement/")


def test_placement_api_never_answers_5xx(placement_schema, headers):
    operations = [result.ok() for result in placement_schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert {
        "POST /api/v1/placement/rankings/",
        "GET /api/v1/placement/capacity/",
        "PUT /api/v1/placement/capacity/{year}/{number}/",
        "POST /api/v1/placement/allocations/",
        "POST /api/v1/placement/allocations/{allocation_id}/withdraw/",
        "POST /api/v1/placement/batches/",
    } <= labels, labels
    failures = []
    for operation in operations:
        hooks = operation.schema.hooks
        request_body = operation.definition.raw.get("requestBody") or {}
        examples = request_body.get("content", {}).get("application/json", {}).get("examples", {})
        runs = [
            (str(mode), operation.as_strategy(generation_mode=mode, hooks=hooks), 3)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ]
        runs += [
            (
                name,
                operation.as_strategy(
                    body=example["value"], hooks=hooks, media_type="application/json"
                ),
                1,
            )
            for name, example in examples.items()
        ]
        for label, strategy, count in runs:
            with transaction.atomic():
                failures += fuzz(operation, strategy, label, headers, count)
                transaction.set_rollback(True)
    assert not failures, "\n\n".join(failures)
