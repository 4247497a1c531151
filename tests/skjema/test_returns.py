"""Returns with a correction deadline, the county's answers to IMDi's comments, IMDi's review
queue with «Neste til gjennomgang» and bulk accept, and the header's notification badge —
through the services, the pages and the API, each refusal from the refused user's side."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from skjema import reading, services
from skjema.exceptions import InvalidTransition, NotAllowed, SubmissionInvalid
from skjema.models import (
    MunicipalityProfile,
    Notification,
    ReviewComment,
    Status,
    Transition,
)

from .conftest import fill_profile

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def submitted(skien, users):
    """Skien (Telemark) filled in and submitted by Telemark's officer."""
    profile = fill_profile(skien, users["fylke_b"])
    services.submit(profile, users["fylke_b"])
    profile.refresh_from_db()
    return profile


@pytest.fixture
def returned(submitted, users):
    services.return_submission(
        submitted,
        users["imdi"],
        reason="Se kommentarene.",
        comments=[("capacity", "capacity", "Hva bygger tallet på?"), ("labour", "", "Mangler.")],
    )
    submitted.refresh_from_db()
    return submitted


def comment_on(profile, section="capacity"):
    return ReviewComment.objects.filter(submission=profile, section=section).latest("id")


def past_round_deadline(profile):
    """Move the round's deadline into the past: a resubmission now is late by the round."""
    round_ = profile.round
    round_.deadline = timezone.now() - datetime.timedelta(days=3)
    round_.save(update_fields=["deadline"])
    return MunicipalityProfile.objects.get(pk=profile.pk)


