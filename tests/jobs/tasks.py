"""Jobs used by the worker's tests (the worker imports them by dotted path, like real jobs)."""

import time

from portal.jobs import job

CALLS: dict[str, int] = {}


@job(max_attempts=3, backoff_seconds=10)
def add(a: int, b: int) -> int:
    return a + b


@job(max_attempts=3, backoff_seconds=10)
def fails_twice(key: str) -> str:
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] <= 2:
        raise ConnectionError(f"attempt {CALLS[key]} of {key} failed")
    return "done"


@job(max_attempts=2, backoff_seconds=10)
def always_fails() -> None:
    raise ValueError("the mail server said no")


@job(max_attempts=1, time_limit_seconds=1)
def runs_forever() -> None:
    while True:
        time.sleep(0.05)


@job(max_attempts=1, time_limit_seconds=60, memory_limit_mb=64)
def eats_memory() -> int:
    hog = bytearray(512 * 1024 * 1024)  # far past its 64 MB
    return len(hog)


@job(max_attempts=1, time_limit_seconds=60)
def answers_in_child() -> int:
    import os

    return os.getpid()
