"""``manage.py loadtest_data plan FILE`` writes what the load test's clients work on;
``manage.py loadtest_data verify FILE`` checks that nothing the clients saw succeed was lost
(scripts/ops/loadtest/, `make loadtest`)."""

import json

from django.core.management.base import BaseCommand, CommandError

from portal.management import loadtest


class Command(BaseCommand):
    help = "Plan og kontroll for lasttesten (make loadtest)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["plan", "verify"])
        parser.add_argument("file")
        parser.add_argument("--outbox-wait", type=float, default=120)

    def handle(self, *args, action, file, outbox_wait, **options):
        if action == "plan":
            try:
                data = loadtest.plan()
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
            with open(file, "w") as handle:
                json.dump(data, handle)
            return
        with open(file) as handle:
            ledger = json.load(handle)
        problems, figures = loadtest.verify(ledger, outbox_wait=outbox_wait)
        self.stdout.write(json.dumps(figures, default=str))
        for problem in problems:
            self.stdout.write(f"  TAPT/FEIL: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(er): noe gikk tapt eller stemmer ikke.")
        self.stdout.write("Ingenting tapt.")
