"""The backend contract: the same queries on the database backend and on Elasticsearch give the
same hits, the same order where the ranking is defined, and the same facet counts."""

from decimal import Decimal

import pytest

from sok.query import ProfileQuery
from sok.service import search_profiles

pytestmark = pytest.mark.django_db


def run(**kwargs):
    query = ProfileQuery(round_year=2027, **kwargs)
    return search_profiles(query)


def numbers(result):
    return [hit.payload["municipality"]["number"] for hit in result.hits]


CASES = [
    # (query, expected municipality numbers in order, or a set when only membership is defined)
    ({"sort": "name"}, ["4012", "0301", "4001", "4003"]),
    ({"text": "helse"}, {"4003", "0301"}),  # compound: helsefagarbeider, helsesektoren
    ({"text": "helsearbeider"}, {"4003"}),  # synonym of helsefagarbeider
    ({"text": "sykepleie"}, ["0301"]),  # stemming: sykepleiere
    ({"text": "Porsgrunn"}, ["4001"]),
    ({"text": "skien helsefagarbeider"}, ["4003"]),  # every word must match
    ({"text": "bygg"}, ["4001"]),  # Byggearbeidere, byggebransjen
    ({"text": "språkpraksis"}, ["4001"]),
    ({"text": "ingenting-som-finnes"}, []),
    ({"filters": {"occupation": ["5"]}}, {"4003"}),  # major group finds its sub-major 53
    ({"filters": {"occupation": ["53"]}}, {"4003"}),
    ({"filters": {"programme": ["HS"]}}, {"4003", "0301"}),
    ({"filters": {"programme": ["BABAT1----"]}}, {"4001"}),
    ({"filters": {"county": ["03"]}}, {"0301"}),
    ({"filters": {"takes_minors": ["yes"]}}, {"4003", "0301"}),
    ({"filters": {"wants_to_settle": ["no"]}}, {"4012"}),
    ({"filters": {"offer_kind": ["norwegian"]}}, {"4001"}),
    ({"filters": {"cooperation": ["4003"]}}, {"4001"}),
    ({"filters": {"household_type": ["family"]}}, {"4003", "0301"}),
    ({"filters": {"adaptation": ["adults"]}}, {"4003", "4001", "0301"}),
    ({"filters": {"adaptation": ["combination_class"]}}, {"4001"}),
    ({"filters": {"competence_level": ["higher_education"]}}, {"0301"}),
    ({"filters": {"competence_level": ["trade_certificate"]}}, {"4003", "4001"}),
    ({"filters": {"status": ["accepted"]}}, {"4003"}),
    ({"filters": {"status": ["returned"]}}, {"0301"}),
    ({"capacity_min": 20}, {"4003", "0301"}),
    ({"result_min": Decimal("60")}, {"4003"}),
    ({"sort": "capacity"}, ["0301", "4003", "4001", "4012"]),
    ({"sort": "result"}, ["4003", "0301", "4012", "4001"]),  # no result: by name
    ({"text": "helse", "filters": {"county": ["40"]}}, {"4003"}),
    ({"text": "helse", "filters": {"county": ["40"], "takes_minors": ["yes"]}}, {"4003"}),
    ({"filters": {"county": ["03", "40"], "takes_minors": ["no"]}}, {"4001", "4012"}),
]


def test_hits(backend, subtests):
    for params, expected in CASES:
        with subtests.test(msg=str(params)):
            result = run(**params)
            found = numbers(result)
            if isinstance(expected, set):
                assert set(found) == expected
            else:
                assert found == expected
            assert result.count == len(found)
            assert "4005" not in found  # the draft


def test_relevance_order_is_defined_and_name_breaks_ties(backend):
    result = run(text="helsefagarbeider Oslo")
    # Oslo matches the name (weight 4); Skien matches helsefagarbeider in the text.
    assert numbers(result)[0] == "0301"
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_facets_count_the_filtered_result(backend):
    result = run(filters={"county": ["40"]})
    facets = result.facets
    # The chosen dimension counts what its other values would give (to add one with «or»).
    assert dict(facets["county"]) == {"40": 3, "03": 1}
    assert dict(facets["status"]) == {"accepted": 1, "submitted": 2}
    assert dict(facets["takes_minors"]) == {"yes": 1, "no": 2}
    assert dict(facets["occupation"]) == {"5": 1, "53": 1, "7": 1, "71": 1}
    assert dict(facets["cooperation"]) == {"4003": 1}
    assert dict(facets["adaptation"]) == {
        "adults": 2,
        "minority_language": 2,
        "combination_class": 1,
    }
    assert dict(facets["competence_level"]) == {"trade_certificate": 2}


