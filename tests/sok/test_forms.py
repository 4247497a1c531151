"""The search form: one parser for the page and the API; bad input gets a Norwegian message,
control characters are dropped, and the result is a ProfileQuery."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from sok.forms import SearchForm

pytestmark = pytest.mark.django_db


def form(query: str) -> SearchForm:
    return SearchForm(QueryDict(query))


def test_empty_parameters_search_the_given_default_round_by_relevance():
    f = form("")
    assert f.is_valid(), f.errors
    query = f.to_query(default_round=2027)
    assert (query.text, query.round_year, query.filters, query.sort) == ("", 2027, {}, "relevance")
    assert (query.page, query.page_size, query.capacity_min, query.result_min) == (
        1,
        20,
        None,
        None,
    )


def test_every_parameter_reaches_the_query():
    f = form(
        "q=helse&round=2026&county=03&county=40&programme=hs&programme=HSHSF1----"
        "&occupation=5&occupation=53&offer_kind=introduction&target_group=Unge+voksne"
        "&wants_to_settle=yes&takes_minors=no&household_type=family&status=accepted"
        "&cooperation=4003&capacity_min=10&result_min=72,5&sort=capacity&page=2&page_size=5"
    )
    assert f.is_valid(), f.errors
    query = f.to_query(default_round=2027)
    assert query.text == "helse"
    assert query.round_year == 2026
    assert query.filters == {
        "county": ["03", "40"],
        "programme": ["HS", "HSHSF1----"],  # upper-cased
        "occupation": ["5", "53"],
        "offer_kind": ["introduction"],
        "target_group": ["Unge voksne"],
        "wants_to_settle": ["yes"],
        "takes_minors": ["no"],
        "household_type": ["family"],
        "status": ["accepted"],
        "cooperation": ["4003"],
    }
    assert (query.capacity_min, query.result_min) == (10, Decimal("72.5"))
    assert (query.sort, query.page, query.page_size) == ("capacity", 2, 5)


def test_repeated_and_empty_values_are_folded_away():
    f = form("county=40&county=40&county=&occupation=+53+&occupation=")
    assert f.is_valid(), f.errors
    assert f.to_query().filters == {"county": ["40"], "occupation": ["53"]}


def test_control_characters_are_dropped_silently():
    f = form("q=hel%00se%07+fag&target_group=Unge%0Bvoksne")
    assert f.is_valid(), f.errors
    query = f.to_query()
    assert "\x00" not in query.text and "\x07" not in query.text
    assert query.filters["target_group"] == ["Unge voksne"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("q=" + "a" * 10_000, "q", "høyst 500 tegn (den har 10000)"),
        ("round=xyz", "round", "Runden må være et årstall"),
        ("round=99999", "round", "Runden må være et årstall"),
        ("page=abc", "page", "Sidetallet må være et helt tall"),
        ("page=0", "page", "Sidetallet må være et helt tall"),
        ("page=501", "page", "høyst 10\u00a0000 treff"),  # 501 × 20 is past the window
        ("page_size=1000", "page_size", "fra 1 til 100"),
        ("capacity_min=-5", "capacity_min", "0 eller mer"),
        ("capacity_min=mange", "capacity_min", "helt tall"),
        ("result_min=101", "result_min", "mellom 0 og 100"),
        ("result_min=høy", "result_min", "mellom 0 og 100"),
        ("sort=foo", "sort", "Ukjent sortering «foo»"),
        ("status=draft", "status", "Ukjent verdi «draft»"),
        ("offer_kind=sirkus", "offer_kind", "Ukjent verdi «sirkus»"),
        ("takes_minors=kanskje", "takes_minors", "Gyldige verdier: yes, no"),
        ("county=3", "county", "to sifre"),
        ("county=99", "county", "Ukjent fylkesnummer: «99»"),
        ("programme=ZZ", "programme", "Ukjent kode for utdanningsprogram"),
        ("programme=%3Cscript%3E", "programme", "Oppgi en kode"),
        ("occupation=12345", "occupation", "ett til fire sifre"),
        ("occupation=9999", "occupation", "Ukjent STYRK-08-kode: «9999»"),
        ("cooperation=9999", "cooperation", "«9999»"),
        ("cooperation=Atlantis", "cooperation", "Fant ingen kommune"),
        ("target_group=" + "x" * 101, "target_group", "høyst 100 tegn"),
        ("county=" + "&county=".join(f"{n:02d}" for n in range(60)), "county", "høyst 50"),
    ],
)
def test_bad_input_gets_a_norwegian_message(query, field, message):
    f = form(query)
    assert not f.is_valid()
    assert message in " ".join(f.errors_by_field()[field]), f.errors_by_field()


def test_municipality_names_are_resolved_for_cooperation():
    f = form("cooperation=skien&cooperation=4001+Porsgrunn&cooperation=TROMSO")
    assert f.is_valid(), f.errors
    assert f.to_query().filters["cooperation"] == ["4003", "4001", "5501"]


def test_unknown_parameters_are_ignored():
    f = form("foo=bar&county=40")
    assert f.is_valid(), f.errors
    assert f.to_query().filters == {"county": ["40"]}


def test_codes_are_checked_against_the_cached_register(django_assert_max_num_queries):
    from django.core.cache import cache

    from sok.facets import REGISTER_NAMES_KEY

    cache.delete(REGISTER_NAMES_KEY)
    occupations = "&".join(f"occupation={code}" for code in ("1", "2", "21", "22", "5", "53"))
    with django_assert_max_num_queries(5):  # counties, municipalities, STYRK, programmes, areas
        assert form(f"{occupations}&county=03&county=40&programme=HS").is_valid()
    with django_assert_max_num_queries(0):
        assert form(f"{occupations}&county=03&cooperation=4003&status=accepted").is_valid()
