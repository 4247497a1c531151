"""Wagtail's API (v2): pages, and the documents meeting pages link to.

Pages are listed only when live and without view restrictions; documents only outside
privacy-restricted collections, so documents for restricted minutes belong in such a collection."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
