"""Query parameters the schema forbids are refused with a Norwegian 400 (or 404 for a page),
never read as if absent; and the schema states the input rules the serializers enforce."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["imdi"])
    return client


@pytest.mark.django_db
class TestRefused:
    @pytest.mark.parametrize("value", ["null", "-1", "", "ja"])
    def test_current_must_be_true_or_false(self, api, value):
        response = api.get("/api/v1/municipalities/", {"current": value})
        assert response.status_code == 400
        assert response.json()["current"] == ["Skriv «true» eller «false»."]

    def test_current_true_and_false_still_filter(self, api):
        current = api.get("/api/v1/municipalities/", {"current": "true", "structure": "2024"})
        assert current.status_code == 200
        assert current.json()["count"] == 357
        assert api.get("/api/v1/municipalities/", {"current": "false"}).status_code == 200

    def test_an_empty_status_is_refused(self, api):
        response = api.get("/api/v1/profiles/", {"status": ""})
        assert response.status_code == 400
        assert "status" in response.json()

    def test_an_empty_page_is_not_the_first_page(self, api):
        response = api.get("/api/v1/counties/", {"page": ""})
        assert response.status_code == 404
        assert response.json()["detail"] == "Ugyldig side: skriv et sidetall."

    @pytest.mark.parametrize("value", ["abc", "0", "201", ""])
    def test_a_page_size_out_of_range_is_refused(self, api, value):
        response = api.get("/api/v1/profiles/", {"page_size": value})
        assert response.status_code == 400
        assert response.json()["page_size"] == [
            "Treff per side må være et helt tall fra 1 til 200."
        ]


@pytest.mark.django_db
def test_the_schema_states_the_input_rules(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert components["ProfileReturn"]["anyOf"][0]["required"] == ["reason"]
    assert components["BatchRequest"]["properties"]["households"]["minItems"] == 1
    assert components["RankingRequest"]["additionalProperties"] is False
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/municipalities/"]["get"]["parameters"]
    }
    assert "2024" in parameters["structure"]["enum"]
    assert parameters["page"]["minimum"] == 1
    path = schema["paths"]["/api/v1/profiles/{id}/return/"]["post"]
    assert path["requestBody"]["required"] is True
