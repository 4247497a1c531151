"""The header's notification badge: how many of the user's notifications are unread, in one
cheap query (a partial index on the unread rows), and nothing at all for anonymous visitors."""

from django import template
from django.utils.translation import ngettext

from ..models import Notification

register = template.Library()


@register.inclusion_tag("skjema/notifications/badge.html", takes_context=True)
def unread_badge(context):
    user = context.get("user")
    count = context.get("unread_count")  # the notifications page counts them already
    if count is None:
        count = 0
        if user is not None and user.is_authenticated:
            count = Notification.objects.unread_for(user).count()
    return {
        "count": count,
        "label": ngettext("%(n)s ulest varsel", "%(n)s uleste varsler", count) % {"n": count},
    }
