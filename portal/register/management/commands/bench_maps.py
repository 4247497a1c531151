"""``manage.py bench_maps``: size and render time of the municipality maps (for ``make bench``).

Needs no database: the maps are built from the boundary file with 2024 numbers only. For the
whole country, one county (Vestland) and one locator (Oslo and its surroundings) it prints the
SVG size (raw and gzip), the first render in a fresh process (geometry loaded and simplified),
the median of later renders, the standalone SVG export and the PNG export.
"""

from __future__ import annotations

import gzip
import statistics
import time

from django.core.management.base import BaseCommand
from django.template import Context, Template

from portal.register.geo import CATEGORICAL, LegendEntry, MunicipalityMap, Region
from portal.register.geo.boundaries import BOUNDARIES_FILE, load_boundaries
from portal.register.geo.exports import png_bytes, standalone_svg


def _maps() -> list[tuple[str, MunicipalityMap]]:
    boundaries = load_boundaries()
    legend = [
        LegendEntry(str(i), f"Klasse {i}", colour) for i, colour in enumerate(CATEGORICAL[:4])
    ]
    everyone = sorted(boundaries.municipalities)
    country = MunicipalityMap(
        title="Hele landet",
        regions=[
            Region(
                n,
                str(i),
                str(i % 5) if i % 5 < 4 else None,
                marker=str(i) if i < 10 else "",
                excluded="Utelatt" if i % 11 == 0 else "",
            )
            for i, n in enumerate(everyone)
        ],
        legend=legend,
    )
    county = MunicipalityMap(
        title="Vestland",
        regions=[Region(n, "1", "0") for n in boundaries.counties["46"].municipalities],
        legend=legend,
        focus="46",
    )
    oslo = ["0301", "3201", "3207", "3205", "3220", "3222", "3228", "3212", "3230"]
    locator = MunicipalityMap(
        title="Oslo", regions=[Region(n, "1", "0") for n in oslo], legend=legend, focus=oslo
    )
    return [
        ("Hele landet (357)", country),
        ("Fylke: Vestland (43)", county),
        ("Lokalkart: Oslo", locator),
    ]


class Command(BaseCommand):
    help = "Måler størrelse og tegnetid for kommunekartene (SVG og PNG)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, **options):
        template = Template("{% load map_tags %}{% municipality_map the_map %}")
        raw = BOUNDARIES_FILE.read_bytes()
        started = time.perf_counter()
        load_boundaries()
        loaded = (time.perf_counter() - started) * 1000
        self.stdout.write(
            f"Kartgrunnlag {BOUNDARIES_FILE.name}: {len(raw) / 1024:.0f} KB, "
            f"{len(gzip.compress(raw)) / 1024:.0f} KB gzip; lest inn på {loaded:.0f} ms"
        )
        header = f"{'kart':<24} {'SVG KB':>7} {'gzip KB':>8} {'første ms':>10} {'median ms':>10} {'eksport-SVG ms':>15} {'PNG ms':>7} {'PNG KB':>7}"
        self.stdout.write(header)
        for label, the_map in _maps():
            started = time.perf_counter()
            html = template.render(Context({"the_map": the_map}))
            first = (time.perf_counter() - started) * 1000
            times = []
            for _ in range(options["repeat"]):
                started = time.perf_counter()
                template.render(Context({"the_map": the_map}))
                times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            svg = standalone_svg(the_map)
            export = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            png = png_bytes(svg)
            png_ms = (time.perf_counter() - started) * 1000
            size = len(html.encode())
            self.stdout.write(
                f"{label:<24} {size / 1024:>7.0f} {len(gzip.compress(html.encode())) / 1024:>8.0f} "
                f"{first:>10.0f} {statistics.median(times):>10.1f} {export:>15.0f} {png_ms:>7.0f} "
                f"{len(png) / 1024:>7.0f}"
            )
