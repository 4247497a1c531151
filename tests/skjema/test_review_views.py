"""IMDi's review pages: the review page, return/accept/reopen through the pages, the diff since
the returned version, version lists and comparisons (also across rounds), and every refusal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from skjema import services
from skjema.models import (
    CountySubmission,
    MunicipalityProfile,
    ReviewComment,
    Status,
    Submission,
    Transition,
    Version,
)

from .conftest import OFFER, fill_profile, make_round

pytestmark = pytest.mark.django_db

REFUSED = ["fylke_a", "fylke_b", "ks", "editor", "outsider"]


def review_url(submission, action=""):
    name = f"skjema:review-{action}" if action else "skjema:review"
    return reverse(name, args=[submission.round.year, submission.pk])


@pytest.fixture
def submitted(skien, users):
    """Skien (Telemark) filled in and submitted by Telemark's officer."""
    profile = fill_profile(skien, users["fylke_b"])
    services.submit(profile, users["fylke_b"])
    profile.refresh_from_db()
    return profile


def as_user(client, user):
    client.force_login(user)
    return client


def resubmit_with_share(profile, user, share):
    offer = profile.qualification_offers.get()
    data = [{**OFFER, "uid": str(offer.uid), "result_share": share}]
    ids = services.latest_edit_ids(profile)
    services.save_section(profile, "qualification", data, user, base_edit_id=ids["qualification"])
    return services.submit(profile, user)


class TestReviewPage:
    def test_imdi_sees_the_latest_version_with_display_values(
        self, client, users, submitted, django_assert_max_num_queries
    ):
        as_user(client, users["imdi"])
        with django_assert_max_num_queries(12):
            response = client.get(review_url(submitted))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Gjennomgang: Skien – kommuneprofil 2027" in html
        assert OFFER["name"] in html
        assert "Introduksjonsprogram" in html  # the choice label, not "introduction"
        assert "53 Pleie- og omsorgsarbeidere" in html  # the STYRK code with its name
        assert "Yrke (STYRK-08)" in html  # the label keeps its capitals
        assert "Returner til fylket" in html and "Godkjenn versjon 1" in html
        assert html.count("<h1") == 1

    def test_queries_do_not_grow_with_rows_versions_and_comments(
        self, client, users, submitted, django_assert_max_num_queries
    ):
        county = users["fylke_b"]
        for round_trip in range(3):
            services.return_submission(
                submitted,
                users["imdi"],
                reason=f"Runde {round_trip}",
                comments=[("labour", "occupation", "Hvilket yrke?"), ("capacity", "", "Tall?")],
            )
            labour = [
                {"occupation": code, "competence_level": "none", "scale": "low"}
                for code in ("53", "51", "41", "93")[: round_trip + 2]
            ]
            ids = services.latest_edit_ids(submitted)
            services.save_section(submitted, "labour", labour, county, base_edit_id=ids["labour"])
            services.submit(submitted, county)
        client.force_login(users["imdi"])
        with django_assert_max_num_queries(12):
            response = client.get(review_url(submitted))
        html = response.content.decode()
        assert "Versjon 3 (returnert)" in html and "Versjon 4 (nyeste)" in html
        assert html.count("Hvilket yrke?") == 3 + 1  # history (3 returns) + latest inline

    def test_draft_is_not_found_even_for_imdi(self, client, users, oslo):
        as_user(client, users["imdi"])
        assert client.get(review_url(oslo)).status_code == 404

    def test_wrong_year_is_not_found(self, client, users, submitted):
        as_user(client, users["imdi"])
        url = reverse("skjema:review", args=[2026, submitted.pk])
        assert client.get(url).status_code == 404

    def test_ks_reads_without_actions(self, client, users, submitted):
        response = as_user(client, users["ks"]).get(review_url(submitted))
        assert response.status_code == 200
        html = response.content.decode()
        assert OFFER["name"] in html
        assert "Returner til fylket" not in html
        assert "Du har lesetilgang" in html

    @pytest.mark.parametrize("who", ["fylke_a", "fylke_b", "editor", "outsider"])
    def test_others_are_refused(self, client, users, submitted, who):
        response = as_user(client, users[who]).get(review_url(submitted))
        assert response.status_code in {403, 404}
        assert OFFER["name"] not in response.content.decode()

    def test_anonymous_goes_to_login(self, client, submitted):
        response = client.get(review_url(submitted))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_county_submission_review(self, client, users, opened, counties):
        submission = CountySubmission.objects.get(round=opened, county=counties["03"])
        ids = services.latest_edit_ids(submission)
        officer = users["fylke_a"]
        services.save_section(
            submission,
            "plans",
            {"plan_title": "Plan for Oslo", "plan_summary": "Kort.", "plan_period": "2026–2029"},
            officer,
            base_edit_id=ids["plans"],
        )
        services.save_section(
            submission,
            "recommendations",
            [{"municipality": "0301", "number": 120, "justification": "Stor kapasitet."}],
            officer,
            base_edit_id=ids["recommendations"],
        )
        services.submit(submission, officer)
        response = as_user(client, users["imdi"]).get(review_url(submission))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Oslo – fylkets innspill 2027" in html
        assert "0301 Oslo" in html and "120" in html


