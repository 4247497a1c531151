"""The skjema demo data: built through the services, every state present, and idempotent."""

import pytest
from django.utils import timezone

from portal.accounts.models import Role
from portal.register.models import County
from skjema.demo import DEMO_MARK, build_demo_skjema
from skjema.models import (
    CountyShare,
    CountySubmission,
    MunicipalityProfile,
    ReviewComment,
    Round,
    SectionEdit,
    Status,
    Submission,
    Transition,
    Version,
)

pytestmark = pytest.mark.django_db

YEAR = 2027


@pytest.fixture
def demo_users(make_user, register):
    """The demo's usernames, for three counties (the real demo has one per county)."""
    users = {"imdi": make_user("imdi", Role.IMDI_OFFICER)}
    for number in ("03", "40", "42"):
        users[number] = make_user(
            f"fylke-{number}", Role.COUNTY_OFFICER, County.objects.get(number=number)
        )
    return users


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Round,
            Submission,
            Version,
            Transition,
            SectionEdit,
            ReviewComment,
            CountyShare,
        )
    }


def test_builds_both_rounds_with_every_state_and_is_idempotent(demo_users):
    result = build_demo_skjema(YEAR)
    assert (result["previous_round"], result["current_round"]) == (YEAR - 1, YEAR)

    previous = Round.objects.get(year=YEAR - 1)
    assert previous.status == Round.Status.CLOSED
    assert previous.deadline < timezone.now()
    accepted = MunicipalityProfile.objects.filter(round=previous, status=Status.ACCEPTED)
    assert {p.county.number for p in accepted} == {"03", "40", "42"}
    assert accepted.filter(county__number="40").count() == 5
    version = Version.objects.filter(submission__in=accepted).first()
    assert set(version.data) == {
        "qualification",
        "upper_secondary",
        "cooperation",
        "labour",
        "capacity",
    }
    assert version.data["qualification"] and version.data["labour"]
    assert DEMO_MARK in version.data["capacity"]["capacity_comment"]
    assert all(
        row["occupation"] in {"53", "22", "71", "91", "51", "83", "23", "72"}
        for row in version.data["labour"]
    )

    current = Round.objects.get(year=YEAR)
    assert current.status == Round.Status.OPEN
    profiles = MunicipalityProfile.objects.filter(round=current)
    assert profiles.count() == 1 + 17 + 25  # Oslo, Telemark, Agder: a draft for every one
    states = set(profiles.values_list("status", flat=True))
    assert states == {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.RESUBMITTED,
        Status.ACCEPTED,
    }
    late_first = Transition.objects.filter(
        submission__round=current,
        action=Transition.Action.SUBMIT,
        from_status=Status.DRAFT,
        version__is_late=True,
    )
    assert late_first.count() == 1 and late_first.get().reason
    returned = profiles.filter(status=Status.RETURNED).first()
    assert ReviewComment.objects.filter(submission=returned, section="qualification").exists()
    carried = profiles.filter(status=Status.DRAFT).exclude(
        section_state__capacity__carried_from=None
    )
    assert carried.exists()  # drafts carried forward from last year's accepted profiles

    shares = CountyShare.objects.filter(round=current)
    assert shares.count() == 3
    assert sum(shares.values_list("share", flat=True)) == current.national_need
    county_states = set(
        CountySubmission.objects.filter(round=current).values_list("status", flat=True)
    )
    assert len(county_states) >= 2 and Status.DRAFT in county_states

    # Everything came through the services: every version has its submit transition.
    assert Version.objects.count() == Transition.objects.filter(action="submit").count()

    before = counts()
    again = build_demo_skjema(YEAR)
    assert (again["previous_round"], again["current_round"]) == (None, None)
    assert counts() == before
