from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlasseringConfig(AppConfig):
    name = "plassering"
    verbose_name = _("Plassering")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import panels, receivers, search  # noqa: F401

        search.register()
