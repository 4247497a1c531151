"""The pending list for Elasticsearch: a document the engine refuses stays pending with the
reason (until a rebuild brings the mapping up to date), and a change made while a send is under
way is never dropped by that send."""

import copy

import pytest

from skjema import services
from sok.backends import get_backend
from sok.backends.elasticsearch import SETTINGS
from sok.backends.elasticsearch import mapping as current_mapping
from sok.index import push_pending
from sok.models import PendingIndexUpdate
from sok.query import ProfileQuery
from sok.service import search_profiles
from tests.fixtures.skjema import fill_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_mapping(elasticsearch_backend):
    """The alias on an index made by an older version, whose strict mapping lacks a field
    the code now writes."""
    mapping = copy.deepcopy(current_mapping())
    del mapping["properties"]["f_household_type"]
    index = f"{elasticsearch_backend.alias}-old"
    elasticsearch_backend.client.indices.create(index=index, mappings=mapping, settings=SETTINGS)
    elasticsearch_backend.client.indices.put_alias(index=index, name=elasticsearch_backend.alias)
    return elasticsearch_backend


def _found(number: str) -> bool:
    result = search_profiles(ProfileQuery(round_year=2027, filters={"county": ["40"]}))
    return number in {hit.payload["municipality"]["number"] for hit in result.hits}


def test_a_refused_document_stays_pending_until_a_rebuild(
    old_mapping, skien, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(fill_profile(skien, users["fylke_b"]), users["fylke_b"])
    pending = PendingIndexUpdate.objects.get(key="2027-4003")
    assert pending.attempts == 1
    assert "Elasticsearch avviste dokumentet" in pending.last_error
    assert push_pending() == 0  # still refused, still kept
    assert PendingIndexUpdate.objects.get(key="2027-4003").attempts == 2

    old_mapping.rebuild()
    assert push_pending() == 1
    assert not PendingIndexUpdate.objects.exists()
    old_mapping.refresh()
    assert _found("4003")


class ChangedDuringSend:
    """The real engine, with a county officer's save landing while the documents are sent."""

    def __init__(self, backend, during):
        self.backend, self.during = backend, during

    def index_documents(self, keys):
        refused = self.backend.index_documents(keys)
        self.during()
        return refused


def test_a_change_during_a_send_is_kept_for_the_next(
    elasticsearch_backend, skien, users, monkeypatch
):
    """Signals run after commit, which a test transaction never reaches: the index is told
    here directly, as the receivers would."""
    from sok import backends, index

    county = users["fylke_b"]
    services.submit(fill_profile(skien, county), county)
    index.refresh_profile(skien)
    assert PendingIndexUpdate.objects.get(key="2027-4003").generation == 1

    def returned_meanwhile():
        services.return_submission(skien, users["imdi"], reason="Mer om kapasiteten.")
        index.refresh_profile(skien)

    sending = ChangedDuringSend(get_backend(), returned_meanwhile)
    monkeypatch.setattr(backends, "get_backend", lambda: sending)
    assert push_pending() == 1
    # The return came after the send read the document: its update is still pending.
    assert PendingIndexUpdate.objects.get(key="2027-4003").generation == 2
    monkeypatch.undo()
    assert push_pending() == 1
    assert not PendingIndexUpdate.objects.exists()
    elasticsearch_backend.refresh()
    result = search_profiles(ProfileQuery(round_year=2027, filters={"status": ["returned"]}))
    assert [hit.key for hit in result.hits] == ["2027-4003"]
