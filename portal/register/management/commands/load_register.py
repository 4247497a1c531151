"""``manage.py load_register``: load the project's own register fixture (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.register.services import RegisterDataError, load_register


class Command(BaseCommand):
    help = (
        "Laster registeret (fylker, kommuner, strukturversjoner, kodeendringer, STYRK-08 og "
        "utdanningsprogram) fra prosjektets egen registerfil. Kan kjøres flere ganger."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help="En annen registerfil i samme format (standard: portal/register/fixtures/).",
        )

    def handle(self, *args, **options):
        try:
            result = load_register(options["file"])
        except RegisterDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(result.summary()))
