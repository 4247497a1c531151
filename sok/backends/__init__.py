"""Search backends behind one contract; settings choose which (``SOK_BACKEND``)."""

from functools import cache

from django.conf import settings

from .base import SearchBackend


@cache
def _backend(name: str, url: str) -> SearchBackend:
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(url)
    from .database import DatabaseBackend

    return DatabaseBackend()


def get_backend() -> SearchBackend:
    return _backend(settings.SOK_BACKEND, settings.ELASTICSEARCH_URL)
