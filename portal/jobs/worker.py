"""The worker: claims a queued job from django-tasks-db's table, runs it in a child process with
a time and memory limit while renewing its lease (the heartbeat), and records the outcome:
done, queued again after a backoff, or failed with the error. ``recover_expired`` takes back
the jobs of a worker that was killed (its lease ran out while the job was marked running).

Several workers, on one machine or many, may share the database: a job is claimed under a row
lock (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), so each job runs in one worker.
"""

from __future__ import annotations

import datetime
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
import traceback
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.utils import get_module_path, normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from portal.observability import request_id_var

from .api import policy_for
from .models import JobState
from .schedule import enqueue_due

logger = logging.getLogger(__name__)

Status = TaskResultStatus


class JobTimeLimitExceeded(Exception):
    """The job ran longer than its time limit and its process was killed."""


class JobProcessDied(Exception):
    """The job's process ended without an answer (killed, or out of memory)."""


class WorkerLost(Exception):
    """The job was marked running, but its worker stopped renewing the lease."""


class WorkerStopped(Exception):
    """The worker was told to stop (Ctrl+C, SIGTERM) while the job ran; it goes back in the queue."""


# Set by Worker.stop: a running job's process is stopped and the job put back, so stopping a
# worker never waits for a long job (and never loses it).
_stopping = threading.Event()


@dataclass
class Outcome:
    job_id: str
    status: str  # "successful", "retry" or "failed"
    error: str = ""


def lease_seconds() -> int:
    return int(getattr(settings, "JOBS_LEASE_SECONDS", 60))


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"[:64]


# ---------------------------------------------------------------------------------------------
# claiming


class QueueBusy(Exception):
    """SQLite only: another connection holds the write lock, so whether a job is ready is not
    known now. Not the same as an empty queue: ``run --batch`` must not stop on it."""


def claim_next(
    *,
    worker_id: str,
    queue_names: list[str] | None = None,
    backend_name: str = "default",
    now: datetime.datetime | None = None,
) -> DBTaskResult | None:
    """Take the next ready job (highest priority, then oldest) and lease it to this worker."""
    now = now or timezone.now()
    jobs = DBTaskResult.objects.filter(status=Status.READY, backend_name=backend_name).filter(
        Q(run_after__lte=now) | Q(run_after=get_date_max())
    )
    if queue_names:
        jobs = jobs.filter(queue_name__in=queue_names)
    try:
        with exclusive_transaction(jobs.db):
            # FOR NO KEY UPDATE (not django-tasks' FOR UPDATE): the claim changes no key, and
            # the request that enqueued the job may be committing its JobState row at this
            # moment; that row's foreign-key check takes KEY SHARE on the job, which FOR UPDATE
            # blocks while this transaction waits on the same JobState key: a deadlock
            # (found by `make loadtest` on PostgreSQL). Ignored where rows are not locked.
            db_result = jobs.select_for_update(skip_locked=True, no_key=True).first()
            if db_result is None:
                return None
            db_result.status = Status.RUNNING
            db_result.started_at = now
            db_result.worker_ids = [*db_result.worker_ids, worker_id]
            db_result.save(update_fields=["status", "started_at", "worker_ids"])
            policy = policy_for(db_result.task_path)
            state, _ = JobState.objects.select_for_update().get_or_create(result=db_result)
            state.attempts += 1
            state.max_attempts = policy.max_attempts
            state.worker_id = worker_id
            state.heartbeat_at = now
            state.lease_expires_at = now + datetime.timedelta(seconds=lease_seconds())
            state.save()
    except OperationalError as exc:
        if is_locked_database_exception(exc):  # SQLite: another connection holds the lock
            raise QueueBusy from exc
        raise
    return db_result


def renew_lease(job_id, worker_id: str, now: datetime.datetime | None = None) -> bool:
    """The heartbeat. False when the job is no longer ours (recovered by another worker)."""
    now = now or timezone.now()
    return bool(
        JobState.objects.filter(
            result_id=job_id, worker_id=worker_id, result__status=Status.RUNNING
        ).update(
            heartbeat_at=now, lease_expires_at=now + datetime.timedelta(seconds=lease_seconds())
        )
    )


# ---------------------------------------------------------------------------------------------
# running


def _call(db_result: DBTaskResult):
    task = db_result.task
    args, kwargs = db_result.args_kwargs["args"], db_result.args_kwargs["kwargs"]
    if task.takes_context:
        return task.call(TaskContext(task_result=db_result.task_result), *args, **kwargs)
    return task.call(*args, **kwargs)


def _limit_memory(extra_mb: int | None) -> None:
    """Cap the address space at what the process has now plus ``extra_mb``: an allocation past
    it raises MemoryError in the job instead of taking the machine's memory."""
    if not extra_mb:
        return
    import resource

    try:
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        current = 0
    limit = current + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child(db_result: DBTaskResult, memory_limit_mb: int | None, pipe) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the worker, which decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _limit_memory(memory_limit_mb)
        value = normalize_json(_call(db_result))
        pipe.send(("ok", value, ""))
    except BaseException as exc:
        pipe.send(("error", get_module_path(type(exc)), "".join(traceback.format_exception(exc))))
    finally:
        connections.close_all()
        pipe.close()


