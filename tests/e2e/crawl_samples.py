"""One real value for each URL argument, taken from the demo: ``demo_samples()`` in a test's
own database (tests/test_authorisation_matrix.py), or ``print_demo_samples()`` as JSON inside
the e2e server's database (``manage.py shell``, tests/e2e/test_crawl.py). The county officer is
the officer of a county whose profile has been submitted, so receipts, versions and meeting
documents exist for them."""

import json

from django.db.models import Count
from wagtail.documents import get_document_model
from wagtail.models import Page

from plassering.models import Allocation, Batch, BatchProposal, Household
from portal.content.models.meetings import MeetingKind, MeetingPage
from portal.demo import demo_round_year
from skjema.models import Submission, Version
from skjema.sections import COUNTY_SECTIONS, PROFILE_SECTIONS


def demo_samples() -> dict:
    year = demo_round_year()
    version = (
        Version.objects.filter(submission__round__year=year, submission__kind="profile")
        .annotate(n=Count("submission__versions"))
        .order_by("-n", "submission__county__number", "number")
        .select_related("submission__county", "submission__municipality")
        .first()
    )
    submission = version.submission
    county = submission.county
    others = list(Version.objects.filter(submission=submission).order_by("number"))
    draft = (
        Submission.objects.filter(round__year=year, kind="profile", county=county, status="draft")
        .select_related("municipality")
        .order_by("municipality__number")
        .first()
    )
    meeting = (
        MeetingPage.objects.live()
        .filter(round_year=year, kind=MeetingKind.COUNTY_COOPERATION, county=county)
        .first()
    )
    pages = {}
    for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        pages.setdefault(type(page).__name__, page.url)
    household = Household.objects.order_by("pk").first()
    allocation = Allocation.objects.order_by("pk").first()
    batch = Batch.objects.order_by("pk").first()
    proposal = BatchProposal.objects.filter(batch=batch).order_by("pk").first() if batch else None
    document = get_document_model().objects.order_by("pk").first()
    guidance = Page.objects.live().filter(depth__gt=2).order_by("path").first()

    return {
        "county_officer": f"fylke-{county.number}",
        "samples": {
            "year": year,
            "county_number": county.number,
            "municipality_number": submission.municipality.number,
            "draft_municipality_number": (draft or submission).municipality.number,
            "profile_section": PROFILE_SECTIONS[0].key,
            "county_section": COUNTY_SECTIONS[0].key,
            "version_id": version.pk,
            "submission_id": submission.pk,
            "a_id": others[0].pk,
            "b_id": others[-1].pk,
            "meeting_id": meeting.pk if meeting else None,
            "pk": household.pk if household else None,
            "allocation_id": allocation.pk if allocation else None,
            "action": "withdraw",
            "batch_id": batch.pk if batch else None,
            "proposal_id": proposal.pk if proposal else None,
            "page_id": guidance.pk,
        },
        "content_pages": pages,
        "document": document.url if document else None,
        "profile_pk": Submission.objects.filter(round__year=year).order_by("pk").first().pk,
    }


def print_demo_samples() -> None:
    print(json.dumps(demo_samples()))
