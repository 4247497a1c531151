"""Norwegian date and time formats for content pages, in one place.

"10. juni 2026 kl. 10.00", "10. juni 2026 kl. 10.00–11.30", "10. juni 2026"."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()

DATE = "j. F Y"
TIME = "H.i"


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def date_nb(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return date_format(value, DATE)


@register.filter
def datetime_nb(value) -> str:
    if not value:
        return ""
    value = _local(value)
    return f"{date_format(value, DATE)} kl. {date_format(value, TIME)}"


@register.simple_tag
def time_span_nb(starts_at, ends_at=None) -> str:
    """A meeting's time: the end time alone when it ends the same day."""
    if not starts_at:
        return ""
    text = datetime_nb(starts_at)
    if not ends_at:
        return text
    start, end = _local(starts_at), _local(ends_at)
    if start.date() == end.date():
        return f"{text}–{date_format(end, TIME)}"
    return f"{text} – {datetime_nb(end)}"
