"""The search registry: every section field is searchable or excluded on purpose, and apps above
sok can add a number (filter and sort) and ask for documents to be rebuilt."""

import pytest

from skjema.reading import PROFILE_SECTIONS
from sok import dimensions
from sok.forms import SearchForm
from sok.models import SearchDocument
from sok.query import ProfileQuery
from sok.service import search_profiles


def test_every_section_field_is_indexed_or_explicitly_excluded():
    indexed = dimensions.registry.indexed_fields()
    excluded = set(dimensions.registry.excluded)
    fields = {(section.key, name) for section in PROFILE_SECTIONS for name in section.fields}
    assert fields - indexed - excluded == set(), "add a Part, Facet or Number, or exclude it"
    assert indexed & excluded == set(), "a field cannot be both indexed and excluded"
    assert (indexed | excluded) - fields == set(), "the registry names a field no section has"


def test_each_facet_and_number_is_a_search_parameter():
    fields = SearchForm.search_fields()
    for key in dimensions.facets():
        assert key in fields
    for number in dimensions.numbers().values():
        assert number.parameter in fields


def test_a_key_is_registered_once():
    with pytest.raises(ValueError, match="allerede registrert"):
        dimensions.register(dimensions.Number("capacity", "Noe annet", value=lambda s: 1))


# -- an app above sok registers a number ------------------------------------------------------

REMAINING: dict[str, int] = {}


def _remaining(sources):
    return {s.key: REMAINING.get(s.municipality.number) for s in sources}


@pytest.fixture
def remaining():
    """A «remaining capacity» number as placement registers it (per batch), removed after."""
    REMAINING.clear()
    REMAINING.update({"4003": 12, "0301": 3, "4001": 7})
    # placement registers the real one at start-up; stand in for it during the test.
    real = dimensions.numbers().get("remaining")
    dimensions.registry.unregister("remaining")
    entry = dimensions.register(
        dimensions.Number(
            "remaining",
            "Ledig minst",
            bulk=_remaining,
            sort_label="Ledig kapasitet (flest først)",
        )
    )
    yield entry
    dimensions.registry.unregister("remaining")
    if real is not None:
        dimensions.register(real)
    REMAINING.clear()


@pytest.fixture
def backend_with_remaining(remaining, request, search_data):
    from sok.index import rebuild_database_index

    rebuild_database_index()
    name = request.param
    backend = request.getfixturevalue(f"{name}_backend")
    if name == "elasticsearch":
        backend.rebuild()
    return backend


def _numbers(result):
    return [hit.payload["municipality"]["number"] for hit in result.hits]


@pytest.mark.django_db
@pytest.mark.parametrize("backend_with_remaining", ["database", "elasticsearch"], indirect=True)
def test_a_registered_number_filters_sorts_and_comes_back_with_the_hit(backend_with_remaining):
    found = search_profiles(ProfileQuery(round_year=2027, minimums={"remaining": 5}))
    assert set(_numbers(found)) == {"4003", "4001"}
    ordered = search_profiles(ProfileQuery(round_year=2027, sort="remaining"))
    assert _numbers(ordered) == ["4003", "4001", "0301", "4012"]  # none last
    # (placement registers other numbers too: compare this one)
    assert ordered.hits[0].numbers["remaining"] == 12
    assert "remaining" not in ordered.hits[-1].numbers


@pytest.mark.django_db
def test_the_form_takes_the_registered_minimum_and_sort(remaining):
    form = SearchForm({"remaining_min": "4", "sort": "remaining"})
    assert form.is_valid(), form.errors
    query = form.to_query()
    assert query.minimums == {"remaining": 4}
    assert query.sort == "remaining"
    assert not SearchForm({"remaining_min": "-1"}).is_valid()


@pytest.mark.django_db
def test_mark_stale_rebuilds_only_the_given_documents(remaining, search_data, database_backend):
    from sok.index import mark_stale, rebuild_database_index

    rebuild_database_index()
    before = dict(SearchDocument.objects.values_list("key", "updated_at"))
    REMAINING["4003"] = 0
    REMAINING["0301"] = 30
    keys = mark_stale(round_year=2027, municipalities=["4003"])
    assert keys == ["2027-4003"]
    documents = {d.key: d for d in SearchDocument.objects.all()}
    assert documents["2027-4003"].numbers["remaining"] == 0.0
    assert documents["2027-0301"].numbers["remaining"] == 3.0  # not asked for
    assert documents["2027-0301"].updated_at == before["2027-0301"]
    found = search_profiles(ProfileQuery(round_year=2027, minimums={"remaining": 1}))
    assert set(_numbers(found)) == {"0301", "4001"}
