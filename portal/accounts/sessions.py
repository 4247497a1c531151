"""Session lifetime: logged out after ``SESSION_IDLE_SECONDS`` without a request (30 minutes,
Ansattporten's own rule) and ``SESSION_ABSOLUTE_SECONDS`` after logging in (8 hours), whatever
the activity. The page warns before either (static/js/session.js) and asks this module how
much time is left without counting the question as activity."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

STARTED = "_portal_session_started"
SEEN = "_portal_session_seen"
SEEN_RESOLUTION = 15  # seconds: no session write on every request
PASSIVE_PATHS = {"/konto/okt/"}  # asking for the time left is no activity


def seconds_left(session, now: float | None = None) -> dict[str, int]:
    now = time.time() if now is None else now
    started = session.get(STARTED, now)
    seen = session.get(SEEN, now)
    idle = settings.SESSION_IDLE_SECONDS - (now - seen)
    absolute = settings.SESSION_ABSOLUTE_SECONDS - (now - started)
    return {"idle": max(0, int(idle)), "absolute": max(0, int(absolute))}


def start(session, now: float | None = None) -> None:
    """A new login starts both clocks (``user_logged_in``), so the first request after it
    writes no session."""
    session[STARTED] = session[SEEN] = time.time() if now is None else now


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session, now = request.session, time.time()
            if STARTED not in session:  # logged in before this middleware existed
                start(session, now)
            else:
                left = seconds_left(session, now)
                if left["idle"] <= 0 or left["absolute"] <= 0:
                    logout(request)
                    messages.info(
                        request,
                        _("Du ble logget ut fordi du ikke hadde vært aktiv på en stund.")
                        if left["absolute"] > 0
                        else _("Du ble logget ut fordi økten varte lenger enn tillatt."),
                    )
                    request.session_expired = True
                elif request.path not in PASSIVE_PATHS and now - session[SEEN] >= SEEN_RESOLUTION:
                    session[SEEN] = now
        return self.get_response(request)


def _answer(request):
    if not request.user.is_authenticated:
        return JsonResponse({"logged_in": False, "idle": 0, "absolute": 0})
    return JsonResponse({"logged_in": True, **seconds_left(request.session)})


@never_cache
@require_GET
def status(request):
    """Seconds left before the idle and the absolute limit (the page's timer checks here
    before it warns: another tab may have been active)."""
    return _answer(request)


@never_cache
@require_POST
def extend(request):
    """«Forbli innlogget»: the request itself is the activity that restarts the idle time."""
    if request.user.is_authenticated:
        request.session[SEEN] = time.time()
    return _answer(request)


def session_timing(request):
    """Template context: the seconds left, for the warning's timer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    return {
        "session_timing": {
            **seconds_left(request.session),
            "warn": settings.SESSION_WARNING_SECONDS,
        }
    }
