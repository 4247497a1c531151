"""``{% municipality_map the_map %}``: the server-rendered SVG map of municipalities.

``the_map`` is a ``portal.register.geo.MunicipalityMap`` (or an already rendered one); or give
its fields as keywords: ``{% municipality_map title="…" regions=regions legend=legend %}``.
"""

from django import template

from portal.register.geo.maps import LegendEntry, MunicipalityMap, RenderedMap, render_map

register = template.Library()


@register.inclusion_tag("register/includes/map.html", takes_context=True)
def municipality_map(context, the_map=None, **fields):
    if the_map is None:
        legend = [
            entry if isinstance(entry, LegendEntry) else LegendEntry(*entry)
            for entry in fields.pop("legend", [])
        ]
        the_map = MunicipalityMap(legend=legend, **fields)
    rendered = the_map if isinstance(the_map, RenderedMap) else render_map(the_map)
    # The stylesheet and script once per page, however many maps it has.
    request = context.get("request")
    first = request is None or not getattr(request, "_geo_map_assets", False)
    if request is not None:
        request._geo_map_assets = True
    return {"map": rendered, "include_assets": first}
