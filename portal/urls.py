"""Site URLs: portal pages, the REST API, Wagtail admin and pages API, and Wagtail's page tree."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import api_guards, health
from portal.accounts import sessions as account_sessions
from portal.accounts import views as account_views
from portal.accounts.language import set_language
from portal.content.api import api_router

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("drift/tellere/", health.counters, name="counters"),
    path("logg-inn/", account_views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # allauth: OpenID Connect callbacks, MFA, password reset (signup is closed)
    path("konto/okt/", account_sessions.status, name="session-status"),  # platform
    path("konto/okt/forleng/", account_sessions.extend, name="session-extend"),
    path("konto/", include("allauth.urls")),
    # Both admins log in through /logg-inn/ (rate limits, OpenID Connect, then MFA).
    path("admin/login/", account_views.admin_login),
    path("django-admin/login/", account_views.admin_login),
    path("sprak/", set_language, name="set_language"),
    path(
        "tilgjengelighet/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("api/v1/", include("portal.api_urls")),
    path("api/v2/", api_router.urls),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("skjema/", include("skjema.urls")),
    path("sok/", include("sok.urls")),
    path("plassering/", include("plassering.urls")),
    path("", include("portal.register.urls")),
]

if settings.DEBUG:
    # Only the public image renditions: documents (draft plans among them) are served by
    # Wagtail's permission-checked view under /dokumenter/, never from MEDIA_URL.
    from django.conf.urls.static import static

    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images"
    )

# platform: an unknown address under /api/ answers JSON, as the API does, not the HTML 404 page.
urlpatterns += [
    re_path(r"^api/", api_guards.api_not_found),
    # Wagtail's own page-privacy login form (a plain password form in Wagtail's look): the
    # portal's login page instead, with its rate limits and second factor.
    path("_util/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("", include(wagtail_urls)),
]

# ops: a Norwegian 503 page (Retry-After) while the database cannot be reached, else the 500 page.
handler500 = "portal.errors.server_error"
