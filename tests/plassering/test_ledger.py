"""The capacity ledger: decisions with their history, the fallback to the county's
recommendation and the profile (said, never silent), allocations that never take more than
remains (also over random batches, with hypothesis), and imports that change all or nothing."""

import contextlib
import threading

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plassering import selectors, services
from plassering.models import Allocation, Capacity, CapacityChange, MinorGroup
from portal.register.models import Municipality
from skjema import services as skjema_services
from skjema.models import CountySubmission

from .conftest import decide

pytestmark = pytest.mark.django_db


def state_of(round_, number):
    return next(
        s for s in selectors.capacity_list(round_=round_, county=number[:2]) if s.number == number
    )


def municipality(number):
    return Municipality.objects.get(number=number)


def propose(round_, number, persons, user, group=""):
    return services.propose_allocation(
        round_,
        municipality(number),
        persons=persons,
        case_reference="26/1",
        by=user,
        minor_group=group,
    )


class TestCapacityInForce:
    def test_decision_profile_and_recommendation(self, placement_round, users):
        assert state_of(placement_round, "4003").source == "decision"
        porsgrunn = state_of(placement_round, "4001")
        assert (porsgrunn.source, porsgrunn.decided) == ("profile", 25)
        assert "oppgitt av kommunen" in porsgrunn.label
        assert state_of(placement_round, "4012").source == "none"
        telemark = CountySubmission.objects.get(round=placement_round, county__number="40")
        county = users["fylke_b"]
        for key, data in {
            "plans": {"plan_title": "Plan", "plan_summary": "Kort.", "plan_period": "2026–2029"},
            "recommendations": [
                {
                    "municipality": m.number,
                    "number": 9 if m.number == "4001" else 0,
                    "justification": "Boliger.",
                }
                for m in Municipality.objects.in_structure(placement_round.structure).filter(
                    county__number="40"
                )
            ],
        }.items():
            base = skjema_services.latest_edit_ids(telemark).get(key)
            skjema_services.save_section(telemark, key, data, county, base_edit_id=base)
        skjema_services.submit(telemark, county)
        porsgrunn = state_of(placement_round, "4001")
        assert (porsgrunn.source, porsgrunn.decided) == ("recommended", 9)
        assert porsgrunn.label == "Ledig 9 av 9 (anbefalt av fylket)"
        assert state_of(placement_round, "4012").decided == 0  # recommended 0: nothing left

    def test_every_change_is_kept(self, placement_round, users):
        decide(placement_round, "4003", 25, users["imdi"], from_15=5)
        changes = list(
            CapacityChange.objects.filter(capacity__municipality__number="4003").order_by(
                "at", "id"
            )
        )
        assert [c.new["decided"] for c in changes] == [20, 25]
        assert changes[1].old["decided"] == 20 and changes[1].by == users["imdi"]

    def test_a_decision_below_what_is_allocated_is_refused(self, placement_round, users):
        propose(placement_round, "4003", 10, users["imdi"])
        with pytest.raises(services.PlacementError, match="10 personer"):
            decide(placement_round, "4003", 12, users["imdi"], from_15=4)
        assert Capacity.objects.get(municipality__number="4003").decided == 20

    def test_import_is_all_or_nothing(self, placement_round, users):
        entries = [
            services.DecisionInput("4001", 10),
            services.DecisionInput("4012", 3, 2, 2),  # minors above decided
        ]
        with pytest.raises(services.PlacementError):
            services.import_decisions(placement_round, entries, by=users["imdi"], channel="import")
        assert not Capacity.objects.filter(
            municipality__number="4001", decided__isnull=False
        ).exists()
        with pytest.raises(services.PlacementError, match="9999"):
            services.import_decisions(
                placement_round,
                [services.DecisionInput("9999", 1)],
                by=users["imdi"],
                channel="import",
            )
        changed = services.import_decisions(
            placement_round, entries[:1], by=users["imdi"], channel="import"
        )
        assert changed == 1 and state_of(placement_round, "4001").decided == 10


