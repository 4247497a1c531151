"""The municipality map component: SVG regions, legend and table say the same thing."""

import gzip
import re

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template

from portal.register.geo import (
    LegendEntry,
    MunicipalityMap,
    Region,
    bin_key,
    format_number,
    render_map,
    sequential_legend,
)
from portal.register.geo.boundaries import BOUNDARIES_FILE, load_boundaries
from portal.register.geo.exports import png_bytes, standalone_svg
from portal.register.geo.projection import utm33

ATTRIBUTION = "Kartgrunnlag: Kartverket (CC BY 4.0)"


def render(the_map) -> BeautifulSoup:
    html = Template("{% load map_tags %}{% municipality_map the_map %}").render(
        Context({"the_map": the_map})
    )
    return BeautifulSoup(html, "html.parser")


def status_map(**extra) -> MunicipalityMap:
    return MunicipalityMap(
        title="Innsendingsstatus",
        regions=[
            Region("0301", "Sendt inn", "submitted"),
            Region("3201", "Under arbeid", "draft", marker="1"),
            Region("4601", "", None),
            Region("4627", "Sendt inn", "submitted", excluded="Ingen ledig kapasitet"),
        ],
        legend=[LegendEntry("submitted", "Sendt inn"), LegendEntry("draft", "Under arbeid")],
        value_label="Status",
        **extra,
    )


def regions_by_number(soup):
    return {a["data-number"]: a for a in soup.select("a.geo-map__region")}


def rows_by_number(soup):
    return {tr["data-number"]: tr for tr in soup.select("table[data-geo-map-table] tbody tr")}


class TestProjection:
    @pytest.mark.parametrize(
        ("lon", "lat", "east", "north"),
        # Reference values from PROJ (EPSG:4326 → EPSG:25833).
        [
            (10.75, 59.91, 262409.732, 6649017.749),
            (5.32, 60.39, -32253.597, 6734074.911),
            (18.95, 69.65, 653210.089, 7731796.830),
            (31.1, 70.4, 1096588.060, 7890085.812),
            (15.0, 70.0, 500000.000, 7765873.135),
        ],
    )
    def test_matches_proj_to_the_millimetre(self, lon, lat, east, north):
        x, y = utm33(lon, lat)
        assert abs(x - east) < 0.001 and abs(y - north) < 0.001


class TestBoundaryFile:
    def test_is_small_enough_compressed(self):
        raw = BOUNDARIES_FILE.read_bytes()
        assert len(gzip.compress(raw)) < 200 * 1024

    def test_has_the_2024_structure_and_attribution(self):
        boundaries = load_boundaries()
        assert len(boundaries.municipalities) == 357
        assert len(boundaries.counties) == 15
        assert boundaries.attribution == ATTRIBUTION
        assert boundaries.licence == "CC BY 4.0"
        assert boundaries.municipalities["0301"].name == "Oslo"
        # Oslo is about 454 km² (SSB); the simplified outline stays close.
        assert 430 < boundaries.municipalities["0301"].area_km2 < 480

    def test_every_arc_is_used_by_one_or_two_municipalities(self):
        boundaries = load_boundaries()
        assert all(len(owners) in (1, 2) for owners in boundaries.arc_owners)
        # Shared borders are stored once: Oslo and Bærum share arcs.
        assert boundaries.shared_arcs[frozenset({"0301", "3201"})]

    def test_county_borders_are_municipality_arcs_between_counties(self):
        boundaries = load_boundaries()
        for index in boundaries.county_border_arcs["03"]:
            counties = {boundaries.municipalities[n].county for n in boundaries.arc_owners[index]}
            assert counties >= {"03"} and len(counties) == 2


