from django.apps import AppConfig


class SkjemaConfig(AppConfig):
    name = "skjema"
    verbose_name = "Skjema"

    def ready(self):
        from . import signals_setup

        signals_setup.connect()
