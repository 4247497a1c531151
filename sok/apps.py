from django.apps import AppConfig


class SokConfig(AppConfig):
    name = "sok"
    verbose_name = "Søk"

    def ready(self):
        from . import (
            receivers,  # noqa: F401
            signals_setup,
        )

        signals_setup.connect()
