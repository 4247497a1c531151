"""Statistics in the API (indicators, a municipality's series) and on the municipality page."""

import pytest
from rest_framework.test import APIClient

from portal.register.models import Indicator, Municipality, StatisticValue
from portal.register.statistics import import_statistics

HEADER = (
    "Region;Navn;"
    + ";".join(
        [f"Bosetting: {m}" for m in ["Anmodning om bosetting"] * 3]
        + ["Bosetting: Vedtak om bosetting"] * 3
        + ["Bosetting: Faktisk bosetting"] * 3
        + ["Bosetting: Faktisk bosetting"]
    ),
    ";;" + ";".join(["Enhet: Personer"] * 9 + ["Enhet: Prosent"]),
    ";;" + ";".join(["År: 2020", "År: 2021", "År: 2022"] * 3 + ["År: 2021"]),
)
ROWS = (
    "K3001;Halden;10;12;1000;8;.;10;6;:;;33.3",
    "K3011;Hvaler;.;:;;;;;;;;",
)


@pytest.fixture
def statistics(register):
    raw = "\n".join([*HEADER, *ROWS]).encode("latin-1")
    return import_statistics(raw, filename="bosatt.csv")


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["fylke_b"])
    return client


@pytest.mark.django_db
class TestApi:
    def test_indicators(self, api, statistics):
        body = api.get("/api/v1/indicators/").json()
        assert [i["code"] for i in body["results"]] == [
            "anmodning",
            "vedtak",
            "bosatt",
            "bosatt_prosent",
        ]
        assert body["results"][0] == {
            "code": "anmodning",
            "name": "Anmodning om bosetting",
            "unit": "persons",
            "source": "IMDi: bosatt og anmodede",
            "description": "Antall flyktninger IMDi har anmodet kommunen om å bosette.",
        }
        assert api.get("/api/v1/indicators/bosatt_prosent/").json()["unit"] == "percent"

    def test_series_include_values_under_the_old_code(self, api, statistics):
        body = api.get("/api/v1/municipalities/3101/statistics/").json()
        assert [s["indicator"] for s in body] == ["anmodning", "vedtak", "bosatt", "bosatt_prosent"]
        anmodning = body[0]
        assert {k: anmodning[k] for k in ("indicator", "name", "unit")} == {
            "indicator": "anmodning",
            "name": "Anmodning om bosetting",
            "unit": "persons",
        }
        assert anmodning["values"] == [
            {"year": 2020, "value": "10", "status": "value", "recorded_as": "3001"},
            {"year": 2021, "value": "12", "status": "value", "recorded_as": "3001"},
            {"year": 2022, "value": "1000", "status": "value", "recorded_as": "3001"},
        ]
        assert body[1]["values"][1] == {
            "year": 2021,
            "value": None,
            "status": "not_applicable",
            "recorded_as": "3001",
        }
        assert body[2]["values"][1]["status"] == "suppressed"
        assert body[3]["values"] == [
            {"year": 2021, "value": "33.3", "status": "value", "recorded_as": "3001"}
        ]

    def test_indicator_filter(self, api, statistics):
        body = api.get("/api/v1/municipalities/3001/statistics/?indicator=vedtak,bosatt").json()
        assert [s["indicator"] for s in body] == ["vedtak", "bosatt"]
        response = api.get("/api/v1/municipalities/3001/statistics/?indicator=vedtak,tull")
        assert response.status_code == 400
        assert response.json() == {"indicator": ["Ukjent indikator: tull."]}

    def test_municipality_without_statistics(self, api, statistics):
        assert api.get("/api/v1/municipalities/0301/statistics/").json() == []
        assert api.get("/api/v1/municipalities/9998/statistics/").status_code == 404

    def test_needs_a_portal_role(self, statistics, users):
        assert APIClient().get("/api/v1/municipalities/3101/statistics/").status_code in {401, 403}
        client = APIClient()
        client.force_authenticate(users["outsider"])
        assert client.get("/api/v1/indicators/").status_code == 403

    def test_bounded_queries(self, api, statistics, django_assert_max_num_queries):
        with django_assert_max_num_queries(4):
            assert api.get("/api/v1/municipalities/3101/statistics/").status_code == 200
        with django_assert_max_num_queries(3):
            assert api.get("/api/v1/indicators/").status_code == 200

    def test_documented_in_the_schema(self, api):
        schema = api.get("/api/v1/schema/", {"format": "json"}).json()
        operation = schema["paths"]["/api/v1/municipalities/{number}/statistics/"]["get"]
        assert operation["summary"] == "Statistikk for en kommune"
        assert {p["name"] for p in operation["parameters"]} == {"number", "indicator"}
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array"
        series = schema["components"]["schemas"][body["items"]["$ref"].rsplit("/", 1)[1]]
        assert set(series["properties"]) == {
            "indicator",
            "name",
            "unit",
            "source",
            "values",
            "totals",
        }
        totals = series["properties"]["totals"]
        assert "skjermingsregel" in totals["description"]
        assert "/api/v1/indicators/" in schema["paths"]