def test_each_chosen_dimension_counts_with_the_other_filters(backend):
    """Multi-select facets: a chosen dimension is counted with every filter but its own, the
    other dimensions with all of them; the text always applies."""
    result = run(text="helse", filters={"county": ["40"], "takes_minors": ["yes"]})
    assert numbers(result) == ["4003"]
    facets = {dimension: dict(values) for dimension, values in result.facets.items()}
    assert facets["county"] == {"40": 1, "03": 1}  # helse + takes minors, any county
    assert facets["takes_minors"] == {"yes": 1}  # helse in Telemark: only Skien matches
    assert facets["status"] == {"accepted": 1}  # the hits themselves
    result = run(filters={"county": ["40"], "takes_minors": ["no"]})
    facets = {dimension: dict(values) for dimension, values in result.facets.items()}
    assert sorted(numbers(result)) == ["4001", "4012"]
    assert facets["takes_minors"] == {"yes": 1, "no": 2}
    assert facets["county"] == {"40": 2}  # Oslo takes minors


def test_highlights_explain_the_match(backend):
    result = run(text="helse")
    skien = next(h for h in result.hits if h.payload["municipality"]["number"] == "4003")
    joined = " ".join(h["html"] for h in skien.highlights)
    assert "<mark>" in joined and "helse" in joined.lower()


def test_pagination(backend):
    first = run(sort="name", page=1, page_size=2)
    second = run(sort="name", page=2, page_size=2)
    assert first.count == second.count == 4
    assert numbers(first) + numbers(second) == ["4012", "0301", "4001", "4003"]


def test_absurd_input_never_fails(backend):
    for text in ["helse " * 2000, "\x00\x07 helse", '"(unclosed AND OR * ? ~ ^ [', "æøå ÆØÅ", "  "]:
        assert run(text=text).count >= 0


def test_both_backends_agree(search_data, settings, elasticsearch_backend):
    """Run the whole case list on both and compare everything, including facet counts."""
    from sok.backends.database import DatabaseBackend
    from sok.index import rebuild_database_index

    rebuild_database_index()
    elasticsearch_backend.rebuild()
    for params, _expected in CASES:
        query = ProfileQuery(round_year=2027, **params)
        db = DatabaseBackend().search(query)
        es = elasticsearch_backend.search(query)
        assert [h.key for h in db.hits] == [h.key for h in es.hits], params
        assert db.count == es.count, params
        normalise = lambda facets: {k: sorted(v) for k, v in facets.items()}  # noqa: E731
        assert normalise(db.facets) == normalise(es.facets), params
        assert [h.highlights for h in db.hits] == [h.highlights for h in es.hits], params
        assert [h.score for h in db.hits] == [h.score for h in es.hits], params


NEAR_CASES = [
    # Porsgrunn and its neighbours Skien and Bamble; Oslo is not near Telemark.
    (
        {"near": "4001", "nearby": ("3909", "4001", "4003", "4010", "4012")},
        {"4001", "4003", "4012"},
    ),
    ({"near": "0301", "nearby": ("0301", "3201")}, {"0301"}),
    ({"near": "4001", "nearby": ("4001", "4003", "4012"), "text": "helse"}, {"4003"}),
    (
        {"near": "4003", "nearby": ("4001", "4003", "4012"), "sort": "name"},
        ["4012", "4001", "4003"],
    ),
]


def test_near_a_municipality_means_it_and_its_neighbours(backend, subtests):
    for params, expected in NEAR_CASES:
        with subtests.test(msg=str(params)):
            result = run(**params)
            found = numbers(result)
            assert (set(found) if isinstance(expected, set) else found) == expected
            assert result.count == len(found)


def test_near_applies_to_every_facet_and_a_chosen_one_keeps_its_other_values(backend):
    result = run(near="4001", nearby=("4001", "4003", "4012"), filters={"takes_minors": ["yes"]})
    assert numbers(result) == ["4003"]
    facets = {dimension: dict(values) for dimension, values in result.facets.items()}
    assert facets["county"] == {"40": 1}  # Oslo is not nearby, whatever the filters
    assert facets["takes_minors"] == {"yes": 1, "no": 2}  # its own filter left out
    assert facets["status"] == {"accepted": 1}


def test_both_backends_agree_near(search_data, settings, elasticsearch_backend):
    from sok.backends.database import DatabaseBackend
    from sok.index import rebuild_database_index

    rebuild_database_index()
    elasticsearch_backend.rebuild()
    for params, _expected in NEAR_CASES:
        for round_year in (2027, None):
            query = ProfileQuery(round_year=round_year, **params)
            db, es = DatabaseBackend().search(query), elasticsearch_backend.search(query)
            assert [h.key for h in db.hits] == [h.key for h in es.hits], params
            assert [h.score for h in db.hits] == [h.score for h in es.hits], params
            normalise = lambda facets: {k: sorted(v) for k, v in facets.items()}  # noqa: E731
            assert normalise(db.facets) == normalise(es.facets), params
