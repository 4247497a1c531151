"""Issue 10 on both backends: every word counts, partial matches apart, phrases, names as whole
words, nynorsk, filters that rank, and why a hit matched."""

import pytest

from sok.query import ProfileQuery
from sok.service import search_profiles

pytestmark = pytest.mark.django_db


def run(**kwargs):
    return search_profiles(ProfileQuery(round_year=2027, **kwargs))


def numbers(result):
    return [hit.payload["municipality"]["number"] for hit in result.hits]


CASES = [
    ({"text": "helsefagarbeider fagbrev"}, ["4003"]),  # both words in Skien
    ({"text": "helsefagarbeidar"}, ["4003"]),  # nynorsk
    ({"text": "sjukepleiar"}, ["0301"]),  # nynorsk, and the plural «sykepleiere»
    ({"text": "sjukepleiarar i Oslo"}, ["0301"]),
    ({"text": "kommunale bustader"}, ["4012", "0301", "4001", "4003"]),  # all: «boliger»
    ({"text": '"språkpraksis i byggebransjen"'}, ["4001"]),  # a phrase
    ({"text": '"byggebransjen språkpraksis"'}, []),  # the words, not side by side
    ({"text": "helsefag"}, ["4003"]),  # compound prefix and synonyms
    ({"text": '"helsefag"'}, []),  # quoted: the word itself only
    ({"text": "porsg"}, []),  # a name matches as a whole word, never by its beginning
    ({"text": "tømrarar"}, ["4001"]),  # nynorsk plural of «tømrer»
]


def test_every_word_counts(backend, subtests):
    for params, expected in CASES:
        with subtests.test(msg=str(params)):
            result = run(**params)
            assert numbers(result) == expected
            assert result.count == len(expected)
            assert not result.partial
            assert all(hit.matched_all_terms for hit in result.hits)


def test_adding_words_narrows_and_partial_matches_are_their_own_group(backend):
    one = run(text="helsefagarbeider")
    two = run(text="helsefagarbeider norskopplæring")
    assert numbers(one) == ["4003"]
    # No profile has both: no full match, the partial ones apart and marked.
    assert two.count == 0 and two.partial and two.partial_count == 2
    assert set(numbers(two)) == {"4003", "4001"}
    assert not any(hit.matched_all_terms for hit in two.hits)
    assert {tuple(hit.matched_terms) for hit in two.hits} == {
        ("helsefagarbeider",),
        ("norskopplæring",),
    }


def test_a_profile_with_more_of_the_chosen_values_ranks_first(backend):
    result = run(filters={"adaptation": ["adults", "combination_class"]})
    assert numbers(result) == ["4001", "0301", "4003"]  # both values first, then by name
    assert result.hits[0].filters == {"adaptation": ["adults", "combination_class"]}
    assert result.hits[1].filters == {"adaptation": ["adults"]}
    assert result.hits[0].score > result.hits[1].score == result.hits[2].score


def test_why_it_matched_is_one_labelled_snippet_per_section(backend):
    result = run(text="helsefagarbeider")
    (skien,) = result.hits
    sections = [h["section"] for h in skien.highlights]
    assert len(sections) == len(set(sections))
    labour = next(h for h in skien.highlights if h["section"] == "labour")
    assert labour["label"] == "Arbeidskraftbehov"
    assert "<mark>Helsefagarbeidere</mark>" in labour["html"]
    assert skien.matched_terms == ["helsefagarbeider"]


def test_both_backends_agree_on_the_new_cases(search_data, elasticsearch_backend):
    from sok.backends.database import DatabaseBackend
    from sok.index import rebuild_database_index

    rebuild_database_index()
    elasticsearch_backend.rebuild()
    extra = [
        {"text": "helsefagarbeider norskopplæring"},
        {"text": "helsefagarbeider Oslo"},
        {"filters": {"adaptation": ["adults", "combination_class"]}},
        {"text": "helse", "filters": {"adaptation": ["adults", "combination_class"]}},
    ]
    for params in [p for p, _expected in CASES] + extra:
        query = ProfileQuery(round_year=2027, **params)
        db = DatabaseBackend().search(query)
        es = elasticsearch_backend.search(query)
        assert [h.key for h in db.hits] == [h.key for h in es.hits], params
        assert (db.count, db.partial, db.partial_count) == (
            es.count,
            es.partial,
            es.partial_count,
        ), params
        assert [h.score for h in db.hits] == [h.score for h in es.hits], params
        assert [h.highlights for h in db.hits] == [h.highlights for h in es.hits], params
        assert [h.matched_terms for h in db.hits] == [h.matched_terms for h in es.hits], params
        assert [h.filters for h in db.hits] == [h.filters for h in es.hits], params
        normalise = lambda facets: {k: sorted(v) for k, v in facets.items()}  # noqa: E731
        assert normalise(db.facets) == normalise(es.facets), params
