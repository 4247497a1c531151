"""Template tags for meetings: the minutes that concern a municipality, for its register page."""

from django import template
from wagtail.models import Page

from portal.content.models import MeetingPage, MinutesPage

register = template.Library()


def minutes_for(municipality, user) -> list[tuple[MinutesPage, MeetingPage | None]]:
    """(minutes, its meeting) for the minutes linked to the municipality that the user may
    open, newest meeting first. A fixed number of queries, however many minutes there are."""
    minutes = list(
        MinutesPage.objects.concerning(municipality)
        .visible_to(user)
        .defer_streamfields()
        .order_by("-approved_date", "-first_published_at", "pk")
    )
    parent_paths = {page.path[: -Page.steplen] for page in minutes}
    meetings = {
        meeting.path: meeting
        for meeting in MeetingPage.objects.filter(path__in=parent_paths).defer_streamfields()
    }
    pairs = [(page, meetings.get(page.path[: -Page.steplen])) for page in minutes]
    return sorted(
        pairs,
        key=lambda pair: pair[1].starts_at.timestamp() if pair[1] else 0,
        reverse=True,
    )


@register.inclusion_tag(
    "skjema/meetings/includes/minutes_for_municipality.html", takes_context=True
)
def minutes_for_municipality(context, municipality):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"municipality": municipality, "minutes": minutes_for(municipality, user)}
