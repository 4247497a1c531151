"""A workbook upload is parsed in a job: the page returns at once and waits for the worker."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal.jobs.models import JobFile
from portal.jobs.worker import Worker
from skjema.models import PendingImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
pytestmark = pytest.mark.django_db


@pytest.fixture
def db_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JOBS_SCHEDULE = {}


def _upload(client, year, content):
    upload = SimpleUploadedFile("arbeidsbok.xlsx", content, XLSX)
    return client.post(reverse("skjema:spreadsheet", args=[year]), {"workbook": upload})


def test_the_upload_waits_for_the_worker_then_shows_the_preview(db_backend, client, opened, users):
    client.force_login(users["fylke_b"])
    workbook = client.get(reverse("skjema:spreadsheet-download", args=[opened.year])).content
    response = _upload(client, opened.year, workbook)
    assert response.status_code == 302
    assert "/regneark/sjekker/" in response.url
    waiting = client.get(response.url)
    assert waiting.status_code == 200
    assert "Sjekker arbeidsboken" in waiting.content.decode()
    assert '<meta http-equiv="refresh"' in waiting.content.decode()
    assert not PendingImport.objects.exists()

    assert Worker(isolation="inline").run(batch=True) >= 1  # Wagtail may queue its own jobs too
    parse = DBTaskResult.objects.get(task_path="skjema.tasks.preview_workbook_upload")
    assert parse.status == TaskResultStatus.SUCCESSFUL, parse.traceback
    done = client.get(response.url)
    pending = PendingImport.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("skjema:spreadsheet-preview", args=[opened.year, pending.token])
    assert JobFile.objects.get().data is None  # the bytes are dropped once read


def test_another_user_cannot_follow_someone_elses_upload(db_backend, client, opened, users):
    client.force_login(users["fylke_b"])
    response = _upload(client, opened.year, b"PK\x03\x04 not really")
    client.force_login(users["fylke_a"])
    assert client.get(response.url).status_code == 404


def test_a_job_that_fails_for_good_says_so(db_backend, client, opened, users):
    client.force_login(users["fylke_b"])
    response = _upload(client, opened.year, io.BytesIO(b"PK\x03\x04").getvalue())
    job_file = JobFile.objects.get()
    DBTaskResult.objects.filter(pk=job_file.job_id).update(
        status=TaskResultStatus.FAILED, traceback="JobTimeLimitExceeded: for lang tid"
    )
    page = client.get(response.url)
    assert page.status_code == 400
    assert "tids- eller minnegrensen" in page.content.decode()
