"""Template helpers for skjema pages: diffs, deadlines in plain words."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def any_changed(diffs) -> bool:
    return any(section.changed for section in diffs or [])


@register.simple_tag
def time_left(deadline, now=None) -> str:
    """The time until a deadline in plain Norwegian: «12 dager igjen», «fristen gikk ut for 3 dager siden»."""
    now = now or timezone.now()
    seconds = (deadline - now).total_seconds()
    past = seconds < 0
    seconds = abs(seconds)
    days, hours = int(seconds // 86400), int(seconds % 86400 // 3600)
    if days >= 1:
        amount = ngettext("%(n)s dag", "%(n)s dager", days) % {"n": days}
    elif hours >= 1:
        amount = ngettext("%(n)s time", "%(n)s timer", hours) % {"n": hours}
    else:
        minutes = max(1, int(seconds // 60))
        amount = ngettext("%(n)s minutt", "%(n)s minutter", minutes) % {"n": minutes}
    if past:
        return gettext("fristen gikk ut for %(amount)s siden") % {"amount": amount}
    return gettext("%(amount)s igjen") % {"amount": amount}
