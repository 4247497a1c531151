"""Faults for `make loadtest FAULT=...`, each started a third into the run and ended at two
thirds. Each names the failures it expects while it lasts; every other failure counts.

pg      a PRIVATE PostgreSQL cluster (initdb in the work folder, its own port) restarted:
        requests fail with the Norwegian 503 page while it is down, then succeed
es      a PRIVATE Elasticsearch node (its own port and folder) stopped, then started: no
        failures (search falls back to the database, the outbox keeps the updates)
worker  the job worker killed (SIGKILL) mid-run and started again: no failures; the e-mails'
        Message-IDs are counted once by the test SMTP server
deploy  `manage.py migrate` and a graceful reload of gunicorn (SIGHUP) mid-run: no failures
storage the disk for uploads is full (a full 64 KiB tmpfs mounted over MEDIA_ROOT/documents;
        needs root): plan uploads are refused with the Norwegian message, nothing else fails,
        and nothing half-written is left (every document made in the run has its file)
smtp    the test SMTP server hangs (holds its answer to every message): no failures, as no page
        sends e-mail; the sends time out and fail, are retried after (send_reminders, as from
        cron), and in the end every e-mail of the run is sent, each Message-ID once
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[3]
PG_PORT = 55433
STORAGE_FULL = "lagringsplassen for vedlegg er full eller utilgjengelig"  # as locustfile.py
ES_PORT = 9251


def expected(kind: str, failure: dict, window) -> bool:
    start, end = window
    # A request that started before the fault ended may answer just after it: 5 s of grace.
    if not (start - 1 <= failure["t"] <= end + 5):
        return False
    if kind == "norwegian-503":
        return bool(failure.get("norwegian_503"))
    if kind == "storage-full":
        return failure.get("error", "").startswith(STORAGE_FULL)
    return False


class NoFault:
    expects = "ingen"
    name = ""

    def __init__(self, work: Path):
        self.work = work
        self.stack = None
        self.problems: list[str] = []

    def urls(self, db_url, es_url):
        return db_url, es_url

    def pg_scope(self, db_name):
        return f"backends of {db_name}"

    def pg_processes(self, db_name):
        def find():
            found = []
            for process in psutil.process_iter(["name", "cmdline"]):
                try:
                    cmd = " ".join(process.info["cmdline"] or [])
                    if cmd.startswith("postgres: ") and f" {db_name} " in cmd:
                        found.append(process)
                except psutil.Error:
                    continue
            return found

        return find

    def es_match(self, cmdline: str) -> bool:
        return True

    def before(self):
        pass

    def inject(self):
        pass

    def clear(self):
        pass

    def run(self, started: float, duration: int, running) -> tuple[float, float] | None:
        if not self.name:
            return None
        time.sleep(max(0.0, started + duration / 3 - time.time()))
        if not running():
            return None
        start = time.time()
        print(f"[{time.strftime('%H:%M:%S')}] fault {self.name}: start", flush=True)
        self.inject()
        time.sleep(max(0.0, started + 2 * duration / 3 - time.time()))
        self.clear()
        end = time.time()
        print(
            f"[{time.strftime('%H:%M:%S')}] fault {self.name}: over ({end - start:.0f} s)",
            flush=True,
        )
        return start, end

    def after(self):
        pass

    def check(self) -> list[str]:
        return []

    def cleanup(self):
        pass


def _as_postgres(*args):
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, cwd="/")


def _pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return str(versions[-1] / "bin" / name)


class PostgresRestart(NoFault):
    name = "pg"
    expects = "norwegian-503"

    def __init__(self, work):
        super().__init__(work)
        self.data = Path(f"/var/tmp/bosetting-loadtest-pg-{PG_PORT}")
        self.socket = Path("/var/tmp/bosetting-loadtest-pg-socket")

    def urls(self, db_url, es_url):
        return f"postgres://portal:portal@127.0.0.1:{PG_PORT}/portal_loadtest", es_url

    def pg_scope(self, db_name):
        return f"private cluster :{PG_PORT}, all processes"

    def pg_processes(self, db_name):
        def find():
            try:
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                parent = psutil.Process(pid)
                return [parent, *parent.children(recursive=True)]
            except (OSError, ValueError, psutil.Error):
                return []

        return find

    def _ctl(self, action, *extra):
        _as_postgres(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.data / "server.log"),
            "-o", f"-p {PG_PORT} -k {self.socket} -c listen_addresses=127.0.0.1", action, *extra,
        )  # fmt: skip

    def before(self):
        """Start the private cluster, made on first use; kept (stopped) between runs, so the
        template database with the demo is made only once."""
        self.cleanup()
        if not (self.data / "PG_VERSION").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            for folder in (self.data, self.socket):
                folder.mkdir(parents=True, exist_ok=True)
                shutil.chown(folder, "postgres", "postgres")
            pwfile = self.socket / "pw"
            pwfile.write_text("portal\n")
            shutil.chown(pwfile, "postgres", "postgres")
            _as_postgres(
                _pg_bin("initdb"), "-D", str(self.data), "-U", "portal", "--pwfile", str(pwfile),
                "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8",
                "--locale=C.UTF-8",
            )  # fmt: skip
        self.socket.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.socket, "postgres", "postgres")
        self._ctl("start")

    def inject(self):
        self._ctl("stop", "-m", "fast")
        time.sleep(10)  # down for a while: clients see the 503 page

    def clear(self):
        self._ctl("start")

    def cleanup(self):
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._ctl("stop", "-m", "fast")


class ElasticsearchRestart(NoFault):
    name = "es"
    run_dir = f"/var/tmp/bosetting-loadtest-es-{ES_PORT}"

    def _script(self, action):
        subprocess.run(
            [str(ROOT / "scripts/ci/elasticsearch.sh"), action],
            check=True,
            env={**os.environ, "ES_PORT": str(ES_PORT), "ES_RUN_DIR": self.run_dir,
                 "ES_HEAP": "384m"},
        )  # fmt: skip

    def urls(self, db_url, es_url):
        return db_url, f"http://127.0.0.1:{ES_PORT}"

    def es_match(self, cmdline):
        return self.run_dir in cmdline

    def before(self):
        self._script("wipe")
        self._script("start")

    def inject(self):
        self._script("stop")

    def clear(self):
        self._script("start")

    def cleanup(self):
        self._script("stop")


class WorkerKill(NoFault):
    name = "worker"

    def inject(self):
        self.stack.stop("worker", sig=signal.SIGKILL)
        time.sleep(5)
        self.stack.start_worker()


class Deploy(NoFault):
    name = "deploy"

    def inject(self):
        # Static files are collected into the release before it goes live (on this loaded
        # machine collectstatic takes minutes); the deploy itself is migrate + reload.
        self.stack.manage("migrate", "--no-input", "-v0")
        pid = int((self.work / "gunicorn.pid").read_text())
        os.kill(pid, signal.SIGHUP)  # new workers start, old ones finish their requests


class StorageFull(NoFault):
    name = "storage"
    expects = "storage-full"

    def before(self):
        if os.geteuid() != 0:
            raise SystemExit("FAULT=storage monterer et fullt tmpfs og må kjøres som root")

    @property
    def folder(self) -> Path:
        return self.stack.media / "documents"

    def inject(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "bosetting-full", str(self.folder)],
            check=True,
        )
        with contextlib.suppress(OSError), open(self.folder / "fyll", "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()

    def clear(self):
        subprocess.run(["umount", str(self.folder)], check=True)

    def cleanup(self):
        if self.stack is not None and os.path.ismount(self.folder):
            subprocess.run(["umount", "-l", str(self.folder)], check=False)


UNSENT = """
from skjema.notifications import retryable
print(retryable().count())
"""


class SmtpHang(NoFault):
    name = "smtp"

    def _signal(self, sig):
        os.kill(self.stack.processes["smtp"].pid, sig)

    def inject(self):
        self._signal(signal.SIGUSR1)

    def clear(self):
        self._signal(signal.SIGUSR2)

    def after(self):
        """What cron does every few minutes: failed sends are tried again, until none is left
        (the job's own retries with backoff may still hold some)."""
        for _ in range(6):
            self.stack.manage("send_reminders")
            if self._unsent() == 0:
                return
            time.sleep(10)

    def _unsent(self) -> int:
        result = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", UNSENT],
            cwd=ROOT, env=self.stack.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return int(result.stdout.strip().splitlines()[-1])

    def check(self) -> list[str]:
        unsent = self._unsent()
        held = json.load(open(self.work / "smtp.json")).get("held", 0)
        if unsent:
            self.problems.append(f"{unsent} e-poster ikke sendt etter feilen")
        return [
            f"SMTP hang: {held} meldinger holdt og avvist under feilen; "
            f"{unsent} varsler ikke sendt etter nye forsøk"
        ]


FAULTS = {
    f.name: f
    for f in (PostgresRestart, ElasticsearchRestart, WorkerKill, Deploy, SmtpHang, StorageFull)
}


def make(name: str, work: Path) -> NoFault:
    if not name:
        return NoFault(work)
    if name not in FAULTS:
        raise SystemExit(f"unknown FAULT={name}; one of: {', '.join(FAULTS)}")
    return FAULTS[name](work)
