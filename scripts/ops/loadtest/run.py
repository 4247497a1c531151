"""`make loadtest`: the production stack (gunicorn + a job worker + a test SMTP server) on
PostgreSQL and Elasticsearch, on 127.0.0.1 only, driven by locust; then the figures and the
«nothing lost» check. FAULT=pg|es|worker|deploy|smtp runs one fault in the middle third.

Environment (all optional): LOADTEST_DURATION (s, 300, at most 900), LOADTEST_USERS (26:
15 county officers, 10 IMDi officers, 1 editor, in that proportion), LOADTEST_DATABASE_URL
(postgres://portal:portal@127.0.0.1:5432/portal_loadtest), LOADTEST_ELASTICSEARCH_URL
(http://127.0.0.1:9200), LOADTEST_INDEX_PREFIX (loadtest), LOADTEST_PORT (8031),
WEB_CONCURRENCY (2). The database is dropped and re-made from a template database that holds
the migrated register and demo (made once per set of migrations)."""

import csv
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil

sys.path.insert(0, str(Path(__file__).parent))
import faults  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
PY = str(ROOT / ".venv" / "bin" / "python")
HERE = Path(__file__).parent
CACHE = Path(os.environ.get("CI_CACHE_DIR", Path.home() / ".cache" / "bosettingsportalen"))

DURATION = min(int(os.environ.get("LOADTEST_DURATION") or 300), 900)
USERS = max(3, int(os.environ.get("LOADTEST_USERS") or 26))
FAULT = os.environ.get("FAULT", "")
PORT = int(os.environ.get("LOADTEST_PORT") or 8031)
SMTP_PORT = PORT + 1000
DB_URL = os.environ.get("LOADTEST_DATABASE_URL") or (
    "postgres://portal:portal@127.0.0.1:5432/portal_loadtest"
)
ES_URL = os.environ.get("LOADTEST_ELASTICSEARCH_URL") or "http://127.0.0.1:9200"
PREFIX = os.environ.get("LOADTEST_INDEX_PREFIX") or "loadtest"
PASSWORD = "loadtest-" + secrets.token_hex(4)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] loadtest: {message}", flush=True)


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def psql(url: str, *sql: str) -> None:
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url]
    for statement in sql:
        args += ["-c", statement]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def template_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/**/migrations/*.py")) + sorted(ROOT.glob("**/demo.py")):
        if ".venv" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


