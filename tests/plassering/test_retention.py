"""Households are deleted N days after their last allocation was settled, withdrawn or
declined; open allocations keep them; the ledger keeps the allocations' numbers."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from plassering import services
from plassering.models import Allocation, Household, HouseholdAccess
from portal.register.models import Municipality

pytestmark = pytest.mark.django_db


def make(placement_round, users, reference, action=None):
    household = services.save_household(
        {"case_reference": reference, "adults": [{"occupations": ["7212"]}]}, by=users["imdi"]
    )
    allocation = services.propose_allocation(
        placement_round,
        Municipality.objects.get(number="4003"),
        persons=1,
        case_reference=reference,
        by=users["imdi"],
        household=household,
    )
    if action == "settle":
        services.transition_allocation(allocation, "accept", by=users["imdi"])
    if action:
        services.transition_allocation(allocation, action, by=users["imdi"], reason="x")
    return household


def test_deleted_after_the_retention_period(placement_round, users, settings):
    settings.PLASSERING_HOUSEHOLD_RETENTION_DAYS = 90
    settled = make(placement_round, users, "26/1", "settle")
    withdrawn = make(placement_round, users, "26/2", "withdraw")
    open_ = make(placement_round, users, "26/3")
    assert services.delete_expired_households() == 0  # not 90 days yet
    later = timezone.now() + datetime.timedelta(days=91)
    assert services.delete_expired_households(now=later) == 2
    assert list(Household.objects.values_list("pk", flat=True)) == [open_.pk]
    assert Allocation.objects.filter(household=None).count() == 2  # numbers stay in the ledger
    assert (
        HouseholdAccess.objects.filter(
            household_id_value__in=[settled.pk, withdrawn.pk], action="delete"
        ).count()
        == 2
    )


def test_command(placement_round, users, settings, capsys):
    settings.PLASSERING_HOUSEHOLD_RETENTION_DAYS = 0
    make(placement_round, users, "26/1", "decline")
    call_command("delete_expired_households", "--dry-run")
    assert "1 husholdninger ville blitt slettet" in capsys.readouterr().out
    call_command("delete_expired_households")
    assert not Household.objects.exists()


def test_scheduled_job(placement_round, users, settings):
    """The worker's daily job deletes what the retention rule says, and it is on the schedule."""
    settings.PLASSERING_HOUSEHOLD_RETENTION_DAYS = 0
    make(placement_round, users, "26/1", "withdraw")
    kept = make(placement_round, users, "26/2")
    from plassering.tasks import delete_expired_households

    result = delete_expired_households.enqueue()
    assert result.return_value == 1
    assert list(Household.objects.values_list("pk", flat=True)) == [kept.pk]
    assert any(
        task == "plassering.tasks.delete_expired_households"
        for task, _seconds in settings.JOBS_SCHEDULE.values()
    )