@pytest.mark.django_db
class TestMunicipalityPage:
    def test_table_and_chart(self, client, statistics, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            response = client.get("/kommuner/3101/")
        html = response.content.decode()
        assert '<h2 id="statistikk">Bosetting over tid</h2>' in html
        assert 'role="img" aria-labelledby="stat-chart-title stat-chart-desc"' in html
        assert '<title id="stat-chart-title">Anmodet, vedtatt og bosatt i Halden</title>' in html
        assert "Høyeste verdi: 1\u202f000 (anmodet) i 2022" in html
        assert (
            "<caption>Anmodet, vedtatt og bosatt i Halden, antall personer per år</caption>" in html
        )
        assert '<th scope="col" class="num">Vedtatt</th>' in html
        assert '<th scope="row">2021</th>' in html
        assert "tidligere kommunenumre: 3001 Halden" in html
        # "." is shown as "–" and read as «ikke aktuelt»; ":" as «skjermet».
        assert (
            '<span aria-hidden="true">–</span><span class="visually-hidden">ikke aktuelt</span>'
            in html
        )
        assert '<span class="visually-hidden">skjermet</span>' in html
        assert "<dt>–</dt><dd>ikke aktuelt" in html
        assert "1\u202f000" in html  # Norwegian thousands
        assert "33,3" not in html  # per cent is not part of the persons table
        assert "<polyline" in html and "stat-marker-square" in html
        assert "Resultater fra introduksjonsprogrammet" not in html

    def test_no_section_without_statistics(self, client, statistics):
        html = client.get("/kommuner/0301/").content.decode()
        assert "Bosetting over tid" not in html
        assert "stat-chart" not in html  # the page's other SVG is the locator map

    def test_merged_parts_are_summed_and_marked(self, client, register):
        header = (HEADER[0], HEADER[1], HEADER[2].replace("2020", "2019"))
        rows = ["K0104;Moss (t.o.m. 2019);20;;;;;;;;;", "K0136;Rygge (t.o.m. 2019);10;;;;;;;;;"]
        import_statistics("\n".join([*header, *rows]).encode("latin-1"), filename="f.csv")
        html = client.get("/kommuner/3103/").content.decode()
        assert '<td class="num">30<span aria-hidden="true">*</span>' in html
        assert "(sum av 0104 Moss og 0136 Rygge)" in html
        assert "<dt>*</dt><dd>sum for kommuner som senere ble slått sammen" in html

    def test_introduction_programme_results_when_present(self, client, statistics):
        intro = Indicator.objects.create(
            code="intro_resultat",
            name="Andel i arbeid eller utdanning ett år etter introduksjonsprogrammet",
            unit=Indicator.Unit.PERCENT,
            source="IMDi",
        )
        StatisticValue.objects.create(
            indicator=intro,
            municipality=Municipality.objects.get(number="3001"),
            year=2021,
            value="61.5",
            status="value",
        )
        html = client.get("/kommuner/3101/").content.decode()
        assert "<h3>Resultater fra introduksjonsprogrammet</h3>" in html
        assert "Andel i arbeid eller utdanning ett år etter introduksjonsprogrammet" in html
        assert '<td class="num">61,5</td>' in html
