"""The round's maps: profiles by status on the round overview map, and a county's recommended
numbers against stated capacity; exports follow the pages' permissions."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template

from skjema import services
from skjema.maps import (
    EQUAL,
    NO_CAPACITY,
    OVER,
    UNDER,
    county_recommendation_map,
    recommendation_category,
    round_status_map,
)
from skjema.models import MunicipalityProfile

from .conftest import fill_profile
from .test_dashboard import submit_county, submit_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress(opened, users, counties):
    """Telemark: Skien accepted, Porsgrunn returned; Oslo submitted. Telemark recommends 10 per
    municipality, Skien 40 (capacity 25 in every filled profile)."""
    imdi, telemark, oslo = users["imdi"], users["fylke_b"], users["fylke_a"]
    services.accept(submit_profile(opened, "4003", telemark), imdi)
    services.return_submission(submit_profile(opened, "4001", telemark), imdi, reason="Rett.")
    submit_profile(opened, "4005", telemark)
    submit_profile(opened, "0301", oslo)
    submit_county(opened, counties["40"], telemark, lambda n: {"4003": 40, "4005": 25}.get(n, 10))
    return opened


def regions(the_map):
    return {region.number: region for region in the_map.regions}


class TestRoundStatusMap:
    def test_colours_each_profile_by_status(self, progress, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):
            the_map = round_status_map(progress)
        shown = regions(the_map)
        assert shown["4003"].category == "accepted" and shown["4003"].value == "Godkjent"
        assert shown["4001"].category == "returned"
        assert shown["0301"].category == "submitted"
        assert shown["4012"].category == "draft"  # Bamble: opened, not sent
        assert the_map.counties["40"].startswith("3 av ")
        assert the_map.counties["03"] == "1 av 1 sendt inn"

    def test_renders_with_table_and_county_sums(self, progress):
        html = Template("{% load map_tags %}{% municipality_map m %}").render(
            Context({"m": round_status_map(progress)})
        )
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one("a.geo-map__region[data-number='4003']")["aria-label"].startswith(
            "Skien: Godkjent"
        )
        assert "1 av 1 sendt inn" in soup.select_one(".geo-map__table--counties").get_text()
        assert soup.find("a", href="/kart/runde-status/2027.png")


class TestRecommendationMap:
    @pytest.mark.parametrize(
        ("recommended", "capacity", "category"),
        [
            (40, 25, OVER),
            (25, 25, EQUAL),
            (10, 25, UNDER),
            (10, None, NO_CAPACITY),
            (None, 25, None),
        ],
    )
    def test_category(self, recommended, capacity, category):
        assert recommendation_category(recommended, capacity) == category

    def test_against_stated_capacity(self, progress, counties, django_assert_max_num_queries):
        with django_assert_max_num_queries(3):
            the_map = county_recommendation_map(progress, counties["40"])
        shown = regions(the_map)
        assert shown["4003"].category == OVER
        assert shown["4003"].value == "40 anbefalt, kapasitet 25"
        assert shown["4005"].category == EQUAL
        assert shown["4001"].category == UNDER  # returned, but its submitted version counts
        assert shown["4012"].category == NO_CAPACITY  # Bamble sent no profile
        assert all(number.startswith("40") for number in shown)

    def test_before_the_county_submits(self, opened, counties):
        the_map = county_recommendation_map(opened, counties["40"])
        assert {r.category for r in the_map.regions} == {None}


class TestExports:
    def test_round_map_for_imdi_only(self, client, users, progress):
        client.force_login(users["imdi"])
        assert client.get("/kart/runde-status/2027.svg").status_code == 200
        client.force_login(users["fylke_a"])
        assert client.get("/kart/runde-status/2027.svg").status_code == 403
        client.force_login(users["imdi"])
        assert client.get("/kart/runde-status/1999.svg").status_code == 404

    def test_recommendation_map_for_readers_of_submitted_content(self, client, users, progress):
        client.force_login(users["fylke_b"])
        response = client.get("/kart/fylke-anbefaling/2027-40.png")
        assert response.status_code == 200 and response.content[:4] == b"\x89PNG"
        client.force_login(users["outsider"])
        assert client.get("/kart/fylke-anbefaling/2027-40.svg").status_code == 403
        client.logout()
        assert client.get("/kart/fylke-anbefaling/2027-40.svg").status_code == 403
        client.force_login(users["imdi"])
        assert client.get("/kart/fylke-anbefaling/2027-99.svg").status_code == 404


class TestPanels:
    def test_municipality_page_locator_with_partners_for_profile_readers(
        self, client, users, opened
    ):
        profile = MunicipalityProfile.objects.get(round=opened, municipality__number="4003")
        cooperation = [{"partners": ["4001", "4036"], "area": "introduction", "description": "."}]
        services.submit(
            fill_profile(profile, users["fylke_b"], cooperation=cooperation), users["fylke_b"]
        )
        client.force_login(users["imdi"])
        soup = BeautifulSoup(client.get("/kommuner/4003/").content, "html.parser")
        figure = soup.select_one("#kart-kommune-4003")
        shown = {a["data-number"]: a["aria-label"] for a in figure.select("a.geo-map__region")}
        assert shown["4003"] == "Skien: denne kommunen"
        assert shown["4001"].startswith("Porsgrunn: samarbeidskommune og nabo")
        assert shown["4036"] == "Vinje: samarbeidskommune"
        assert "4005" not in shown or "nabokommune" in shown["4005"]
        assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in figure.get_text()
        assert figure.find("a", href="/kart/kommune-samarbeid/4003.svg")

        client.logout()
        soup = BeautifulSoup(client.get("/kommuner/4003/").content, "html.parser")
        shown = {a["data-number"]: a["aria-label"] for a in soup.select("a.geo-map__region")}
        assert shown["4001"].startswith("Porsgrunn: nabokommune")  # no profile content
        assert "4036" not in shown

    def test_county_submission_page_has_the_recommendation_map(self, client, users, progress):
        client.force_login(users["fylke_b"])
        soup = BeautifulSoup(client.get("/skjema/2027/fylke/40/").content, "html.parser")
        figure = soup.select_one("#kart-anbefaling-40")
        assert figure is not None
        skien = figure.select_one("a.geo-map__region[data-number='4003']")
        assert skien["aria-label"].startswith("Skien: 40 anbefalt, kapasitet 25")

    def test_round_overview_has_the_status_map(self, client, users, progress):
        client.force_login(users["imdi"])
        soup = BeautifulSoup(client.get("/skjema/2027/oversikt/").content, "html.parser")
        figure = soup.select_one("#kart-runde-status")
        assert figure.has_attr("data-zoomable")
        assert len(figure.select("a.geo-map__region")) == 357


class TestPreparatoryDocumentMap:
    CONTENT = {
        "county": {"number": "40", "name": "Telemark"},
        "round": {"year": 2027},
        "municipalities": [
            {"number": "4003", "name": "Skien", "recommended": {"number": 40}},
            {"number": "4001", "name": "Porsgrunn", "recommended": None},
        ],
    }

    def test_map_from_the_stored_content(self):
        from skjema.maps import preparatory_map

        the_map = preparatory_map(self.CONTENT)
        shown = regions(the_map)
        assert shown["4003"].value == "40" and shown["4003"].category == "4"  # 40 og over
        assert shown["4001"].category is None

    def test_word_file_has_the_map_picture_and_attribution(self):
        import io

        from docx import Document

        from skjema.preparatory import blocks, word

        document = Document()
        for block in blocks.map_blocks(self.CONTENT):
            word.draw(document, block)
        buffer = io.BytesIO()
        document.save(buffer)
        reread = Document(io.BytesIO(buffer.getvalue()))
        assert len(reread.inline_shapes) == 1
        assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in reread.paragraphs[-1].text
