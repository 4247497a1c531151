"""The portal's own error pages, in the user's language: a refused form (CSRF), and a page that
explains a GET on a POST-only address (405) instead of Django's empty answer, and a 503 page
while the database cannot be reached."""

import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was sent without a valid token (an old tab, cookies off)."""
    return render(
        request,
        "403_csrf.html",
        {"back_url": _back_url(request), "no_cookie": "cookie" in reason.lower()},
        status=403,
    )


def _back_url(request) -> str:
    """Where «Gå tilbake» leads: the referring page of this site, else the page above."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    parent = request.path.rstrip("/").rsplit("/", 1)[0]
    return f"{parent}/" if parent else "/"


class MethodNotAllowedPageMiddleware:
    """A 405 without a body (require_POST, a View without get) becomes a page that says the
    address takes a form and links back; the Allow header stays. The API keeps its JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not request.path.startswith("/api/")
            and request.method in ("GET", "HEAD")
        ):
            page = render(request, "405.html", {"back_url": _back_url(request)}, status=405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response


# Errors that mean the database cannot be reached (restarting, failing over), not a bug.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request, template_name="500.html"):
    """handler500: «Portalen er midlertidig utilgjengelig» (503, Retry-After) when the request
    failed because the database is unreachable, e.g. while PostgreSQL restarts; otherwise the
    ordinary 500 page. Neither page touches the database (no request context)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string(template_name))