def _run_isolated(db_result: DBTaskResult, worker_id: str):
    """Run the job in a forked child, renewing the lease while it runs. Returns the child's
    answer, or raises JobTimeLimitExceeded / JobProcessDied / WorkerLost."""
    policy = policy_for(db_result.task_path)
    db_result.task  # noqa: B018 - import the task's module here, once, not in every child
    # The child must not share the parent's database sockets: close them; both reconnect.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(db_result, policy.memory_limit_mb, sender), daemon=True
    )
    process.start()
    sender.close()
    started = last_beat = time.monotonic()
    heartbeat = max(1.0, lease_seconds() / 3)
    answer = None
    try:
        while True:
            remaining = policy.time_limit_seconds - (time.monotonic() - started)
            if remaining <= 0:
                raise JobTimeLimitExceeded(
                    f"Jobben brukte mer enn {policy.time_limit_seconds} s og ble stoppet."
                )
            try:
                if receiver.poll(min(1.0, remaining)):
                    answer = receiver.recv()
                    break
            except EOFError:
                break  # the child ended without an answer
            if _stopping.is_set():
                raise WorkerStopped("Arbeideren ble stoppet mens jobben kjørte.")
            if not process.is_alive() and not receiver.poll(0):
                break
            if time.monotonic() - last_beat >= heartbeat:
                last_beat = time.monotonic()
                if not renew_lease(db_result.id, worker_id):
                    raise WorkerLost("Jobben ble tatt tilbake fra denne arbeideren.")
    finally:
        if answer is None and process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if answer is None:
        raise JobProcessDied(
            f"Jobbprosessen stoppet uten svar (avslutningskode {process.exitcode})."
        )
    return answer


def _run_inline(db_result: DBTaskResult):
    """In this process, without limits: for tests and for debugging a job."""
    try:
        return ("ok", normalize_json(_call(db_result)), "")
    except Exception as exc:
        return ("error", get_module_path(type(exc)), "".join(traceback.format_exception(exc)))


