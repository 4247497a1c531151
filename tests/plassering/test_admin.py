"""The weight sets in the Wagtail admin: administrators edit them, an edit is a new version
(rankings keep theirs); IMDi officers, county officers, KS and editors cannot."""

import pytest

from plassering.models import WeightSet

pytestmark = pytest.mark.django_db

URL = "/admin/plassering_weights/"


def test_administrator_edits_and_a_new_version_is_made(client, users):
    first = WeightSet.objects.current()
    client.force_login(users["admin"])
    assert client.get(URL).status_code == 200
    data = {
        "work": "0.5",
        "qualification": "0.1",
        "education": "0.1",
        "needs": "0.1",
        "connection": "0.1",
        "balance": "0.05",
        "track_record": "0.05",
        "note": "Mer arbeid",
    }
    response = client.post(f"{URL}edit/{first.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WeightSet.objects.count() == 2
    current = WeightSet.objects.current()
    assert current.version == 2 and float(current.work) == 0.5
    first.refresh_from_db()
    assert float(first.work) == 0.30  # the version rankings used is unchanged


@pytest.mark.parametrize("who", ["imdi", "fylke_a", "ks", "editor"])
def test_others_cannot_edit_weights(client, users, who):
    WeightSet.objects.current()
    client.force_login(users[who])
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert WeightSet.objects.count() == 1
