"""The worker around django-tasks-db: retries with backoff, recovery of a killed worker's jobs
(the lease), and the time and memory limit of a job's process."""

import datetime
import os

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus as Status
from django_tasks_db.models import DBTaskResult

from portal.jobs import policy_for
from portal.jobs.models import JobState
from portal.jobs.worker import Worker, claim_next, execute, recover_expired, renew_lease
from tests.jobs import tasks

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(db, settings):
    settings.TASKS = DB_BACKEND
    settings.JOBS_LEASE_SECONDS = 60
    settings.JOBS_SCHEDULE = {}
    tasks.CALLS.clear()
    return settings


def _row(result) -> DBTaskResult:
    return DBTaskResult.objects.select_related("job_state").get(pk=result.id)


def _run(worker_id="w1", now=None, isolation="inline"):
    claimed = claim_next(worker_id=worker_id, now=now)
    assert claimed is not None, "a ready job was expected"
    return execute(claimed, worker_id=worker_id, isolation=isolation, now=now)


def test_a_job_is_queued_then_done(db_tasks):
    result = tasks.add.enqueue(2, 3)
    assert _row(result).status == Status.READY
    outcome = _run()
    row = _row(result)
    assert outcome.status == "successful"
    assert row.status == Status.SUCCESSFUL
    assert row.return_value == 5
    assert row.job_state.attempts == 1


def test_a_failure_is_retried_after_a_doubling_backoff(db_tasks):
    result = tasks.fails_twice.enqueue("k")
    before = timezone.now()
    assert _run().status == "retry"
    row = _row(result)
    assert row.status == Status.READY
    assert row.job_state.attempts == 1
    assert "attempt 1 of k failed" in row.job_state.last_error
    first_delay = row.run_after - before
    assert datetime.timedelta(seconds=10) <= first_delay < datetime.timedelta(seconds=20)

    # Not before its time: nothing is ready now.
    assert claim_next(worker_id="w1") is None
    later = row.run_after + datetime.timedelta(seconds=1)
    assert _run(now=later).status == "retry"
    row = _row(result)
    assert row.run_after - later >= datetime.timedelta(seconds=19)  # 10 s, then 20 s

    assert _run(now=row.run_after + datetime.timedelta(seconds=1)).status == "successful"
    row = _row(result)
    assert row.status == Status.SUCCESSFUL
    assert row.job_state.attempts == 3
    assert row.job_state.retried
    assert [e["attempt"] for e in row.job_state.errors] == [1, 2]


def test_after_the_last_attempt_the_job_is_failed_with_the_error(db_tasks):
    result = tasks.always_fails.enqueue()
    assert _run().status == "retry"
    assert _run(now=timezone.now() + datetime.timedelta(minutes=5)).status == "failed"
    row = _row(result)
    assert row.status == Status.FAILED
    assert row.exception_class_path == "builtins.ValueError"
    assert "the mail server said no" in row.traceback
    assert row.job_state.attempts == 2
    assert claim_next(worker_id="w1", now=timezone.now() + datetime.timedelta(days=1)) is None


def test_a_killed_workers_job_is_taken_back_when_its_lease_runs_out(db_tasks):
    result = tasks.add.enqueue(1, 1)
    claimed = claim_next(worker_id="killed")
    assert claimed is not None
    # The worker dies here: nothing renews the lease.
    assert recover_expired() == []  # the lease has not run out yet
    expired = timezone.now() + datetime.timedelta(seconds=61)
    outcomes = recover_expired(now=expired)
    assert [o.status for o in outcomes] == ["retry"]
    row = _row(result)
    assert row.status == Status.READY
    assert "killed" in row.job_state.errors[0]["error"]
    # Another worker runs it once its backoff has passed.
    assert _run(worker_id="w2", now=row.run_after).status == "successful"
    row = _row(result)
    assert row.status == Status.SUCCESSFUL
    assert row.worker_ids == ["killed", "w2"]
    # The dead worker's heartbeat, should it come back, no longer owns the job.
    assert renew_lease(result.id, "killed") is False


def test_a_renewed_lease_is_not_taken_back(db_tasks):
    tasks.add.enqueue(1, 1)
    claimed = claim_next(worker_id="alive")
    soon = timezone.now() + datetime.timedelta(seconds=50)
    assert renew_lease(claimed.id, "alive", now=soon)
    assert recover_expired(now=soon + datetime.timedelta(seconds=30)) == []
    assert JobState.objects.get(pk=claimed.pk).worker_id == "alive"


def test_a_recovered_job_with_no_attempts_left_is_failed(db_tasks):
    result = tasks.always_fails.enqueue()  # two attempts
    claim_next(worker_id="a")
    recover_expired(now=timezone.now() + datetime.timedelta(seconds=61))
    row = _row(result)
    claim_next(worker_id="b", now=row.run_after)
    recover_expired(now=row.run_after + datetime.timedelta(seconds=61))
    row = _row(result)
    assert row.status == Status.FAILED
    assert "WorkerLost" in row.exception_class_path