class TestCorrectionDeadline:
    def test_a_return_sets_14_days_from_today_by_default(self, returned):
        expected = TODAY() + datetime.timedelta(days=14)
        assert returned.correction_deadline == expected
        transition = returned.transitions.get(action=Transition.Action.RETURN)
        assert transition.correction_deadline == expected

    def test_resubmitted_before_the_correction_deadline_is_not_late(self, returned, users):
        profile = past_round_deadline(returned)
        version = services.submit(profile, users["fylke_b"])  # no late reason asked
        profile.refresh_from_db()
        assert (profile.status, version.is_late, profile.is_late) == (
            Status.RESUBMITTED,
            False,
            False,
        )

    def test_after_the_correction_deadline_it_is_late_as_usual(self, returned, users):
        profile = past_round_deadline(returned)
        later = timezone.now() + datetime.timedelta(days=15)
        with pytest.raises(SubmissionInvalid) as refused:
            services.submit(profile, users["fylke_b"], now=later)
        messages = [p.message for p in refused.value.problems if p.field == "late_reason"]
        assert messages and messages[0].startswith("Fristen for retting var ")
        assert MunicipalityProfile.objects.get(pk=profile.pk).status == Status.RETURNED
        version = services.submit(profile, users["fylke_b"], now=later, late_reason="Sykdom.")
        assert version.is_late and version.late_reason == "Sykdom."

    def test_a_correction_deadline_never_makes_it_late_before_the_round_deadline(
        self, submitted, users
    ):
        services.return_submission(
            submitted, users["imdi"], reason="Rett.", correction_deadline=TODAY()
        )
        tomorrow_evening = timezone.now() + datetime.timedelta(days=2)
        version = services.submit(submitted, users["fylke_b"], now=tomorrow_evening)
        assert not version.is_late  # the round's deadline is 30 days away

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            (datetime.date(2020, 1, 1), "kan ikke være før i dag"),
            (datetime.date(2100, 1, 1), "høyst ett år fram i tid"),
        ],
    )
    def test_bad_dates_are_refused_and_nothing_changes(self, submitted, users, day, message):
        with pytest.raises(InvalidTransition, match=message):
            services.return_submission(
                submitted, users["imdi"], reason="Rett.", correction_deadline=day
            )
        submitted.refresh_from_db()
        assert submitted.status == Status.SUBMITTED and submitted.correction_deadline is None
        assert not submitted.transitions.filter(action=Transition.Action.RETURN).exists()

    def test_the_return_form_proposes_the_default_and_refuses_a_bad_date(
        self, client, submitted, users
    ):
        as_user(client, users["imdi"])
        url = reverse("skjema:review", args=[2027, submitted.pk])
        html = client.get(url).content.decode()
        default = (TODAY() + datetime.timedelta(days=14)).isoformat()
        assert f'value="{default}"' in html and 'type="date"' in html
        response = client.post(
            reverse("skjema:review-return", args=[2027, submitted.pk]),
            {"retur-reason": "Rett.", "retur-correction_deadline": "31.02.2027"},
        )
        assert response.status_code == 400
        assert "Skriv fristen for retting som en dato" in response.content.decode()
        response = client.post(
            reverse("skjema:review-return", args=[2027, submitted.pk]),
            {"retur-reason": "Rett.", "retur-correction_deadline": "01.01.2020"},
        )
        assert response.status_code == 400
        assert "kan ikke være før i dag" in response.content.decode()
        submitted.refresh_from_db()
        assert submitted.status == Status.SUBMITTED

    def test_the_return_form_sets_the_chosen_date(self, client, submitted, users):
        as_user(client, users["imdi"])
        day = TODAY() + datetime.timedelta(days=5)
        response = client.post(
            reverse("skjema:review-return", args=[2027, submitted.pk]),
            {"retur-reason": "Rett.", "retur-correction_deadline": day.strftime("%d.%m.%Y")},
        )
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.correction_deadline == day

    def test_the_county_sees_the_deadline_on_its_pages(self, client, returned, users):
        as_user(client, users["fylke_b"])
        day = returned.correction_deadline.strftime("%-d.%-m.%Y")
        page = client.get(returned.get_absolute_url()).content.decode()
        assert f"Frist for retting: {day}." in page
        dashboard = client.get(reverse("skjema:dashboard", args=[2027])).content.decode()
        assert f"frist for retting {day}" in dashboard

    def test_the_returned_email_gives_the_deadline(self, submitted, users):
        notification = Notification(recipient=users["fylke_b"])
        from skjema.notifications import notify_transition

        transition = services.return_submission(submitted, users["imdi"], reason="Rett.")
        notify_transition(submitted, transition)
        body = Notification.objects.filter(kind=Notification.Kind.RETURNED).first().body
        day = transition.correction_deadline.strftime("%d.%m.%Y")
        assert f"send inn på nytt innen {day}" in body
        assert notification.recipient == users["fylke_b"]

    def test_the_api_takes_a_correction_deadline_and_refuses_a_bad_one(
        self, client, submitted, users
    ):
        as_user(client, users["imdi"])
        url = reverse("profile-return", args=[submitted.pk])
        bad = client.post(
            url, {"reason": "Rett.", "correction_deadline": "2020-01-01"}, "application/json"
        )
        assert bad.status_code == 400
        assert "kan ikke være før i dag" in bad.json()["correction_deadline"][0]
        garbage = client.post(
            url, {"reason": "Rett.", "correction_deadline": "i morgen"}, "application/json"
        )
        assert (
            garbage.status_code == 400 and "ÅÅÅÅ-MM-DD" in garbage.json()["correction_deadline"][0]
        )
        submitted.refresh_from_db()
        assert submitted.status == Status.SUBMITTED
        day = (TODAY() + datetime.timedelta(days=7)).isoformat()
        ok = client.post(url, {"reason": "Rett.", "correction_deadline": day}, "application/json")
        assert ok.status_code == 200
        assert ok.json()["transition"]["correction_deadline"] == day
        as_user(client, users["fylke_b"])
        detail = client.get(reverse("profile-detail", args=[submitted.pk])).json()
        assert detail["correction_deadline"] == day


