"""``manage.py bench_placement``: the placement figures of ``make bench``.

With BENCH_DATABASE_URL set (PostgreSQL, as the issue's targets are), it measures in that
database, dropped and created afresh and dropped again after, never the one in DATABASE_URL:
the command runs itself again in a child process there (settings read DATABASE_URL once)."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plassering.bench import run
from sok import bench


class Command(BaseCommand):
    help = "Måler rangering over alle kommuner og eksakt samlet fordeling (syntetisk runde)."

    def add_arguments(self, parser):
        parser.add_argument("--rankings", type=int, default=40)
        parser.add_argument("--batch", type=int, default=200)
        parser.add_argument(
            "--here", action="store_true", help="Mål i databasen i DATABASE_URL (barneprosessen)."
        )

    def handle(self, *args, **options):
        url = os.environ.get("BENCH_DATABASE_URL", "").strip()
        if url and not options["here"]:
            return self._in_bench_database(url, options)
        result = run(
            rankings=options["rankings"], batch_size=options["batch"], progress=self.stdout.write
        )
        for line in result.lines():
            self.stdout.write(line)

    def _in_bench_database(self, url: str, options) -> None:
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError("BENCH_DATABASE_URL må være en PostgreSQL-URL.")
        self.stdout.write(f"Plassering: benk-database {url.split('@')[-1]}")
        bench.recreate_postgres(url)
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "LOG_LEVEL": "WARNING"}
        steps = [
            ["migrate", "--verbosity=0"],
            ["load_register", "--verbosity=0"],
            [
                "bench_placement",
                "--here",
                f"--rankings={options['rankings']}",
                f"--batch={options['batch']}",
            ],
        ]
        try:
            for step in steps:
                done = subprocess.run(  # noqa: S603 (our own manage.py)
                    [sys.executable, "manage.py", *step],
                    cwd=settings.BASE_DIR,
                    env=env,
                    check=False,
                )
                if done.returncode:
                    raise CommandError(f"Benken feilet i «{step[0]}» (kode {done.returncode}).")
        finally:
            bench.drop_postgres(url)
