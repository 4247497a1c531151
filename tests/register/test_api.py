"""The register API: counties, municipalities by structure and county, occupations, programmes."""

import pytest
from rest_framework.test import APIClient

from portal.accounts.tokens import issue_token


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["fylke_a"])
    return client


@pytest.mark.django_db
class TestMunicipalities:
    def test_structure_2024_has_357_municipalities(self, api):
        body = api.get("/api/v1/municipalities/", {"structure": "2024"}).json()
        assert body["count"] == 357
        assert len(body["results"]) == 50  # paginated
        assert body["next"]

    def test_structure_2020_has_356_and_a_year_resolves_it(self, api):
        assert api.get("/api/v1/municipalities/?structure=2020").json()["count"] == 356
        assert api.get("/api/v1/municipalities/?structure=2022").json()["count"] == 356

    def test_county_filter(self, api):
        body = api.get("/api/v1/municipalities/", {"structure": "2024", "county": "40"}).json()
        numbers = [m["number"] for m in body["results"]]
        assert body["count"] == 17
        assert "4001" in numbers  # Porsgrunn
        assert all(m["county"]["number"] == "40" for m in body["results"])

    def test_numbers_are_strings_with_leading_zero(self, api):
        body = api.get("/api/v1/municipalities/0301/").json()
        assert body["number"] == "0301"
        assert body["name"] == "Oslo"
        assert body["county"]["number"] == "03"

    def test_detail_shows_code_history(self, api):
        body = api.get("/api/v1/municipalities/1507/").json()
        assert body["valid_to"] == "2023-12-31"
        assert {s["number"] for s in body["successors"]} == {"1508", "1580"}
        haram = api.get("/api/v1/municipalities/1580/").json()
        assert [p["number"] for p in haram["predecessors"]] == ["1507"]

    def test_unknown_structure_is_a_clear_400(self, api):
        response = api.get("/api/v1/municipalities/", {"structure": "1850"})
        assert response.status_code == 400
        assert "Ukjent strukturversjon" in response.json()["structure"][0]

    @pytest.mark.parametrize("number", ["301", "03010", "abcd", "9999"])
    def test_unknown_or_malformed_number_is_404(self, api, number):
        assert api.get(f"/api/v1/municipalities/{number}/").status_code == 404

    def test_list_query_count_is_bounded(self, api, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):
            api.get("/api/v1/municipalities/?structure=2024&page=2")


@pytest.mark.django_db
class TestOtherResources:
    def test_counties_by_structure(self, api):
        assert api.get("/api/v1/counties/?structure=2024").json()["count"] == 15
        body = api.get("/api/v1/counties/?structure=2020").json()
        assert body["count"] == 11
        assert "30" in {c["number"] for c in body["results"]}

    def test_occupations_have_levels_and_parents(self, api):
        body = api.get("/api/v1/occupations/", {"level": 2, "parent": "2"}).json()
        assert body["count"] >= 1
        assert all(o["parent"] == "2" and o["level"] == 2 for o in body["results"])

    def test_programmes_with_areas(self, api):
        body = api.get("/api/v1/programmes/").json()
        assert body["count"] == 15
        hs = api.get("/api/v1/programmes/HS/").json()
        codes = {a["code"] for a in hs["areas"]}
        assert "HSHSF1----" in codes
        assert {a["level"] for a in hs["areas"]} == {"Vg1", "Vg2"}


@pytest.mark.django_db
class TestAuthentication:
    def test_anonymous_is_refused(self, register):
        response = APIClient().get("/api/v1/municipalities/")
        assert response.status_code in (401, 403)

    def test_user_without_role_is_refused(self, users):
        client = APIClient()
        client.force_authenticate(users["outsider"])
        assert client.get("/api/v1/municipalities/").status_code == 403

    def test_token_authentication(self, users):
        token = issue_token(users["imdi"], name="test", days=1)[1]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/counties/").status_code == 200
        client.credentials(HTTP_AUTHORIZATION="Token feil")
        assert client.get("/api/v1/counties/").status_code == 401

    def test_write_methods_are_not_allowed(self, api):
        assert api.post("/api/v1/municipalities/", {"number": "0000"}).status_code == 405
        assert api.delete("/api/v1/municipalities/0301/").status_code == 405


@pytest.mark.django_db
class TestSchema:
    def test_openapi_schema(self, api):
        response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert response.status_code == 200
        schema = response.json()
        assert schema["openapi"].startswith("3.")
        for path in [
            "/api/v1/counties/",
            "/api/v1/municipalities/",
            "/api/v1/municipalities/{number}/",
            "/api/v1/occupations/",
            "/api/v1/programmes/",
        ]:
            assert path in schema["paths"], path

    def test_docs_page_is_served_locally(self, client, users):
        client.force_login(users["imdi"])
        response = client.get("/api/v1/docs/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "swagger" in html.lower()
        assert "cdn.jsdelivr" not in html