class Stack:
    def __init__(self, work: Path, db_url: str, es_url: str):
        self.work = work
        self.db_url = db_url
        self.es_url = es_url
        self.media = work / "media"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": db_url,
            "ELASTICSEARCH_URL": es_url,
            "SOK_INDEX_PREFIX": PREFIX,
            "MEDIA_ROOT": str(self.media),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORTAL_BASE_URL": f"http://127.0.0.1:{PORT}",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ADMIN_MFA_REQUIRED": "false",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(SMTP_PORT),
            "EMAIL_TIMEOUT": "5",
            "LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args, env=None, quiet=True):
        subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            check=True,
            stdout=subprocess.DEVNULL if quiet else None,
        )

    def prepare(self):
        """A fresh database cloned from the template (made first if missing), the demo's
        media, the search index rebuilt."""
        name = urlsplit(self.db_url).path.lstrip("/")
        server = with_db(self.db_url, "postgres")
        template = f"{name}_tpl_{template_key()}"
        media_cache = CACHE / f"loadtest-media-{template}"
        exists = subprocess.run(
            [
                "psql",
                "-X",
                "-tA",
                server,
                "-c",
                f"SELECT 1 FROM pg_database WHERE datname='{template}'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if exists != "1" or not media_cache.exists():
            log(f"making the template database {template} (migrate, register, demo: minutes)")
            psql(server, f'DROP DATABASE IF EXISTS "{template}"', f'CREATE DATABASE "{template}"')
            env = {
                "DATABASE_URL": with_db(self.db_url, template),
                "MEDIA_ROOT": str(media_cache),
                "EMAIL_HOST": "",  # the demo's own e-mails go to the console (no SMTP server yet)
                "ALLOW_CONSOLE_EMAIL": "true",
            }
            shutil.rmtree(media_cache, ignore_errors=True)
            self.manage("migrate", "--no-input", "-v0", env=env)
            self.manage("load_register", "-v0", env=env)
            self.manage(
                "load_demo",
                env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DEBUG": "true",
                     "DEMO_PASSWORD": "loadtest-template"},
            )  # fmt: skip
        log(f"database {name} ← template {template}")
        psql(
            server,
            f'DROP DATABASE IF EXISTS "{name}"',
            f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
        )
        shutil.copytree(media_cache, self.media)
        if not (ROOT / "static" / "staticfiles.json").exists():
            self.manage("collectstatic", "--no-input", "-v0")
        # One Django start-up: this run's password for the demo users, the site's host name,
        # the search index rebuilt, and the plan the clients work from.
        self.manage(
            "loadtest_data", "plan", str(self.work / "plan.json"), "--password", PASSWORD,
            "--prepare",
        )  # fmt: skip

    def start(self, name: str, args: list[str]):
        logfile = open(self.work / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start_web(self):
        self.start(
            "web",
            [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi:application",
             "--bind", f"127.0.0.1:{PORT}", "--workers", os.environ.get("WEB_CONCURRENCY", "2"),
             "--timeout", "60", "--graceful-timeout", "20", "--access-logfile", "-",
             "--pid", str(self.work / "gunicorn.pid")],
        )  # fmt: skip

    def start_worker(self):
        self.start("worker", [PY, "manage.py", "run_jobs"])

    def start_smtp(self, hang_after: float = 0):
        self.start(
            "smtp",
            [PY, str(HERE / "smtp_sink.py"), str(SMTP_PORT), str(self.work / "smtp.json")],
        )

    def stop(self, name: str, sig=signal.SIGTERM, timeout=30):
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self):
        for name in reversed(list(self.processes)):
            self.stop(name)

    def wait_ready(self, timeout=120) -> bool:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/ready", timeout=5):
                    return True
            except OSError:
                time.sleep(1)
        return False


class CpuSampler(threading.Thread):
    """CPU seconds per process group, sampled every second (short-lived job processes and
    PostgreSQL backends are caught by their parents' children times or by the sampling)."""

    def __init__(self, groups):
        super().__init__(daemon=True)
        self.groups = groups  # name -> callable returning a list of psutil.Process
        self.first: dict = {}
        self.last: dict = {}
        self.stopped = threading.Event()
        self.started_at = time.time()

    def sample(self):
        for name, find in self.groups.items():
            for process in find():
                try:
                    t = process.cpu_times()
                    total = t.user + t.system + t.children_user + t.children_system
                except psutil.Error:
                    continue
                key = (name, process.pid)
                self.first.setdefault(key, total if time.time() - self.started_at > 2 else 0.0)
                self.last[key] = total

    def run(self):
        while not self.stopped.wait(1.0):
            self.sample()

    def figures(self) -> dict:
        elapsed = time.time() - self.started_at
        seconds: dict[str, float] = {}
        for (name, pid), total in self.last.items():
            seconds[name] = seconds.get(name, 0.0) + total - self.first[(name, pid)]
        return {name: (s, 100 * s / elapsed) for name, s in seconds.items()}


def tree(pid_getter):
    def find():
        pid = pid_getter()
        if not pid:
            return []
        try:
            parent = psutil.Process(pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.Error:
            return []

    return find


def matching(predicate):
    def find():
        found = []
        for process in psutil.process_iter(["cmdline"]):
            try:
                if predicate(" ".join(process.info["cmdline"] or [])):
                    found.append(process)
            except psutil.Error:
                continue
        return found

    return find


def percentile_rows(prefix: Path):
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    return rows


def report(prefix: Path, cpu: dict, ledger: dict, fault_window, expected: str, duration: float):
    rows = percentile_rows(prefix)
    print()
    print(f"{'handling':<28} {'antall':>7} {'feil':>5} {'p50 ms':>7} {'p95 ms':>7} {'maks':>7}")
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(
            f"{row['Name']:<28} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>7.0f}"
        )
    if total:
        print(
            f"{'alle':<28} {total['Request Count']:>7} {total['Failure Count']:>5} "
            f"{total['50%']:>7} {total['95%']:>7}   — {float(total['Requests/s']):.1f} forespørsler/s"
        )
    print()
    print("CPU (prosessor-sekunder, % av én kjerne over kjøringen):")
    for name, (seconds, percent) in sorted(cpu.items()):
        print(f"  {name:<34} {seconds:7.1f} s  {percent:5.1f} %")
    print()
    print(
        f"lagret: {len(ledger['saves'])}, sendt inn: {len(ledger['submissions'])}, "
        f"tildelt: {len(ledger['allocations'])}, importert: {len(ledger['imports'])}, "
        f"publisert: {len(ledger['publishes'])}, avvist med grunn: {len(ledger['refused'])}"
    )
    reasons: dict[str, int] = {}
    for r in ledger["refused"]:
        reasons[f"{r['action']}: {r['reason']}"] = (
            reasons.get(f"{r['action']}: {r['reason']}", 0) + 1
        )
    for reason, count in sorted(reasons.items()):
        print(f"  avvist: {reason} ×{count}")
    unexpected, during = [], []
    for failure in ledger["failures"]:
        if fault_window and faults.expected(expected, failure, fault_window):
            during.append(failure)
        else:
            unexpected.append(failure)
    if FAULT:
        print(f"feil som forventes mens feilen varer ({expected}): {len(during)}")
    print(f"andre feil: {len(unexpected)}")
    kinds: dict[str, int] = {}
    for f in unexpected:
        key = f"{f['action']}: {f['error']}"
        kinds[key] = kinds.get(key, 0) + 1
    for key, count in sorted(kinds.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {count:>4} × {key}")
    return unexpected


def main() -> int:
    work = Path(f"/tmp/bosetting-loadtest-{time.strftime('%Y%m%dT%H%M%S')}")
    work.mkdir(parents=True)
    log(f"work folder {work}; {USERS} users for {DURATION} s; fault: {FAULT or 'none'}")
    fault = faults.make(FAULT, work)
    db_url, es_url = fault.urls(DB_URL, ES_URL)
    stack = Stack(work, db_url, es_url)
    fault.stack = stack
    rc = 1
    try:
        fault.before()
        stack.prepare()
        stack.start_smtp()
        stack.start_worker()
        stack.start_web()
        if not stack.wait_ready():
            log("the server did not become ready (see web.log)")
            return 1
        log(f"serving on http://127.0.0.1:{PORT} (gunicorn, worker, SMTP on {SMTP_PORT})")
        db_name = urlsplit(db_url).path.lstrip("/")
        es_port = str(urlsplit(es_url).port or 9200)
        sampler = CpuSampler(
            {
                "web (gunicorn, alle prosesser)": tree(
                    lambda: stack.processes["web"].pid if "web" in stack.processes else None
                ),
                "worker (run_jobs + jobber)": tree(
                    lambda: stack.processes["worker"].pid if "worker" in stack.processes else None
                ),
                f"postgres ({fault.pg_scope(db_name)})": fault.pg_processes(db_name),
                f"elasticsearch (:{es_port})": matching(
                    lambda c: "org.elasticsearch" in c and fault.es_match(c)
                ),
                "locust": tree(lambda: locust.pid if locust else None),
            }
        )
        locust = None
        prefix = work / "locust"
        ledger_path = work / "ledger.json"
        env = {
            **os.environ,
            "LOADTEST_PLAN": str(work / "plan.json"),
            "LOADTEST_LEDGER": str(ledger_path),
            "LOADTEST_PASSWORD": PASSWORD,
            "PYTHONPATH": str(HERE),
        }
        log(f"locust: {USERS} users, {DURATION} s")
        locust = subprocess.Popen(
            [str(ROOT / ".venv/bin/locust"), "-f", str(HERE / "locustfile.py"), "--headless",
             "--users", str(USERS), "--spawn-rate", "5", "--run-time", f"{DURATION}s",
             "--stop-timeout", "10", "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix),
             "--only-summary", "--loglevel", "WARNING"],
            cwd=HERE, env=env, stdout=open(work / "locust.log", "w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        sampler.start()
        started = time.time()
        window = fault.run(started, DURATION, lambda: locust.poll() is None)
        locust.wait(DURATION + 120)
        sampler.stopped.set()
        sampler.sample()
        cpu = sampler.figures()
        elapsed = time.time() - started
        ledger = json.load(open(ledger_path))
        unexpected = report(prefix, cpu, ledger, window, fault.expects, elapsed)
        fault.after()
        if not stack.wait_ready(60):
            log("the server is not ready after the run")
        print()
        log("nothing-lost check (manage.py loadtest_data verify)")
        verify = subprocess.run(
            [PY, "manage.py", "loadtest_data", "verify", str(ledger_path)],
            cwd=ROOT, env=stack.env, capture_output=True, text=True,
        )  # fmt: skip
        print(verify.stdout + verify.stderr[-2000:])
        stack.stop("smtp")
        mail = json.load(open(work / "smtp.json"))
        print(
            f"e-post til test-SMTP: {mail['messages']} meldinger, {mail['unique_ids']} ulike "
            f"Message-ID, {len(mail['duplicates'])} sendt mer enn én gang"
        )
        if mail["duplicates"]:
            fault.problems.append("e-post sendt to ganger")
        extra = fault.check()
        for line in extra:
            print(f"  {line}")
        rc = 0 if verify.returncode == 0 and not unexpected and not fault.problems else 1
        log("PASSED" if rc == 0 else "FAILED")
        return rc
    finally:
        stack.stop_all()
        fault.cleanup()
        log(f"logs in {work}")


if __name__ == "__main__":
    # Ctrl+C or a TERM still stops the servers and the private PostgreSQL/Elasticsearch.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    sys.exit(main())
