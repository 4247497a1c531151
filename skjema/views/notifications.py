"""«Varsler til meg»: the notifications the portal has sent (or is trying to send) to the
signed-in user, newest first, the unread marked; each or all can be marked read. Only one's
own (``Notification.objects.for_recipient``): someone else's notification is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ..models import Notification
from ..notifications import mark_read as mark_notifications_read

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
            "unread_count": Notification.objects.unread_for(request.user).count(),
        },
    )


@require_POST
@login_required
def mark_read(request):
    """``varsel``: one notification's id; ``alle``: every unread one. Back to the list (the
    page the user was on)."""
    page = request.POST.get("side", "")
    back = reverse("skjema:notifications") + (f"?side={page}" if page.isdigit() else "")
    if request.POST.get("alle"):
        count = len(mark_notifications_read(request.user).marked)
        messages.success(
            request,
            ngettext("%(n)s varsel er merket som lest.", "%(n)s varsler er merket som lest.", count)
            % {"n": count},
        )
        return redirect(back)
    value = request.POST.get("varsel", "")
    if not value.isdigit() or len(value) > 18:
        messages.error(request, _("Velg et varsel å merke som lest."))
        return redirect(back)
    if mark_notifications_read(request.user, ids=[int(value)]).unknown:
        raise Http404(_("Finner ikke varselet."))
    messages.success(request, _("Varselet er merket som lest."))
    return redirect(back + f"#varsel-{value}")
