"""``manage.py loadtest_data plan FILE`` writes what the load test's clients work on;
``manage.py loadtest_data verify FILE`` checks that nothing the clients saw succeed was lost
(scripts/ops/loadtest/, `make loadtest`)."""

import json
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.management import loadtest


class Command(BaseCommand):
    help = "Plan og kontroll for lasttesten (make loadtest)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["plan", "verify"])
        parser.add_argument("file")
        parser.add_argument("--outbox-wait", type=float, default=120)
        parser.add_argument("--password", help="plan: gi alle aktive brukere dette passordet")
        parser.add_argument(
            "--prepare",
            action="store_true",
            help="plan: sett nettstedets vertsnavn og bygg søkeindeksen først",
        )

    def handle(self, *args, action, file, outbox_wait, password, prepare, **options):
        if action == "plan":
            if password:
                get_user_model().objects.filter(is_active=True).update(
                    password=make_password(password)
                )
            if prepare:
                call_command("set_site_host")
                self._reindex()
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

    def _reindex(self):
        for attempt in range(3):  # a busy shared node may time out a bulk request
            try:
                call_command("sok_reindex", verbosity=0)
                return
            except CommandError:
                if attempt == 2:
                    raise
                time.sleep(5)
