"""``manage.py delete_expired_households``: deletes households N days
(PLASSERING_HOUSEHOLD_RETENTION_DAYS, default 90) after their last allocation was settled,
withdrawn or declined. Run daily (cron, or the jobs schedule)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from plassering.services import delete_expired_households, households_due_for_deletion


class Command(BaseCommand):
    help = "Sletter husholdninger N dager etter at siste tildeling ble avsluttet."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Vis bare hvor mange.")

    def handle(self, *args, **options):
        days = settings.PLASSERING_HOUSEHOLD_RETENTION_DAYS
        if options["dry_run"]:
            count = households_due_for_deletion().count()
            self.stdout.write(f"{count} husholdninger ville blitt slettet (etter {days} dager).")
            return
        count = delete_expired_households()
        self.stdout.write(f"{count} husholdninger slettet (etter {days} dager).")
