"""``manage.py sok_reindex``: rebuild the search index from the submitted versions; with
Elasticsearch, into a new index swapped in behind the alias. Searching keeps working."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sok.backends import get_backend
from sok.backends.base import SearchUnavailable
from sok.documents import indexable_profiles
from sok.index import rebuild_database_index
from sok.models import PendingIndexUpdate, SearchDocument


class Command(BaseCommand):
    help = "Bygger søkeindeksen på nytt fra innsendte versjoner."

    def handle(self, *args, verbosity=1, **options):
        show = verbosity > 0
        started = time.perf_counter()
        total = indexable_profiles().count()
        with tqdm(total=total, desc="Databaseindeks", unit="dok", disable=not show) as bar:
            count = rebuild_database_index(progress=bar.update)
        db_seconds = time.perf_counter() - started
        es_seconds = None
        if settings.SOK_BACKEND == "elasticsearch":
            es_started = time.perf_counter()
            backend = get_backend()
            total = SearchDocument.objects.count()
            try:
                with tqdm(total=total, desc="Elasticsearch", unit="dok", disable=not show) as bar:
                    backend.rebuild(progress=bar.update)
            except SearchUnavailable as exc:
                raise CommandError(
                    f"Elasticsearch svarer ikke ({exc}). Databaseindeksen er oppdatert; "
                    "kjør kommandoen igjen når Elasticsearch er tilbake."
                ) from exc
            PendingIndexUpdate.objects.all().delete()
            es_seconds = time.perf_counter() - es_started
        if show:
            summary = f"Indekserte {count} kommuneprofiler på {db_seconds:.1f} s (database)"
            if es_seconds is not None:
                summary += f" og {es_seconds:.1f} s (Elasticsearch)"
            self.stdout.write(self.style.SUCCESS(summary + "."))
