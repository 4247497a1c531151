"""Skjema fixtures: a current round (2027, structure 2024) opened for Oslo and Telemark, and
last year's round with an accepted Skien profile to carry forward."""

import datetime

import pytest
from django.utils import timezone

from skjema import services
from skjema.models import MunicipalityProfile, Round


def make_round(year: int, *, deadline=None, status=Round.Status.PLANNING) -> Round:
    deadline = deadline or timezone.make_aware(datetime.datetime(year - 1, 6, 10, 23, 59))
    return Round.objects.create(
        year=year, title=f"Bosetting {year}", national_need=4000, deadline=deadline, status=status
    )


COMPLETE_CAPACITY = {
    "wants_to_settle": "yes",
    "capacity": 25,
    "takes_unaccompanied_minors": True,
    "unaccompanied_minors_number": 4,
    "unaccompanied_minors_age_group": "15_18",
    "household_types": ["family", "single"],
    "housing_situation": "God tilgang på kommunale boliger.",
    "special_needs_capacity": "",
    "capacity_comment": "",
}

OFFER = {
    "kind": "introduction",
    "name": "Introduksjonsprogram med fagbrev",
    "target_group": "Voksne flyktninger",
    "description": "Løp mot fagbrev i helsearbeiderfaget.",
    "seats": 30,
    "result_share": "72.5",
    "result_cohort_year": 2024,
    "result_participants": 40,
    "partners": "NAV, Skien vgs",
}


def fill_profile(profile, user, **overrides):
    """Fill every section so the profile can be submitted."""
    data = {
        "qualification": [OFFER],
        "upper_secondary": [
            {
                "programme_area": "HSHSF1----",
                "level": "Vg1",
                "provider": "Skien videregående skole",
                "adapted_for_adults": True,
                "adapted_for_minority_language": True,
                "combination_class": False,
                "description": "",
            }
        ],
        "cooperation": [],
        "labour": [
            {
                "occupation": "53",
                "competence_level": "trade_certificate",
                "scale": "high",
                "sector": "public",
                "description": "Helsefagarbeidere i hjemmetjenesten.",
            }
        ],
        "capacity": COMPLETE_CAPACITY,
    }
    data.update(overrides)
    ids = services.latest_edit_ids(profile)
    for key, value in data.items():
        services.save_section(profile, key, value, user, base_edit_id=ids.get(key))
    return MunicipalityProfile.objects.get(pk=profile.pk)


@pytest.fixture
def current_round(register):
    return make_round(2027, deadline=timezone.now() + datetime.timedelta(days=30))


@pytest.fixture
def opened(current_round, counties):
    services.open_round(current_round, counties=[counties["03"], counties["40"]])
    return current_round


@pytest.fixture
def skien(opened):
    return MunicipalityProfile.objects.get(round=opened, municipality__number="4003")


@pytest.fixture
def oslo(opened):
    return MunicipalityProfile.objects.get(round=opened, municipality__number="0301")
