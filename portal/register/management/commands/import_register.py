"""``manage.py import_register FILE ...``: import SSB Klass JSON and SSB's municipality grouping."""

from django.core.management.base import BaseCommand, CommandError

from portal.register.importers import KINDS, RegisterFileError
from portal.register.services import import_register_files


class Command(BaseCommand):
    help = (
        "Importerer SSB-filer til registeret: Klass-API-JSON for kommuner (131), fylker (104) "
        "og STYRK-08 (7), og SSBs kommunegruppering (xlsx). Alt eller ingenting: ved feil "
        "endres ingenting. Kan kjøres flere ganger."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FIL")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            help="Tving filtypen i stedet for å gjenkjenne den (gjelder alle filene).",
        )
        parser.add_argument(
            "--structure",
            help="Strukturversjonen Klass-filer for kommuner/fylker beskriver, f.eks. «2020». "
            "Uten valget brukes versjonen som passer best med kodene.",
        )

    def handle(self, *args, **options):
        try:
            result = import_register_files(
                options["files"], kind=options["kind"], structure=options["structure"]
            )
        except RegisterFileError as exc:
            raise CommandError(f"Ingenting er importert. {exc}") from exc
        verbosity = options["verbosity"]
        for report in result.files:
            if verbosity >= 1:
                self.stdout.write(report.summary())
            for warning in report.warnings:
                self.stderr.write(self.style.WARNING(f"  Advarsel: {warning}"))
            if verbosity >= 2:
                for skipped in report.skipped:
                    self.stdout.write(f"  Hoppet over: {skipped}")
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Ferdig: {result.created} nye og {result.updated} endrede rader."
                )
            )
