"""Issue 10 on the search page: partial matches under their own heading, removable filter
chips, the «Gå til treff» link, the sort button, why a hit matched, and the XLSX export of the
result list with codes as text."""

import io

import pytest
from openpyxl import load_workbook

from sok.index import rebuild_database_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(search_data, database_backend):
    rebuild_database_index()
    return search_data


def page(client, users, query):
    client.force_login(users["imdi"])
    return client.get(f"/sok/?{query}")


def test_partial_matches_have_their_own_heading(client, users, indexed):
    response = page(client, users, "q=helsefagarbeider+norskopplæring")
    html = response.content.decode()
    assert '<h3 id="treff-noen-ord">Treff på noen av ordene</h3>' in html
    assert "Ingen kommuneprofiler har alle ordene" in html
    assert all(not hit.matched_all_terms for hit in response.context["hits"])
    full = page(client, users, "q=helsefagarbeider").content.decode()
    assert 'id="treff-noen-ord"' not in full  # the map's legend names the class, with 0


def test_chips_each_remove_one_filter(client, users, indexed):
    response = page(client, users, "q=helse&county=40&takes_minors=yes&capacity_min=5")
    chips = {chip.label: chip.url for chip in response.context["chips"]}
    assert set(chips) == {
        "Fritekst: «helse»",
        "Fylke: Telemark",
        "Tar imot enslige mindreårige: Ja",
        "Kapasitet minst: 5",
    }
    removed = chips["Fylke: Telemark"]
    assert "county" not in removed and "takes_minors=yes" in removed and "q=helse" in removed


def test_skip_link_sort_button_and_why_it_matched(client, users, indexed):
    html = page(client, users, "q=helsefagarbeider&takes_minors=yes").content.decode()
    assert '<a href="#treff">Gå til treff</a>' in html
    assert '<button type="submit" class="button button--secondary">Sorter</button>' in html
    assert "Arbeidskraftbehov:</span>" in html
    assert "Tar imot enslige mindreårige:</span> Ja" in html
    assert "Like treff står i alfabetisk rekkefølge etter kommunenavn" in html


def test_export_keeps_codes_as_text(client, users, indexed):
    client.force_login(users["imdi"])
    response = client.get("/sok/eksport/?sort=name")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kommunenummer"
    assert [r[0] for r in rows[1:]] == ["4012", "0301", "4001", "4003"]
    assert sheet["A3"].number_format == "@" and sheet["A3"].value == "0301"


def test_export_is_for_those_who_may_search(client, users, indexed):
    client.force_login(users["editor"])
    assert client.get("/sok/eksport/").status_code == 403