def test_two_workers_never_claim_the_same_job(db_tasks):
    tasks.add.enqueue(1, 2)
    assert claim_next(worker_id="a") is not None
    assert claim_next(worker_id="b") is None


@pytest.mark.django_db(transaction=True)
def test_a_job_past_its_time_limit_is_killed_and_failed(settings):
    settings.TASKS = DB_BACKEND
    settings.JOBS_SCHEDULE = {}
    result = tasks.runs_forever.enqueue()
    outcome = _run(isolation="fork")
    row = _row(result)
    assert outcome.status == "failed"
    assert row.status == Status.FAILED
    assert row.exception_class_path == "portal.jobs.worker.JobTimeLimitExceeded"
    assert "1 s" in row.traceback


@pytest.mark.django_db(transaction=True)
def test_a_job_past_its_memory_limit_fails_without_taking_the_worker(settings):
    settings.TASKS = DB_BACKEND
    settings.JOBS_SCHEDULE = {}
    result = tasks.eats_memory.enqueue()
    outcome = _run(isolation="fork")
    row = _row(result)
    assert outcome.status == "failed"
    assert row.exception_class_path == "builtins.MemoryError"


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_its_own_process(settings):
    settings.TASKS = DB_BACKEND
    settings.JOBS_SCHEDULE = {}
    result = tasks.answers_in_child.enqueue()
    assert _run(isolation="fork").status == "successful"
    child_pid = _row(result).return_value
    assert isinstance(child_pid, int) and child_pid != os.getpid()


def test_the_worker_loop_runs_until_the_queue_is_empty(db_tasks):
    tasks.add.enqueue(1, 2)
    tasks.add.enqueue(3, 4)
    assert Worker(isolation="inline").run(batch=True) == 2
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [3, 7]


def test_policies_come_from_the_decorator():
    assert policy_for(tasks.runs_forever.module_path).time_limit_seconds == 1
    assert policy_for("some.plain.task").max_attempts == 3
    assert policy_for(tasks.fails_twice.module_path).delay_after(3) == datetime.timedelta(
        seconds=40
    )


@pytest.mark.django_db(transaction=True)
def test_a_stopping_worker_puts_its_running_job_back(settings):
    """Ctrl+C or SIGTERM during a long job: the job's process is stopped and the job is queued
    again at once, the interrupted attempt not counted (nothing lost, nothing waited for)."""
    import threading

    from portal.jobs import worker as worker_module

    settings.TASKS = DB_BACKEND
    settings.JOBS_SCHEDULE = {}
    result = tasks.runs_forever.using(priority=0).enqueue()
    claimed = claim_next(worker_id="w1")
    worker_module._stopping.clear()
    timer = threading.Timer(0.2, worker_module._stopping.set)
    timer.start()
    try:
        outcome = execute(claimed, worker_id="w1", isolation="fork")
    finally:
        timer.cancel()
        worker_module._stopping.clear()
    row = _row(result)
    assert outcome.status == "requeued"
    assert row.status == Status.READY
    assert row.job_state.attempts == 0


@pytest.mark.django_db(transaction=True)
def test_a_claim_does_not_block_the_enqueueing_request_s_job_state(settings):
    """On PostgreSQL: the request that enqueued a job writes its JobState (the request id) just
    after the job's row is committed, and the worker may claim the job in between. The claim's
    row lock must let that JobState's foreign-key check through (FOR NO KEY UPDATE): with
    FOR UPDATE the request's commit waited for the worker, which waited for the request's
    JobState key, a deadlock (make loadtest, a 503 on the workbook upload)."""
    import threading

    from django.db import connection, transaction

    from portal.jobs import worker as worker_module

    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (DATABASE_URL)")
    settings.TASKS = DB_BACKEND
    settings.JOBS_SCHEDULE = {}
    result = tasks.add.enqueue(1, 2)  # committed; no request id, so no JobState yet
    locked = threading.Event()
    written = threading.Event()
    claimed = []
    real_policy_for = worker_module.policy_for

    def policy_after_the_lock(path):
        # Inside the claim's transaction, the job row locked: the request commits now.
        locked.set()
        written.wait(10)
        return real_policy_for(path)

    def work():
        try:
            claimed.append(claim_next(worker_id="w1"))
        finally:
            connection.close()

    worker_module.policy_for = policy_after_the_lock
    try:
        thread = threading.Thread(target=work)
        thread.start()
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        try:
            with transaction.atomic():
                JobState.objects.create(result_id=result.id, request_id="req-1")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
            written.set()
        thread.join(20)
    finally:
        worker_module.policy_for = real_policy_for
    assert claimed and str(claimed[0].pk) == result.id
    state = JobState.objects.get(result_id=result.id)
    assert state.request_id == "req-1"
    assert state.attempts == 1 and state.worker_id == "w1"
