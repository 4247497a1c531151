"""Measuring relevance: nDCG@10 and precision@5 of a judged query set, on any backend. The
judged set and its data set live in ``tests/sok/relevance/``; ``seed_judged`` loads the data
set into a round of its own, ``evaluate`` runs every judged query through the search service.
Used by the relevance test (a floor) and ``make bench`` (the figures for both backends)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.register.models import Municipality
from skjema.models import MunicipalityProfile, Round, Status, Version

from .query import ProfileQuery
from .service import search_profiles

K_NDCG = 10
K_PRECISION = 5


def dcg(grades: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg_at(found: list[str], judged: dict[str, int], k: int = K_NDCG) -> float:
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    if not ideal:
        return 1.0 if not found else 0.0
    return dcg([judged.get(name, 0) for name in found[:k]]) / ideal


def precision_at(found: list[str], judged: dict[str, int], k: int = K_PRECISION) -> float:
    relevant = {name for name, grade in judged.items() if grade >= 2}
    wanted = min(k, len(relevant))
    if not wanted:
        return 1.0
    return sum(1 for name in found[:wanted] if name in relevant) / wanted


@dataclass
class QueryScore:
    label: str
    ndcg: float
    precision: float
    found: list[str]


@dataclass
class Evaluation:
    scores: list[QueryScore]

    @property
    def ndcg(self) -> float:
        return sum(s.ndcg for s in self.scores) / len(self.scores)

    @property
    def precision(self) -> float:
        return sum(s.precision for s in self.scores) / len(self.scores)

    def worst(self, n: int = 5) -> list[QueryScore]:
        return sorted(self.scores, key=lambda s: s.ndcg)[:n]


def seed_judged(user, profiles: dict[str, dict], year: int) -> int:
    """One submitted profile per named municipality in a closed round ``year``."""
    by_name = {m.name: m for m in Municipality.objects.current().select_related("county")}
    with transaction.atomic():
        round_ = Round.objects.create(
            year=year,
            title=f"Relevans {year}",
            national_need=1000,
            deadline=timezone.make_aware(datetime.datetime(year - 1, 6, 10, 23, 59)),
            status=Round.Status.CLOSED,
        )
        for name, data in profiles.items():
            municipality = by_name[name]
            profile = MunicipalityProfile.objects.create(
                round=round_,
                county=municipality.county,
                municipality=municipality,
                status=Status.SUBMITTED,
            )
            Version.objects.create(
                submission=profile,
                number=1,
                data=data,
                created_at=timezone.make_aware(datetime.datetime(year - 1, 5, 1, 12)),
                created_by=user,
            )
    return len(profiles)


def evaluate(judged, year: int) -> Evaluation:
    scores = []
    for label, params, grades in judged:
        result = search_profiles(ProfileQuery(round_year=year, page_size=K_NDCG, **params))
        found = [hit.payload["municipality"]["name"] for hit in result.hits]
        scores.append(QueryScore(label, ndcg_at(found, grades), precision_at(found, grades), found))
    return Evaluation(scores)
