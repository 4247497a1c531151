"""«Ledig 12 av 20» where IMDi sees a municipality (``portal.extensions``): the municipality
page, the round dashboard (per county) and the search hits. IMDi only, one batch of queries
per page whatever the number of rows."""

from django.utils.translation import gettext as _

from portal import extensions
from portal.accounts import rules

from .selectors import capacity_list


def _current_round():
    from skjema.models import Round

    return Round.objects.exclude(status=Round.Status.ARCHIVED).order_by("-year").first()


@extensions.register(extensions.MUNICIPALITY_PAGE, order=5)
def capacity_panel(*, request, municipality):
    if not rules.can_view_capacity(getattr(request, "user", None)) or not municipality.county_id:
        return None
    round_ = _current_round()
    if round_ is None:
        return None
    state = next(
        (
            s
            for s in capacity_list(round_=round_, county=municipality.county.number)
            if s.number == municipality.number
        ),
        None,
    )
    if state is None:
        return None
    text = _("Kapasitet for bosetting %(year)s: %(label)s (tildelt %(allocated)s).") % {
        "year": round_.year,
        "label": state.label,
        "allocated": state.allocated,
    }
    return extensions.Panel("extensions/text_panel.html", {"text": text})


@extensions.register(extensions.ROUND_DASHBOARD, order=50)
def capacity_column(*, request, keys, round_):
    if not rules.can_view_capacity(getattr(request, "user", None)):
        return None
    totals: dict[str, list[int]] = {}
    for state in capacity_list(round_=round_):
        entry = totals.setdefault(state.county, [0, 0])
        entry[0] += state.remaining
        entry[1] += state.decided
    return extensions.Column(
        _("Ledig kapasitet"),
        {
            county: _("Ledig %(r)s av %(d)s") % {"r": r, "d": d}
            for county, (r, d) in totals.items()
            if county in set(keys)
        },
    )


@extensions.register(extensions.SEARCH_HIT, order=50)
def capacity_hit(*, request, keys, round_year):
    if not rules.can_view_capacity(getattr(request, "user", None)):
        return None
    from skjema.models import Round

    round_ = Round.objects.filter(year=round_year).first()
    if round_ is None:
        return None
    wanted = set(keys)
    return extensions.Column(
        _("Kapasitet"),
        {s.number: s.label for s in capacity_list(round_=round_) if s.number in wanted},
    )
