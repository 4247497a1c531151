"""Searching profiles as a user: the permission rule, the configured backend, and the fallback
to the database backend when Elasticsearch cannot answer (said plainly, never a 500)."""

from __future__ import annotations

import logging

from portal.accounts import rules

from .backends import get_backend
from .backends.base import SearchUnavailable
from .backends.database import DatabaseBackend
from .query import ProfileQuery, SearchResult

log = logging.getLogger(__name__)


def can_search(user) -> bool:
    """Everyone who may read submitted content: IMDi, KS and every county's officers.
    Drafts are never in the index, so no row filter is needed beyond this."""
    return rules.can_view_submitted(user)


def _normalise(result: SearchResult) -> SearchResult:
    result.facets = {
        dimension: sorted(values, key=lambda item: (-item[1], item[0]))
        for dimension, values in sorted(result.facets.items())
    }
    return result


def search_profiles(query: ProfileQuery) -> SearchResult:
    backend = get_backend()
    try:
        return _normalise(backend.search(query))
    except SearchUnavailable as exc:
        if isinstance(backend, DatabaseBackend):
            raise
        log.warning("Elasticsearch unavailable, serving from the database: %s", exc)
        result = _normalise(DatabaseBackend().search(query))
        result.degraded = True
        return result
