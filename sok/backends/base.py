"""The contract every search backend fulfils: the same ProfileQuery gives the same hits, the
same order where the ranking is defined, and the same facet counts."""

from __future__ import annotations

from dataclasses import dataclass

from ..query import ProfileQuery, SearchResult


@dataclass(frozen=True)
class BackendStatus:
    ok: bool
    detail: str


class SearchUnavailable(Exception):
    """The backend cannot answer now (a service is down or too slow)."""


class SearchBackend:
    name = "base"

    def status(self) -> BackendStatus:
        raise NotImplementedError

    def search(self, query: ProfileQuery) -> SearchResult:
        raise NotImplementedError

    def index_documents(self, keys: list[str]) -> dict[str, str]:
        """Bring these documents (by key) up to date from the database index; delete the ones
        that no longer exist there. Returns the keys the engine refused, with the reason (they
        stay pending). Raises SearchUnavailable if the engine cannot be reached."""
        raise NotImplementedError

    def rebuild(self, progress=None) -> int:
        raise NotImplementedError
