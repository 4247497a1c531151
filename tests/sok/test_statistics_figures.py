"""IMDi's latest figures in the search documents: requested, decided and settled in the newest
year before the round, shown on each hit (API and page), and refreshed when statistics are
imported — on both backends."""

from pathlib import Path

import pytest

from portal.register.statistics import import_statistics
from sok.index import rebuild_database_index
from sok.models import SearchDocument
from sok.query import ProfileQuery
from sok.service import search_profiles

pytestmark = pytest.mark.django_db

TELEMARK_FILE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "imdi"
    / "anmodninger_og_faktisk_bosetting_telemark.csv"
)
# Skien in IMDi's Telemark file: the newest year before round 2027 is 2026.
# The latest year with a settled figure, and settled/decided over the last three years.
SKIEN_2026 = {
    "year": 2026,
    "requested": 91,
    "decided": 46,
    "settled": 19,
    "recent": [
        {"year": 2024, "settled": 140, "decided": 141},
        {"year": 2025, "settled": 65, "decided": 80},
        {"year": 2026, "settled": 19, "decided": 46},
    ],
}


def _hit(number: str):
    result = search_profiles(ProfileQuery(round_year=2027, filters={"county": ["40"]}))
    return next(h for h in result.hits if h.payload["municipality"]["number"] == number)


def test_without_statistics_a_document_says_so(search_data, database_backend):
    rebuild_database_index()
    assert SearchDocument.objects.get(key="2027-4003").payload["statistics"] is None


def test_an_import_refreshes_every_backend(backend, django_capture_on_commit_callbacks):
    assert _hit("4003").payload["statistics"] is None
    with django_capture_on_commit_callbacks(execute=True):
        report = import_statistics(TELEMARK_FILE, county="40")
    assert report.created > 1000
    if backend.name == "elasticsearch":
        backend.refresh()
    assert _hit("4003").payload["statistics"] == SKIEN_2026
    assert SearchDocument.objects.get(key="2027-4003").payload["statistics"] == SKIEN_2026


def test_a_rebuild_reads_the_same_figures(search_data, database_backend):
    import_statistics(TELEMARK_FILE, county="40")
    SearchDocument.objects.update(payload={})
    rebuild_database_index()
    assert SearchDocument.objects.get(key="2027-4003").payload["statistics"] == SKIEN_2026


def test_a_dry_run_changes_no_document(search_data, database_backend):
    rebuild_database_index()
    import_statistics(TELEMARK_FILE, county="40", dry_run=True)
    assert SearchDocument.objects.get(key="2027-4003").payload["statistics"] is None


def test_api_and_page_show_the_figures(search_data, database_backend, client, users):
    import_statistics(TELEMARK_FILE, county="40")
    rebuild_database_index()
    client.force_login(users["imdi"])
    response = client.get("/api/v1/search/profiles/", {"round": 2027, "county": "40"})
    assert response.status_code == 200
    hits = {h["municipality"]["number"]: h for h in response.json()["results"]}
    assert hits["4003"]["statistics"] == SKIEN_2026
    page = client.get("/sok/", {"round": 2027, "county": "40", "q": "helsefagarbeider"})
    html = page.content.decode()
    assert "Bosatt i 2026" in html
    assert "(anmodet 91, vedtatt 46)" in html
