"""Batch assignment: many households at once, the assignment that maximises the total score
within each municipality's remaining capacity (persons; minors in their own pools), solved
exactly as an integer program with scipy's ``milp`` (HiGHS, relative gap 0).

Also the greedy assignment (each household in turn takes its best municipality with room), so
the page and the bench can show what the optimum gains, and each household's loss against its
own best."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

# (household index, municipality number) -> score; only pairs that pass the hard filters.
Scores = dict[tuple[int, str], float]


@dataclass(frozen=True)
class BatchHousehold:
    persons: int
    pool: str  # "" (general), "under_15" or "15_18"


@dataclass
class Assignment:
    chosen: dict[int, str | None]  # household index -> municipality number, None when none fits
    objective: float
    best_bound: float
    solve_seconds: float
    status: str
    cpu_seconds: float = 0.0

    @property
    def gap(self) -> float:
        return max(0.0, self.best_bound - self.objective)


def best_per_household(scores: Scores, count: int) -> dict[int, tuple[str | None, float]]:
    best: dict[int, tuple[str | None, float]] = {h: (None, 0.0) for h in range(count)}
    for (h, number), score in sorted(scores.items()):
        if best[h][0] is None or score > best[h][1]:
            best[h] = (number, score)
    return best


def solve(
    households: list[BatchHousehold],
    scores: Scores,
    remaining: dict[tuple[str, str], int],
    *,
    time_limit: float = 60.0,
) -> Assignment:
    """``remaining[(number, pool)]`` is what the municipality has left in that pool."""
    # A pair whose pool cannot hold the household at all can never be chosen: leaving it out
    # keeps the optimum exact and the program small. A fixed order of variables: the same input
    # gives the same answer.
    pairs = sorted(
        (h, number)
        for (h, number) in scores
        if remaining.get((number, households[h].pool), 0) >= households[h].persons
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    if not pairs:
        return Assignment({h: None for h in range(len(households))}, 0.0, 0.0, 0.0, "empty")
    cost = np.array([-scores[p] for p in pairs])
    rows, cols, values, upper = [], [], [], []
    # Each household at most once.
    for k, (h, _number) in enumerate(pairs):
        rows.append(h)
        cols.append(k)
        values.append(1.0)
    upper.extend([1.0] * len(households))
    # Each municipality's pool: the persons assigned to it fit in what remains.
    pool_rows: dict[tuple[str, str], int] = {}
    for k, (h, number) in enumerate(pairs):
        key = (number, households[h].pool)
        if key not in pool_rows:
            pool_rows[key] = len(households) + len(pool_rows)
            upper.append(float(remaining.get(key, 0)))
        rows.append(pool_rows[key])
        cols.append(k)
        values.append(float(households[h].persons))
    matrix = coo_array((values, (rows, cols)), shape=(len(upper), len(pairs))).tocsr()
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper)),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": True},
    )
    elapsed = time.perf_counter() - started
    chosen: dict[int, str | None] = {h: None for h in range(len(households))}
    if result.x is None:
        return Assignment(chosen, 0.0, 0.0, elapsed, result.message)
    for k, value in enumerate(result.x):
        if value > 0.5:
            chosen[pairs[k][0]] = pairs[k][1]
    objective = sum(scores[(h, n)] for h, n in chosen.items() if n is not None)
    bound = -float(getattr(result, "mip_dual_bound", result.fun) or result.fun)
    return Assignment(
        chosen,
        objective,
        max(bound, objective),
        elapsed,
        "optimal" if result.success else result.message,
        time.process_time() - cpu_started,
    )


def greedy(
    households: list[BatchHousehold], scores: Scores, remaining: dict[tuple[str, str], int]
) -> Assignment:
    """Each household in the given order takes its best municipality that still has room."""
    started = time.perf_counter()
    left = dict(remaining)
    options: dict[int, list[tuple[float, str]]] = {}
    for (h, number), score in scores.items():
        options.setdefault(h, []).append((-score, number))
    chosen: dict[int, str | None] = {}
    for h, household in enumerate(households):
        chosen[h] = None
        for _neg, number in sorted(options.get(h, [])):
            key = (number, household.pool)
            if left.get(key, 0) >= household.persons:
                left[key] -= household.persons
                chosen[h] = number
                break
    objective = sum(scores[(h, n)] for h, n in chosen.items() if n is not None)
    return Assignment(chosen, objective, objective, time.perf_counter() - started, "greedy")


def within_capacity(
    households: list[BatchHousehold], chosen: dict[int, str | None], remaining
) -> bool:
    used: dict[tuple[str, str], int] = {}
    for h, number in chosen.items():
        if number is not None:
            key = (number, households[h].pool)
            used[key] = used.get(key, 0) + households[h].persons
    return all(persons <= remaining.get(key, 0) for key, persons in used.items())
