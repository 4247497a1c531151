"""IMDi's round dashboard: counts per county and status, completeness per section, late
submissions, recommended numbers against shares and the national need; bounded queries; and who
may see it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.register.models import Municipality
from skjema import dashboards, services
from skjema.models import CountyShare, CountySubmission, MunicipalityProfile, Status

from .conftest import fill_profile

pytestmark = pytest.mark.django_db


def profile(round_, number):
    return MunicipalityProfile.objects.get(round=round_, municipality__number=number)


def submit_profile(round_, number, user, **kwargs):
    filled = fill_profile(profile(round_, number), user)
    services.submit(filled, user, **kwargs)
    return MunicipalityProfile.objects.get(pk=filled.pk)


def submit_county(round_, county, user, number_for):
    """Submit the county's plans and a recommended number for each of its municipalities."""
    submission = CountySubmission.objects.get(round=round_, county=county)
    ids = services.latest_edit_ids(submission)
    services.save_section(
        submission,
        "plans",
        {"plan_title": "Plan", "plan_summary": "Kort.", "plan_period": "2026–2029"},
        user,
        base_edit_id=ids["plans"],
    )
    numbers = Municipality.objects.in_structure(round_.structure).filter(county=county)
    rows = [
        {"municipality": m.number, "number": number_for(m.number), "justification": "Vurdert."}
        for m in numbers
    ]
    services.save_section(
        submission, "recommendations", rows, user, base_edit_id=ids["recommendations"]
    )
    services.submit(submission, user)
    return submission


@pytest.fixture
def progress(opened, users, counties):
    """Telemark: Skien accepted, Porsgrunn returned, Notodden submitted late; Telemark's county
    submission sent (10 per municipality, Skien 40). Oslo: submitted. Shares for both."""
    imdi, telemark, oslo = users["imdi"], users["fylke_b"], users["fylke_a"]
    skien = submit_profile(opened, "4003", telemark)
    services.accept(skien, imdi)
    porsgrunn = submit_profile(opened, "4001", telemark)
    services.return_submission(porsgrunn, imdi, reason="Rett tallene.")
    late = opened.deadline + datetime.timedelta(hours=2)
    submit_profile(opened, "4005", telemark, now=late, late_reason="Kommunestyret møttes sent.")
    submit_profile(opened, "0301", oslo)
    submit_county(opened, counties["40"], telemark, lambda number: 40 if number == "4003" else 10)
    CountyShare.objects.create(round=opened, county=counties["40"], share=300)
    CountyShare.objects.create(round=opened, county=counties["03"], share=500)
    return opened


def row_for(overview, number):
    return next(row for row in overview.statuses.rows if row.county.number == number)


class TestNumbers:
    def test_counts_per_county_and_status(self, progress):
        overview = dashboards.round_overview(progress)
        order = [s.value for s in overview.statuses.statuses]
        assert order == ["draft", "submitted", "returned", "resubmitted", "accepted"]
        telemark = dict(zip(order, row_for(overview, "40").counts, strict=True))
        assert telemark == {
            "draft": 14,
            "submitted": 1,
            "returned": 1,
            "resubmitted": 0,
            "accepted": 1,
        }
        assert row_for(overview, "40").total == 17
        assert row_for(overview, "40").county_submission_status == Status.SUBMITTED
        oslo = dict(zip(order, row_for(overview, "03").counts, strict=True))
        assert oslo == {"draft": 0, "submitted": 1, "returned": 0, "resubmitted": 0, "accepted": 0}
        assert row_for(overview, "03").county_submission_status == Status.DRAFT
        # Counties the round was not opened for are listed with zeros.
        assert row_for(overview, "46").total == 0
        assert overview.statuses.totals == [14, 2, 1, 0, 1]
        assert overview.statuses.total == 18
        assert overview.submitted_profiles == 4

    def test_late_list(self, progress):
        overview = dashboards.round_overview(progress)
        assert [(s.municipality.number, s.late_reason) for s in overview.late] == [
            ("4005", "Kommunestyret møttes sent.")
        ]
        assert overview.not_submitted_after_deadline == 0
        after = progress.deadline + datetime.timedelta(days=1)
        # Oslo's county submission and Telemark's 14 drafts are missing after the deadline.
        assert dashboards.round_overview(progress, now=after).not_submitted_after_deadline == 15

    def test_awaiting_review(self, progress):
        overview = dashboards.round_overview(progress)
        waiting = {
            (s.kind, s.municipality.number if s.municipality_id else s.county.number)
            for s in overview.awaiting
        }
        assert waiting == {("profile", "4005"), ("profile", "0301"), ("county", "40")}

    def test_recommended_sums_against_shares_and_need(self, progress):
        table = dashboards.round_overview(progress).recommendations
        rows = {row.county.number: row for row in table.rows}
        assert set(rows) == {"03", "40"}  # 03 has a share but no submitted numbers
        telemark = rows["40"]
        assert (telemark.recommended, telemark.municipalities, telemark.share) == (200, 17, 300)
        assert (telemark.difference, telemark.percent_of_share) == (-100, 67)
        assert rows["03"].recommended is None and rows["03"].share == 500
        assert (table.recommended_total, table.shares_total, table.national_need) == (
            200,
            800,
            4000,
        )
        assert (table.difference, table.shares_difference) == (-3800, -3200)

    def test_sums_come_from_the_latest_submitted_version_not_the_working_copy(
        self, progress, users, counties
    ):
        submission = CountySubmission.objects.get(round=progress, county=counties["40"])
        services.return_submission(submission, users["imdi"], reason="For lavt.")
        ids = services.latest_edit_ids(submission)
        services.save_section(
            submission, "recommendations", [], users["fylke_b"], base_edit_id=ids["recommendations"]
        )
        rows = {
            r.county.number: r for r in dashboards.round_overview(progress).recommendations.rows
        }
        assert rows["40"].recommended == 200
        assert rows["40"].status == Status.RETURNED

    def test_completeness_per_section(self, progress):
        overview = dashboards.round_overview(progress)
        by_key = {item.section.key: item for item in overview.completeness}
        assert by_key["qualification"].of == 4
        assert (by_key["qualification"].filled, by_key["qualification"].valid) == (4, 4)
        assert by_key["cooperation"].filled == 0  # fill_profile reports no cooperation
        assert by_key["cooperation"].filled_percent == 0
        assert by_key["capacity"].valid_percent == 100

    def test_completeness_sees_problems_against_todays_rules(self, progress):
        """A version that no longer validates (here: edited data) counts as having problems."""
        version = profile(progress, "0301").latest_version()
        version.data["capacity"]["wants_to_settle"] = ""
        version.save()
        by_key = {i.section.key: i for i in dashboards.round_overview(progress).completeness}
        assert (by_key["capacity"].valid, by_key["capacity"].of) == (3, 4)
        assert by_key["qualification"].valid == 4


