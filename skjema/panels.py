"""skjema's panels on pages of lower apps (``portal.extensions``): the municipality's profile
and the meeting minutes that concern it, on the register's municipality page; on a county
meeting's page, whether its preparatory document is sent."""

from portal import extensions
from portal.accounts import rules

from .meetings import meeting_page_document
from .preparatory import format_day, format_moment
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


@extensions.register(extensions.MEETING_FACTS, order=10)
def preparatory_document(*, request, meeting):
    user = getattr(request, "user", None)
    scheduled = meeting_page_document(meeting=meeting, user=user)
    if scheduled is None:
        return None
    document, sent = scheduled.document, scheduled.sent_snapshot
    current = document.current if document else None
    return extensions.Panel(
        "skjema/meetings/includes/meeting_page_document.html",
        {
            "scheduled": scheduled,
            "can_prepare": rules.can_prepare_meeting_documents(user),
            "sent": sent,
            "sent_at": format_moment(sent.sent_at) if sent else "",
            "newer": current if current and sent and current.pk != sent.pk else None,
            "due": format_day(scheduled.due) if scheduled.due else "",
        },
    )
