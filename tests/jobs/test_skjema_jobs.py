"""skjema's jobs: e-mail leaves the request and is retried with backoff when the mail server
is down; replaced plan documents are deleted by the clean-up job, submitted ones kept."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks.base import TaskResultStatus as Status
from django_tasks_db.models import DBTaskResult
from wagtail.documents import get_document_model

from portal.jobs.worker import claim_next, execute
from skjema import plan_documents
from skjema.models import CountySubmission, Notification
from skjema.notifications import notify
from skjema.tasks import delete_replaced_plan_documents, plan_documents_to_delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JOBS_SCHEDULE = {}


def _notify(user):
    user.email = "fylke-b@example.no"
    user.save(update_fields=["email"])
    return notify([user], Notification.Kind.DOCUMENT_SENT, "test:1", "Emne", "Tekst.", "/")


def test_notify_sends_nothing_in_the_callers_request(
    db_backend, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(users["fylke_b"])
    assert mail.outbox == []
    job = DBTaskResult.objects.get()
    assert job.task_path == "skjema.tasks.deliver_notifications"
    outcome = execute(claim_next(worker_id="w"), worker_id="w", isolation="inline")
    assert outcome.status == "successful"
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == Notification.Status.SENT


def test_a_dead_mail_server_is_retried_with_backoff(
    db_backend, settings, users, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        _notify(users["fylke_b"])
    before = timezone.now()
    outcome = execute(claim_next(worker_id="w"), worker_id="w", isolation="inline")
    job = DBTaskResult.objects.select_related("job_state").get()
    row = Notification.objects.get()
    assert outcome.status == "retry"
    assert row.status == Notification.Status.FAILED and row.error
    assert job.status == Status.READY
    assert job.run_after - before >= datetime.timedelta(seconds=59)
    assert "ikke sendt" in job.job_state.errors[0]["error"]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = job.run_after + datetime.timedelta(seconds=1)
    assert execute(
        claim_next(worker_id="w", now=later), worker_id="w", isolation="inline"
    ).status == ("successful")
    assert Notification.objects.get().status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def _plan(user, name, days_old):
    document = get_document_model().objects.create(
        title=name,
        file=ContentFile(b"%PDF-1.7\n", name=f"{name}.pdf"),
        uploaded_by_user=user,
        collection=plan_documents.collection(),
    )
    get_document_model().objects.filter(pk=document.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_old)
    )
    return document


def test_replaced_plan_documents_are_deleted_and_current_ones_kept(users, opened, counties):
    user = users["fylke_b"]
    replaced = _plan(user, "gammel", days_old=30)
    fresh = _plan(user, "ny-opplasting", days_old=0)
    current = _plan(user, "gjeldende", days_old=30)
    CountySubmission.objects.filter(round=opened, county=counties["40"]).update(
        plan_document=current
    )
    other = get_document_model().objects.create(
        title="Veileder", file=ContentFile(b"%PDF-1.7\n", name="veileder.pdf")
    )
    get_document_model().objects.filter(pk=other.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert set(plan_documents_to_delete()) == {replaced}
    path = replaced.file.path
    result = delete_replaced_plan_documents.enqueue()
    assert result.return_value == 1
    remaining = set(get_document_model().objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, current.pk, other.pk}
    import os

    assert not os.path.exists(path)
