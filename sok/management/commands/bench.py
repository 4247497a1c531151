"""``manage.py bench`` (``make bench``): measure search on a synthetic data set in a database of
its own, never the one in DATABASE_URL: a temporary SQLite file, or the PostgreSQL database
named in BENCH_DATABASE_URL (dropped and created afresh). For each backend — the database
backend, and Elasticsearch when ELASTICSEARCH_URL is set — it prints the full reindex time,
p50/p95 latency of the search API over a fixed mix of 50 queries, throughput at 8 concurrent
clients against a server on loopback, and for Elasticsearch the API/engine time ratio.

The command runs itself again in a child process with the bench database in DATABASE_URL
(settings read it once, at start-up), and that child starts the servers the same way."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings

from sok import bench

ROOT = Path(settings.BASE_DIR)
TARGETS = {"elasticsearch": 50.0, "database": 150.0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = (
        "Måler søket (reindeksering, svartid og gjennomstrømning) på et syntetisk datasett i en "
        "egen database: en midlertidig SQLite-fil, eller PostgreSQL i BENCH_DATABASE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=None, help="Færre kommuner.")
        parser.add_argument("--rounds", type=int, default=5, help="Antall runder (1–5).")
        parser.add_argument("--requests", type=int, default=400, help="Forespørsler i alt.")
        parser.add_argument("--clients", type=int, default=8, help="Samtidige klienter.")
        parser.add_argument(
            "--processes",
            type=int,
            default=os.cpu_count() or 1,
            help="Serverprosesser (deler porten) for gjennomstrømningen.",
        )
        parser.add_argument("--keep", action="store_true", help="Behold benk-databasen.")
        # Internal: the child that runs the benchmark, and the servers it starts.
        parser.add_argument("--worker", action="store_true", help="(intern)")
        parser.add_argument("--serve", type=int, default=None, help="(intern) port")
        parser.add_argument("--threads", type=int, default=8, help="(intern)")

    def handle(self, *args, **options):
        if options["serve"] is not None:
            return self._serve(options["serve"], options["threads"])
        if options["worker"]:
            return self._work(options)
        return self._orchestrate(options)

    # -- parent: a database of its own ---------------------------------------------------------

    def _orchestrate(self, options):
        url = os.environ.get("BENCH_DATABASE_URL", "").strip()
        tmp_dir = None
        if url:
            if not url.startswith(("postgres://", "postgresql://")):
                raise CommandError("BENCH_DATABASE_URL må være en PostgreSQL-URL.")
            bench.recreate_postgres(url)
        else:
            tmp_dir = Path(tempfile.mkdtemp(prefix="bosetting-bench-"))
            url = f"sqlite:///{tmp_dir / 'bench.sqlite3'}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_CONN_MAX_AGE": "60",
            "SOK_INDEX_PREFIX": f"bosetting-bench-{os.getpid()}",
            "LOG_LEVEL": "WARNING",
            # The bench measures the search, not the API's rate limits: one user sends
            # thousands of requests a minute here, which production's 600/min would refuse
            # with 429 (counted as errors, and fast answers that would flatter the figures).
            "API_RATE_USER": "1000000/min",
            "API_RATE_ANON": "1000000/min",
        }
        argv = [
            sys.executable,
            "manage.py",
            "bench",
            "--worker",
            f"--rounds={options['rounds']}",
            f"--requests={options['requests']}",
            f"--clients={options['clients']}",
            f"--processes={options['processes']}",
        ]
        if options["municipalities"]:
            argv.append(f"--municipalities={options['municipalities']}")
        self.stdout.write(f"Benk-database: {url.split('@')[-1]}")
        try:
            result = subprocess.run(argv, cwd=ROOT, env=env, check=False)  # noqa: S603
        finally:
            if not options["keep"]:
                if tmp_dir is not None:
                    shutil.rmtree(tmp_dir, ignore_errors=True)
                else:
                    bench.drop_postgres(url)
        if result.returncode:
            raise CommandError(f"Benken feilet (kode {result.returncode}).")

    # -- child: seed, measure, report ------------------------------------------------------------

    def _work(self, options):
        from tqdm import tqdm

        from portal.accounts.models import Role, User
        from portal.accounts.tokens import issue_token
        from sok.backends.elasticsearch import ElasticsearchBackend
        from sok.index import rebuild_database_index
        from sok.models import SearchDocument, SearchFacet, SearchTerm

        vendor = connection.vendor
        self.stdout.write(f"Oppretter {vendor}-databasen og laster registeret …")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_register", verbosity=0)
        user = User.objects.create_user("bench-imdi", role=Role.IMDI_OFFICER)
        token = issue_token(user, name="bench", days=1)[1]
        rounds = bench.ROUNDS[: max(1, min(5, options["rounds"]))]
        register = bench.Register.load(options["municipalities"])
        total = len(register.municipalities) * len(rounds)
        with tqdm(total=total, desc="Syntetiske profiler", unit="profil") as bar:
            summary = bench.seed(
                user, rounds=rounds, municipalities=options["municipalities"], progress=bar.update
            )
        self.stdout.write(
            f"{summary.profiles} profiler ({summary.versions} innsendte versjoner) i runde "
            f"{rounds[0]}–{rounds[-1]} på {summary.seconds:.1f} s."
        )
        paths = bench.query_mix(register)
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        rows = []

        with override_settings(SOK_BACKEND="database"):
            started = time.perf_counter()
            documents = rebuild_database_index()
            reindex = time.perf_counter() - started
            # Steady state: a live database has planner statistics for its tables; freshly
            # filled ones do not, and PostgreSQL then picks nested loops that are 3–5× slower.
            with connection.cursor() as cursor:
                for model in (SearchDocument, SearchTerm, SearchFacet):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            row = bench.BackendFigures(
                "database", vendor, documents, reindex, target_p95=TARGETS["database"]
            )
            self._measure(row, client, paths, token, options, es_url="")
            rows.append(row)

        es_url = settings.ELASTICSEARCH_URL
        if es_url:
            with override_settings(SOK_BACKEND="elasticsearch"):
                backend = ElasticsearchBackend(es_url, timeout=30)
                started = time.perf_counter()
                count = backend.rebuild()
                reindex = time.perf_counter() - started
                # Steady state, as a live index is: merged segments, nothing pending.
                backend.client.options(request_timeout=300).indices.forcemerge(
                    index=backend.alias, max_num_segments=1
                )
                backend.refresh()
                try:
                    row = bench.BackendFigures(
                        "elasticsearch",
                        vendor,
                        count,
                        reindex,
                        target_p95=TARGETS["elasticsearch"],
                    )
                    self._measure(row, client, paths, token, options, es_url=es_url)
                    rows.append(row)
                finally:
                    backend.delete_all_indices()
        else:
            self.stdout.write("ELASTICSEARCH_URL er ikke satt: måler bare databasebackenden.")

        relevance_rows = self._relevance(user, es_url)

        self.stdout.write("")
        self.stdout.write(bench.format_table(rows))
        self.stdout.write("")
        self.stdout.write(relevance_rows)
        self.stdout.write("")
        for row in rows:
            explanation = bench.explain_ratio(row)
            if explanation:
                self.stdout.write(explanation)
                self.stdout.write("")
        self.stdout.write(
            f"{SearchDocument.objects.count()} søkedokumenter; {len(paths)} ulike spørringer "
            f"× 3 etter én oppvarmingsrunde (testklient, token, DEBUG av); "
            f"gjennomstrømning: {options['requests']} forespørsler fra {options['clients']} "
            f"tråder mot {options['processes']} serverprosess(er) på 127.0.0.1. "
            f"Python {platform.python_version()}, {os.cpu_count()} kjerner. "
            "Mål: p95 < 50 ms (Elasticsearch), < 150 ms (database på PostgreSQL), API/motor ≤ 2."
        )

    def _relevance(self, user, es_url: str) -> str:
        """nDCG@10 and precision@5 of the judged queries (tests/sok/relevance/) on each
        backend, over the judged data set in a round of its own (after the timings, so they
        are measured on the synthetic set alone)."""
        from sok import relevance
        from sok.backends.elasticsearch import ElasticsearchBackend
        from sok.index import rebuild_database_index
        from tests.sok.relevance.dataset import PROFILES, ROUND
        from tests.sok.relevance.judgments import JUDGED

        relevance.seed_judged(user, PROFILES, ROUND)
        lines = [
            f"Relevans: {len(JUDGED)} vurderte spørringer over {len(PROFILES)} profiler "
            f"(runde {ROUND})",
            "backend        nDCG@10  precision@5",
            "-------------  -------  -----------",
        ]
        with override_settings(SOK_BACKEND="database"):
            rebuild_database_index()
            found = relevance.evaluate(JUDGED, ROUND)
            lines.append(f"database       {found.ndcg:.3f}    {found.precision:.3f}")
        if es_url:
            with override_settings(SOK_BACKEND="elasticsearch"):
                backend = ElasticsearchBackend(es_url, timeout=30)
                try:
                    backend.rebuild()
                    found = relevance.evaluate(JUDGED, ROUND)
                    lines.append(f"elasticsearch  {found.ndcg:.3f}    {found.precision:.3f}")
                finally:
                    backend.delete_all_indices()
        worst = ", ".join(f"«{s.label}» {s.ndcg:.2f}" for s in found.worst(3))
        lines.append(f"Svakest: {worst}.")
        return "\n".join(lines)

    def _measure(self, row, client, paths, token, options, *, es_url: str) -> None:

        samples = bench.measure_latency(client, paths)
        row.latencies = [s.ms for s in samples]
        failed = [s for s in samples if s.status != 200]
        if failed:
            raise CommandError(
                f"{len(failed)} av {len(samples)} søk feilet; det første svarte "
                f"{failed[0].status}: {failed[0].path}"
            )
        if row.backend == "elasticsearch":
            row.engine = [s.engine_ms for s in samples if s.engine_ms is not None]
            from sok.backends import get_backend

            row.api_floor, row.client_floor = bench.fixed_costs(client, get_backend())
        self.stdout.write(
            f"{row.backend}: reindeksering {row.reindex_seconds:.1f} s, "
            f"p50 {row.p50:.1f} ms, p95 {row.p95:.1f} ms. Måler gjennomstrømning …"
        )
        row.throughput = self._throughput(paths, token, options, es_url=es_url)

    def _throughput(self, paths, token, options, *, es_url: str):

        port = _free_port()
        env = {**os.environ, "ELASTICSEARCH_URL": es_url}
        processes = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "bench", f"--serve={port}", "--threads=8"],
                cwd=ROOT,
                env=env,
            )
            for _ in range(max(1, options["processes"]))
        ]
        try:
            self._wait_until_up(port, processes)
            headers = {"Authorization": f"Token {token}"}
            # Warm every process's connections and caches before counting.
            bench.measure_throughput(
                "127.0.0.1", port, paths, clients=options["clients"], requests=50, headers=headers
            )
            return bench.measure_throughput(
                "127.0.0.1",
                port,
                paths,
                clients=options["clients"],
                requests=options["requests"],
                headers=headers,
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    @staticmethod
    def _wait_until_up(port: int, processes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{port}/healthz"
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in processes):
                raise CommandError("En benk-server stoppet under oppstart.")
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                    pass
            except urllib.error.HTTPError:
                pass  # it answers
            except OSError:
                time.sleep(0.2)
                continue
            # Several processes share the port: give the others a moment to bind too.
            time.sleep(1.0)
            return
        raise CommandError("Benk-serveren svarte ikke.")

    # -- grandchild: a threaded WSGI server on loopback -----------------------------------------

    def _serve(self, port: int, threads: int):
        from django.core.wsgi import get_wsgi_application

        server = bench.make_server(get_wsgi_application(), "127.0.0.1", port, threads=threads)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
