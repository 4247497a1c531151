"""The synonym list in the Wagtail admin: IMDi and administrators edit it, nobody else; each
entry must be a single word; an edit applies to the next search without reindexing."""

import pytest

from sok.models import SynonymGroup
from sok.query import ProfileQuery
from sok.service import search_profiles

pytestmark = pytest.mark.django_db

INDEX = "/admin/synonymer/"
ADD = "/admin/synonymer/new/"


@pytest.mark.parametrize("role", ["imdi", "admin"])
def test_imdi_and_administrators_edit_synonyms(client, users, role):
    client.force_login(users[role])
    assert client.get(INDEX).status_code == 200
    response = client.post(ADD, {"terms": "kokk, kokker, matlaging"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SynonymGroup.objects.filter(terms="kokk, kokker, matlaging").exists()


@pytest.mark.parametrize("role", ["editor", "ks", "fylke_a", "outsider"])
def test_other_roles_cannot(client, users, role):
    client.force_login(users[role])
    assert client.get(ADD).status_code in {302, 403}
    response = client.post(ADD, {"terms": "kokk, kokker"})
    assert response.status_code in {302, 403}
    assert not SynonymGroup.objects.filter(terms="kokk, kokker").exists()


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("unge voksne, ungdom", "dette virker ikke som synonym: «unge voksne»"),
        ("kokk", "minst to ord"),
        ("kokk, Kokk", "minst to ord"),
    ],
)
def test_entries_must_be_single_words(client, users, terms, message):
    client.force_login(users["imdi"])
    response = client.post(ADD, {"terms": terms})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SynonymGroup.objects.filter(terms=terms).exists()


def test_a_new_synonym_applies_to_the_next_search(search_data, database_backend, users):
    from sok.index import rebuild_database_index

    rebuild_database_index()
    query = ProfileQuery(text="tømrerarbeid", round_year=2027)
    assert search_profiles(query).count == 0
    SynonymGroup.objects.create(terms="tømrerarbeid, tømrere")
    assert [h.payload["municipality"]["number"] for h in search_profiles(query).hits] == ["4001"]


def test_a_deleted_synonym_stops_applying_at_once(search_data, database_backend, users):
    """The synonym list is cached between searches; saving or deleting an entry drops it."""
    from sok.index import rebuild_database_index

    rebuild_database_index()
    group = SynonymGroup.objects.create(terms="tømrerarbeid, tømrere")
    query = ProfileQuery(text="tømrerarbeid", round_year=2027)
    assert search_profiles(query).count == 1
    group.terms = "tømrerarbeid, snekkere"
    group.save()
    assert search_profiles(query).count == 0
    group.terms = "tømrerarbeid, tømrere"
    group.save()
    assert search_profiles(query).count == 1
    group.delete()
    assert search_profiles(query).count == 0