class TestAnswers:
    def test_the_county_answers_and_edits_until_it_resubmits(self, returned, users):
        county = users["fylke_b"]
        comment = comment_on(returned)
        services.answer_comment(comment, county, "  Tallet bygger på boligplanen.  ")
        comment.refresh_from_db()
        assert comment.answer == "Tallet bygger på boligplanen."
        assert comment.answered_by == county and comment.answered_at is not None
        services.answer_comment(comment, county, "Boligplanen for 2027.")
        comment.refresh_from_db()
        assert comment.answer == "Boligplanen for 2027."
        services.submit(returned, county)
        with pytest.raises(InvalidTransition):
            services.answer_comment(comment, county, "For sent.")
        comment.refresh_from_db()
        assert comment.answer == "Boligplanen for 2027."

    def test_an_answer_counts_as_a_change_sist_endret_av(self, returned, users, make_user):
        from portal.accounts.models import Role

        colleague = make_user("fylke-b2", Role.COUNTY_OFFICER, returned.county)
        services.answer_comment(comment_on(returned), colleague, "Svar.")
        returned.refresh_from_db()
        assert returned.updated_by == colleague

    @pytest.mark.parametrize("who", ["fylke_a", "imdi", "ks", "outsider"])
    def test_only_the_countys_own_officers_may_answer(self, returned, users, who):
        comment = comment_on(returned)
        with pytest.raises(NotAllowed):
            services.answer_comment(comment, users[who], "Svar.")
        comment.refresh_from_db()
        assert comment.answer == "" and comment.answered_by is None

    def test_too_long_is_refused_and_nothing_changes(self, returned, users):
        comment = comment_on(returned)
        with pytest.raises(InvalidTransition, match="høyst 4000 tegn"):
            services.answer_comment(comment, users["fylke_b"], "x" * 4001)
        comment.refresh_from_db()
        assert comment.answer == ""

    def test_a_comment_of_an_earlier_return_cannot_be_answered(self, returned, users):
        county, imdi = users["fylke_b"], users["imdi"]
        old = comment_on(returned)
        services.submit(returned, county)
        services.return_submission(returned, imdi, reason="Igjen.", comments=[("labour", "", "Ny")])
        with pytest.raises(InvalidTransition, match="tidligere gjennomgang"):
            services.answer_comment(old, county, "Svar.")

    def test_answering_on_the_page_and_imdi_sees_it_beside_the_comment(
        self, client, returned, users
    ):
        comment = comment_on(returned)
        as_user(client, users["fylke_b"])
        page = client.get(returned.get_absolute_url()).content.decode()
        answer_url = reverse("skjema:profile-answer", args=[2027, "4003", comment.pk])
        assert f'action="{answer_url}"' in page
        # The table of contents still marks the sections with comments.
        assert "1 kommentar fra IMDi" in page
        response = client.post(answer_url, {"svar": "Boligplanen."})
        assert response.status_code == 302
        page = client.get(returned.get_absolute_url()).content.decode()
        assert "Boligplanen." in page and "1 kommentar fra IMDi" in page
        as_user(client, users["imdi"])
        review = client.get(reverse("skjema:review", args=[2027, returned.pk])).content.decode()
        assert "Svar fra fylket" in review and "Boligplanen." in review

    def test_a_too_long_answer_on_the_page_keeps_the_text(self, client, returned, users):
        comment = comment_on(returned)
        as_user(client, users["fylke_b"])
        url = reverse("skjema:profile-answer", args=[2027, "4003", comment.pk])
        response = client.post(url, {"svar": "y" * 4001})
        assert response.status_code == 400
        assert "høyst 4000 tegn" in response.content.decode()
        assert "y" * 4001 in response.content.decode()
        comment.refresh_from_db()
        assert comment.answer == ""

    @pytest.mark.parametrize(("who", "status"), [("fylke_a", 404), ("imdi", 403), ("ks", 403)])
    def test_the_answer_page_refuses_others(self, client, returned, users, who, status):
        comment = comment_on(returned)
        as_user(client, users[who])
        url = reverse("skjema:profile-answer", args=[2027, "4003", comment.pk])
        assert client.post(url, {"svar": "Svar."}).status_code == status
        comment.refresh_from_db()
        assert comment.answer == ""

    def test_the_api_answers_and_refuses(self, client, returned, users):
        comment = comment_on(returned)
        url = reverse("profile-answer", args=[returned.pk, comment.pk])
        as_user(client, users["imdi"])
        assert client.post(url, {"answer": "Svar."}, "application/json").status_code == 403
        as_user(client, users["fylke_a"])
        assert client.post(url, {"answer": "Svar."}, "application/json").status_code == 404
        as_user(client, users["fylke_b"])
        too_long = client.post(url, {"answer": "z" * 4001}, "application/json")
        assert too_long.status_code == 400
        response = client.post(url, {"answer": "Svar via API."}, "application/json")
        assert response.status_code == 200
        body = response.json()
        assert body["answer"] == "Svar via API." and body["answered_by"]["username"] == "fylke-b"
        detail = client.get(reverse("profile-detail", args=[returned.pk])).json()
        assert {c["answer"] for c in detail["comments"]} == {"Svar via API.", ""}


