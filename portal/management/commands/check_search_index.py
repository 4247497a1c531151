"""``manage.py check_search_index``: does the search index agree with the database? Exit 1 if
not (after a restore, after a load test, or whenever in doubt)."""

from django.core.management.base import BaseCommand, CommandError

from portal.management.consistency import search_problems, wait_for_outbox


class Command(BaseCommand):
    help = (
        "Sjekker at søkeindeksen (databasen og Elasticsearch) har nøyaktig de publiserte "
        "profilene i siste versjon, og at utboksen er tom."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            help="Vent inntil så mange sekunder på at arbeideren tømmer utboksen.",
        )

    def handle(self, *args, **options):
        if options["wait"]:
            wait_for_outbox(options["wait"])
        problems, figures = search_problems()
        summary = ", ".join(f"{name}={value}" for name, value in figures.items())
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"Søkeindeksen stemmer ikke med databasen ({summary}).")
        self.stdout.write(f"Søkeindeksen stemmer med databasen ({summary}).")
