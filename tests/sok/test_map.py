"""The search results on the map: every hit (all pages) coloured full / partial, the rest
faint, each region a link to the municipality's page, following the filters; its table lists
the same hits; the export follows the search page's permission."""

import pytest
from bs4 import BeautifulSoup

from sok.index import rebuild_database_index
from sok.maps import FULL, PARTIAL

pytestmark = pytest.mark.django_db

URL = "/sok/"


@pytest.fixture
def indexed(search_data, database_backend):
    rebuild_database_index()
    return search_data


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser")


def shown(soup):
    figure = soup.select_one("#kart-sok")
    regions = {a["data-number"]: a for a in figure.select("a.geo-map__region")}
    rows = {tr["data-number"]: tr for tr in figure.select("table[data-geo-map-table] tbody tr")}
    return figure, regions, rows


def test_every_hit_on_the_map_and_in_its_table(client, users, indexed):
    response, soup = page(client, users["imdi"], "page_size=1")
    hits = response.context["hits"]
    assert len(hits) == 1  # one on the page …
    figure, regions, rows = shown(soup)
    assert set(regions) == set(rows) == {"4003", "4001", "0301", "4012"}  # … all on the map
    for number, region in regions.items():
        row = rows[number]
        fill = region.find("path")["fill"]
        assert fill == row.select_one("rect")["fill"], number
        value = row.find_all("td")[0].get_text()
        assert value in region["aria-label"]
        assert region["href"] == f"/kommuner/{number}/"
    assert "4005" not in regions  # a draft is never a hit
    # The rest of Norway is drawn faintly, not as links.
    assert figure.select_one("path.geo-map__context[aria-hidden='true']")
    assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in figure.get_text()


def test_full_and_partial_matches_have_their_own_colour(client, users, indexed):
    response, soup = page(client, users["imdi"], "q=helsefagarbeider")
    the_map = response.context["hits_map"]
    assert {r.category for r in the_map.regions} == {FULL}
    full_fill = shown(soup)[1][the_map.regions[0].number].find("path")["fill"]

    response, soup = page(client, users["imdi"], "q=helsefagarbeider+tømrere")
    assert response.context["result"].partial
    the_map = response.context["hits_map"]
    assert {r.category for r in the_map.regions} == {PARTIAL}
    regions = shown(soup)[1]
    partial_fill = regions[the_map.regions[0].number].find("path")["fill"]
    assert partial_fill != full_fill
    assert "har ordene" in regions[the_map.regions[0].number]["aria-label"]
    legend = soup.select_one("#kart-sok .geo-map__legend").get_text()
    assert "Treff på alle ordene og filtrene (0)" in legend
    assert "Treff på noen av ordene" in legend


def test_the_map_follows_the_filters(client, users, indexed):
    response, soup = page(client, users["imdi"], "county=40")
    figure, regions, _rows = shown(soup)
    assert set(regions) == {"4003", "4001", "4012"}
    assert not figure.has_attr("data-zoomable")  # framed on Telemark
    export = figure.find("a", string="SVG")["href"]
    assert export == "/kart/sok/treff.svg?county=40"


def test_no_map_without_hits(client, users, indexed):
    response, soup = page(client, users["imdi"], "q=finnesikkeiprofilene")
    assert response.context["hits_map"] is None
    assert soup.select_one("#kart-sok") is None


def test_export_follows_the_search_permission(client, users, indexed):
    client.force_login(users["imdi"])
    response = client.get("/kart/sok/treff.svg?county=40")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert "Skien" in body and "Oslo:" not in body
    assert client.get("/kart/sok/treff.png?q=helse").content[:4] == b"\x89PNG"
    assert client.get("/kart/sok/annet.svg").status_code == 404
    client.force_login(users["outsider"])
    assert client.get("/kart/sok/treff.svg").status_code == 403
    client.logout()
    assert client.get("/kart/sok/treff.svg").status_code == 403
