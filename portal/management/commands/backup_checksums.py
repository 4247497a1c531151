"""``manage.py backup_checksums``: counts and checksums of the data a backup must bring back
(submissions, versions, section edits, allocations, capacity, documents with their files).

Two databases restored from the same backup print the same lines; scripts/ops/restore.sh and
the CI step compare them with the manifest. The search index is not here: it is rebuilt."""

import hashlib
import json

from django.core.management.base import BaseCommand
from wagtail.documents import get_document_model

from plassering.models import Allocation, Capacity
from skjema.models import SectionEdit, Submission, Version


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _table(queryset, fields) -> dict:
    digest = hashlib.sha256()
    count = 0
    for row in queryset.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
        digest.update(_canonical(row).encode())
        digest.update(b"\n")
        count += 1
    return {"count": count, "sha256": digest.hexdigest()}


def _documents() -> dict:
    """Rows and the bytes of every file: a restored row whose file is missing shows here."""
    digest = hashlib.sha256()
    count = missing = 0
    documents = get_document_model().objects.order_by("pk")
    for document in documents.iterator(chunk_size=500):
        digest.update(_canonical([document.pk, document.title, document.file.name]).encode())
        try:
            with document.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 16), b""):  # noqa: B023
                    digest.update(chunk)
        except FileNotFoundError:
            missing += 1
            digest.update(b"<missing>")
        digest.update(b"\n")
        count += 1
    return {"count": count, "sha256": digest.hexdigest(), "missing_files": missing}


def checksums() -> dict:
    return {
        "submissions": _table(
            Submission.objects.all(),
            [
                "pk",
                "kind",
                "round_id",
                "county_id",
                "municipality_id",
                "status",
                "section_state",
                "updated_at",
                "last_submitted_at",
            ],
        ),
        "versions": _table(
            Version.objects.all(), ["pk", "submission_id", "number", "data", "created_at"]
        ),
        "section_edits": _table(
            SectionEdit.objects.all(), ["pk", "submission_id", "section", "data", "at"]
        ),
        "allocations": _table(
            Allocation.objects.all(),
            ["pk", "round_id", "municipality_id", "household_id", "persons", "status"],
        ),
        "capacities": _table(
            Capacity.objects.all(), ["pk", "round_id", "municipality_id", "decided", "updated_at"]
        ),
        "documents": _documents(),
    }


class Command(BaseCommand):
    help = (
        "Skriver antall og sjekksummer for innsendinger, versjoner, endringer, tildelinger, "
        "kapasitet og dokumenter (med filene), for å sammenligne en sikkerhetskopi med "
        "databasen den kom fra."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Skriv JSON i stedet for tekst.")

    def handle(self, *args, **options):
        result = checksums()
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, sort_keys=True))
            return
        for name, values in result.items():
            extra = (
                f"  manglende filer={values['missing_files']}" if "missing_files" in values else ""
            )
            self.stdout.write(
                f"{name:<14} antall={values['count']:<6} sha256={values['sha256']}{extra}"
            )