class TestAllocations:
    def test_minors_have_their_own_pool(self, placement_round, users):
        with pytest.raises(services.NotEnoughCapacity, match="under 15"):
            propose(placement_round, "4003", 1, users["imdi"], MinorGroup.UNDER_15)
        for _ in range(4):
            propose(placement_round, "4003", 1, users["imdi"], MinorGroup.FROM_15)
        with pytest.raises(services.NotEnoughCapacity):
            propose(placement_round, "4003", 1, users["imdi"], MinorGroup.FROM_15)
        skien = state_of(placement_round, "4003")
        assert (skien.remaining, skien.remaining_general, skien.remaining_15_18) == (16, 16, 0)

    def test_fallback_capacity_is_spent_too(self, placement_round, users):
        propose(placement_round, "4001", 20, users["imdi"])
        with pytest.raises(services.NotEnoughCapacity):
            propose(placement_round, "4001", 6, users["imdi"])
        assert state_of(placement_round, "4001").remaining == 5

    def test_transitions_are_recorded_and_closed_ones_free_places(self, placement_round, users):
        allocation = propose(placement_round, "4003", 16, users["imdi"])
        services.transition_allocation(
            allocation, "decline", by=users["imdi"], reason="Ingen bolig"
        )
        with pytest.raises(services.PlacementError):
            services.transition_allocation(allocation, "accept", by=users["imdi"])
        assert [t.to_status for t in allocation.transitions.order_by("at", "id")] == [
            "proposed",
            "declined",
        ]
        assert state_of(placement_round, "4003").remaining == 20


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("propose"), st.integers(1, 9), st.sampled_from(["", "", "15_18", "under_15"])
        ),
        st.tuples(st.just("withdraw"), st.integers(0, 20), st.just("")),
        st.tuples(st.just("settle"), st.integers(0, 20), st.just("")),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(operations)
def test_capacity_is_never_exceeded_over_random_batches(placement_round, users, ops):
    imdi = users["imdi"]
    with transaction.atomic():
        for op, value, group in ops:
            if op == "propose":
                persons = 1 if group else value
                with contextlib.suppress(services.NotEnoughCapacity):
                    propose(placement_round, "4003", persons, imdi, group)
            else:
                active = list(Allocation.objects.active().order_by("id"))
                if active:
                    target = active[value % len(active)]
                    if op == "withdraw":
                        action = "withdraw"
                    else:
                        action = "accept" if target.status == "proposed" else "settle"
                    with contextlib.suppress(services.PlacementError):
                        services.transition_allocation(target, action, by=imdi, reason="x")
            skien = state_of(placement_round, "4003")
            assert skien.allocated_general <= skien.general
            assert skien.allocated_15_18 <= skien.minors_15_18
            assert skien.allocated_under_15 <= skien.minors_under_15
            assert skien.remaining >= 0
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_two_officers_take_the_last_places_at_once(register, users, counties):
    """On PostgreSQL: two threads propose 10 persons where 16 remain. One wins, the other gets
    a clear conflict, and the ledger never goes below zero."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (DATABASE_URL)")
    from tests.fixtures.skjema import make_round

    round_ = make_round(2027)
    skien = municipality("4003")
    services.set_decision(
        round_, skien, services.DecisionInput("4003", 16), by=users["imdi"], channel="page"
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def officer():
        try:
            barrier.wait()
            services.propose_allocation(
                round_, skien, persons=10, case_reference="26/9", by=users["imdi"]
            )
            outcomes.append("ok")
        except services.NotEnoughCapacity as error:
            outcomes.append(str(error.messages[0]))
        finally:
            connection.close()

    threads = [threading.Thread(target=officer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1, outcomes
    assert any("bare 6 ledige" in o for o in outcomes)
    assert Allocation.objects.filter(round=round_).count() == 1
