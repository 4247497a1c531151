from django.apps import AppConfig


class SkjemaConfig(AppConfig):
    name = "skjema"
    verbose_name = "Skjema"
