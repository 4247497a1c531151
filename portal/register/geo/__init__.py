"""Maps of Norway without any outside map service: the project's boundary file (Kartverket,
CC BY 4.0), the neighbour relation computed from it, and the server-rendered SVG map.

Public API for pages: ``MunicipalityMap``, ``Region``, ``LegendEntry``, the palettes,
``sequential_legend``/``bin_key``, ``render_map``, ``map_builder`` (exports), and the register's
``locator_map``/``county_map``. See /work/coord/maps-ready.md or docs.
"""

from .exports import map_builder
from .maps import (
    CATEGORICAL,
    DIVERGING,
    SEQUENTIAL,
    LegendEntry,
    MunicipalityMap,
    Region,
    bin_key,
    format_number,
    render_map,
    sequential_legend,
)

__all__ = [
    "CATEGORICAL",
    "DIVERGING",
    "SEQUENTIAL",
    "LegendEntry",
    "MunicipalityMap",
    "Region",
    "bin_key",
    "format_number",
    "map_builder",
    "render_map",
    "sequential_legend",
]
