"""«Varsler til meg»: the notifications the portal has sent (or is trying to send) to the
signed-in user, newest first. Only one's own (``Notification.objects.for_recipient``)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import Notification

PAGE_SIZE = 25


@require_GET
@login_required
def notification_list(request):
    notifications = Notification.objects.for_recipient(request.user).order_by("-created_at", "-id")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "skjema/notifications/list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        },
    )
