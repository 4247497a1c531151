"""Placement benchmark (``manage.py bench_placement``, part of ``make bench``): one household
ranked over every municipality (p50/p95, queries per ranking), and a batch of 200 households
solved exactly (solve time, objective against the solver's proven bound, gain over greedy).

Runs on a synthetic round (seeded like the search bench) inside a transaction that is rolled
back, so the database is left as it was."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.register.models import Municipality

from .batch import greedy, solve, within_capacity
from .models import Capacity
from .ranking import AdultSpec, HouseholdSpec
from .selectors import ranking_context

SEED = 20270101
BENCH_YEAR = 2099
OCCUPATIONS = ["7212", "2221", "5321", "9112", "8332", "5120", "7115", "4110", "2330", "5322"]
AREAS = ["HSHSF1----", "BABAT1----", "RMRMF1----", "TPTIP1----", ""]


class Rollback(Exception):
    pass


@dataclass
class PlacementBench:
    municipalities: int
    rankings: int
    p50_ms: float
    p95_ms: float
    queries: int
    batch_households: int
    pairs: int
    solve_s: float
    solve_cpu_s: float
    objective: float
    bound: float
    greedy_objective: float
    assigned: int
    greedy_assigned: int
    within_capacity: bool
    status: str

    def lines(self) -> list[str]:
        gap = self.bound - self.objective
        return [
            f"Plassering: én husholdning over {self.municipalities} kommuner, {self.rankings} "
            f"rangeringer: p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, "
            f"{self.queries} spørringer per rangering",
            f"Plassering: samlet fordeling av {self.batch_households} husholdninger "
            f"({self.pairs} mulige par): løst på {self.solve_s:.2f} s "
            f"(CPU {self.solve_cpu_s:.2f} s; {self.status})",
            f"  samlet poengsum {self.objective:.4f}, bevist øvre grense {self.bound:.4f} "
            f"(avstand {gap:.2e}: {'eksakt optimum' if gap <= 1e-6 else 'IKKE bevist optimum'})",
            f"  grådig fordeling {self.greedy_objective:.4f} ({self.greedy_assigned} fordelt); "
            f"gevinst {self.objective - self.greedy_objective:+.4f} "
            f"({(self.objective / self.greedy_objective - 1) * 100 if self.greedy_objective else 0:+.2f} %), "
            f"{self.assigned} fordelt; innenfor kapasitet: {'ja' if self.within_capacity else 'NEI'}",
        ]


def random_household(rng: random.Random) -> HouseholdSpec:
    if rng.random() < 0.12:
        return HouseholdSpec(
            unaccompanied_minor_age=rng.randint(13, 17),
            needs=frozenset(["adapted_schooling"] if rng.random() < 0.3 else []),
        )
    adults = tuple(
        AdultSpec(
            occupations=tuple(rng.sample(OCCUPATIONS, rng.randint(0, 2))),
            education_level=rng.choice(["none", "primary", "upper_secondary", "higher"]),
            education_route=rng.choice(AREAS),
            norwegian_level=rng.choice(["none", "A1", "A2", "B1"]),
        )
        for _ in range(rng.choice([1, 1, 2, 2, 2]))
    )
    children = tuple(rng.randint(0, 17) for _ in range(rng.choice([0, 0, 1, 2, 3, 4])))
    needs = set()
    if rng.random() < 0.08:
        needs.add("accessible_dwelling")
    if rng.random() < 0.1:
        needs.add("health_followup")
    return HouseholdSpec(adults=adults, children_ages=children, needs=frozenset(needs))


def _seed_round(user):
    from skjema.models import Round
    from sok.bench import seed

    year = BENCH_YEAR
    while Round.objects.filter(year=year).exists():
        year -= 1
    seed(user, rounds=[year], seed_value=SEED)
    round_ = Round.objects.get(year=year)
    rng = random.Random(SEED)
    Capacity.objects.bulk_create(
        Capacity(
            round=round_,
            municipality=m,
            decided=(decided := rng.choice([5, 10, 15, 20, 30, 40, 60])),
            decided_minors_15_18=min(decided // 4, rng.choice([0, 2, 3])),
            decided_minors_under_15=min(decided // 10, rng.choice([0, 1])),
            source="Benchmark (syntetisk)",
        )
        for m in Municipality.objects.in_structure(round_.structure)
    )
    return round_


def run(*, rankings: int = 40, batch_size: int = 200, progress=print) -> PlacementBench:
    from portal.accounts.models import Role, User

    from . import services

    result = None
    try:
        with transaction.atomic():
            user, _ = User.objects.get_or_create(
                username="bench-plassering", defaults={"role": Role.IMDI_OFFICER}
            )
            progress("Plassering: lager en syntetisk runde med profiler og vedtak …")
            round_ = _seed_round(user)
            rng = random.Random(SEED)
            households = [random_household(rng) for _ in range(max(rankings, batch_size))]
            services.make_ranking(round_, households[0], by=user)  # warm-up
            timings, queries = [], 0
            for spec in households[:rankings]:
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    _stored, ranked = services.make_ranking(round_, spec, by=user)
                    timings.append((time.perf_counter() - started) * 1000)
                queries = len(captured)
            municipalities = len(ranked.results) + len(ranked.excluded)
            context = ranking_context(round_=round_)
            from .models import WeightSet

            weights = WeightSet.objects.current().as_dict()
            batch_households, scores, remaining = services.batch_inputs(
                households[:batch_size], context, weights
            )
            # Late in the year little is left: tight pools make the households compete for
            # the best places, which is where the optimum differs from greedy.
            tight = random.Random(SEED + 1)
            remaining = {
                key: min(value, tight.choice([0, 0, 2, 3, 5] if key[1] == "" else [0, 1]))
                for key, value in remaining.items()
            }
            optimum = solve(batch_households, scores, remaining)
            baseline = greedy(batch_households, scores, remaining)
            timings.sort()
            result = PlacementBench(
                municipalities=municipalities,
                rankings=len(timings),
                p50_ms=statistics.median(timings),
                p95_ms=timings[max(0, int(round(0.95 * len(timings))) - 1)],
                queries=queries,
                batch_households=len(batch_households),
                pairs=len(scores),
                solve_s=optimum.solve_seconds,
                solve_cpu_s=optimum.cpu_seconds,
                objective=optimum.objective,
                bound=optimum.best_bound,
                greedy_objective=baseline.objective,
                assigned=sum(1 for n in optimum.chosen.values() if n),
                greedy_assigned=sum(1 for n in baseline.chosen.values() if n),
                within_capacity=within_capacity(batch_households, optimum.chosen, remaining),
                status=optimum.status,
            )
            raise Rollback
    except Rollback:
        pass
    return result
