"""``manage.py run_jobs``: the background worker. Run one or more per machine; see docs/drift.md."""

import logging

from django.core.management.base import BaseCommand

from portal.jobs.worker import Worker


class Command(BaseCommand):
    help = "Kjør bakgrunnsjobber (e-post, dokumenter, påminnelser, reindeksering, import)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues", help="Bare denne køen.")
        parser.add_argument("--interval", type=float, default=1.0, help="Sekunder mellom søk.")
        parser.add_argument("--batch", action="store_true", help="Avslutt når køen er tom.")
        parser.add_argument(
            "--inline",
            action="store_true",
            help="Kjør jobbene i denne prosessen, uten tids- og minnegrense (feilsøking).",
        )

    def handle(self, *args, queues=None, interval=1.0, batch=False, inline=False, **options):
        if options["verbosity"] >= 1:
            logging.getLogger("portal.jobs").setLevel(logging.INFO)
        worker = Worker(
            queue_names=queues, interval=interval, isolation="inline" if inline else None
        )
        self.stdout.write(f"Arbeider {worker.worker_id} starter (Ctrl+C avslutter).")
        count = worker.run(batch=batch)
        self.stdout.write(f"Arbeider {worker.worker_id} stoppet etter {count} jobber.")
