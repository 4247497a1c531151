"""Wagtail's API (v2): pages, and the documents meeting pages link to.

Pages are listed when live, without view restrictions the user does not pass, and – for minutes
published for the participants – only to the participants. Documents: only those in the public
collection (``portal.content.documents``), whoever asks; a meeting page's own list of documents
shows each reader what the page shows them."""

from rest_framework.permissions import AllowAny
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

from portal.api_guards import GuardedAPIMixin  # platform: no 500 on odd search/offset

from . import documents


class PublicPagesAPIViewSet(GuardedAPIMixin, PagesAPIViewSet):
    """Published public pages are public on the site, so they are in the API too."""

    permission_classes = [AllowAny]

    def get_base_queryset(self):
        return super().get_base_queryset().exclude(documents.hidden_minutes_q(self.request.user))


class PublicDocumentsAPIViewSet(GuardedAPIMixin, DocumentsAPIViewSet):
    permission_classes = [AllowAny]

    def get_queryset(self):
        return super().get_queryset().filter(collection__in=documents.public_collection_ids())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
