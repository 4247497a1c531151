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
