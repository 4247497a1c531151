"""Each notification e-mail carries one Message-ID, the same on every attempt, so a test SMTP
server (the load test's) or a mail system can count a retried e-mail once."""

import pytest
from django.core import mail

from skjema import notifications
from skjema.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(users, settings):
    settings.PORTAL_BASE_URL = "https://bosetting.example.no"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = users["fylke_a"]
    user.email = "fylke-a@example.no"
    user.save()
    return Notification.objects.create(
        recipient=user,
        kind=Notification.Kind.ACCEPTED,
        dedupe_key="ops-test:1",
        subject="Godkjent",
        body="Profilen er godkjent.",
    )


def test_the_message_id_names_the_row_under_the_portals_host(row):
    assert notifications.deliver([row.pk]) == 1
    (message,) = mail.outbox
    assert message.message()["Message-ID"] == f"<varsel-{row.pk}@bosetting.example.no>"


def test_a_retry_after_a_refused_send_keeps_the_same_message_id(row, settings):
    settings.EMAIL_BACKEND = "tests.skjema.test_notifications.FailingBackend"
    assert notifications.deliver([row.pk]) == 0
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.deliver([row.pk]) == 1
    assert [m.message()["Message-ID"] for m in mail.outbox] == [notifications.message_id(row.pk)]
