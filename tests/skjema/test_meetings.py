"""Meetings of a round and the preparatory documents: due dates from the meeting pages, the
states due → ready → sent, regenerating, the e-mail to the participants (once per version),
who may open, generate and send a document (tested from the refused side), the schedule page
with its timeline and bounded queries, the minutes on a municipality's page, and the demo."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from portal.accounts import rules
from portal.accounts.models import Role
from portal.content.models import MeetingIndexPage, MeetingKind, MeetingPage, MinutesPage
from portal.register.models import County, Municipality
from skjema import meetings
from skjema.exceptions import InvalidTransition, NotAllowed
from skjema.models import (
    CountyShare,
    DocumentState,
    Notification,
    PreparatoryDocument,
    PreparatorySnapshot,
)

from . import meetings_support as support
from .meetings_support import DRAFT_TEXT, YEAR

# The shared fixtures, by assignment (an import would read as unused and redefined).
meeting_tree = support.meeting_tree
pages = support.pages
people = support.people
telemark = support.telemark

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def oslo_time(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def document_url(page, name="skjema:meeting-document"):
    return reverse(name, args=[YEAR, page.pk])


def login(client, user):
    client.force_login(user)
    return client


def telemark_document() -> PreparatoryDocument:
    return PreparatoryDocument.objects.select_related("current", "last_sent").get(
        county__number="40"
    )


# ---------------------------------------------------------------------------------------------
# rules


class TestRules:
    def test_who_may_open_a_county_meeting_document(self, users, counties):
        telemark = counties["40"]
        for who in ("imdi", "admin", "ks", "fylke_b"):
            assert rules.can_open_meeting_document(users[who], telemark), who
        for who in ("fylke_a", "editor", "editor2", "outsider"):
            assert not rules.can_open_meeting_document(users[who], telemark), who
        assert not rules.can_open_meeting_document(AnonymousUser(), telemark)
        users["ks"].is_active = False
        assert not rules.can_open_meeting_document(users["ks"], telemark)

    def test_only_imdi_prepares_documents(self, users):
        assert rules.can_prepare_meeting_documents(users["imdi"])
        assert rules.can_prepare_meeting_documents(users["admin"])
        for who in ("fylke_a", "fylke_b", "ks", "editor", "outsider"):
            assert not rules.can_prepare_meeting_documents(users[who]), who


# ---------------------------------------------------------------------------------------------
# due dates and the schedule


class TestDueDates:
    def test_due_three_weeks_before_the_meeting(self, current_round, pages):
        schedule = meetings.round_schedule(current_round)
        item = schedule.for_county(pages["telemark"].county)
        meeting_day = timezone.localdate(pages["telemark"].starts_at)
        assert item.due == meeting_day - datetime.timedelta(days=21)
        assert item.state == DocumentState.DUE
        assert [m.due for m in schedule.meetings if not m.is_county_meeting] == [None, None]

    def test_moving_the_meeting_in_wagtail_moves_the_due_date(self, current_round, pages):
        page = pages["telemark"]
        page.starts_at = oslo_time(2026, 10, 5, 9)
        page.save_revision().publish()
        item = meetings.round_schedule(current_round).for_county(page.county)
        assert item.due == datetime.date(2026, 9, 14)

    def test_the_day_is_the_norwegian_day(self, current_round, pages):
        page = pages["telemark"]
        page.starts_at = oslo_time(2026, 10, 5, 0, 30)  # 4 October 22.30 UTC
        page.save()
        assert meetings.due_date(page) == datetime.date(2026, 9, 14)

    def test_timeline_and_documents_due_in_the_next_30_days(self, current_round, pages):
        schedule = meetings.round_schedule(current_round)
        labels = [entry.label for entry in schedule.timeline]
        assert labels == [
            "Felles digitalt møte",
            "Samarbeidsmøte med Oslo",
            "Frist for fylkenes innspill",  # in 30 days; Oslo meets in 25
            "Samarbeidsmøte med Telemark",
            "Felles oppsummeringsmøte",
        ]
        # Oslo's document is due in 4 days, Telemark's in 39.
        assert [m.county.number for m in schedule.due_soon] == ["03"]
        later = meetings.round_schedule(current_round, today=timezone.localdate() + 10 * DAY)
        assert [m.county.number for m in later.due_soon] == ["03", "40"]
        assert later.due_soon[0].is_overdue
        assert not later.due_soon[1].is_overdue

    def test_schedule_makes_one_document_per_county_meeting_idempotently(
        self, current_round, pages
    ):
        first = meetings.schedule(current_round)
        assert sorted(d.county.number for d in first) == ["03", "40"]
        assert meetings.schedule(current_round) == first
        assert PreparatoryDocument.objects.count() == 2


# ---------------------------------------------------------------------------------------------
# states, regenerating, sending


class TestStates:
    def test_due_ready_sent_and_regenerated(
        self, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.schedule(telemark)
        assert telemark_document().state == DocumentState.DUE

        first = meetings.generate(pages["telemark"], imdi)
        document = telemark_document()
        assert (document.state, document.current, first.number) == (DocumentState.READY, first, 1)
        assert first.generated_by == imdi and first.sent_at is None

        with django_capture_on_commit_callbacks(execute=True):
            sending = meetings.mark_sent(document, imdi)
        document = telemark_document()
        assert document.state == DocumentState.SENT
        assert document.last_sent == first
        first.refresh_from_db()
        assert first.sent_by == imdi and first.sent_at is not None
        assert sending.first_time

        # A new version replaces the current one; the sent one stays as it was sent.
        CountyShare.objects.filter(round=telemark, county__number="40").update(share=350)
        second = meetings.generate(pages["telemark"], imdi)
        document = telemark_document()
        assert document.state == DocumentState.READY
        assert (document.current, document.last_sent) == (second, first)
        first.refresh_from_db()
        assert first.content["sum"]["share"] == 300
        assert second.content["sum"]["share"] == 350
        assert second.sent_at is None

        with django_capture_on_commit_callbacks(execute=True):
            meetings.mark_sent(document, imdi)
        assert telemark_document().state == DocumentState.SENT
        assert PreparatorySnapshot.objects.filter(document=document).count() == 2

    def test_sending_needs_a_generated_document(self, telemark, people):
        [document] = [d for d in meetings.schedule(telemark) if d.county.number == "40"]
        with pytest.raises(InvalidTransition):
            meetings.mark_sent(document, people["imdi"])

    @pytest.mark.parametrize("who", ["fylke_b", "ks", "editor", "outsider"])
    def test_only_imdi_generates_and_sends(self, telemark, pages, people, who):
        with pytest.raises(NotAllowed):
            meetings.generate(pages["telemark"], people[who])
        meetings.generate(pages["telemark"], people["imdi"])
        with pytest.raises(NotAllowed):
            meetings.mark_sent(telemark_document(), people[who])
        assert telemark_document().state == DocumentState.READY

    def test_only_county_meetings_of_an_existing_round(self, telemark, pages, people):
        with pytest.raises(InvalidTransition):
            meetings.generate(pages["june"], people["imdi"])
        page = pages["telemark"]
        page.round_year = 2031
        with pytest.raises(InvalidTransition):
            meetings.generate(page, people["imdi"])


class TestEmail:
    def test_participants_get_one_email_per_version(
        self, telemark, pages, people, make_user, counties, django_capture_on_commit_callbacks
    ):
        imdi = people["imdi"]
        meetings.generate(pages["telemark"], imdi)
        with django_capture_on_commit_callbacks(execute=True):
            meetings.mark_sent(telemark_document(), imdi)
        assert sorted(m.to[0] for m in mail.outbox) == ["fylke_b@example.no", "ks@example.no"]
        message = mail.outbox[0]
        assert message.subject == "Saksforberedende dokument: Samarbeidsmøte med Telemark"
        assert document_url(pages["telemark"]) in message.body
        assert "versjon 1" in message.body
        assert Notification.objects.filter(kind=Notification.Kind.DOCUMENT_SENT).count() == 2

        # Sending the same version again e-mails nobody twice, only a newcomer.
        newcomer = make_user(
            "fylke-b-ny", Role.COUNTY_OFFICER, counties["40"], email="ny@example.no"
        )
        with django_capture_on_commit_callbacks(execute=True):
            again = meetings.mark_sent(telemark_document(), imdi)
        assert [m.to for m in mail.outbox[2:]] == [[newcomer.email]]
        assert not again.first_time

        # A new version is a new message.
        meetings.generate(pages["telemark"], imdi)
        with django_capture_on_commit_callbacks(execute=True):
            meetings.mark_sent(telemark_document(), imdi)
        assert len(mail.outbox) == 3 + 3
        assert "versjon 2" in mail.outbox[-1].body

    def test_nothing_is_sent_when_the_transaction_rolls_back(
        self, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        meetings.generate(pages["telemark"], people["imdi"])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            meetings.mark_sent(telemark_document(), people["imdi"])
        assert callbacks  # the e-mails wait for the commit
        assert mail.outbox == []


# ---------------------------------------------------------------------------------------------
# pages


def ready_and_sent(pages, people, capture):
    meetings.generate(pages["telemark"], people["imdi"])
    with capture(execute=True):
        meetings.mark_sent(telemark_document(), people["imdi"])


class TestDocumentAccess:
    @pytest.mark.parametrize("who", ["fylke_a", "editor", "outsider", "fylke_b", "ks"])
    def test_before_sending_only_imdi(self, client, telemark, pages, people, who):
        meetings.generate(pages["telemark"], people["imdi"])
        for name in ("skjema:meeting-document", "skjema:meeting-document-docx"):
            response = login(client, people[who]).get(document_url(pages["telemark"], name))
            assert response.status_code == 404

    @pytest.mark.parametrize("who", ["fylke_a", "editor", "outsider"])
    def test_after_sending_not_other_counties_nor_outsiders(
        self, client, telemark, pages, people, who, django_capture_on_commit_callbacks
    ):
        ready_and_sent(pages, people, django_capture_on_commit_callbacks)
        for name in ("skjema:meeting-document", "skjema:meeting-document-docx"):
            response = login(client, people[who]).get(document_url(pages["telemark"], name))
            assert response.status_code == 404

    @pytest.mark.parametrize("who", ["fylke_b", "ks", "imdi", "admin"])
    def test_after_sending_the_participants_and_imdi(
        self, client, telemark, pages, people, who, django_capture_on_commit_callbacks
    ):
        ready_and_sent(pages, people, django_capture_on_commit_callbacks)
        response = login(client, people[who]).get(document_url(pages["telemark"]))
        assert response.status_code == 200
        assert "4003 Skien" in response.text

    def test_anonymous_is_sent_to_login(self, client, telemark, pages):
        for name in (
            "skjema:meeting-document",
            "skjema:meeting-document-docx",
            "skjema:meeting-document-generate",
            "skjema:meeting-document-send",
        ):
            url = document_url(pages["telemark"], name)
            response = client.post(url) if name.endswith(("generate", "send")) else client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
        assert not PreparatorySnapshot.objects.exists()

    def test_participants_see_the_sent_version_not_a_newer_one(
        self, client, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        ready_and_sent(pages, people, django_capture_on_commit_callbacks)
        CountyShare.objects.filter(round=telemark, county__number="40").update(share=350)
        meetings.generate(pages["telemark"], people["imdi"])
        url = document_url(pages["telemark"])
        county = login(Client(), people["fylke_b"]).get(url)
        assert "Versjon 1," in county.text and "300" in county.text
        assert login(Client(), people["fylke_b"]).get(url + "?versjon=2").status_code == 404
        imdi = login(Client(), people["imdi"]).get(url)
        assert "Versjon 2," in imdi.text and "350" in imdi.text
        assert "Deltakerne ser versjon 1" in imdi.text

    def test_other_meetings_and_rounds_are_not_found(self, client, telemark, pages, people):
        imdi = login(client, people["imdi"])
        assert imdi.get(document_url(pages["june"])).status_code == 404
        wrong_year = reverse("skjema:meeting-document", args=[YEAR + 1, pages["telemark"].pk])
        assert imdi.get(wrong_year).status_code == 404


class TestGenerateAndSendPages:
    @pytest.mark.parametrize("who, status", [("fylke_b", 403), ("ks", 403), ("fylke_a", 404)])
    def test_refused(self, client, telemark, pages, people, who, status):
        login(client, people[who])
        for name in ("skjema:meeting-document-generate", "skjema:meeting-document-send"):
            assert client.post(document_url(pages["telemark"], name)).status_code == status
        assert not PreparatorySnapshot.objects.exists()

    def test_get_is_not_allowed(self, client, telemark, pages, people):
        login(client, people["imdi"])
        url = document_url(pages["telemark"], "skjema:meeting-document-generate")
        assert client.get(url).status_code == 405

    def test_imdi_generates_and_sends_with_csrf_forms(
        self, telemark, pages, people, django_capture_on_commit_callbacks
    ):
        client = login(Client(enforce_csrf_checks=True), people["imdi"])
        generate_url = document_url(pages["telemark"], "skjema:meeting-document-generate")
        page = client.get(document_url(pages["telemark"]))
        assert page.status_code == 200
        assert "Dokumentet er ikke laget ennå" in page.text
        assert client.post(generate_url).status_code == 403  # no CSRF token
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

        response = client.post(generate_url, {"csrfmiddlewaretoken": token}, follow=True)
        assert "Dokumentet er laget (versjon 1)." in response.text
        assert "Godkjenn versjon 1 for utsending" in response.text
        assert "Send versjon 1 nå" in response.text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                document_url(pages["telemark"], "skjema:meeting-document-send"),
                {"csrfmiddlewaretoken": token},
                follow=True,
            )
        assert "Versjon 1 er sendt. 2 deltakere får e-post med lenke." in response.text
        assert len(mail.outbox) == 2
        assert telemark_document().state == DocumentState.SENT

    def test_sending_before_generating_says_so(self, client, telemark, pages, people):
        login(client, people["imdi"])
        url = document_url(pages["telemark"], "skjema:meeting-document-send")
        response = client.post(url, follow=True)
        assert "Lag dokumentet før du sender det." in response.text


class TestDocumentPage:
    def test_content_and_markup(self, client, telemark, pages, people):
        meetings.generate(pages["telemark"], people["imdi"])
        response = login(client, people["imdi"]).get(document_url(pages["telemark"]))
        html = response.text
        assert html.count("<h1") == 1
        assert "Skien har gode kvalifiseringstilbud og ledige boliger." in html
        assert "Hvilket kull gjelder resultatet?" in html
        assert "Endringer siden 2026" in html
        assert DRAFT_TEXT not in html
        assert html.count("<table") == html.count("<caption>")
        assert "<th>" not in html  # every header cell has a scope

    def test_docx_download(self, client, telemark, pages, people):
        meetings.generate(pages["telemark"], people["imdi"])
        url = document_url(pages["telemark"], "skjema:meeting-document-docx")
        response = login(client, people["imdi"]).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
        assert 'filename="saksforberedende-2027-40-v1.docx"' in response["Content-Disposition"]
        parsed = Document(io.BytesIO(response.content))
        assert "4003 Skien" in [p.text for p in parsed.paragraphs]

    def test_query_count_is_bounded(
        self, client, telemark, pages, people, django_assert_max_num_queries
    ):
        meetings.generate(pages["telemark"], people["imdi"])
        login(client, people["imdi"])
        with django_assert_max_num_queries(12):
            assert client.get(document_url(pages["telemark"])).status_code == 200


class TestSchedulePage:
    @pytest.mark.parametrize("who", ["imdi", "ks", "admin"])
    def test_shown_to_imdi_and_ks(self, client, telemark, pages, people, who):
        meetings.generate(pages["telemark"], people["imdi"])
        response = login(client, people[who]).get(reverse("skjema:round-meetings", args=[YEAR]))
        assert response.status_code == 200
        html = response.text
        assert html.count("<h1") == 1
        assert html.count("<table") == html.count("<caption>") == 3
        assert "<th>" not in html
        assert "Samarbeidsmøte med Telemark" in html
        assert "Klart, ikke sendt" in html
        assert "Dokumenter som skal sendes de neste 30 dagene (1)" in html
        assert ("Lag dokumentet" in html) is (who != "ks")

    @pytest.mark.parametrize("who", ["fylke_b", "editor", "outsider"])
    def test_refused(self, client, current_round, pages, people, who):
        url = reverse("skjema:round-meetings", args=[YEAR])
        assert login(client, people[who]).get(url).status_code == 403

    def test_anonymous_is_sent_to_login(self, client, current_round):
        response = client.get(reverse("skjema:round-meetings", args=[YEAR]))
        assert response.status_code == 302

    def test_query_count_does_not_grow_with_meetings(
        self, client, telemark, pages, people, django_assert_max_num_queries
    ):
        meetings.generate(pages["telemark"], people["imdi"])
        login(client, people["imdi"])
        url = reverse("skjema:round-meetings", args=[YEAR])
        client.get(url)  # warm the site-root cache that page URLs use
        with django_assert_max_num_queries(12) as before:
            assert client.get(url).status_code == 200
        index = MeetingIndexPage.objects.get(pk=support_index(pages))
        for number in ("11", "15", "18", "42", "46"):
            county = County.objects.get(number=number)
            index.add_child(
                instance=MeetingPage(
                    title=f"Samarbeidsmøte {number}",
                    slug=f"mote-{number}",
                    round_year=YEAR,
                    kind=MeetingKind.COUNTY_COOPERATION,
                    county=county,
                    starts_at=timezone.now() + 40 * DAY,
                )
            )
            meetings.generate(MeetingPage.objects.get(slug=f"mote-{number}"), people["imdi"])
        with django_assert_max_num_queries(len(before.captured_queries)):
            assert client.get(url).status_code == 200


def support_index(pages) -> int:
    return pages["telemark"].get_parent().pk


# ---------------------------------------------------------------------------------------------
# minutes on the municipality page


def add_minutes(meeting, title, municipalities, *, live=True):
    minutes = MinutesPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        live=live,
        approved_date=timezone.localdate(),
        body=[{"type": "paragraph", "value": "<p>Referat.</p>"}],
    )
    meeting.add_child(instance=minutes)
    minutes.municipalities.set(municipalities)
    minutes.save()
    return minutes


class TestMinutesForMunicipality:
    TEMPLATE = Template("{% load meeting_tags %}{% minutes_for_municipality municipality %}")

    def render(self, rf, user, municipality):
        request = rf.get("/")
        request.user = user
        return self.TEMPLATE.render(Context({"request": request, "municipality": municipality}))

    def test_lists_the_live_minutes_that_concern_it(self, rf, pages, people):
        skien = Municipality.objects.get(number="4003")
        oslo = Municipality.objects.get(number="0301")
        add_minutes(pages["telemark"], "Referat Telemark", [skien])
        add_minutes(pages["june"], "Referat juni", [skien, oslo])
        add_minutes(pages["oslo"], "Referat utkast", [skien], live=False)

        # Minutes are for the meetings' participants by default (issue 13): KS takes part in all.
        assert "Referat Telemark" not in self.render(rf, AnonymousUser(), skien)
        html = self.render(rf, people["ks"], skien)
        assert html.count("<h2") == 1
        assert "Referat Telemark" in html and "Referat juni" in html
        assert "Referat utkast" not in html
        assert html.index("Referat Telemark") < html.index("Referat juni")  # newest meeting first
        assert "Samarbeidsmøte med fylket" in html

        assert "Referat Telemark" not in self.render(rf, people["fylke_a"], oslo)

    def test_none(self, rf, register, people):
        html = self.render(rf, people["outsider"], Municipality.objects.get(number="4003"))
        assert "Ingen referater du har tilgang til, gjelder Skien." in html

    def test_query_count_is_bounded(self, rf, pages, people, django_assert_max_num_queries):
        skien = Municipality.objects.get(number="4003")
        for key in ("june", "oslo", "telemark", "november"):
            add_minutes(pages[key], f"Referat {key}", [skien])
        with django_assert_max_num_queries(6):
            self.render(rf, people["imdi"], skien)


# ---------------------------------------------------------------------------------------------
# demo


def test_demo_meetings_are_scheduled_with_one_document_ready_and_idempotent(telemark, pages, users):
    # All the demo's county meetings have passed: the demo moves them ahead of today.
    for key in ("oslo", "telemark"):
        page = pages[key]
        page.starts_at = timezone.now() - 30 * DAY
        page.ends_at = page.starts_at + datetime.timedelta(hours=3)
        page.save()

    result = meetings.build_demo_meetings(YEAR)
    assert result == {"round": YEAR, "scheduled": 2, "moved": 2, "ready": "40"}
    schedule = meetings.round_schedule(telemark)
    assert {m.county.number: m.state for m in schedule.county_meetings} == {
        "03": DocumentState.DUE,
        "40": DocumentState.READY,
    }
    assert all(m.meeting.starts_at > timezone.now() for m in schedule.county_meetings)
    assert schedule.due_soon  # the round reads as mid-way

    counts = (PreparatoryDocument.objects.count(), PreparatorySnapshot.objects.count())
    again = meetings.build_demo_meetings(YEAR)
    assert again == {"round": YEAR, "scheduled": 0, "moved": 0, "ready": None}
    assert (PreparatoryDocument.objects.count(), PreparatorySnapshot.objects.count()) == counts
