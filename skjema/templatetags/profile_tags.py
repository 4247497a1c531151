"""The municipality's profile on the register's municipality page: the latest submitted
version of every round (never a draft), for those who may read submitted content, and the
history across rounds. Registered as a panel of the register's municipality page
(``skjema.panels``), so ``portal.register`` never imports ``skjema``."""

from django import template

from portal.accounts import rules

from .. import reading

register = template.Library()


@register.inclusion_tag("skjema/includes/municipality_profiles.html", takes_context=True)
def municipality_profiles(context, municipality):
    return profiles_panel_context(user=context["request"].user, municipality=municipality)


def profiles_panel_context(*, user, municipality) -> dict:
    """The profile panel's context: a fixed number of queries, however long the history."""
    if not rules.can_view_submitted(user):
        return {"allowed": False, "user": user}
    # This code and the codes it continues (e.g. 3101 Halden also shows 3001's rounds).
    codes = reading.earlier_codes(municipality=municipality)
    profiles = list(
        reading.published_profiles()
        .filter(municipality_id__in=codes)
        .select_related("round", "municipality")
        .order_by("-round__year")
    )
    latest = reading.latest_by_submission(submissions=profiles)
    visible = set(
        reading.submissions_visible_to(user=user)
        .filter(pk__in=[p.pk for p in profiles])
        .values_list("pk", flat=True)
    )
    history = [
        {
            "profile": profile,
            "version": latest.get(profile.pk),
            "can_review": profile.pk in visible and rules.can_follow_rounds(user),
        }
        for profile in profiles
        if profile.pk in latest
    ]
    current = history[0] if history else None
    content = []
    if current:
        content = reading.present_sections(
            kind="profile", data=current["version"].data, documents={}, review_style=True
        )
    compare = None
    if len(history) >= 2 and all(h["profile"].pk in visible for h in history[:2]):
        compare = (history[1]["version"].pk, history[0]["version"].pk)
    return {
        "allowed": True,
        "municipality": municipality,
        "current": current,
        "content": content,
        "history": history,
        "compare": compare,
    }
