"""The REST API, version 1: one router, the OpenAPI schema and its browsable docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from plassering import api as plassering_api
from portal.accounts import api as accounts_api
from portal.register import api as register_api
from skjema import api as skjema_api
from sok import api as sok_api

router = DefaultRouter()
register_api.register_routes(router)
skjema_api.register_routes(router)
sok_api.register_routes(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("placement/", include(plassering_api.urlpatterns)),
    path("token/", accounts_api.CurrentTokenView.as_view(), name="api-token"),  # platform
    path("", include(router.urls)),
]
