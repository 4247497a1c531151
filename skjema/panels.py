"""skjema's panels on pages of lower apps (``portal.extensions``): the municipality's profile
and the meeting minutes that concern it, on the register's municipality page."""

from portal import extensions

from .templatetags.meeting_tags import minutes_for
from .templatetags.profile_tags import profiles_panel_context


@extensions.register(extensions.MUNICIPALITY_PAGE, order=10)
def municipality_profiles(*, request, municipality):
    return extensions.Panel(
        "skjema/includes/municipality_profiles.html",
        profiles_panel_context(user=request.user, municipality=municipality),
    )


@extensions.register(extensions.MUNICIPALITY_PAGE, order=20)
def minutes_for_municipality(*, request, municipality):
    user = getattr(request, "user", None)
    return extensions.Panel(
        "skjema/meetings/includes/minutes_for_municipality.html",
        {"municipality": municipality, "minutes": minutes_for(municipality, user)},
    )
