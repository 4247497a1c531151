from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "Brukere og roller"

    def ready(self):
        from . import signals  # noqa: F401


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the portal's role and county membership on the forms."""

    user_viewset = "portal.accounts.viewsets.PortalUserViewSet"
