"""Maps on the register's pages: the county page and the municipality locator map."""

import pytest
from bs4 import BeautifulSoup


@pytest.mark.django_db
class TestCountyPage:
    def test_county_page_has_the_map_and_its_table(
        self, client, register, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(6):
            response = client.get("/fylker/46/")
        soup = BeautifulSoup(response.content, "html.parser")
        regions = soup.select("a.geo-map__region")
        assert len(regions) == 43
        assert len(soup.select("table[data-geo-map-table] tbody tr")) == 43
        assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in soup.get_text()
        assert soup.find("a", href="/kart/fylke/46.png")

    def test_an_ended_county_is_drawn_through_2024_successors(self, client, register):
        soup = BeautifulSoup(client.get("/fylker/30/").content, "html.parser")
        assert soup.select("a.geo-map__region")
        assert "eldre kommunestruktur" in soup.select_one(".geo-map__note").text