def test_field_labels_keep_their_capitals():
    """sections.Section.field_label used str.capitalize, which turned «STYRK-08» into «styrk-08»."""
    from skjema.sections import get_section

    assert get_section("profile", "labour").field_label("occupation", "profile") == (
        "Yrke (STYRK-08)"
    )
    assert get_section("profile", "qualification").field_label("kind", "profile") == "Type tilbud"


class TestReviewFlow:
    def test_return_resubmit_diff_accept_reopen(self, client, users, submitted):
        imdi, county = users["imdi"], users["fylke_b"]
        as_user(client, imdi)
        response = client.post(
            review_url(submitted, "return"),
            {
                "retur-reason": "Resultatene må dokumenteres.",
                "retur-qualification__comment": "Oppgi kilde for resultatene.",
                "retur-qualification__field": "result_share",
                "retur-qualification__field_comment": "Er 72,5 % riktig?",
                "retur-capacity__comment": "",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == review_url(submitted)
        submitted.refresh_from_db()
        assert submitted.status == Status.RETURNED
        comments = set(ReviewComment.objects.values_list("section", "field", "text"))
        assert comments == {
            ("qualification", "", "Oppgi kilde for resultatene."),
            ("qualification", "result_share", "Er 72,5 % riktig?"),
        }
        # The county sees the returned status through the shared visibility rule.
        assert Submission.objects.visible_to(county).get(pk=submitted.pk).status == Status.RETURNED

        page = client.get(review_url(submitted)).content.decode()
        assert "Innsendingen er returnert til fylket for retting." in page
        assert "Fylket har ikke sendt inn en ny versjon ennå." in page
        assert "Er 72,5 % riktig?" in page
        assert "Returner til fylket" not in page  # nothing to act on while the county works

        resubmit_with_share(MunicipalityProfile.objects.get(pk=submitted.pk), county, "80")
        page = client.get(review_url(submitted)).content.decode()
        assert "Endret siden forrige retur" in page
        assert "Versjon 1 (returnert)" in page and "Versjon 2 (nyeste)" in page
        assert "<del>72.5</del>" in page and "<ins>80</ins>" in page

        response = client.post(review_url(submitted, "accept"), {"godkjenn-reason": "Fint."})
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Status.ACCEPTED
        page = client.get(review_url(submitted)).content.decode()
        assert "Gjenåpne" in page and "Godkjenn versjon" not in page

        response = client.post(review_url(submitted, "reopen"), {"gjenapne-reason": "  "})
        assert response.status_code == 400
        submitted.refresh_from_db()
        assert submitted.status == Status.ACCEPTED
        assert "Skriv hvorfor innsendingen gjenåpnes." in response.content.decode()

        response = client.post(
            review_url(submitted, "reopen"), {"gjenapne-reason": "Nye tall fra kommunen."}
        )
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Status.RETURNED
        actions = list(submitted.transitions.values_list("action", "by__username", "reason"))
        assert actions[1:] == [
            ("submit", "fylke-b", ""),
            ("return", "imdi-test", "Resultatene må dokumenteres."),
            ("submit", "fylke-b", ""),
            ("accept", "imdi-test", "Fint."),
            ("reopen", "imdi-test", "Nye tall fra kommunen."),
        ]
        page = client.get(review_url(submitted)).content.decode()
        assert "Versjon 2 ble gjenåpnet" in page

    def test_empty_return_is_refused_with_a_summary_and_nothing_changes(
        self, client, users, submitted
    ):
        response = as_user(client, users["imdi"]).post(
            review_url(submitted, "return"), {"retur-reason": " "}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'class="error-summary"' in html
        assert "Skriv hva fylket må rette" in html
        submitted.refresh_from_db()
        assert submitted.status == Status.SUBMITTED
        assert not Transition.objects.filter(submission=submitted, action="return").exists()

    def test_field_comment_needs_a_field_and_input_is_kept(self, client, users, submitted):
        response = as_user(client, users["imdi"]).post(
            review_url(submitted, "return"),
            {"retur-reason": "Se kommentaren.", "retur-labour__field_comment": "Hvilket yrke?"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Velg hvilket felt kommentaren gjelder" in html
        assert 'href="#id_retur-labour__field"' in html  # the summary links to the control
        assert "Hvilket yrke?" in html  # the typed comment survives
        assert not ReviewComment.objects.exists()

    def test_stale_action_is_refused_by_the_service_and_nothing_changes(
        self, client, users, submitted
    ):
        services.return_submission(submitted, users["imdi"], reason="Rett tallene.")
        # A second officer still has the old page open and accepts.
        response = as_user(client, users["admin"]).post(
            review_url(submitted, "accept"), {"godkjenn-reason": ""}
        )
        assert response.status_code == 409
        assert "kan ikke godkjennes nå" in response.content.decode()
        submitted.refresh_from_db()
        assert submitted.status == Status.RETURNED
        assert not Transition.objects.filter(submission=submitted, action="accept").exists()

    @pytest.mark.parametrize("who", REFUSED)
    def test_only_imdi_acts(self, client, users, submitted, who):
        as_user(client, users[who])
        before = Transition.objects.count()
        for action, data in [
            ("return", {"retur-reason": "x"}),
            ("accept", {"godkjenn-reason": ""}),
            ("reopen", {"gjenapne-reason": "x"}),
        ]:
            response = client.post(review_url(submitted, action), data)
            assert response.status_code in {403, 404}, (who, action)
        submitted.refresh_from_db()
        assert submitted.status == Status.SUBMITTED
        assert Transition.objects.count() == before
        assert not ReviewComment.objects.exists()

    def test_get_on_an_action_is_not_allowed(self, client, users, submitted):
        response = as_user(client, users["imdi"]).get(review_url(submitted, "accept"))
        assert response.status_code == 405


@pytest.fixture
def across_rounds(current_round, counties, users):
    """Skien accepted in 2026; the 2027 round opened (carried forward), edited and submitted."""
    county = users["fylke_b"]
    last = make_round(2026, deadline=timezone.now() + datetime.timedelta(days=10))
    services.open_round(last, counties=[counties["40"]])
    old = fill_profile(
        MunicipalityProfile.objects.get(round=last, municipality__number="4003"), county
    )
    old_version = services.submit(old, county)
    services.accept(old, users["imdi"])
    services.open_round(current_round, counties=[counties["03"], counties["40"]])
    new = MunicipalityProfile.objects.get(round=current_round, municipality__number="4003")
    ids = services.latest_edit_ids(new)
    services.save_section(
        new,
        "capacity",
        {**old_version.data["capacity"], "capacity": 40},
        county,
        base_edit_id=ids["capacity"],
    )
    services.confirm_unchanged(new, county)
    new_version = services.submit(new, county)
    return old_version, new_version


class TestComparison:
    def test_across_rounds(self, client, users, across_rounds, django_assert_max_num_queries):
        old, new = across_rounds
        as_user(client, users["imdi"])
        url = reverse("skjema:compare", args=[old.pk, new.pk])
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Skien 2026, versjon 1" in html and "Skien 2027, versjon 1" in html
        assert "Antall kommunen kan bosette" in html
        assert "<del>25</del>" in html and "<ins>40</ins>" in html
        assert html.count("<h1") == 1

    @pytest.mark.parametrize("who", ["imdi", "ks", "fylke_b"])
    def test_allowed_readers(self, client, users, across_rounds, who):
        old, new = across_rounds
        url = reverse("skjema:compare", args=[old.pk, new.pk])
        assert as_user(client, users[who]).get(url).status_code == 200

    @pytest.mark.parametrize("who", ["fylke_a", "editor", "outsider"])
    def test_refused_readers_get_404(self, client, users, across_rounds, who):
        old, new = across_rounds
        url = reverse("skjema:compare", args=[old.pk, new.pk])
        response = as_user(client, users[who]).get(url)
        assert response.status_code == 404

    def test_one_invisible_version_is_enough_for_404(self, client, users, across_rounds, opened):
        old, _new = across_rounds
        oslo = fill_profile(
            MunicipalityProfile.objects.get(round=opened, municipality__number="0301"),
            users["fylke_a"],
        )
        oslo_version = services.submit(oslo, users["fylke_a"])
        url = reverse("skjema:compare", args=[oslo_version.pk, old.pk])
        # Oslo's officer sees Oslo's version but not Skien's.
        assert as_user(client, users["fylke_a"]).get(url).status_code == 404

    def test_different_kinds_are_explained(self, client, users, across_rounds, counties):
        old, _new = across_rounds
        county = CountySubmission.objects.get(round=old.submission.round, county=counties["40"])
        fake = Version.objects.create(
            submission=county,
            number=1,
            data={},
            created_at=timezone.now(),
            created_by=users["fylke_b"],
        )
        Submission.objects.filter(pk=county.pk).update(status=Status.SUBMITTED)
        url = reverse("skjema:compare", args=[old.pk, fake.pk])
        response = as_user(client, users["imdi"]).get(url)
        assert response.status_code == 400
        assert "ulik type" in response.content.decode()

    def test_version_list_reaches_across_rounds(self, client, users, across_rounds):
        old, new = across_rounds
        url = reverse("skjema:versions", args=[new.submission_id])
        response = as_user(client, users["imdi"]).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Skien 2027, versjon 1" in html and "Skien 2026, versjon 1" in html
        assert reverse("skjema:compare", args=[old.pk, new.pk]) in html
        assert html.count('name="a"') == 2 and html.count('name="b"') == 2

    def test_version_list_refuses_other_counties(self, client, users, across_rounds):
        _old, new = across_rounds
        url = reverse("skjema:versions", args=[new.submission_id])
        assert as_user(client, users["fylke_a"]).get(url).status_code == 404

    def test_pick_redirects_to_the_comparison(self, client, users, across_rounds):
        old, new = across_rounds
        as_user(client, users["imdi"])
        response = client.get(reverse("skjema:compare-pick"), {"a": old.pk, "b": new.pk})
        assert response.status_code == 302
        assert response["Location"] == reverse("skjema:compare", args=[old.pk, new.pk])
        response = client.get(
            reverse("skjema:compare-pick"), {"a": "", "innsending": new.submission_id}
        )
        assert response["Location"] == reverse("skjema:versions", args=[new.submission_id])
