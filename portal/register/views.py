"""Public register pages: the list of counties, a county with its municipalities, a municipality."""

from django.shortcuts import get_object_or_404, render

from .geo.pages import county_map
from .models import County, Municipality
from .statistics_display import settlement_overview


def municipality_index(request):
    counties = County.objects.current().prefetch_related("municipalities")
    return render(request, "register/municipality_index.html", {"counties": counties})


def county_detail(request, number: str):
    county = get_object_or_404(County, number=number)
    municipalities = county.municipalities.order_by("number")
    return render(
        request,
        "register/county_detail.html",
        {"county": county, "municipalities": municipalities, "county_map": county_map(county)},
    )


def municipality_detail(request, number: str):
    municipality = get_object_or_404(
        Municipality.objects.select_related("county", "current"), number=number
    )
    context = {
        "municipality": municipality,
        "successors": municipality.successor_changes.select_related("successor"),
        "predecessors": municipality.predecessor_changes.select_related("predecessor"),
        "statistics": settlement_overview(municipality),
    }
    return render(request, "register/municipality_detail.html", context)
