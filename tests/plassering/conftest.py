"""Placement fixtures: the 2027 round opened for Oslo and Telemark, a few Telemark profiles
submitted through the real services, and decisions in the ledger."""

import pytest

from plassering import services
from plassering.models import CapacityChange
from portal.register.models import Municipality
from skjema import services as skjema_services
from skjema.models import MunicipalityProfile
from tests.fixtures.skjema import COMPLETE_CAPACITY, fill_profile

WELDER_NEED = {
    "occupation": "72",
    "competence_level": "trade_certificate",
    "scale": "high",
    "sector": "private",
    "description": "Sveisere til verftet.",
}


def submit_profile(round_, number, user, **overrides):
    profile = MunicipalityProfile.objects.get(round=round_, municipality__number=number)
    profile = fill_profile(profile, user, **overrides)
    skjema_services.submit(profile, user)
    return profile


def decide(round_, number, decided, by, under_15=0, from_15=0):
    return services.set_decision(
        round_,
        Municipality.objects.get(number=number),
        services.DecisionInput(number, decided, under_15, from_15, source="Kommunestyret"),
        by=by,
        channel=CapacityChange.Channel.PAGE,
    )


@pytest.fixture
def placement_round(opened, users):
    """Skien wants metal workers (72) and has decided 20 (4 minors 15–18); Porsgrunn has the
    fixture's health workers and no decision (falls back to the profile's 25); Notodden says
    it wants to settle no one."""
    county = users["fylke_b"]
    submit_profile(
        opened,
        "4003",
        county,
        labour=[WELDER_NEED],
        capacity={**COMPLETE_CAPACITY, "household_types": ["family", "large_family", "single"]},
    )
    submit_profile(opened, "4001", county)
    submit_profile(
        opened,
        "4005",
        county,
        capacity={"wants_to_settle": "no", "takes_unaccompanied_minors": False},
    )
    decide(opened, "4003", 20, users["imdi"], from_15=4)
    return opened


@pytest.fixture
def api(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.fixture(autouse=True)
def _fresh_facts():
    """Round facts are cached per process; each test starts from its own data."""
    from plassering.sources import forget_cached_facts

    forget_cached_facts()
    yield
    forget_cached_facts()
