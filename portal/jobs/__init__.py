"""Background jobs: Django's tasks API (django-tasks) on django-tasks-db's table, plus what that
backend lacks: retries with backoff, a lease that a killed worker's jobs are recovered from, and
a time and memory limit per job. The lowest layer: every app may import it; it imports none.

Define a job with ``@job(...)`` (a django-tasks ``Task`` with a retry/limit policy) and enqueue
it with ``enqueue_on_commit(task, *args)`` (or ``task.enqueue(...)`` outside a transaction).
Arguments and return values must be JSON (ids, strings, numbers), never model instances.
"""

from .api import JobPolicy, enqueue_on_commit, job, policy_for

__all__ = ["JobPolicy", "enqueue_on_commit", "job", "policy_for"]
