"""``manage.py sok_sync``: send index updates that Elasticsearch missed while it was down.
Safe to run from cron; does nothing on the database backend."""

from django.core.management.base import BaseCommand

from sok.index import push_pending
from sok.models import PendingIndexUpdate


class Command(BaseCommand):
    help = "Sender ventende oppdateringer av søkeindeksen til Elasticsearch."

    def handle(self, *args, **options):
        sent = 0
        while True:
            batch = push_pending()
            sent += batch
            if not batch:
                break
        left = PendingIndexUpdate.objects.count()
        self.stdout.write(f"Sendt {sent} oppdateringer; {left} venter fortsatt.")
