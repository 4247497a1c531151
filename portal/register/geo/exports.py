"""Maps as files for the meeting papers: the same map as a standalone SVG, or a PNG.

Pages register a builder under a name (``@map_builder("skjema-round")``): a function of the
request and a key (a round id, a county number …) that returns the ``MunicipalityMap`` the
page shows, checking the same permissions as the page (raise ``Http404``/``PermissionDenied``).
The component then links to ``/kart/<name>/<key>.svg`` and ``.png``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .maps import MunicipalityMap, render_map

Builder = Callable[[HttpRequest, str], MunicipalityMap]
_BUILDERS: dict[str, Builder] = {}
PNG_WIDTH = 1600


def map_builder(name: str) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        _BUILDERS[name] = function
        return function

    return register


def standalone_svg(spec: MunicipalityMap) -> str:
    return str(render_map(spec, standalone=True).svg)


def png_bytes(svg: str, width: int = PNG_WIDTH) -> bytes:
    """Rasterise server-side with resvg (a Rust renderer from PyPI: no system libraries, no
    browser); text uses the machine's fonts (DejaVu/Liberation on Debian)."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=width, background="#ffffff"))


def map_export(request: HttpRequest, name: str, key: str, fmt: str) -> HttpResponse:
    builder = _BUILDERS.get(name)
    if builder is None or fmt not in {"svg", "png"}:
        raise Http404(_("Ukjent kart."))
    spec = builder(request, key)
    svg = standalone_svg(spec)
    filename = f"kart-{slugify(spec.title) or name}"
    if fmt == "svg":
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        response = HttpResponse(png_bytes(svg), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
