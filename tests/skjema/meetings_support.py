"""Shared set-up for the meeting tests: the 2027 round's meeting pages (built once per module in
a transaction that is rolled back), Telemark's submissions, last year's Skien profile, and
IMDi's statistics for Skien."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from portal.content.models import MeetingIndexPage, MeetingKind, MeetingPage
from portal.register.models import County, Indicator, Municipality, StatisticValue
from skjema import services
from skjema.models import CountyShare, CountySubmission, MunicipalityProfile

from .conftest import COMPLETE_CAPACITY, fill_profile, make_round

YEAR = 2027
DAY = datetime.timedelta(days=1)
DRAFT_TEXT = "UTKAST SOM IKKE SKAL VISES"
DRAFT_OFFER = "NOTODDEN-UTKAST"
RETURN_COMMENT = "Hvilket kull gjelder resultatet?"
SKIEN_JUSTIFICATION = "Skien har gode kvalifiseringstilbud og ledige boliger."


def _meeting_start(days_from_now: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days_from_now)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(scope="module")
def meeting_tree(django_db_setup, django_db_blocker):
    """The 2027 round's meetings: June (passed), Oslo in 25 days (document due in 4), Telemark
    in 60 days (due in 39), November in 90 days. Slugs as the content demo names them."""
    from wagtail.models import Page

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cache.clear()
            root = Page.get_first_root_node()
            index = MeetingIndexPage(title="Møter (test)", slug="moter-test")
            root.add_child(instance=index)

            def add(slug, kind, start, county=None, title=""):
                page = MeetingPage(
                    title=title or slug,
                    slug=slug,
                    round_year=YEAR,
                    kind=kind,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=3),
                    county=county,
                    location="Fylkeshuset",
                )
                index.add_child(instance=page)
                return page.pk

            yield {
                "index": index.pk,
                "june": add(
                    f"{YEAR}-felles-digitalt-mote",
                    MeetingKind.JOINT_DIGITAL,
                    _meeting_start(-150, 10),
                    title="Felles digitalt møte",
                ),
                "oslo": add(
                    f"{YEAR}-samarbeidsmote-03",
                    MeetingKind.COUNTY_COOPERATION,
                    _meeting_start(25, 9),
                    County.objects.get(number="03"),
                    title="Samarbeidsmøte med Oslo",
                ),
                "telemark": add(
                    f"{YEAR}-samarbeidsmote-40",
                    MeetingKind.COUNTY_COOPERATION,
                    _meeting_start(60, 9),
                    County.objects.get(number="40"),
                    title="Samarbeidsmøte med Telemark",
                ),
                "november": add(
                    f"{YEAR}-felles-oppsummeringsmote",
                    MeetingKind.SUMMARY,
                    _meeting_start(90, 10),
                    title="Felles oppsummeringsmøte",
                ),
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture
def pages(meeting_tree, db):
    return {
        key: MeetingPage.objects.get(pk=pk) for key, pk in meeting_tree.items() if key != "index"
    }


@pytest.fixture
def people(users):
    """The named users with e-mail addresses."""
    for name, user in users.items():
        user.email = f"{name}@example.no"
        user.save(update_fields=["email"])
    return users


def profile(round_, number) -> MunicipalityProfile:
    return MunicipalityProfile.objects.get(round=round_, municipality__number=number)


def submit_county(round_, county, user, number_for, *, justification_for=None):
    submission = CountySubmission.objects.get(round=round_, county=county)
    ids = services.latest_edit_ids(submission)
    services.save_section(
        submission,
        "plans",
        {
            "plan_title": "Kvalifiseringsplan for Telemark",
            "plan_summary": "Flere fagbrev på jobb.",
            "plan_period": "2026–2029",
        },
        user,
        base_edit_id=ids["plans"],
    )
    municipalities = Municipality.objects.in_structure(round_.structure).filter(county=county)
    rows = [
        {
            "municipality": m.number,
            "number": number_for(m.number),
            "justification": (justification_for or (lambda _n: "Vurdert."))(m.number),
        }
        for m in municipalities
    ]
    services.save_section(
        submission, "recommendations", rows, user, base_edit_id=ids["recommendations"]
    )
    services.submit(submission, user)
    return submission


def add_statistics(number: str, values: dict[str, dict[int, int]]) -> None:
    municipality = Municipality.objects.get(number=number)
    for code, by_year in values.items():
        indicator, _created = Indicator.objects.get_or_create(
            code=code, defaults={"name": code.capitalize(), "unit": Indicator.Unit.PERSONS}
        )
        for year, value in by_year.items():
            StatisticValue.objects.create(
                indicator=indicator,
                municipality=municipality,
                year=year,
                value=Decimal(value),
                status=StatisticValue.Status.VALUE,
            )


def save(submission, key, data, user):
    ids = services.latest_edit_ids(submission)
    services.save_section(submission, key, data, user, base_edit_id=ids.get(key))


@pytest.fixture
def telemark(current_round, users, counties):
    """Last year (2026): Skien accepted with capacity 25. This year, opened after it (so Skien
    is carried forward): Skien submitted with capacity 40 and returned with a comment, then
    edited as a draft; Porsgrunn accepted; Notodden a draft only; Telemark's county submission
    sent (Skien 40, the others 10), share 300; statistics for Skien."""
    imdi, officer = users["imdi"], users["fylke_b"]
    previous = make_round(YEAR - 1, deadline=timezone.now() - 200 * DAY)
    services.open_round(previous, counties=[counties["40"]])
    last_year = fill_profile(profile(previous, "4003"), officer)
    services.submit(last_year, officer, now=previous.deadline - DAY)
    services.accept(last_year, imdi)

    services.open_round(current_round, counties=[counties["03"], counties["40"]])
    skien = profile(current_round, "4003")
    save(skien, "capacity", {**COMPLETE_CAPACITY, "capacity": 40}, officer)
    services.confirm_unchanged(skien, officer)
    services.submit(skien, officer)
    services.return_submission(
        skien,
        imdi,
        reason="Rett resultatet.",
        comments=[("qualification", "result_share", RETURN_COMMENT)],
    )
    save(
        skien,
        "capacity",
        {**COMPLETE_CAPACITY, "capacity": 40, "housing_situation": DRAFT_TEXT},
        officer,
    )
    porsgrunn = fill_profile(profile(current_round, "4001"), officer)
    services.submit(porsgrunn, officer)
    services.accept(porsgrunn, imdi)
    fill_profile(
        profile(current_round, "4005"),
        officer,
        qualification=[{"kind": "other", "name": DRAFT_OFFER}],
    )
    submit_county(
        current_round,
        counties["40"],
        officer,
        lambda number: 40 if number == "4003" else 10,
        justification_for=lambda number: SKIEN_JUSTIFICATION if number == "4003" else "Vurdert.",
    )
    CountyShare.objects.create(round=current_round, county=counties["40"], share=300)
    add_statistics(
        "4003",
        {"anmodning": {2024: 60, 2025: 55}, "vedtak": {2024: 50, 2025: 55}, "bosatt": {2024: 48}},
    )
    return current_round
