"""``manage.py compute_neighbours``: the neighbour relation from the boundary file."""

from django.core.management.base import BaseCommand

from portal.register.geo.services import sync_neighbours


class Command(BaseCommand):
    help = (
        "Beregner nabokommuner fra kartgrunnlaget (felles grense, eller under 2 km over vann) "
        "og lagrer dem i registeret. Kan kjøres flere ganger; load_register gjør det også."
    )

    def handle(self, *args, **options):
        tally = sync_neighbours()
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nabokommuner: {tally.total} par ({tally.created} nye, {tally.updated} endret)"
                )
            )
