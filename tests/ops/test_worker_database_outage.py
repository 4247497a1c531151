"""The job worker survives a database outage (PostgreSQL restarting): it waits, reconnects
and goes on taking jobs instead of dying with the connection."""

import pytest
from django.db.utils import OperationalError

from portal.jobs import worker as worker_module

pytestmark = pytest.mark.django_db


def test_the_worker_waits_through_an_outage_and_goes_on(monkeypatch):
    calls = []
    loop = worker_module.Worker(interval=0.001)

    def claim(**_kwargs):
        calls.append(len(calls))
        if len(calls) <= 2:
            raise OperationalError("the database system is shutting down")
        loop.stop()
        return None

    monkeypatch.setattr(worker_module, "claim_next", claim)
    monkeypatch.setattr(worker_module, "enqueue_due", lambda: None)
    assert loop.run() == 0  # no exception: it waited twice, then claimed again
    assert len(calls) == 3


def test_a_locked_sqlite_database_does_not_end_a_batch_run(monkeypatch):
    """`run_jobs --batch` (tests, make targets) stops when the queue is empty. A write lock held
    by a page view is not an empty queue: the e2e workbook test saw the batch end at once and the
    upload stay «Sjekker arbeidsboken». The worker looks again instead."""
    calls = []
    loop = worker_module.Worker(interval=0.001)

    def claim(**_kwargs):
        calls.append(len(calls))
        if len(calls) <= 2:
            raise worker_module.QueueBusy
        return None

    monkeypatch.setattr(worker_module, "claim_next", claim)
    monkeypatch.setattr(worker_module, "enqueue_due", lambda: None)
    assert loop.run(batch=True) == 0
    assert len(calls) == 3  # twice busy, then really empty: only that ends the batch


@pytest.mark.django_db(transaction=True)
def test_claim_next_reports_a_locked_sqlite_database(monkeypatch):
    from django.db import OperationalError as DjangoOperationalError

    def locked(*_args, **_kwargs):
        raise DjangoOperationalError("database is locked")

    monkeypatch.setattr(worker_module, "exclusive_transaction", locked)
    monkeypatch.setattr(worker_module, "is_locked_database_exception", lambda exc: True)
    with pytest.raises(worker_module.QueueBusy):
        worker_module.claim_next(worker_id="w")
