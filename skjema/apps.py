from django.apps import AppConfig


class SkjemaConfig(AppConfig):
    name = "skjema"
    verbose_name = "Skjema"

    def ready(self):
        from . import notification_receivers, panels, signals_setup  # noqa: F401

        signals_setup.connect()