@pytest.mark.django_db
class TestComponent:
    def test_every_region_is_a_link_with_name_and_value(self):
        soup = render(status_map())
        regions = regions_by_number(soup)
        assert set(regions) == {"0301", "3201", "4601", "4627"}
        assert regions["0301"]["href"] == "/kommuner/0301/"
        assert regions["0301"]["aria-label"].startswith("Oslo: Sendt inn")
        assert regions["3201"]["aria-label"].startswith("Bærum: Under arbeid")
        assert regions["0301"].find("title").text == regions["0301"]["aria-label"]

    def test_table_equivalence_value_and_colour(self):
        soup = render(status_map())
        regions, rows = regions_by_number(soup), rows_by_number(soup)
        assert list(rows) == ["0301", "3201", "4601", "4627"]
        legend = {
            li.get_text(" ", strip=True).rsplit(" (", 1)[0]: li.find("rect")["fill"]
            for li in soup.select(".geo-map__legend li")
            if li["data-key"] not in {"utelatt", "markor"}
        }
        for number, row in rows.items():
            cells = row.find_all("td")
            path = regions[number].find("path")
            swatch = row.find("rect")
            assert path["fill"] == swatch["fill"]
            category = cells[-3].get_text(" ", strip=True)
            assert legend[category] == swatch["fill"]
            value = cells[-4].get_text(strip=True)
            assert value in regions[number]["aria-label"]

    def test_no_data_has_a_pattern_and_a_legend_entry(self):
        soup = render(status_map(no_data_label="Ikke startet"))
        bergen = regions_by_number(soup)["4601"].find("path")
        assert bergen["fill"] == "url(#kart-innsendingsstatus-ingen-data)"
        assert soup.find("pattern", id="kart-innsendingsstatus-ingen-data")
        assert "Ikke startet (1)" in soup.select_one(".geo-map__legend").get_text(" ")
        assert "Bergen: Ikke startet" in regions_by_number(soup)["4601"]["aria-label"]

    def test_excluded_regions_are_hatched_with_the_reason(self):
        soup = render(status_map())
        assert soup.select_one("path.geo-map__hatch")["fill"].endswith("-skravur)")
        askoy = regions_by_number(soup)["4627"]
        assert "utelatt: Ingen ledig kapasitet" in askoy["aria-label"]
        assert "Ingen ledig kapasitet" in rows_by_number(soup)["4627"].get_text()

    def test_markers_are_numbered_and_in_the_table(self):
        soup = render(status_map(marker_label="plass i rangeringen"))
        assert [t.text for t in soup.select(".geo-map__markers text")] == ["1"]
        assert rows_by_number(soup)["3201"].find("td").text == "1"
        assert "Tall på kartet: plass i rangeringen" in soup.get_text()

    def test_attribution_skip_link_and_assets(self):
        soup = render(status_map())
        assert soup.select_one(".geo-map__attribution").text == ATTRIBUTION
        assert soup.select_one(".geo-map__skip")["href"] == "#kart-innsendingsstatus-tabell"
        assert soup.find(id="kart-innsendingsstatus-tabell")
        assert soup.find("script", src=re.compile(r"js/map\.js$"))
        assert not soup.find("script", src=False)  # no inline script (CSP)
        assert not soup.find(style=True)

    def test_older_codes_are_drawn_through_their_2024_successor(
        self, django_assert_max_num_queries
    ):
        the_map = MunicipalityMap(
            title="Runde 2022",
            regions=[Region("3001", "Sendt inn", "s"), Region("1507", "Sendt inn", "s")],
            legend=[LegendEntry("s", "Sendt inn")],
        )
        with django_assert_max_num_queries(2):
            rendered = render_map(the_map)
        halden, alesund = rendered.rows
        assert halden.drawn_as == ["3101"]
        assert alesund.drawn_as == ["1508", "1580"]  # split in 2024
        assert "3001 Halden → 3101" in rendered.drawn_as_note
        soup = render(the_map)
        assert "eldre kommunestruktur" in soup.select_one(".geo-map__note").text
        assert "Tegnet som 3101 Halden" in rows_by_number(soup)["3001"].get_text()

    def test_focus_on_a_county_frames_it(self):
        whole = render_map(status_map())
        county = render_map(status_map(focus="03"))
        assert whole.view_box != county.view_box
        assert whole.zoomable and not county.zoomable

    def test_keywords_form_of_the_tag(self):
        html = Template(
            '{% load map_tags %}{% municipality_map title="Test" regions=regions legend=legend %}'
        ).render(Context({"regions": [Region("0301", "5", "a")], "legend": [("a", "Fem")]}))
        soup = BeautifulSoup(html, "html.parser")
        assert regions_by_number(soup)["0301"]["aria-label"].startswith("Oslo: 5 (Fem)")

    def test_text_is_escaped(self):
        the_map = MunicipalityMap(
            title="<script>x</script>",
            regions=[Region("0301", "<b>1</b>", "a", excluded='"&<')],
            legend=[LegendEntry("a", "A")],
        )
        svg = str(render_map(the_map).svg)
        assert "<script>" not in svg and "<b>" not in svg
        assert "&lt;b&gt;1&lt;/b&gt;" in svg


class TestScales:
    def test_sequential_legend_and_bins(self):
        legend = sequential_legend([5, 10, 20], unit="personer")
        assert [e.label for e in legend] == [
            "under 5 personer",
            "5–10 personer",
            "10–20 personer",
            "20 og over personer",
        ]
        assert len({e.colour for e in legend}) == 4
        assert [bin_key(v, [5, 10, 20]) for v in (0, 5, 19, 20, None)] == ["0", "1", "2", "3", None]

    def test_norwegian_numbers(self):
        assert format_number(1234.5, 1) == "1\u202f234,5"


@pytest.mark.django_db
class TestExport:
    def test_standalone_svg_has_legend_and_attribution(self):
        svg = standalone_svg(status_map())
        assert svg.startswith('<?xml version="1.0"')
        assert 'xmlns="http://www.w3.org/2000/svg"' in svg
        assert ATTRIBUTION in svg and "Sendt inn (2)" in svg
        assert "<a " not in svg

    def test_png_is_rendered_server_side(self):
        png = png_bytes(standalone_svg(status_map()), width=400)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(png[16:20], "big")
        assert width == 400

    def test_export_urls(self, client, register):
        svg = client.get("/kart/fylke/46.svg")
        assert svg.status_code == 200
        assert svg["Content-Type"].startswith("image/svg+xml")
        assert 'filename="kart-kommunene-i-vestland.svg"' in svg["Content-Disposition"]
        png = client.get("/kart/kommune/0301.png")
        assert png.status_code == 200 and png.content[:4] == b"\x89PNG"

    @pytest.mark.parametrize(
        "url",
        [
            "/kart/ukjent/1.svg",
            "/kart/fylke/46.pdf",
            "/kart/fylke/xx.svg",
            "/kart/kommune/9999.svg",
        ],
    )
    def test_unknown_export_is_404(self, client, register, url):
        assert client.get(url).status_code == 404
