"""The profile on the municipality page: latest submitted version of each round, never a draft,
for those who may read submitted content; history across rounds."""

import pytest

from skjema import services
from tests.fixtures.skjema import fill_profile

pytestmark = pytest.mark.django_db


def test_submitted_profile_shown_to_readers_and_never_a_draft(client, skien, users):
    county = users["fylke_b"]
    skien = fill_profile(skien, county)
    client.force_login(users["imdi"])
    assert "Ingen innsendt profil" in client.get("/kommuner/4003/").content.decode()
    services.submit(skien, county)
    for who in ("imdi", "ks", "fylke_a", "fylke_b"):
        client.force_login(users[who])
        html = client.get("/kommuner/4003/").content.decode()
        assert "Introduksjonsprogram med fagbrev" in html, who
        assert "Historikk per runde" in html
    # The county edits its working copy after a return: readers still see the submitted text.
    services.return_submission(skien, users["imdi"], reason="Rett navnet.")
    ids = services.latest_edit_ids(skien)
    services.save_section(skien, "qualification", [], county, base_edit_id=ids["qualification"])
    client.force_login(users["ks"])
    assert "Introduksjonsprogram med fagbrev" in client.get("/kommuner/4003/").content.decode()


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_not_shown_without_the_right(client, skien, users, who):
    skien = fill_profile(skien, users["fylke_b"])
    services.submit(skien, users["fylke_b"])
    client.force_login(users[who])
    html = client.get("/kommuner/4003/").content.decode()
    assert "Introduksjonsprogram med fagbrev" not in html
    assert "Kommuneprofil" not in html


def test_anonymous_is_invited_to_log_in(client, skien, users):
    skien = fill_profile(skien, users["fylke_b"])
    services.submit(skien, users["fylke_b"])
    html = client.get("/kommuner/4003/").content.decode()
    assert "Introduksjonsprogram med fagbrev" not in html
    assert "Logg inn" in html


def test_query_count_is_bounded(
    client, skien, users, django_assert_max_num_queries, extensions_only_from
):
    extensions_only_from("skjema", "portal")  # placement bounds its own panel
    skien = fill_profile(skien, users["fylke_b"])
    services.submit(skien, users["fylke_b"])
    client.force_login(users["imdi"])
    with django_assert_max_num_queries(25):
        assert client.get("/kommuner/4003/").status_code == 200
