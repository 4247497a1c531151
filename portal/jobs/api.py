"""Defining and enqueuing jobs: ``@job`` records a policy (attempts, backoff, limits) for the
worker beside the django-tasks ``Task`` it returns."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django_tasks import task as make_task


@dataclass(frozen=True)
class JobPolicy:
    max_attempts: int = 3
    backoff_seconds: int = 30  # the delay after the first failure; doubled after each further one
    max_backoff_seconds: int = 3600
    time_limit_seconds: int = 300  # the worker kills the job's process after this long
    memory_limit_mb: int | None = 1024  # address-space limit of the job's process

    def delay_after(self, attempt: int) -> datetime.timedelta:
        """How long to wait before the next attempt, after ``attempt`` (1-based) failed."""
        seconds = min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds)
        return datetime.timedelta(seconds=seconds)


DEFAULT_POLICY = JobPolicy()
_policies: dict[str, JobPolicy] = {}


def job(
    function: Callable | None = None,
    *,
    queue_name: str = "default",
    priority: int = 0,
    max_attempts: int = DEFAULT_POLICY.max_attempts,
    backoff_seconds: int = DEFAULT_POLICY.backoff_seconds,
    max_backoff_seconds: int = DEFAULT_POLICY.max_backoff_seconds,
    time_limit_seconds: int = DEFAULT_POLICY.time_limit_seconds,
    memory_limit_mb: int | None = DEFAULT_POLICY.memory_limit_mb,
):
    """``@job`` or ``@job(max_attempts=5, time_limit_seconds=60)``: a django-tasks task whose
    failures the worker retries with exponential backoff, within a time and memory limit.

    A job may run more than once (a retry after a crash mid-way), so write it to be safe to
    repeat: look rows up by id, skip what is already done."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    policy = JobPolicy(
        max_attempts=max_attempts,
        backoff_seconds=backoff_seconds,
        max_backoff_seconds=max_backoff_seconds,
        time_limit_seconds=time_limit_seconds,
        memory_limit_mb=memory_limit_mb,
    )

    def wrap(func: Callable):
        task = make_task(func, queue_name=queue_name, priority=priority)
        _policies[task.module_path] = policy
        return task

    return wrap(function) if function is not None else wrap


def policy_for(task_path: str) -> JobPolicy:
    """The policy of the task at ``task_path``; a plain django-tasks task gets the default."""
    return _policies.get(task_path, DEFAULT_POLICY)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue after the current transaction commits (at once outside one), so a rolled-back
    change starts nothing and the job never sees rows that are not committed yet."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
