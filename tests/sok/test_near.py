"""«I nærheten av»: a municipality (by number or name) and its neighbours from the register,
as an API parameter and a control on the search page; bad input is refused in Norwegian."""

import pytest

from sok.index import rebuild_database_index
from sok.serializers import ProfileSearchSerializer

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/profiles/"


@pytest.fixture
def indexed(search_data, database_backend):
    rebuild_database_index()
    return search_data


def _numbers(response) -> list[str]:
    return [hit["municipality"]["number"] for hit in response.json()["results"]]


@pytest.mark.parametrize("near", ["4001", "Porsgrunn", "porsgrunn", "4001 Porsgrunn"])
def test_near_by_number_or_name_gives_the_municipality_and_its_neighbours(
    client, users, indexed, near
):
    client.force_login(users["imdi"])
    response = client.get(URL, {"near": near, "sort": "name"})
    assert response.status_code == 200, response.content
    assert _numbers(response) == ["4012", "4001", "4003"]  # Bamble, Porsgrunn, Skien; no Oslo
    applied = response.json()["near"]
    assert applied["number"] == "4001" and applied["name"] == "Porsgrunn"
    nearby = [m["number"] for m in applied["municipalities"]]
    assert {"4001", "4003", "4012"} <= set(nearby) and "0301" not in nearby
    assert ProfileSearchSerializer(data=response.json()).is_valid()


def test_without_near_the_answer_says_null(client, users, indexed):
    client.force_login(users["imdi"])
    body = client.get(URL).json()
    assert body["near"] is None
    assert len(body["results"]) == 4


@pytest.mark.parametrize("near", ["Atlantis", "9999", "4" * 101])
def test_an_unknown_municipality_is_refused_in_norwegian(client, users, indexed, near):
    client.force_login(users["imdi"])
    response = client.get(URL, {"near": near})
    assert response.status_code == 400
    message = " ".join(response.json()["near"])
    assert "kommune" in message.lower()


def test_the_page_offers_the_control_and_a_removable_chip(client, users, indexed):
    client.force_login(users["imdi"])
    response = client.get("/sok/", {"near": "Porsgrunn"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_near"' in page and 'value="Porsgrunn"' in page
    assert "I nærheten av: Porsgrunn og nabokommunene" in page
    assert "<strong>3</strong> kommuneprofiler" in page  # Porsgrunn, Skien, Bamble


def test_the_page_says_what_is_wrong_with_near(client, users, indexed):
    client.force_login(users["imdi"])
    response = client.get("/sok/", {"near": "Atlantis"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fant ingen kommune som heter eller har nummeret «Atlantis»." in page
    assert 'href="#id_near"' in page


def test_the_schema_documents_near(client, users):
    client.force_login(users["imdi"])
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "I nærheten av" in schema.content.decode()
