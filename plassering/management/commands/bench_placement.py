"""``manage.py bench_placement``: the placement figures of ``make bench``."""

from django.core.management.base import BaseCommand

from plassering.bench import run


class Command(BaseCommand):
    help = "Måler rangering over alle kommuner og eksakt samlet fordeling (syntetisk runde)."

    def add_arguments(self, parser):
        parser.add_argument("--rankings", type=int, default=40)
        parser.add_argument("--batch", type=int, default=200)

    def handle(self, *args, **options):
        result = run(
            rankings=options["rankings"], batch_size=options["batch"], progress=self.stdout.write
        )
        for line in result.lines():
            self.stdout.write(line)
