"""``manage.py sok_sync``: send index updates that Elasticsearch missed while it was down.
Safe to run from cron; does nothing on the database backend."""

from django.core.management.base import BaseCommand

from sok.index import push_all_pending
from sok.models import PendingIndexUpdate


class Command(BaseCommand):
    help = "Sender ventende oppdateringer av søkeindeksen til Elasticsearch."

    def handle(self, *args, **options):
        sent = push_all_pending()
        left = PendingIndexUpdate.objects.count()
        self.stdout.write(f"Sendt {sent} oppdateringer; {left} venter fortsatt.")