def _drop_stale_connections() -> None:
    """Django's close_old_connections, except for a connection inside a transaction: one the
    caller holds open (a test's, or a caller's own atomic block) is never closed under it."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def execute(
    db_result: DBTaskResult,
    *,
    worker_id: str,
    isolation: str | None = None,
    now: datetime.datetime | None = None,
) -> Outcome:
    """Run a claimed job and record what happened (``now``: when it ended; tests set it)."""
    isolation = isolation or getattr(settings, "JOBS_ISOLATION", "fork")
    request_id = (
        JobState.objects.filter(result_id=db_result.pk).values_list("request_id", flat=True).first()
    )
    token = request_id_var.set(request_id or "")
    try:
        return _execute(db_result, worker_id=worker_id, isolation=isolation, now=now)
    finally:
        request_id_var.reset(token)


def _execute(db_result, *, worker_id, isolation, now) -> Outcome:
    try:
        if isolation == "inline":
            kind, value, trace = _run_inline(db_result)
        else:
            kind, value, trace = _run_isolated(db_result, worker_id)
    except WorkerLost as exc:
        logger.warning("Job %s: %s", db_result.id, exc)
        return Outcome(str(db_result.id), "lost", str(exc))
    except WorkerStopped:
        _drop_stale_connections()
        return _put_back(db_result, worker_id)
    except (JobTimeLimitExceeded, JobProcessDied) as exc:
        kind, value, trace = "error", get_module_path(type(exc)), str(exc)
    _drop_stale_connections()
    if kind == "ok":
        return _succeed(db_result, value, now=now)
    return _fail(db_result, value, trace, now=now)


def _put_back(db_result: DBTaskResult, worker_id: str) -> Outcome:
    """Back in the queue at once, the interrupted attempt not counted."""
    with transaction.atomic():
        state = JobState.objects.select_for_update().get(result_id=db_result.pk)
        if state.worker_id != worker_id:
            return Outcome(str(db_result.id), "lost")
        state.attempts = max(0, state.attempts - 1)
        state.lease_expires_at = None
        state.save(update_fields=["attempts", "lease_expires_at"])
        DBTaskResult.objects.filter(pk=db_result.pk).update(
            status=Status.READY, run_after=timezone.now()
        )
    logger.warning("Job %s put back in the queue: the worker is stopping", db_result.id)
    return Outcome(str(db_result.id), "requeued")


def _succeed(db_result: DBTaskResult, value, now=None) -> Outcome:
    now = now or timezone.now()
    with transaction.atomic():
        DBTaskResult.objects.filter(pk=db_result.pk).update(
            status=Status.SUCCESSFUL,
            finished_at=now,
            return_value=value,
            exception_class_path="",
            traceback="",
        )
        JobState.objects.filter(result_id=db_result.pk).update(lease_expires_at=None)
    return Outcome(str(db_result.id), "successful")


def _fail(
    db_result: DBTaskResult, exception_class_path: str, trace: str, now=None, worker_id=None
) -> Outcome:
    """Record a failed attempt: queue the job again after its backoff, or, when its attempts
    are used up, mark it failed with the error."""
    now = now or timezone.now()
    with transaction.atomic():
        state = JobState.objects.select_for_update().get(result_id=db_result.pk)
        if worker_id is not None and state.worker_id != worker_id:
            return Outcome(str(db_result.id), "lost")
        last_line = (trace.strip().splitlines() or [exception_class_path])[-1]
        state.errors = [
            *state.errors,
            {
                "attempt": state.attempts,
                "at": now.isoformat(),
                "worker": state.worker_id,
                "error": last_line[:500],
            },
        ][-20:]
        state.last_error = trace[-10000:]
        state.lease_expires_at = None
        state.save()
        policy = policy_for(db_result.task_path)
        if state.attempts < state.max_attempts:
            DBTaskResult.objects.filter(pk=db_result.pk).update(
                status=Status.READY, run_after=now + policy.delay_after(state.attempts)
            )
            logger.warning(
                "Job %s failed (attempt %s of %s), retrying: %s",
                db_result.id,
                state.attempts,
                state.max_attempts,
                last_line,
            )
            return Outcome(str(db_result.id), "retry", last_line)
        DBTaskResult.objects.filter(pk=db_result.pk).update(
            status=Status.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=exception_class_path,
            traceback=trace,
        )
    logger.error(
        "Job %s failed for good after %s attempts: %s", db_result.id, state.attempts, last_line
    )
    return Outcome(str(db_result.id), "failed", last_line)


def recover_expired(*, now: datetime.datetime | None = None) -> list[Outcome]:
    """Jobs marked running whose lease ran out (their worker was killed or lost the database):
    each counts as a failed attempt, so it is retried after its backoff or marked failed."""
    now = now or timezone.now()
    outcomes = []
    expired = JobState.objects.filter(
        result__status=Status.RUNNING, lease_expires_at__lt=now
    ).values_list("result_id", "worker_id")
    for job_id, worker_id in list(expired):
        with transaction.atomic():
            db_result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=job_id, status=Status.RUNNING, job_state__lease_expires_at__lt=now)
                .first()
            )
            if db_result is None:
                continue
            outcomes.append(
                _fail(
                    db_result,
                    get_module_path(WorkerLost),
                    f"Arbeideren {worker_id} sluttet å melde seg mens jobben kjørte "
                    f"(lånet utløp); jobben er tatt tilbake.",
                    now=now,
                    worker_id=worker_id,
                )
            )
    return outcomes


# ---------------------------------------------------------------------------------------------
# the loop


class Worker:
    def __init__(
        self,
        *,
        queue_names: list[str] | None = None,
        interval: float = 1.0,
        isolation: str | None = None,
        worker_id: str | None = None,
    ):
        self.queue_names = queue_names
        self.interval = interval
        self.isolation = isolation
        self.worker_id = worker_id or new_worker_id()
        self.running = True
        self._last_recovery = 0.0
        self._last_schedule = 0.0

    def stop(self, *_args) -> None:
        self.running = False
        _stopping.set()

    def run_once(self) -> Outcome | None:
        """Recover expired leases now and then, then run one job if one is ready."""
        if time.monotonic() - self._last_recovery > lease_seconds() / 2:
            self._last_recovery = time.monotonic()
            for outcome in recover_expired():
                logger.warning("Recovered job %s: %s", outcome.job_id, outcome.status)
        if time.monotonic() - self._last_schedule > 15:
            self._last_schedule = time.monotonic()
            enqueue_due()
        db_result = claim_next(worker_id=self.worker_id, queue_names=self.queue_names)
        if db_result is None:
            return None
        logger.info("Job %s (%s) started", db_result.id, db_result.task_path)
        outcome = execute(db_result, worker_id=self.worker_id, isolation=self.isolation)
        logger.info("Job %s: %s", db_result.id, outcome.status)
        return outcome

    def run(self, *, batch: bool = False) -> int:
        """Run jobs until stopped (SIGTERM/SIGINT finish the current job first), or, in batch
        mode, until none is ready. Returns how many jobs were run."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        _stopping.clear()
        count = 0
        outage = 0
        while self.running:
            _drop_stale_connections()
            try:
                outcome = self.run_once()
            except QueueBusy:
                # A page view or another worker is writing (SQLite): look again shortly.
                _stopping.wait(min(self.interval, 0.2))
                continue
            except (OperationalError, InterfaceError) as exc:
                # The database is restarting or failing over: wait and reconnect, never die.
                # A job claimed before the outage is taken back when its lease runs out.
                outage += 1
                logger.warning("Databasen svarer ikke (%s); prøver igjen", exc.__class__.__name__)
                connections.close_all()
                _stopping.wait(min(30.0, self.interval * 2**outage))
                continue
            outage = 0
            if outcome is not None:
                count += 1
                continue
            if batch:
                break
            _stopping.wait(self.interval)
        return count
