"""Rebuilding the index: searching keeps working while it runs, the alias moves to a fresh
index without downtime, and ``sok_reindex`` reports what it did."""

import pytest
from django.core.management import call_command

from sok.index import rebuild_database_index
from sok.query import ProfileQuery
from sok.service import search_profiles

pytestmark = pytest.mark.django_db

EXPECTED = {"4003", "4001", "0301", "4012"}


def _numbers():
    result = search_profiles(ProfileQuery(round_year=2027))
    return {h.payload["municipality"]["number"] for h in result.hits}


def test_database_rebuild_keeps_search_working(search_data, database_backend):
    rebuild_database_index()
    seen = []
    rebuild_database_index(progress=lambda n: seen.append(_numbers()))
    assert seen and all(numbers == EXPECTED for numbers in seen)
    assert _numbers() == EXPECTED


def test_elasticsearch_rebuild_swaps_alias_without_downtime(search_data, elasticsearch_backend):
    backend = elasticsearch_backend
    rebuild_database_index()
    backend.rebuild()
    first = set(backend.client.indices.get_alias(name=backend.alias))
    seen = []
    backend.rebuild(progress=lambda n: seen.append(_numbers()), batch_size=1)
    assert len(seen) == 4 and all(numbers == EXPECTED for numbers in seen)
    second = set(backend.client.indices.get_alias(name=backend.alias))
    assert first.isdisjoint(second) and len(second) == 1
    assert not backend.client.indices.exists(index=",".join(first))
    assert _numbers() == EXPECTED


def test_reindex_command_reports(search_data, database_backend, capsys):
    call_command("sok_reindex")
    out = capsys.readouterr().out
    assert "Indekserte 4 kommuneprofiler" in out


def _index_snapshot():
    from sok.models import SearchDocument

    return {
        doc.key: (
            doc.payload,
            doc.numbers,
            doc.version_number,
            doc.capacity,
            sorted(doc.terms.values_list("field", "term")),
            sorted(doc.facets.values_list("dimension", "value")),
        )
        for doc in SearchDocument.objects.prefetch_related("terms", "facets")
    }


def test_rebuild_writes_what_a_live_update_writes(search_data, database_backend):
    """The rebuild writes by COPY on PostgreSQL and by upsert elsewhere; a document written
    by the live path (``write_documents``) must come out the same."""
    from sok import store

    rebuild_database_index()
    rebuilt = _index_snapshot()
    profiles = list(store.indexable_profiles())
    store.write_documents(store.build_documents(profiles))
    assert _index_snapshot() == rebuilt
    assert {key for key in rebuilt if key.startswith("2027-")} == {f"2027-{n}" for n in EXPECTED}


def test_rebuild_that_fails_midway_leaves_the_old_index_serving(search_data, database_backend):
    """A rebuild that raises before it is done changes nothing: the old documents (on
    PostgreSQL the old tables) keep answering, and no half-built table is left behind."""
    from django.db import connection

    rebuild_database_index()
    before = _index_snapshot()

    def fail(n):
        assert _numbers() == EXPECTED
        raise RuntimeError("stopp")

    with pytest.raises(RuntimeError, match="stopp"):
        rebuild_database_index(progress=fail, chunk=2)
    assert _index_snapshot() == before
    assert _numbers() == EXPECTED
    leftovers = [name for name in connection.introspection.table_names() if "__next" in name]
    assert leftovers == []


def test_live_updates_during_a_rebuild_are_kept(search_data, database_backend):
    """A profile withdrawn from search while the rebuild runs (after the rebuild has read it)
    stays out of the index the rebuild leaves, and a document written live stays written."""
    from skjema.models import MunicipalityProfile
    from skjema.models.submissions import Status
    from sok import store
    from sok.index import refresh_profile
    from sok.models import SearchDocument

    rebuild_database_index()
    withdrawn = MunicipalityProfile.objects.get(round__year=2027, municipality__number="4012")
    written = MunicipalityProfile.objects.get(round__year=2027, municipality__number="0301")
    calls = []

    def live_updates(n):
        if not calls:
            MunicipalityProfile.objects.filter(pk=withdrawn.pk).update(status=Status.DRAFT)
            refresh_profile(withdrawn)
            refresh_profile(written)
        calls.append(n)

    rebuild_database_index(progress=live_updates, chunk=2)
    assert _numbers() == EXPECTED - {"4012"}
    assert not SearchDocument.objects.filter(key="2027-4012").exists()
    snapshot = _index_snapshot()
    store.write_documents(store.build_documents(list(store.indexable_profiles())))
    assert _index_snapshot() == snapshot


def test_rebuild_copies_values_with_copy_s_special_characters(
    search_data, database_backend, monkeypatch
):
    """The PostgreSQL rebuild writes terms and facets as COPY text unescaped when no value has
    a tab, newline, carriage return or backslash; one such value makes it escape them all, and
    the value arrives as it was."""
    from django.db import connection

    from sok import swap
    from sok.models import SearchTerm

    if connection.vendor != "postgresql":
        pytest.skip("the COPY path is PostgreSQL's; other databases write rows by upsert")
    odd = "tab\there\\back\nline\rend"
    plain_rows = swap._term_rows

    def with_odd(docs, first):
        yield from plain_rows(docs, first)
        yield (first, "text", odd)

    monkeypatch.setattr(swap, "_term_rows", with_odd)
    rebuild_database_index()
    assert SearchTerm.objects.filter(term=odd).count() >= 1
    assert _numbers() == EXPECTED
