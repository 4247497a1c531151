"""Guards for Wagtail's pages and documents API (v2): what its own parsing lets through to the
database and then answers with a 500 — an unbalanced quote or a NUL in ``search``, an ``offset``
or ``limit`` beyond any integer column — is answered 400 with a message instead."""

from __future__ import annotations

import re

from django.db import DatabaseError
from django.views.decorators.csrf import csrf_exempt
from wagtail.api.v2.utils import BadRequestError

MAX_NUMBER = 2**31 - 1
# Characters that mean syntax to a full-text engine (SQLite FTS5, PostgreSQL tsquery) or
# cannot be stored at all (NUL). Searching is for words; these are dropped from the query.
_SEARCH_NOISE = re.compile(r'[\x00-\x1f"*^():<>!&|\\]')


class GuardedAPIMixin:
    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        for name in ("offset", "limit"):
            raw = self.request.GET.get(name)
            if raw is None:
                continue
            try:
                value = int(raw)
            except ValueError:
                continue  # Wagtail answers that one itself (400)
            if value > MAX_NUMBER:
                raise BadRequestError(f"{name} er for stort (høyst {MAX_NUMBER}).")
        search = self.request.GET.get("search")
        if search is not None and _SEARCH_NOISE.search(search):
            query = self.request._request.GET.copy()
            query["search"] = " ".join(_SEARCH_NOISE.sub(" ", search).split())
            self.request._request.GET = query

    def listing_view(self, request):
        try:
            return super().listing_view(request)
        except DatabaseError as exc:  # the engine refused the query: the client's input
            raise BadRequestError("Søket kunne ikke utføres; forenkle søketeksten.") from exc


@csrf_exempt  # a POST to no endpoint is a 404, not the CSRF failure page: there is nothing to protect
def api_not_found(request, *args, **kwargs):
    """An address under /api/ that matches no endpoint (``/profiles/2/versions/x/``): JSON,
    like every other API answer, not the site's HTML 404 page."""
    from django.http import JsonResponse

    return JsonResponse({"detail": "Finnes ikke."}, status=404)
