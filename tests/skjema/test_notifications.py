"""Notifications: the deadline reminders on a clock the tests control (once each, catch-up
after downtime, nothing after the deadline but one notice), the workflow e-mails to the right
people only and once each, failed sends recorded and retried but never sent twice, and the
«Varsler til meg» page with its access rule."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from skjema import notifications, services, signals
from skjema.models import (
    CountySubmission,
    MunicipalityProfile,
    Notification,
    Round,
    Status,
    Submission,
)
from skjema.notifications import notify, send_reminders

from .conftest import fill_profile, make_round

pytestmark = pytest.mark.django_db

DEADLINE = timezone.make_aware(datetime.datetime(2026, 6, 10, 23, 59))
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP-serveren svarer ikke")


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.PORTAL_BASE_URL = "https://bosetting.example.no"
    settings.SKJEMA_REMINDER_DAYS = ["14", "7", "1"]
    return settings


@pytest.fixture
def people(users, make_user, counties):
    """The named users with e-mail addresses, plus a second officer in Telemark and at IMDi,
    and an IMDi officer who has left (inactive)."""
    everyone = dict(users)
    everyone["fylke_b2"] = make_user("fylke-b2", Role.COUNTY_OFFICER, counties["40"])
    everyone["imdi2"] = make_user("imdi2-test", Role.IMDI_OFFICER)
    everyone["imdi_gone"] = make_user("imdi-sluttet", Role.IMDI_OFFICER, is_active=False)
    for name, user in everyone.items():
        user.email = f"{name}@example.no"
        user.save(update_fields=["email"])
    return everyone


def inbox(name: str) -> list:
    return [m for m in mail.outbox if m.to == [f"{name}@example.no"]]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """send_reminders at a given moment, with its after-commit sends executed."""

    def _run(now):
        with django_capture_on_commit_callbacks(execute=True):
            return send_reminders(now=now)

    return _run


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Run a workflow service and what follows its commit (signals, e-mails)."""

    def _act(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return _act


@pytest.fixture
def round_2027(register, counties, people):
    """Deadline 10 June 2026 23:59, opened 40 days before for Oslo and Telemark."""
    round_ = make_round(2027, deadline=DEADLINE)
    services.open_round(round_, now=DEADLINE - 40 * DAY, counties=[counties["03"], counties["40"]])
    round_.refresh_from_db()
    return round_


def reminder_subjects(name: str) -> list[str]:
    return [m.subject for m in inbox(name)]


# ---------------------------------------------------------------------------------------------
# the reminder schedule


class TestReminderSchedule:
    def test_one_reminder_at_each_offset_and_none_between(self, round_2027, run):
        run(DEADLINE - 14 * DAY - MINUTE)
        assert mail.outbox == []

        run(DEADLINE - 14 * DAY + 3 * MINUTE)
        assert reminder_subjects("fylke_a") == [
            "Innspill til bosetting 2027: 14 dager til fristen – 1 kommuneprofil er ikke sendt inn"
        ]
        assert reminder_subjects("fylke_b") == [
            "Innspill til bosetting 2027: 14 dager til fristen – "
            "17 kommuneprofiler er ikke sendt inn"
        ]
        assert len(inbox("fylke_b2")) == 1
        assert len(mail.outbox) == 3

        for moment in (DEADLINE - 14 * DAY + 10 * MINUTE, DEADLINE - 8 * DAY):
            run(moment)
        assert len(mail.outbox) == 3

        run(DEADLINE - 7 * DAY)
        assert len(mail.outbox) == 6
        assert "7 dager til fristen" in inbox("fylke_a")[-1].subject

        run(DEADLINE - DAY + 5 * MINUTE)
        assert len(mail.outbox) == 9
        assert "1 dag til fristen" in inbox("fylke_a")[-1].subject
        assert not Notification.objects.filter(status=Notification.Status.SKIPPED).exists()

    def test_only_the_counties_own_officers_get_it(self, round_2027, run, people):
        run(DEADLINE - 14 * DAY)
        recipients = {address for message in mail.outbox for address in message.to}
        assert recipients == {
            "fylke_a@example.no",
            "fylke_b@example.no",
            "fylke_b2@example.no",
        }
        assert all(len(message.to) == 1 for message in mail.outbox)  # no shared recipient list

    def test_running_every_few_minutes_sends_each_reminder_once(self, round_2027, run):
        start = DEADLINE - 15 * DAY + 7 * MINUTE
        moments = [start + step * 47 * MINUTE for step in range(int(19 * DAY / (47 * MINUTE)))]
        # and every two minutes around each mark, where a double send would happen
        for days in (14, 7, 1):
            mark = DEADLINE - days * DAY
            moments += [mark + step * 2 * MINUTE for step in range(-5, 6)]
        for moment in sorted(moments):
            run(moment)
        subjects = reminder_subjects("fylke_a")
        assert len(subjects) == 4
        assert [s.split(": ", 1)[1].split(" – ")[0] for s in subjects] == [
            "14 dager til fristen",
            "7 dager til fristen",
            "1 dag til fristen",
            "fristen har gått ut",
        ]
        assert len(inbox("fylke_b")) == 4
        assert Notification.objects.filter(recipient__username="fylke-a").count() == 4

    def test_catch_up_after_downtime_sends_only_the_latest(self, round_2027, run):
        run(DEADLINE - 3 * DAY)  # the job was down at the 14- and 7-day marks
        assert reminder_subjects("fylke_a") == [
            "Innspill til bosetting 2027: 3 dager til fristen – 1 kommuneprofil er ikke sendt inn"
        ]
        rows = Notification.objects.filter(recipient__username="fylke-a").order_by("dedupe_key")
        assert [(row.dedupe_key.rsplit(":", 1)[1], row.status) for row in rows] == [
            ("14d", Notification.Status.SKIPPED),
            ("7d", Notification.Status.SENT),
        ]
        run(DEADLINE - 2 * DAY)
        assert len(inbox("fylke_a")) == 1  # the skipped 14-day one never goes out later
        run(DEADLINE - DAY)
        assert len(inbox("fylke_a")) == 2

    def test_catch_up_after_the_first_reminder(self, round_2027, run):
        run(DEADLINE - 14 * DAY)
        run(DEADLINE - 12 * 60 * MINUTE)  # down from before the 7-day mark until 12 hours left
        assert [s.split(": ", 1)[1].split(" – ")[0] for s in reminder_subjects("fylke_a")] == [
            "14 dager til fristen",
            "12 timer til fristen",
        ]
        skipped = Notification.objects.get(
            recipient__username="fylke-a", status=Notification.Status.SKIPPED
        )
        assert skipped.dedupe_key.endswith(":7d")

    def test_nothing_after_the_deadline_but_one_overdue_notice(self, round_2027, run):
        run(DEADLINE + MINUTE)
        assert reminder_subjects("fylke_a") == ["Innspill til bosetting 2027: fristen har gått ut"]
        body = inbox("fylke_a")[0].body
        assert "gikk ut 10. juni 2026 kl. 23.59" in body
        assert "Dere kan fortsatt sende inn" in body
        assert not Notification.objects.filter(kind=Notification.Kind.REMINDER).exists()
        for moment in (DEADLINE + DAY, DEADLINE + 2 * DAY, DEADLINE + 30 * DAY):
            run(moment)
        assert len(inbox("fylke_a")) == 1

    def test_no_overdue_notice_long_after_the_deadline(self, round_2027, run):
        run(DEADLINE + notifications.OVERDUE_NOTICE_WINDOW + MINUTE)
        assert mail.outbox == []
        assert not Notification.objects.exists()

    def test_a_county_with_everything_submitted_gets_nothing(self, round_2027, run, counties):
        Submission.objects.filter(round=round_2027, county=counties["03"]).update(
            status=Status.SUBMITTED
        )
        run(DEADLINE - 14 * DAY)
        assert inbox("fylke_a") == []
        assert len(inbox("fylke_b")) == 1
        run(DEADLINE + MINUTE)
        assert inbox("fylke_a") == []

    def test_profiles_submitted_but_county_submission_draft_still_reminds(
        self, round_2027, run, counties
    ):
        MunicipalityProfile.objects.filter(round=round_2027, county=counties["03"]).update(
            status=Status.ACCEPTED
        )
        run(DEADLINE - 7 * DAY)
        (message,) = inbox("fylke_a")
        assert message.subject == "Innspill til bosetting 2027: 7 dager til fristen"
        assert "Fylkets innspill (planer, anbefalt antall og kommentar) er utkast." in message.body
        assert "kommuneprofil" not in message.body

    def test_returned_profiles_count_as_needing_action(self, round_2027, run, counties):
        Submission.objects.filter(round=round_2027, county=counties["40"]).exclude(
            municipality__number__in=["4003", "4001"]
        ).update(status=Status.SUBMITTED)
        Submission.objects.filter(round=round_2027, municipality__number="4003").update(
            status=Status.RETURNED
        )
        run(DEADLINE - 7 * DAY)
        (message,) = inbox("fylke_b")
        assert message.subject.endswith("2 kommuneprofiler er ikke sendt inn")
        assert "1 kommuneprofil er ikke sendt inn ennå:\n- Porsgrunn\n" in message.body
        assert "1 kommuneprofil er returnert for retting og ikke sendt inn på nytt:\n- Skien" in (
            message.body
        )
        assert "Fylkets innspill" not in message.body  # the county submission was submitted

    def test_reminder_says_deadline_and_time_left_and_links(self, round_2027, run):
        run(DEADLINE - 14 * DAY + 4 * MINUTE)
        body = inbox("fylke_b")[0].body
        assert (
            "Fristen for fylkenes innspill til bosetting 2027 er 10. juni 2026 kl. 23.59 "
            "– 14 dager igjen." in body
        )
        assert "17 kommuneprofiler er ikke sendt inn ennå:\n- Porsgrunn\n- Skien\n" in body
        assert "Åpne i Bosettingsportalen: https://bosetting.example.no/skjema/2027/" in body
        assert "https://bosetting.example.no/skjema/varsler/" in body
        assert "&" not in body  # plain text, not HTML-escaped

    def test_closed_and_planning_rounds_get_nothing(self, register, people, run, round_2027):
        round_2027.status = Round.Status.CLOSED
        round_2027.save()
        make_round(2028, deadline=DEADLINE + 365 * DAY)  # in planning
        for moment in (DEADLINE - 7 * DAY, DEADLINE + MINUTE, DEADLINE + 358 * DAY):
            run(moment)
        assert mail.outbox == []

    def test_marks_before_the_round_opened_do_not_apply(self, register, counties, people, run):
        round_ = make_round(2027, deadline=DEADLINE)
        services.open_round(round_, now=DEADLINE - 10 * DAY, counties=[counties["03"]])
        run(DEADLINE - 10 * DAY + MINUTE)
        assert mail.outbox == []
        run(DEADLINE - 7 * DAY)
        assert [s.split(": ", 1)[1].split(" – ")[0] for s in reminder_subjects("fylke_a")] == [
            "7 dager til fristen"
        ]

    def test_a_moved_deadline_gets_a_schedule_of_its_own(self, round_2027, run):
        run(DEADLINE - 7 * DAY)
        assert len(inbox("fylke_a")) == 1
        round_2027.deadline = DEADLINE + 14 * DAY
        round_2027.save()
        run(DEADLINE - 7 * DAY + MINUTE)
        run(DEADLINE - DAY)  # the old 1-day mark means nothing now
        assert len(inbox("fylke_a")) == 1
        run(DEADLINE)  # 14 days before the new deadline
        assert "14 dager til fristen" in inbox("fylke_a")[-1].subject
        assert "24. juni 2026" in inbox("fylke_a")[-1].body

    def test_offsets_come_from_settings(self, round_2027, run, settings):
        settings.SKJEMA_REMINDER_DAYS = ["3"]
        run(DEADLINE - 7 * DAY)
        assert mail.outbox == []
        run(DEADLINE - 3 * DAY)
        assert len(inbox("fylke_a")) == 1

    def test_a_bad_offset_setting_fails_loudly(self, round_2027, run, settings):
        settings.SKJEMA_REMINDER_DAYS = ["14", "sju"]
        with pytest.raises(ImproperlyConfigured, match="SKJEMA_REMINDER_DAYS"):
            run(DEADLINE - 7 * DAY)


class TestCommand:
    def test_send_reminders_with_a_given_clock(
        self, round_2027, django_capture_on_commit_callbacks, capsys
    ):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--now", "2026-05-27T23:59")
        out = capsys.readouterr().out
        assert "3 nye" in out  # (sent after the test transaction's commit hooks run)
        assert len(mail.outbox) == 3
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--now", "2026-05-27T23:59:30+02:00")
        assert "0 nye" in capsys.readouterr().out
        assert len(mail.outbox) == 3

    def test_a_bad_clock_is_refused(self, db):
        with pytest.raises(CommandError, match="ISO 8601"):
            call_command("send_reminders", "--now", "i morgen")


# ---------------------------------------------------------------------------------------------
# workflow e-mails


@pytest.fixture
def submitted(skien, people, act):
    profile = fill_profile(skien, people["fylke_b"])
    act(services.submit, profile, people["fylke_b"])
    profile.refresh_from_db()
    return profile


class TestWorkflowNotices:
    def test_submit_goes_to_every_active_imdi_officer_only(self, submitted, people):
        assert {m.to[0] for m in mail.outbox} == {"imdi@example.no", "imdi2@example.no"}
        message = inbox("imdi")[0]
        assert message.subject == "Innspill til bosetting 2027: Skien kommune er sendt inn"
        assert "Kommuneprofilen for Skien kommune ble sendt inn" in message.body
        assert "av fylke-b (Telemark). Dette er versjon 1." in message.body
        url = reverse("skjema:review", args=[2027, submitted.pk])
        assert f"https://bosetting.example.no{url}" in message.body
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"
        row = Notification.objects.get(recipient=people["imdi"])
        assert (row.kind, row.submission_id, row.round_id, row.url) == (
            Notification.Kind.SUBMITTED,
            submitted.pk,
            submitted.round_id,
            url,
        )
        assert row.status == Notification.Status.SENT and row.sent_at is not None

    def test_return_goes_to_the_county_with_reason_and_comments(self, submitted, people, act):
        mail.outbox.clear()
        act(
            services.return_submission,
            submitted,
            people["imdi"],
            reason="Resultatene mangler kilde.",
            comments=[
                ("qualification", "result_share", "Oppgi kilden for andelen."),
                ("capacity", "", "Stemmer kapasiteten med vedtaket?"),
            ],
        )
        assert {m.to[0] for m in mail.outbox} == {"fylke_b@example.no", "fylke_b2@example.no"}
        message = inbox("fylke_b")[0]
        assert message.subject == (
            "Innspill til bosetting 2027: Skien kommune er returnert for retting"
        )
        body = message.body
        assert "Begrunnelse fra IMDi:\nResultatene mangler kilde." in body
        assert "Del 1: Kvalifiseringstilbud med gode resultater\n- " in body
        assert ": Oppgi kilden for andelen." in body
        assert "Del 5: Kapasitet og vilje til å bosette\n- Stemmer kapasiteten" in body
        assert body.index("Del 1:") < body.index("Del 5:")
        assert f"https://bosetting.example.no{submitted.get_absolute_url()}" in body

    def test_accept_and_reopen_go_to_the_county(self, submitted, people, act):
        mail.outbox.clear()
        act(services.accept, submitted, people["imdi"], reason="Fint.")
        assert sorted(m.to[0] for m in mail.outbox) == [
            "fylke_b2@example.no",
            "fylke_b@example.no",
        ]
        assert inbox("fylke_b")[0].subject == (
            "Innspill til bosetting 2027: Skien kommune er godkjent"
        )
        act(services.reopen, submitted, people["imdi"], reason="Nye tall fra kommunen.")
        message = inbox("fylke_b")[-1]
        assert message.subject == (
            "Innspill til bosetting 2027: Skien kommune er gjenåpnet for retting"
        )
        assert "Nye tall fra kommunen." in message.body
        assert len(mail.outbox) == 4

    def test_resubmission_says_so(self, submitted, people, act):
        act(services.return_submission, submitted, people["imdi"], reason="Rett.")
        mail.outbox.clear()
        act(services.submit, submitted, people["fylke_b"])
        assert inbox("imdi")[0].subject == (
            "Innspill til bosetting 2027: Skien kommune er sendt inn på nytt"
        )

    def test_nobody_else_gets_anything(self, submitted, people, act):
        act(services.return_submission, submitted, people["imdi"], reason="Rett.")
        act(services.submit, submitted, people["fylke_b"])
        act(services.accept, submitted, people["imdi"])
        for name in ("fylke_a", "ks", "editor", "editor2", "admin", "outsider", "imdi_gone"):
            assert inbox(name) == [], name
            assert not Notification.objects.filter(recipient=people[name]).exists()

    def test_a_signal_received_twice_sends_once(self, submitted, people, act):
        transition = act(services.return_submission, submitted, people["imdi"], reason="Rett.")
        assert len(inbox("fylke_b")) == 1
        for _ in range(2):
            signals.submission_returned.send(
                sender=MunicipalityProfile, submission=submitted, transition=transition
            )
        assert len(inbox("fylke_b")) == 1
        assert Notification.objects.filter(recipient=people["fylke_b"]).count() == 1

    def test_county_submission_is_named_as_such(self, opened, people, act, counties):
        county_submission = CountySubmission.objects.get(round=opened, county=counties["40"])
        Submission.objects.filter(pk=county_submission.pk).update(status=Status.SUBMITTED)
        act(services.return_submission, county_submission, people["imdi"], reason="Planen?")
        message = inbox("fylke_b")[0]
        assert message.subject == (
            "Innspill til bosetting 2027: Fylkets innspill fra Telemark er returnert for retting"
        )
        assert "IMDi har returnert fylkets innspill fra Telemark for retting" in message.body
        assert inbox("fylke_a") == []


# ---------------------------------------------------------------------------------------------
# notify: dedupe, transactions, failures and retries


class TestNotify:
    def test_same_key_never_twice_even_for_a_repeated_recipient(
        self, people, django_capture_on_commit_callbacks
    ):
        user = people["ks"]
        with django_capture_on_commit_callbacks(execute=True):
            first = notify([user, user], "document_sent", "doc:1", "Dokument", "Tekst", "/x/")
            again = notify([user], "document_sent", "doc:1", "Dokument", "Tekst", "/x/")
        assert len(first) == 1 and again == []
        assert len(mail.outbox) == 1

    def test_nothing_is_sent_when_the_callers_transaction_rolls_back(
        self, people, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            notify([people["ks"]], "document_sent", "doc:2", "Dokument", "Tekst")
            raise RuntimeError("the caller's change failed")
        assert mail.outbox == []
        assert not Notification.objects.exists()

    def test_a_failed_send_is_recorded_and_retried_but_never_sent_twice(
        self, submitted, people, settings, act, run
    ):
        mail.outbox.clear()
        settings.EMAIL_BACKEND = "tests.skjema.test_notifications.FailingBackend"
        act(services.accept, submitted, people["imdi"])
        rows = Notification.objects.filter(kind=Notification.Kind.ACCEPTED)
        assert rows.count() == 2
        for row in rows:
            assert row.status == Notification.Status.FAILED
            assert row.error == "ConnectionRefusedError: SMTP-serveren svarer ikke"
            assert row.sent_at is None and row.attempts == 1

        now = timezone.now()
        run(now + 5 * MINUTE)  # still down
        assert set(rows.values_list("attempts", flat=True)) == {2}

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        run(now + 10 * MINUTE)
        run(now + 15 * MINUTE)
        assert len(inbox("fylke_b")) == 1 and len(inbox("fylke_b2")) == 1
        assert set(rows.values_list("status", flat=True)) == {Notification.Status.SENT}
        assert set(rows.values_list("error", flat=True)) == {""}

    def test_retries_stop_after_the_window(self, submitted, people, settings, act, run):
        mail.outbox.clear()
        settings.EMAIL_BACKEND = "tests.skjema.test_notifications.FailingBackend"
        act(services.accept, submitted, people["imdi"])
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        run(timezone.now() + notifications.RETRY_WINDOW + MINUTE)
        assert mail.outbox == []

    def test_a_reminder_is_not_retried_after_the_deadline(self, round_2027, run, settings):
        settings.EMAIL_BACKEND = "tests.skjema.test_notifications.FailingBackend"
        run(DEADLINE - DAY)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        run(DEADLINE + MINUTE)
        assert [m.subject for m in inbox("fylke_a")] == [
            "Innspill til bosetting 2027: fristen har gått ut"
        ]

    def test_an_interrupted_send_is_not_repeated(self, people, run):
        row = Notification.objects.create(
            recipient=people["ks"],
            kind="document_sent",
            dedupe_key="doc:3",
            subject="Dokument",
            status=Notification.Status.SENDING,
        )
        run(timezone.now() + MINUTE)
        row.refresh_from_db()
        assert row.status == Notification.Status.SENDING
        assert mail.outbox == []

    def test_a_recipient_without_address_is_recorded_and_reached_once_they_have_one(
        self, people, run, django_capture_on_commit_callbacks
    ):
        user = people["ks"]
        user.email = ""
        user.save()
        with django_capture_on_commit_callbacks(execute=True):
            (row,) = notify([user], "document_sent", "doc:4", "Dokument", "Tekst")
        row.refresh_from_db()
        assert row.status == Notification.Status.FAILED
        assert row.error == "Mottakeren har ingen e-postadresse."
        user.email = "ks@example.no"
        user.save()
        run(timezone.now() + MINUTE)
        run(timezone.now() + 2 * MINUTE)
        assert len(inbox("ks")) == 1


# ---------------------------------------------------------------------------------------------
# «Varsler til meg»


def seed(user, count, prefix):
    for number in range(count):
        Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.REMINDER,
            dedupe_key=f"{prefix}:{number}",
            subject=f"{prefix} varsel {number}",
            body=f"Innhold {number}\n\nÅpne: https://bosetting.example.no/skjema/2027/",
            url="/skjema/2027/",
            status=Notification.Status.SENT,
            created_at=timezone.now() - number * MINUTE,
            sent_at=timezone.now() - number * MINUTE,
        )


class TestNotificationPage:
    url = "/skjema/varsler/"

    def test_url_name(self):
        assert reverse("skjema:notifications") == self.url

    def test_own_notifications_newest_first(self, client, people, django_assert_max_num_queries):
        seed(people["fylke_a"], 3, "A")
        seed(people["fylke_b"], 2, "B")
        client.force_login(people["fylke_a"])
        with django_assert_max_num_queries(6):
            response = client.get(self.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert html.index("A varsel 0") < html.index("A varsel 1") < html.index("A varsel 2")
        assert "B varsel" not in html
        assert "<details>" in html and "Innhold 0" in html
        assert '<a href="https://bosetting.example.no/skjema/2027/"' in html  # urlized body

    def test_county_b_sees_only_its_own(self, client, people):
        seed(people["fylke_a"], 2, "A")
        client.force_login(people["fylke_b"])
        html = client.get(self.url).content.decode()
        assert "A varsel" not in html
        assert "Du har ikke fått noen varsler ennå." in html

    def test_skipped_reminders_are_not_shown(self, client, people):
        seed(people["fylke_a"], 1, "A")
        Notification.objects.update(status=Notification.Status.SKIPPED)
        client.force_login(people["fylke_a"])
        assert "A varsel" not in client.get(self.url).content.decode()

    def test_unsent_ones_say_so(self, client, people):
        seed(people["fylke_a"], 1, "A")
        Notification.objects.update(status=Notification.Status.FAILED, sent_at=None)
        client.force_login(people["fylke_a"])
        assert "Ikke sendt ennå" in client.get(self.url).content.decode()

    def test_paginated_with_bounded_queries(self, client, people, django_assert_max_num_queries):
        seed(people["imdi"], 60, "I")
        client.force_login(people["imdi"])
        with django_assert_max_num_queries(6):
            response = client.get(self.url, {"side": 3})
        html = response.content.decode()
        assert "I varsel 50" in html and "I varsel 49" not in html
        assert "Side 3 av 3" in html
        assert 'aria-current="page"><span class="visually-hidden">Side </span>3' in html

    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(self.url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    def test_every_role_can_open_its_own_page(self, client, people):
        for name in ("imdi", "ks", "editor", "admin", "outsider"):
            client.force_login(people[name])
            assert client.get(self.url).status_code == 200
