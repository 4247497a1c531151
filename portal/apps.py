from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The composition root as an app, for its management commands (``load_demo``)."""

    name = "portal"
    label = "portal"
    verbose_name = "Bosettingsportalen"
