from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "portal.content"
    label = "content"
    verbose_name = "Innhold"

    def ready(self):
        from . import signals  # noqa: F401
