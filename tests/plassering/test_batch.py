"""Batch assignment: the integer program finds the exact optimum (checked against brute force
on small instances), never exceeds any municipality's remaining places, and is never worse
than the greedy assignment."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plassering.batch import BatchHousehold, best_per_household, greedy, solve, within_capacity

NUMBERS = ["4001", "4003", "4005"]


@st.composite
def instances(draw, max_households=5):
    count = draw(st.integers(1, max_households))
    households = [
        BatchHousehold(draw(st.integers(1, 6)), draw(st.sampled_from(["", "", "15_18"])))
        for _ in range(count)
    ]
    scores = {}
    for h in range(count):
        for number in NUMBERS:
            if draw(st.booleans()):
                scores[(h, number)] = draw(st.integers(1, 100)) / 100
    remaining = {
        (number, pool): draw(st.integers(0, 10)) for number in NUMBERS for pool in ("", "15_18")
    }
    return households, scores, remaining


def brute_force(households, scores, remaining) -> float:
    best = 0.0
    options = [[None] + [n for n in NUMBERS if (h, n) in scores] for h in range(len(households))]
    for choice in itertools.product(*options):
        chosen = dict(enumerate(choice))
        if within_capacity(households, chosen, remaining):
            best = max(best, sum(scores[(h, n)] for h, n in chosen.items() if n))
    return best


@settings(max_examples=80, deadline=None)
@given(instances())
def test_the_optimum_is_exact_and_within_capacity(instance):
    households, scores, remaining = instance
    optimum = solve(households, scores, remaining)
    assert within_capacity(households, optimum.chosen, remaining)
    assert optimum.objective == pytest.approx(brute_force(households, scores, remaining), abs=1e-9)
    assert optimum.gap == pytest.approx(0, abs=1e-9)
    baseline = greedy(households, scores, remaining)
    assert within_capacity(households, baseline.chosen, remaining)
    assert optimum.objective >= baseline.objective - 1e-9


def test_optimum_beats_greedy_where_greedy_is_short_sighted():
    # The first household takes the only place the second can use; the optimum swaps them.
    households = [BatchHousehold(1, ""), BatchHousehold(1, "")]
    scores = {(0, "4001"): 0.9, (0, "4003"): 0.8, (1, "4001"): 0.7}
    remaining = {("4001", ""): 1, ("4003", ""): 1}
    assert greedy(households, scores, remaining).objective == pytest.approx(0.9)
    optimum = solve(households, scores, remaining)
    assert optimum.objective == pytest.approx(1.5)
    assert optimum.chosen == {0: "4003", 1: "4001"}
    best = best_per_household(scores, 2)
    assert best[0] == ("4001", 0.9)  # household 0 loses 0.1 against its own best


def test_minors_use_their_own_pool():
    households = [BatchHousehold(1, "15_18")]
    scores = {(0, "4001"): 0.9}
    assert solve(households, scores, {("4001", ""): 10, ("4001", "15_18"): 0}).chosen == {0: None}
    assert solve(households, scores, {("4001", "15_18"): 1}).chosen == {0: "4001"}
