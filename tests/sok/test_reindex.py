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
