"""After the preparatory document is made: the warning when the county changes a submission,
«Lag på nytt» as a background job, IMDi's approval, the scheduled send three weeks before the
meeting (only approved, only once, frozen time), the reminder to IMDi, the PDF for the
participants, and who is refused (tested from the refused side)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skjema import meeting_dispatch, meetings, services
from skjema.exceptions import NotAllowed
from skjema.models import DocumentState, Notification, PreparatoryDocument, PreparatorySnapshot
from skjema.tasks import regenerate_preparatory_document, send_preparatory_documents

from . import meetings_support as support
from .meetings_support import YEAR, profile

meeting_tree = support.meeting_tree
pages = support.pages
people = support.people
telemark = support.telemark

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 8) -> datetime.datetime:
    """Norwegian time, ``days`` from today (the Telemark meeting is in 60 days at 09.00, so its
    document is sent on day 39)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def url(page, name="skjema:meeting-document"):
    return reverse(name, args=[YEAR, page.pk])


def document() -> PreparatoryDocument:
    return PreparatoryDocument.objects.select_related("current", "last_sent").get(
        county__number="40"
    )


def run_job(capture):
    with capture(execute=True):
        return send_preparatory_documents.enqueue().return_value


def kinds(kind):
    return list(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


class TestScheduledSend:
    def test_approved_is_sent_on_its_day_once(
        self, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.generate(pages["telemark"], imdi)
        meeting_dispatch.approve(document(), imdi)
        assert document().state == DocumentState.APPROVED
        with time_machine.travel(at(38, 23), tick=False):
            assert run_job(django_capture_on_commit_callbacks)["sent"] == []
        assert document().current.sent_at is None and not mail.outbox

        with time_machine.travel(at(39, 0), tick=False):
            result = run_job(django_capture_on_commit_callbacks)
            assert result["sent"] == [document().current.pk]
            again = run_job(django_capture_on_commit_callbacks)
        with time_machine.travel(at(40), tick=False):
            later = run_job(django_capture_on_commit_callbacks)
        assert again["sent"] == [] and later["sent"] == []
        snapshot = document().current
        assert document().state == DocumentState.SENT
        assert snapshot.sent_at == at(39, 0) and snapshot.sent_by == imdi
        assert sorted(kinds(Notification.Kind.DOCUMENT_SENT)) == ["fylke-b", "ks-test"]
        assert sorted(m.to[0] for m in mail.outbox) == ["fylke_b@example.no", "ks@example.no"]
        assert not kinds(Notification.Kind.DOCUMENT_APPROVAL)  # approved in time

    def test_not_approved_is_not_sent_and_imdi_is_reminded_once(
        self, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.generate(pages["telemark"], imdi)
        telemark_id = pages["telemark"].pk
        with time_machine.travel(at(35, 23), tick=False):  # 4 days before: too early
            assert telemark_id not in run_job(django_capture_on_commit_callbacks)["reminded"]
        first = at(36, 0)
        for moment in (first, at(36, 15), at(39)):  # 3 days before, again, on the day
            with time_machine.travel(moment, tick=False):
                result = run_job(django_capture_on_commit_callbacks)
            assert result["sent"] == []
            assert (telemark_id in result["reminded"]) == (moment == first)
        assert kinds(Notification.Kind.DOCUMENT_APPROVAL) == ["imdi-test"]
        [reminder] = [m for m in mail.outbox if m.to == ["imdi@example.no"]]
        assert "Godkjenn det saksforberedende dokumentet" in reminder.subject
        assert "ikke godkjent" in reminder.body
        assert document().current.sent_at is None

        # Approved after its day, before the meeting: sent at the next run.
        late = at(41)
        with time_machine.travel(late, tick=False):
            meeting_dispatch.approve(document(), imdi)
            assert run_job(django_capture_on_commit_callbacks)["sent"] == [document().current.pk]

    def test_regenerated_after_approval_must_be_approved_again(
        self, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.generate(pages["telemark"], imdi)
        meeting_dispatch.approve(document(), imdi)
        meetings.generate(pages["telemark"], imdi)
        assert document().state == DocumentState.READY
        with time_machine.travel(at(39), tick=False):
            result = run_job(django_capture_on_commit_callbacks)
        assert result["sent"] == [] and pages["telemark"].pk in result["reminded"]
        assert not PreparatorySnapshot.objects.filter(sent_at__isnull=False).exists()

    def test_nothing_after_the_meeting(
        self, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        meetings.generate(pages["telemark"], people["imdi"])
        with time_machine.travel(at(61), tick=False):
            assert run_job(django_capture_on_commit_callbacks) == {"sent": [], "reminded": []}

    def test_reminder_days_is_a_setting(
        self, telemark, pages, people, settings, django_capture_on_commit_callbacks
    ):
        settings.PREPARATORY_APPROVAL_REMINDER_DAYS = 10
        with time_machine.travel(at(29), tick=False):  # no document made at all
            result = run_job(django_capture_on_commit_callbacks)
        assert pages["telemark"].pk in result["reminded"]
        [reminder] = [m for m in mail.outbox if m.to == ["imdi@example.no"]]
        assert "er ikke laget ennå" in reminder.body

    def test_the_meeting_page_says_when_it_is_and_was_sent(
        self, client, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.generate(pages["telemark"], imdi)
        client.force_login(imdi)
        page = client.get(url(pages["telemark"])).text
        assert "Sendes til deltakerne" in page and "Ikke godkjent ennå" in page
        response = client.post(
            url(pages["telemark"], "skjema:meeting-document-approve"), follow=True
        )
        assert "Versjon 1 er godkjent. Den sendes automatisk til deltakerne" in response.text
        with time_machine.travel(at(39, 7), tick=False):
            run_job(django_capture_on_commit_callbacks)
        county = Client()
        county.force_login(people["fylke_b"])
        shown = county.get(url(pages["telemark"])).text
        sent = timezone.localtime(document().last_sent.sent_at).strftime("%H.%M")
        assert f"sendt {timezone.localdate(at(39)).day}." in shown and sent in shown


class TestChangedAfterwards:
    def test_warning_and_lag_pa_nytt_in_a_background_job(
        self, client, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.generate(pages["telemark"], imdi)
        client.force_login(imdi)
        assert "Fylket har endret innsendinger" not in client.get(url(pages["telemark"])).text
        services.submit(profile(telemark, "4003"), people["fylke_b"])  # after the document

        page = client.get(url(pages["telemark"])).text
        assert "Fylket har endret innsendinger etter at dokumentet ble laget" in page
        assert "4003 Skien: sendt inn" in page
        assert url(pages["telemark"], "skjema:meeting-document-regenerate") in page

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url(pages["telemark"], "skjema:meeting-document-regenerate"), follow=True
            )
        assert "lages på nytt i bakgrunnen" in response.text
        current = document().current
        assert current.number == 2 and current.generated_by == imdi
        assert current.approved_at is None
        assert "Fylket har endret innsendinger" not in client.get(url(pages["telemark"])).text

    def test_the_job_is_safe_to_repeat(self, telemark, pages, people):
        asked = timezone.now()
        meetings.generate(pages["telemark"], people["imdi"])  # done after it was asked
        args = (pages["telemark"].pk, people["imdi"].pk, asked.isoformat())
        assert regenerate_preparatory_document.enqueue(*args).return_value == 1
        assert PreparatorySnapshot.objects.count() == 1

    def test_changes_name_the_county_submission_too(self, telemark, pages, people):
        meetings.generate(pages["telemark"], people["imdi"])
        from skjema.models import CountySubmission

        county = CountySubmission.objects.get(round=telemark, county__number="40")
        services.accept(county, people["imdi"])
        [change] = meeting_dispatch.changes_since(document())
        assert (change.label, change.action) == ("Fylkets innspill", "Godkjent")


class TestPermissions:
    @pytest.mark.parametrize(
        "who, status", [("fylke_b", 403), ("ks", 403), ("fylke_a", 404), ("outsider", 404)]
    )
    def test_only_imdi_regenerates_and_approves(
        self, client, telemark, pages, people, who, status, django_capture_on_commit_callbacks
    ):
        meetings.generate(pages["telemark"], people["imdi"])
        client.force_login(people[who])
        with django_capture_on_commit_callbacks(execute=True):
            for name in ("regenerate", "approve"):
                response = client.post(url(pages["telemark"], f"skjema:meeting-document-{name}"))
                assert response.status_code == status
        assert PreparatorySnapshot.objects.count() == 1
        assert document().current.approved_at is None
        with pytest.raises(NotAllowed):
            meeting_dispatch.approve(document(), people[who])

    def test_anonymous_is_sent_to_login(self, client, telemark, pages):
        for name in ("regenerate", "approve"):
            response = client.post(url(pages["telemark"], f"skjema:meeting-document-{name}"))
            assert response.status_code == 302
        assert client.get(url(pages["telemark"], "skjema:meeting-document-pdf")).status_code == 302

    def test_pdf_for_participants_once_sent_and_never_for_others(
        self, client, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.generate(pages["telemark"], imdi)
        pdf = url(pages["telemark"], "skjema:meeting-document-pdf")
        for who in ("fylke_b", "ks", "fylke_a", "outsider"):
            client.force_login(people[who])
            assert client.get(pdf).status_code == 404  # not sent yet
        meeting_dispatch.approve(document(), imdi)
        with time_machine.travel(at(39), tick=False):
            run_job(django_capture_on_commit_callbacks)
        for who, status in (("fylke_b", 200), ("ks", 200), ("fylke_a", 404), ("outsider", 404)):
            client.force_login(people[who])
            response = client.get(pdf)
            assert response.status_code == status, who
            if status == 200:
                assert response["Content-Type"] == "application/pdf"
                assert response.content.startswith(b"%PDF")
                assert "saksforberedende-2027-40-v1.pdf" in response["Content-Disposition"]
