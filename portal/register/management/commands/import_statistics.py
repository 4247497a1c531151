"""``manage.py import_statistics FILE``: import IMDi's settlement statistics (wide or long CSV)."""

from django.core.management.base import BaseCommand, CommandError

from portal.register.statistics import StatisticsFileError, import_statistics


class Command(BaseCommand):
    help = (
        "Importerer IMDis statistikk over anmodning, vedtak og bosetting: nedlastingen slik IMDi "
        "leverer den (ISO-8859-1, «;», tre overskriftsrader) eller det lange formatet "
        "(Kommune,År,Kategori,Antall). Alt eller ingenting: ved feil endres ingenting. "
        "Kan kjøres flere ganger."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FIL")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vis hva som ville blitt endret, uten å lagre noe.",
        )
        parser.add_argument(
            "--county",
            metavar="FYLKESNUMMER",
            help="For filer med kommunenavn: bare kommuner i dette fylket (for eksempel 40 "
            "Telemark; 38 for 2020–2023-kommunene, 08 for kommunene før 2020).",
        )

    def handle(self, *args, **options):
        try:
            report = import_statistics(
                options["file"], county=options["county"], dry_run=options["dry_run"]
            )
        except StatisticsFileError as exc:
            raise CommandError(f"Ingenting er importert. {exc}") from exc
        verbosity = options["verbosity"]
        if verbosity >= 1:
            self.stdout.write(report.summary())
            for code, label, tally in report.indicator_rows:
                self.stdout.write(
                    f"  {code} – {label}: {tally.created} nye, {tally.updated} endret, "
                    f"{tally.unchanged} uendret"
                )
            if report.indicators_created:
                self.stdout.write(f"  Nye indikatorer: {', '.join(report.indicators_created)}")
            for skipped in report.skipped:
                self.stdout.write(f"  Hoppet over {skipped}")
            for note in report.notes:
                self.stdout.write(f"  Merk: {note}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"  Advarsel: {warning}"))
        if verbosity >= 1:
            if report.dry_run:
                self.stdout.write(
                    self.style.WARNING(
                        f"Prøvekjøring på {report.seconds:.1f} s: ingenting er lagret."
                    )
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Ferdig på {report.seconds:.1f} s: {report.created} nye og "
                        f"{report.updated} endrede verdier."
                    )
                )
