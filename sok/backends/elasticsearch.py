"""The Elasticsearch backend (production): the official client, an index alias per document type."""

from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exceptions

from .base import BackendStatus, SearchBackend


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, timeout: float = 2.0):
        self.url = url
        self.client = Elasticsearch(url, request_timeout=timeout, retry_on_timeout=False)

    def status(self) -> BackendStatus:
        try:
            health = self.client.cluster.health()
        except (es_exceptions.ConnectionError, es_exceptions.TransportError, OSError) as exc:
            return BackendStatus(False, f"Elasticsearch svarer ikke: {exc.__class__.__name__}")
        except es_exceptions.ApiError as exc:
            return BackendStatus(False, f"Elasticsearch-feil: {exc.meta.status}")
        colour = health.get("status")
        return BackendStatus(colour in {"green", "yellow"}, f"elasticsearch ({colour})")
