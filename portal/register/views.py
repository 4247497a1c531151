"""Public register pages: the list of counties, a county with its municipalities, a municipality."""

import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .geo.pages import county_map
from .models import County, Municipality
from .statistics_display import settlement_overview


def municipality_index(request):
    counties = County.objects.current().prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.current())
    )
    return render(request, "register/municipality_index.html", {"counties": counties})


def county_detail(request, number: str):
    county = get_object_or_404(County, number=number)
    # The county's municipalities on its last day (today for a current county); codes that
    # ended earlier are listed apart, so the count is the county's real number.
    on = county.valid_to or datetime.date.today()
    municipalities, earlier = [], []
    for municipality in county.municipalities.order_by("number"):
        (municipalities if municipality.valid_on_date(on) else earlier).append(municipality)
    context = {
        "county": county,
        "municipalities": municipalities,
        "earlier": earlier,
        "county_map": county_map(county),
    }
    return render(request, "register/county_detail.html", context)


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
