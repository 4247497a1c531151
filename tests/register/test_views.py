"""Public register pages: county index, county page, municipality page."""

import pytest


@pytest.mark.django_db
class TestRegisterPages:
    def test_index_lists_current_counties(self, client, register, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):
            response = client.get("/kommuner/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Telemark" in html and "Viken" not in html

    def test_county_page_lists_its_municipalities(
        self, client, register, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(6):
            response = client.get("/fylker/40/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Porsgrunn" in html and "4001" in html
        assert "Skien" in html and "Oslo</a>" not in html

    def test_municipality_page(self, client, register, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            response = client.get("/kommuner/0301/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Oslo</h1>" in html and "0301" in html

    def test_ended_municipality_points_to_today(self, client, register):
        html = client.get("/kommuner/3001/").content.decode()
        assert "ikke lenger i bruk" in html
        assert "/kommuner/3101/" in html

    def test_parallel_names_shown(self, client, register):
        html = client.get("/kommuner/5612/").content.decode()
        assert "Kautokeino" in html and "Guovdageaidnu" in html

    @pytest.mark.parametrize("url", ["/kommuner/301/", "/kommuner/abcd/", "/fylker/99/"])
    def test_unknown_gives_404(self, client, register, url):
        assert client.get(url).status_code == 404
