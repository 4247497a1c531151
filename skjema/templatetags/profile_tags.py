"""The municipality's profile on the register's municipality page: the latest submitted
version of every round (never a draft), for those who may read submitted content, and the
history across rounds. A template tag, so ``portal.register`` never imports ``skjema``."""

from django import template

from portal.accounts import rules

from ..models import MunicipalityProfile, Submission, Version
from ..models.submissions import SUBMITTED_STATES
from ..sections import CodeNames

register = template.Library()


@register.inclusion_tag("skjema/includes/municipality_profiles.html", takes_context=True)
def municipality_profiles(context, municipality):
    user = context["request"].user
    if not rules.can_view_submitted(user):
        return {"allowed": False, "user": user}
    from ..views.review import present_version

    # This code and the codes it continues (e.g. 3101 Halden also shows 3001's rounds).
    codes = {municipality.pk}
    codes.update(municipality.predecessors.values_list("pk", flat=True))
    profiles = list(
        MunicipalityProfile.objects.filter(municipality_id__in=codes, status__in=SUBMITTED_STATES)
        .select_related("round", "municipality")
        .order_by("-round__year")
    )
    latest: dict[int, Version] = {}
    for version in Version.objects.filter(submission__in=profiles).order_by(
        "submission_id", "-number"
    ):
        latest.setdefault(version.submission_id, version)
    visible = set(
        Submission.objects.visible_to(user)
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
        content = present_version(current["version"].data, "profile", CodeNames())
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
