from django.apps import AppConfig


class SokConfig(AppConfig):
    name = "sok"
    verbose_name = "Søk"

    def ready(self):
        from . import (
            maps,  # noqa: F401 - registers the map export
            receivers,  # noqa: F401
            signals_setup,
        )

        signals_setup.connect()

        from django.db.models.signals import post_delete, post_save

        from .models import SynonymGroup
        from .query import forget_synonyms

        post_save.connect(forget_synonyms, sender=SynonymGroup, dispatch_uid="sok.synonyms.save")
        post_delete.connect(forget_synonyms, sender=SynonymGroup, dispatch_uid="sok.synonyms.del")
