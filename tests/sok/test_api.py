"""The search API: permissions from every side, every filter and its facets with labels,
sorting and paging links, bad parameters (400 in Norwegian, never 500), the fallback flag,
municipality suggestions, the OpenAPI schema, and bounded queries."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.tokens import issue_token
from sok import bench
from sok.facets import REGISTER_NAMES_KEY
from sok.index import rebuild_database_index
from sok.serializers import MunicipalitySuggestionsSerializer, ProfileSearchSerializer

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/profiles/"
SUGGEST = "/api/v1/search/municipalities/"


@pytest.fixture
def indexed(search_data, database_backend):
    rebuild_database_index()
    return search_data


@pytest.fixture
def api(client, users):
    def _get(query="", user="imdi", url=URL):
        if user:
            client.force_login(users[user])
        return client.get(f"{url}?{query}" if query else url)

    return _get


def numbers(response) -> list[str]:
    return [hit["municipality"]["number"] for hit in response.json()["results"]]


def facet(response, dimension) -> dict[str, tuple[int, str]]:
    return {f["value"]: (f["count"], f["label"]) for f in response.json()["facets"][dimension]}


# ---------------------------------------------------------------------------------------------
# who may search


def test_anonymous_callers_must_authenticate(client, indexed):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert client.get(SUGGEST + "?q=pors").status_code == 401


@pytest.mark.parametrize("role", ["editor", "outsider"])
def test_roles_without_search_are_refused(api, indexed, role):
    response = api("q=helse", user=role)
    assert response.status_code == 403
    assert "IMDi, KS og fylkeskommunene" in response.json()["detail"]
    assert api("q=pors", user=role, url=SUGGEST).status_code == 403


@pytest.mark.parametrize("role", ["imdi", "ks", "admin", "fylke_a", "fylke_b"])
def test_submitted_and_accepted_of_every_county_never_drafts(api, indexed, role):
    response = api("sort=name", user=role)
    assert response.status_code == 200
    assert numbers(response) == ["4012", "0301", "4001", "4003"]  # no 4005 (draft)
    assert {hit["status"] for hit in response.json()["results"]} == {
        "submitted",
        "returned",
        "accepted",
    }


def test_token_authentication(client, users, indexed):
    token = issue_token(users["ks"], name="test", days=1)[1]
    response = client.get(URL + "?q=helse", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert set(numbers(response)) == {"4003", "0301"}


# ---------------------------------------------------------------------------------------------
# the answer


def test_shape_matches_the_documented_serializer(api, indexed):
    body = api("q=helse").json()
    assert ProfileSearchSerializer(data=body).is_valid(raise_exception=True)
    assert set(body) == {
        "count",
        "partial",
        "partial_count",
        "next",
        "previous",
        "results",
        "facets",
        "backend",
        "degraded",
        "near",
    }
    skien = next(h for h in body["results"] if h["municipality"]["number"] == "4003")
    assert skien["municipality"] == {"number": "4003", "name": "Skien", "parallel_names": []}
    assert skien["county"] == {"number": "40", "name": "Telemark"}
    assert (skien["round"], skien["status"], skien["status_label"]) == (
        2027,
        "accepted",
        "Godkjent",
    )
    assert (skien["capacity"], skien["result"]) == (25, "72.5")
    assert skien["last_change"].startswith("20")
    assert skien["score"] > 0
    assert any("<mark>" in h["html"] for h in skien["highlights"])
    assert body["backend"] == "database" and body["degraded"] is False


def test_facets_carry_labels_from_the_register_and_the_choices(api, indexed):
    response = api("round=2027")
    assert facet(response, "county") == {"40": (3, "Telemark"), "03": (1, "Oslo")}
    assert facet(response, "status")["returned"] == (1, "Returnert for retting")
    assert facet(response, "offer_kind")["norwegian"] == (1, "Opplæring i norsk")
    assert facet(response, "wants_to_settle")["no"] == (1, "Nei")
    assert facet(response, "household_type")["family"] == (2, "Familier med barn")
    assert facet(response, "takes_minors") == {"yes": (2, "Ja"), "no": (2, "Nei")}
    assert facet(response, "programme")["HS"] == (2, "Helse- og oppvekstfag")
    assert facet(response, "programme")["BABAT1----"][1].startswith("Vg1 ")
    assert facet(response, "occupation")["53"] == (1, "Pleie- og omsorgsarbeidere")
    assert facet(response, "cooperation") == {"4003": (1, "Skien")}
    assert facet(response, "target_group")["Unge voksne"] == (1, "Unge voksne")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("county=03&county=40&q=helse", {"0301", "4003"}),
        ("county=03", {"0301"}),
        ("programme=HS", {"0301", "4003"}),
        ("programme=babat1----", {"4001"}),
        ("occupation=5", {"4003"}),
        ("occupation=22&occupation=71", {"0301", "4001"}),
        ("offer_kind=norwegian", {"4001"}),
        ("target_group=Unge+voksne", {"4001"}),
        ("wants_to_settle=no", {"4012"}),
        ("takes_minors=yes", {"0301", "4003"}),
        ("household_type=single", {"0301", "4001", "4003"}),
        ("status=accepted&status=returned", {"0301", "4003"}),
        ("cooperation=4003", {"4001"}),
        ("cooperation=Skien", {"4001"}),
        ("capacity_min=20", {"0301", "4003"}),
        ("result_min=60", {"4003"}),
        ("result_min=55,0", {"0301", "4003"}),
        ("round=2026", set()),
    ],
)
def test_filters(api, indexed, query, expected):
    response = api(query)
    assert response.status_code == 200, response.json()
    assert set(numbers(response)) == expected
    assert response.json()["count"] == len(expected)


def test_facets_count_the_filtered_result(api, indexed):
    response = api("county=40&takes_minors=no")
    assert facet(response, "status") == {"submitted": (2, "Sendt inn")}
    assert set(facet(response, "county")) == {"40"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["4012", "0301", "4001", "4003"]),
        ("capacity", ["0301", "4003", "4001", "4012"]),
        ("result", ["4003", "0301", "4012", "4001"]),
    ],
)
def test_sort(api, indexed, sort, expected):
    assert numbers(api(f"sort={sort}")) == expected


def test_relevance_puts_name_matches_first(api, indexed):
    response = api("q=helsefagarbeider+Oslo")
    assert numbers(response)[0] == "0301"
    scores = [hit["score"] for hit in response.json()["results"]]
    assert scores == sorted(scores, reverse=True)


def _link(url):
    parts = urlsplit(url)
    return parts.path, dict(parse_qsl(parts.query))


def test_pages_link_to_each_other(api, indexed):
    first = api("sort=name&page_size=3").json()
    assert first["count"] == 4 and first["previous"] is None
    assert _link(first["next"]) == (URL, {"sort": "name", "page_size": "3", "page": "2"})
    second = api("sort=name&page_size=3&page=2").json()
    assert [h["municipality"]["number"] for h in second["results"]] == ["4003"]
    assert second["next"] is None
    assert _link(second["previous"]) == (URL, {"sort": "name", "page_size": "3"})
    beyond = api("sort=name&page_size=3&page=7").json()
    assert beyond["results"] == [] and beyond["count"] == 4
    assert _link(beyond["previous"])[1]["page"] == "2"


# ---------------------------------------------------------------------------------------------
# bad parameters


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("page=abc", "page", "Sidetallet må være et helt tall, 1 eller mer."),
        ("page=0", "page", "Sidetallet må være et helt tall, 1 eller mer."),
        ("page=100000", "page", "høyst 10\u00a0000 treff"),
        ("page_size=0", "page_size", "fra 1 til 100"),
        ("capacity_min=-5", "capacity_min", "Kapasitet må være et helt tall, 0 eller mer."),
        ("result_min=120", "result_min", "mellom 0 og 100"),
        ("sort=foo", "sort", "Ukjent sortering «foo». Gyldige verdier: relevance, capacity"),
        ("round=xyz", "round", "Runden må være et årstall, for eksempel 2027."),
        ("q=" + "x" * 10_000, "q", "Søketeksten kan være høyst 500 tegn (den har 10000)."),
        ("county=99", "county", "Ukjent fylkesnummer: «99»."),
        ("occupation=abc", "occupation", "ett til fire sifre"),
        ("status=draft", "status", "Ukjent verdi «draft»"),
        ("takes_minors=true", "takes_minors", "Gyldige verdier: yes, no."),
        ("cooperation=Atlantis", "cooperation", "Fant ingen kommune"),
    ],
)
def test_bad_parameters_get_400_in_norwegian(api, indexed, query, field, message):
    response = api(query)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field]), response.json()


def test_several_bad_parameters_are_reported_together(api, indexed):
    body = api("page=abc&capacity_min=-5&sort=foo&round=xyz").json()
    assert set(body) == {"page", "capacity_min", "sort", "round"}


@pytest.mark.parametrize(
    "query",
    [
        "q=%00%01helse%7F",
        "q=%22(unclosed+AND+OR+*+%3F+~+%5E+%5B",
        "q=%E6%F8%E5",  # Latin-1 bytes, not UTF-8
        "q=" + "helse+" * 400,
        "foo=bar&county=",
        "target_group=%00",
        "page_size=100&page=100",
    ],
)
def test_odd_input_is_answered(api, indexed, query):
    assert api(query).status_code in {200, 400}


# ---------------------------------------------------------------------------------------------
# backends


def test_each_backend_answers_the_same_way(api, backend):
    """The API over the database and over Elasticsearch (``backend`` is parametrised)."""
    response = api("q=helse&sort=name")
    body = response.json()
    assert body["backend"] == backend.name and body["degraded"] is False
    assert numbers(response) == ["0301", "4003"]
    assert "engine;dur=" in response["Server-Timing"]
    assert facet(response, "county") == {"03": (1, "Oslo"), "40": (1, "Telemark")}


def test_unreachable_elasticsearch_is_flagged_and_served_from_the_database(api, indexed, settings):
    settings.SOK_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    response = api("q=helse")
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True and body["backend"] == "database"
    assert set(numbers(response)) == {"0301", "4003"}


# ---------------------------------------------------------------------------------------------
# municipality suggestions


def suggestions(api, text, user="imdi"):
    response = api(f"q={text}", user=user, url=SUGGEST)
    assert response.status_code == 200
    assert MunicipalitySuggestionsSerializer(data=response.json()).is_valid(raise_exception=True)
    return [(m["number"], m["name"]) for m in response.json()["results"]]


def test_suggestions_by_folded_prefix(api, db, register):
    assert suggestions(api, "pors") == [("5622", "Porsanger"), ("4001", "Porsgrunn")]
    assert suggestions(api, "tromso") == [("5501", "Tromsø")]
    assert suggestions(api, "TROMSØ") == [("5501", "Tromsø")]
    assert ("3226", "Aurskog-Høland") in suggestions(api, "holand")


def test_suggestions_by_parallel_name(api, db, register):
    assert suggestions(api, "aarborte") == [("1826", "Hattfjelldal")]


def test_suggestions_put_exact_and_prefix_matches_first_and_stop_at_ten(api, db, register):
    found = suggestions(api, "os")
    assert found[:3] == [("3430", "Os"), ("5020", "Osen"), ("0301", "Oslo")]
    assert len(found) == 10
    assert len(suggestions(api, "a")) == 10


def test_suggestions_are_todays_municipalities(api, db, register):
    numbers_found = [number for number, _name in suggestions(api, "porsgrunn")]
    assert numbers_found == ["4001"]  # not 3806, Porsgrunn in Vestfold og Telemark 2020–2023


@pytest.mark.parametrize("text", ["", "%00%00", "x" * 5000, "%22*"])
def test_odd_suggestion_input(api, db, register, text):
    response = api(f"q={text}", url=SUGGEST)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_suggestions_carry_the_county(api, db, register):
    response = api("q=skien", url=SUGGEST)
    assert response.json()["results"][0]["county"] == {"number": "40", "name": "Telemark"}


# ---------------------------------------------------------------------------------------------
# schema


def test_openapi_schema_documents_both_endpoints(client, users):
    client.force_login(users["imdi"])
    schema = client.get("/api/v1/schema/?format=json").json()
    search = schema["paths"]["/api/v1/search/profiles/"]["get"]
    parameters = {p["name"]: p for p in search["parameters"]}
    assert set(parameters) >= {
        "q",
        "round",
        "county",
        "programme",
        "occupation",
        "offer_kind",
        "target_group",
        "wants_to_settle",
        "capacity_min",
        "takes_minors",
        "result_min",
        "cooperation",
        "household_type",
        "status",
        "sort",
        "page",
        "page_size",
    }
    assert parameters["county"]["schema"]["type"] == "array"
    assert parameters["county"]["explode"] is True
    assert set(parameters["sort"]["schema"]["enum"]) == {
        "",  # the default order (relevance), as the search page sends it
        "relevance",
        "capacity",
        "remaining",  # placement's «ledig» sort
        "result",
        "name",
    }
    assert set(search["responses"]) >= {"200", "400"}
    assert "/api/v1/search/municipalities/" in schema["paths"]


# ---------------------------------------------------------------------------------------------
# bounded queries


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def test_queries_are_bounded_whatever_the_number_of_hits(
    client, users, database_backend, django_assert_max_num_queries
):
    client.force_login(users["imdi"])
    bench.seed(users["imdi"], rounds=[2031], municipalities=8)
    bench.seed(users["imdi"], rounds=[2032], municipalities=80, seed_value=7)
    rebuild_database_index()
    query = "q=helse+bygg&page_size=100&takes_minors=yes&takes_minors=no&occupation=2"
    cache.delete(REGISTER_NAMES_KEY)
    # With the register names read afresh; each chosen dimension adds one facet query, and
    # one query reads the chosen values the hits have (they rank, and the hit shows them).
    with django_assert_max_num_queries(15):
        client.get(f"{URL}?round=2031&{query}")
    few = _count(client, f"{URL}?round=2031&{query}")
    many = _count(client, f"{URL}?round=2032&{query}")
    assert many == few <= 9
    assert len(client.get(f"{URL}?round=2032&{query}").json()["results"]) > 20