@pytest.fixture
def queue(opened, users, skien):
    """Three waiting in Telemark and Oslo, submitted in this order: Skien, Oslo, Porsgrunn;
    Porsgrunn was returned with a comment and resubmitted (an open comment)."""
    county_b, county_a, imdi = users["fylke_b"], users["fylke_a"], users["imdi"]
    base = timezone.now() - datetime.timedelta(days=3)
    skien = fill_profile(skien, county_b)
    services.submit(skien, county_b, now=base)
    oslo = MunicipalityProfile.objects.get(round=opened, municipality__number="0301")
    oslo = fill_profile(oslo, county_a)
    services.submit(oslo, county_a, now=base + datetime.timedelta(hours=1))
    porsgrunn = MunicipalityProfile.objects.get(round=opened, municipality__number="4001")
    porsgrunn = fill_profile(porsgrunn, county_b)
    services.submit(porsgrunn, county_b, now=base - datetime.timedelta(days=1))
    services.return_submission(porsgrunn, imdi, reason="", comments=[("labour", "", "Mangler")])
    services.submit(porsgrunn, county_b, now=base + datetime.timedelta(hours=2))
    return {"skien": skien, "oslo": oslo, "porsgrunn": porsgrunn}


class TestReviewQueue:
    def test_oldest_first_with_open_comments(self, opened, queue):
        rows = list(reading.review_queue(round_=opened))
        assert [r.municipality.number for r in rows] == ["4003", "0301", "4001"]
        assert [r.open_comments for r in rows] == [0, 0, 1]

    def test_the_page_lists_and_filters_by_county(
        self, client, opened, queue, users, django_assert_max_num_queries
    ):
        as_user(client, users["imdi"])
        url = reverse("skjema:review-queue", args=[2027])
        with django_assert_max_num_queries(10):
            html = client.get(url).content.decode()
        titles = ["Skien – kommuneprofil", "Oslo – kommuneprofil", "Porsgrunn – kommuneprofil"]
        positions = [html.index(title) for title in titles]
        assert positions == sorted(positions)
        html = client.get(url, {"fylke": "40"}).content.decode()
        assert "Skien" in html and "Porsgrunn" in html and "Oslo – kommuneprofil" not in html

    def test_a_bad_county_filter_says_so(self, client, queue, users):
        as_user(client, users["imdi"])
        response = client.get(reverse("skjema:review-queue", args=[2027]), {"fylke": "99"})
        assert response.status_code == 400
        assert "Velg et fylke fra listen." in response.content.decode()

    @pytest.mark.parametrize(
        "name", ["skjema:review-queue", "skjema:review-next", "skjema:review-bulk-accept"]
    )
    @pytest.mark.parametrize("who", ["fylke_a", "fylke_b", "ks", "editor", "outsider", None])
    def test_only_imdi(self, client, queue, users, name, who):
        if who:
            as_user(client, users[who])
        args = [2027, queue["skien"].pk] if name == "skjema:review-next" else [2027]
        url = reverse(name, args=args)
        if name == "skjema:review-bulk-accept":
            response = client.post(url, {"valgt": [queue["skien"].pk], "bekreft": "1"})
        else:
            response = client.get(url)
        if who is None:
            assert response.status_code == 302 and "/logg-inn/" in response["Location"]
        else:
            assert response.status_code == 403
        queue["skien"].refresh_from_db()
        assert queue["skien"].status == Status.SUBMITTED

    def test_next_for_review_goes_through_the_queue(self, client, queue, users):
        as_user(client, users["imdi"])
        skien, oslo, porsgrunn = queue["skien"], queue["oslo"], queue["porsgrunn"]
        review = client.get(reverse("skjema:review", args=[2027, skien.pk])).content.decode()
        assert "Neste til gjennomgang" in review
        nxt = client.get(reverse("skjema:review-next", args=[2027, skien.pk]))
        assert nxt["Location"] == reverse("skjema:review", args=[2027, oslo.pk])
        nxt = client.get(reverse("skjema:review-next", args=[2027, porsgrunn.pk]))
        assert nxt["Location"] == reverse("skjema:review", args=[2027, skien.pk])  # wraps
        nxt = client.get(reverse("skjema:review-next", args=[2027, skien.pk]), {"fylke": "40"})
        assert nxt["Location"].startswith(reverse("skjema:review", args=[2027, porsgrunn.pk]))

    def test_next_after_the_last_says_nothing_else_waits(self, client, submitted, users):
        as_user(client, users["imdi"])
        response = client.get(reverse("skjema:review-next", args=[2027, submitted.pk]), follow=True)
        assert "Ingen andre innsendinger venter på gjennomgang." in response.content.decode()

    def test_bulk_accept_confirms_then_accepts_and_refuses_those_with_comments(
        self, client, queue, users
    ):
        as_user(client, users["imdi"])
        url = reverse("skjema:review-bulk-accept", args=[2027])
        ids = [queue[name].pk for name in ("skien", "oslo", "porsgrunn")]
        confirm = client.post(url, {"valgt": ids})
        html = confirm.content.decode()
        assert confirm.status_code == 200 and "Bekreft: godkjenn 2 innsendinger" in html
        assert "Godkjennes ikke: har åpne kommentarer" in html
        assert not MunicipalityProfile.objects.filter(status=Status.ACCEPTED).exists()
        # The forged confirmation with Porsgrunn too: Porsgrunn is refused with the reason.
        result = client.post(url, {"valgt": ids, "bekreft": "1"})
        html = result.content.decode()
        assert "2 innsendinger er godkjent" in html and "1 ble ikke godkjent" in html
        assert "Har 1 åpne kommentarer fra forrige retur" in html
        statuses = {
            name: MunicipalityProfile.objects.get(pk=queue[name].pk).status for name in queue
        }
        assert statuses == {
            "skien": Status.ACCEPTED,
            "oslo": Status.ACCEPTED,
            "porsgrunn": Status.RESUBMITTED,
        }

    def test_select_all_shown_takes_what_the_queue_showed(self, client, queue, users):
        """«Velg alle viste» without JavaScript: the server takes every row the queue showed
        (its hidden «viste» ids), filtered to Telemark here, and confirms before accepting."""
        as_user(client, users["imdi"])
        page = client.get(reverse("skjema:review-queue", args=[2027]), {"fylke": "40"})
        html = page.content.decode()
        assert 'name="alle_viste"' in html and "Velg alle viste" in html
        shown = re.findall(r'name="viste" value="(\d+)"', html)
        assert sorted(map(int, shown)) == sorted([queue["skien"].pk, queue["porsgrunn"].pk])
        url = reverse("skjema:review-bulk-accept", args=[2027])
        confirm = client.post(url, {"alle_viste": "1", "viste": shown})
        html = confirm.content.decode()
        assert "Bekreft: godkjenn 1 innsending" in html  # Porsgrunn has open comments
        assert not MunicipalityProfile.objects.filter(status=Status.ACCEPTED).exists()
        client.post(url, {"alle_viste": "1", "viste": shown, "bekreft": "1"})
        assert MunicipalityProfile.objects.get(pk=queue["skien"].pk).status == Status.ACCEPTED
        assert MunicipalityProfile.objects.get(pk=queue["oslo"].pk).status == Status.SUBMITTED

    def test_bulk_accept_with_nothing_or_nonsense_selected(self, client, queue, users):
        as_user(client, users["imdi"])
        url = reverse("skjema:review-bulk-accept", args=[2027])
        response = client.post(url, {"bekreft": "1"}, follow=True)
        assert "Velg minst én innsending å godkjenne." in response.content.decode()
        response = client.post(url, {"valgt": ["x"], "bekreft": "1"}, follow=True)
        assert "Ugyldig valg av innsendinger" in response.content.decode()
        assert not MunicipalityProfile.objects.filter(status=Status.ACCEPTED).exists()

    def test_bulk_accept_service_refuses_county_officers(self, queue, users):
        with pytest.raises(NotAllowed):
            services.bulk_accept([queue["skien"]], users["fylke_b"])

    def test_the_api_lists_and_bulk_accepts(self, client, queue, users):
        as_user(client, users["imdi"])
        rows = client.get(reverse("review-queue-list"), {"round": 2027}).json()
        assert [(r["municipality"]["number"], r["open_comments"]) for r in rows] == [
            ("4003", 0),
            ("0301", 0),
            ("4001", 1),
        ]
        only_b = client.get(reverse("review-queue-list"), {"round": 2027, "county": "40"}).json()
        assert {r["county"]["number"] for r in only_b} == {"40"}
        bad = client.get(reverse("review-queue-list"), {"round": 2027, "county": "99"})
        assert bad.status_code == 400
        ids = [queue["skien"].pk, queue["porsgrunn"].pk, 999999]
        result = client.post(
            reverse("review-queue-accept"), {"round": 2027, "ids": ids}, "application/json"
        ).json()
        assert [(r["id"], r["accepted"]) for r in result] == [
            (ids[0], True),
            (ids[1], False),
            (ids[2], False),
        ]
        assert "åpne kommentarer" in result[1]["messages"][0]

    @pytest.mark.parametrize("who", ["fylke_b", "ks", "outsider"])
    def test_the_api_refuses_others(self, client, queue, users, who):
        as_user(client, users[who])
        assert client.get(reverse("review-queue-list"), {"round": 2027}).status_code == 403
        response = client.post(
            reverse("review-queue-accept"),
            {"round": 2027, "ids": [queue["skien"].pk]},
            "application/json",
        )
        assert response.status_code == 403
        queue["skien"].refresh_from_db()
        assert queue["skien"].status == Status.SUBMITTED

    def test_the_api_refuses_anonymous(self, client, queue):
        assert client.get(reverse("review-queue-list"), {"round": 2027}).status_code in {401, 403}