class TestPage:
    def test_shows_the_numbers(self, client, users, progress):
        client.force_login(users["imdi"])
        response = client.get(reverse("skjema:round-overview", args=[progress.year]))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert "Kommunestyret møttes sent." in html
        assert reverse("skjema:review", args=[progress.year, profile(progress, "4005").pk]) in html
        assert "200" in html and "300" in html and "4000" in html
        assert "Åpne runden for fylker som mangler skjemaer" in html
        assert reverse("skjema:round-county", args=[progress.year, "40"]) in html

    def test_county_page_lists_every_submission(
        self, client, users, progress, django_assert_max_num_queries
    ):
        client.force_login(users["imdi"])
        url = reverse("skjema:round-county", args=[progress.year, "40"])
        with django_assert_max_num_queries(6):
            response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("<tr>") == 1 + 18  # header + county submission + 17 profiles
        skien = profile(progress, "4003")
        assert reverse("skjema:review", args=[progress.year, skien.pk]) in html
        draft = profile(progress, "4010")
        assert reverse("skjema:review", args=[progress.year, draft.pk]) not in html

    def test_unknown_round_or_county_is_404(self, client, users, progress):
        client.force_login(users["imdi"])
        assert client.get(reverse("skjema:round-overview", args=[1999])).status_code == 404
        url = reverse("skjema:round-county", args=[progress.year, "99"])
        assert client.get(url).status_code == 404

    def test_ks_reads_it_without_actions(self, client, users, progress):
        client.force_login(users["ks"])
        response = client.get(reverse("skjema:round-overview", args=[progress.year]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Du har lesetilgang" in html
        assert reverse("skjema:open-round", args=[progress.year]) not in html

    @pytest.mark.parametrize("who", ["fylke_a", "fylke_b", "editor", "outsider"])
    def test_refused(self, client, users, progress, who):
        client.force_login(users[who])
        for url in (
            reverse("skjema:round-overview", args=[progress.year]),
            reverse("skjema:round-county", args=[progress.year, "40"]),
        ):
            response = client.get(url)
            assert response.status_code == 403
            assert "Kommunestyret møttes sent." not in response.content.decode()

    def test_anonymous_goes_to_login(self, client, progress):
        response = client.get(reverse("skjema:round-overview", args=[progress.year]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestBoundedQueries:
    def test_query_count_does_not_grow_with_the_round(
        self,
        client,
        users,
        current_round,
        counties,
        django_assert_max_num_queries,
        extensions_only_from,
    ):
        from portal.register.models import County

        vestland = County.objects.get(number="46")
        services.open_round(current_round, counties=[counties["03"], counties["40"], vestland])
        url = reverse("skjema:round-overview", args=[current_round.year])
        client.force_login(users["imdi"])
        submit_profile(current_round, "4003", users["fylke_b"])
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200

        vestland_officer = users["fylke_a"].__class__.objects.create_user(
            "fylke-46", password="pw", role="fylke", county=vestland
        )
        for number in ("4001", "4005", "4010"):
            submit_profile(current_round, number, users["fylke_b"])
        for number in ("4601", "4602", "4611"):
            submit_profile(current_round, number, vestland_officer)
        submit_profile(current_round, "0301", users["fylke_a"])
        services.return_submission(profile(current_round, "4001"), users["imdi"], reason="x")
        submit_county(current_round, counties["40"], users["fylke_b"], lambda number: 5)
        CountyShare.objects.create(round=current_round, county=vestland, share=400)
        assert MunicipalityProfile.objects.filter(round=current_round).count() == 18 + 43

        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(url)
        assert response.status_code == 200
        extensions_only_from("skjema")  # skjema's own cost; placement bounds its column itself
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
