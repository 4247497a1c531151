"""Freshness: the index follows the workflow signals — a submitted profile is searchable within
two seconds, a returned or accepted one changes status, a draft never appears."""

import time

import pytest

from skjema import services
from sok.models import PendingIndexUpdate, SearchDocument
from sok.query import ProfileQuery
from sok.service import search_profiles
from tests.fixtures.skjema import fill_profile

pytestmark = pytest.mark.django_db

FRESHNESS_SECONDS = 2.0


def _found(number: str) -> bool:
    result = search_profiles(ProfileQuery(round_year=2027, text="helsefagarbeider"))
    return number in {h.payload["municipality"]["number"] for h in result.hits}


def _count_with_status(status: str) -> int:
    return search_profiles(ProfileQuery(round_year=2027, filters={"status": [status]})).count


def _eventually(predicate, seconds=FRESHNESS_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.parametrize("backend_name", ["database", "elasticsearch"])
def test_submit_return_accept_follow_through(
    request, skien, users, backend_name, django_capture_on_commit_callbacks
):
    request.getfixturevalue(f"{backend_name}_backend")
    county, imdi = users["fylke_b"], users["imdi"]
    with django_capture_on_commit_callbacks(execute=True):
        skien = fill_profile(skien, county)
    assert not SearchDocument.objects.filter(key="2027-4003").exists()  # drafts never
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(skien, county)
    assert _eventually(lambda: _found("4003")), "submitted profile not searchable in 2 s"
    assert not PendingIndexUpdate.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.return_submission(skien, imdi, reason="Rett resultatet.")
    assert SearchDocument.objects.get(key="2027-4003").status == "returned"
    assert _eventually(lambda: _count_with_status("returned") == 1)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit(skien, county)
        services.accept(skien, imdi)
    assert _eventually(lambda: _count_with_status("accepted") == 1)