def make_notifications(user, n):
    return [
        Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.RETURNED,
            dedupe_key=f"test:{i}",
            subject=f"Varsel {i}",
            status=Notification.Status.SENT,
        )
        for i in range(n)
    ]


class TestNotificationBadge:
    def test_unread_count_in_the_header_in_one_query(
        self, client, users, django_assert_num_queries
    ):
        from django.template import Context, Template

        make_notifications(users["fylke_a"], 3)
        make_notifications(users["fylke_b"], 1)  # someone else's never counts
        template = Template("{% load notification_tags %}{% unread_badge %}")
        with django_assert_num_queries(1):
            html = template.render(Context({"user": users["fylke_a"]}))
        assert "3 uleste varsler" in html
        as_user(client, users["fylke_a"])
        page = client.get(reverse("skjema:notifications")).content.decode()
        assert "(3 uleste varsler)" in page

    def test_no_badge_at_zero_and_none_for_anonymous(self, client, users):
        from django.contrib.auth.models import AnonymousUser
        from django.template import Context, Template

        template = Template("{% load notification_tags %}{% unread_badge %}")
        assert template.render(Context({"user": users["imdi"]})).strip() == ""
        assert template.render(Context({"user": AnonymousUser()})).strip() == ""
        as_user(client, users["imdi"])
        assert (
            "notification-badge" not in client.get(reverse("skjema:notifications")).content.decode()
        )

    def test_mark_one_and_all_read(self, client, users):
        first, second, third = make_notifications(users["fylke_a"], 3)
        as_user(client, users["fylke_a"])
        url = reverse("skjema:notifications-read")
        client.post(url, {"varsel": first.pk})
        assert Notification.objects.unread_for(users["fylke_a"]).count() == 2
        response = client.post(url, {"alle": "1"}, follow=True)
        assert "2 varsler er merket som lest." in response.content.decode()
        assert Notification.objects.unread_for(users["fylke_a"]).count() == 0

    def test_someone_elses_notification_is_404_and_stays_unread(self, client, users):
        (theirs,) = make_notifications(users["fylke_b"], 1)
        as_user(client, users["fylke_a"])
        url = reverse("skjema:notifications-read")
        assert client.post(url, {"varsel": theirs.pk}).status_code == 404
        client.post(url, {"alle": "1"})
        theirs.refresh_from_db()
        assert theirs.read_at is None
        response = client.post(url, {"varsel": "tull"}, follow=True)
        assert "Velg et varsel å merke som lest." in response.content.decode()

    def test_anonymous_cannot_mark(self, client, users):
        (mine,) = make_notifications(users["fylke_a"], 1)
        response = client.post(reverse("skjema:notifications-read"), {"alle": "1"})
        assert response.status_code == 302
        mine.refresh_from_db()
        assert mine.read_at is None
