"""Template helpers for skjema pages: diffs, deadlines in plain words."""

from django import template
from django.utils import timezone

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
        amount = f"{days} {'dag' if days == 1 else 'dager'}"
    elif hours >= 1:
        amount = f"{hours} {'time' if hours == 1 else 'timer'}"
    else:
        minutes = max(1, int(seconds // 60))
        amount = f"{minutes} {'minutt' if minutes == 1 else 'minutter'}"
    return f"fristen gikk ut for {amount} siden" if past else f"{amount} igjen"
