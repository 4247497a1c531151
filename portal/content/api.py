"""Wagtail's API (v2): pages, and the documents meeting pages link to.

Pages are listed only when live and without view restrictions; documents only outside
privacy-restricted collections, so documents for restricted minutes belong in such a collection."""

from rest_framework.permissions import AllowAny
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

from portal.api_guards import GuardedAPIMixin  # platform: no 500 on odd search/offset


class PublicPagesAPIViewSet(GuardedAPIMixin, PagesAPIViewSet):
    """Published public pages are public on the site, so they are in the API too."""

    permission_classes = [AllowAny]


class PublicDocumentsAPIViewSet(GuardedAPIMixin, DocumentsAPIViewSet):
    permission_classes = [AllowAny]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
