"""Relevance, measured: nDCG@10 and precision@5 of the judged queries (tests/sok/relevance/)
on both backends, with a floor that fails the suite when ranking gets worse."""

import pytest

from sok import relevance
from tests.sok.relevance.dataset import PROFILES, ROUND
from tests.sok.relevance.judgments import JUDGED

pytestmark = pytest.mark.django_db

# Measured on 2026-12-07: nDCG@10 0.93, precision@5 0.90 on both backends (see the closing
# note); the floors leave room for small changes, not for a ranking that ignores words.
NDCG_FLOOR = 0.85
PRECISION_FLOOR = 0.80


def test_the_judged_set_is_large_and_graded():
    assert len(JUDGED) >= 40
    assert all(set(grades.values()) <= {1, 2, 3} for _l, _p, grades in JUDGED)
    assert all(name in PROFILES for _l, _p, grades in JUDGED for name in grades)


def test_metrics():
    judged = {"A": 3, "B": 2}
    assert relevance.ndcg_at(["A", "B"], judged) == 1.0
    assert relevance.ndcg_at(["B", "A"], judged) < 1.0
    assert relevance.ndcg_at([], judged) == 0.0
    assert relevance.precision_at(["A", "X", "B"], judged) == 0.5


@pytest.fixture
def judged_backend(request, users):
    from sok.index import rebuild_database_index

    relevance.seed_judged(users["imdi"], PROFILES, ROUND)
    rebuild_database_index()
    backend = request.getfixturevalue(f"{request.param}_backend")
    if request.param == "elasticsearch":
        backend.rebuild()
    return backend


@pytest.mark.parametrize("judged_backend", ["database", "elasticsearch"], indirect=True)
def test_ranking_stays_above_the_floor(judged_backend):
    evaluation = relevance.evaluate(JUDGED, ROUND)
    print(f"nDCG@10 {evaluation.ndcg:.3f}, precision@5 {evaluation.precision:.3f}")  # -rP
    worst = "; ".join(f"{s.label}: {s.ndcg:.2f} {s.found}" for s in evaluation.worst())
    assert evaluation.ndcg >= NDCG_FLOOR, worst
    assert evaluation.precision >= PRECISION_FLOOR, worst
