"""Versions: the latest and previous version of a submission, the latest of many at once, and
the one lineage of earlier municipality codes (kept by the register) that profile history,
carry-forward, preparatory documents and search all follow."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from portal.register.lineage import codes_resolving_to
from portal.register.models import County, Municipality

from ..models import Round, Submission, Version
from ..models.submissions import SUBMITTED_STATES, Status


def earlier_codes(*, municipality: Municipality) -> set[int]:
    """Ids of ``municipality`` and of every code whose profile it continues (renumbering,
    merger, and split: 3101 Halden continues 3001 Halden). One query."""
    return codes_resolving_to(municipality, through_splits=True)


def latest_version(*, submission: Submission) -> Version | None:
    """The newest submitted version of ``submission``, or None. One query."""
    return submission.versions.select_related("created_by").order_by("-number").first()


def latest_versions(*, round_: Round, kind: str) -> QuerySet:
    """The latest version of every submission of ``kind`` in ``round_``. One query."""
    newest = (
        Version.objects.filter(submission=OuterRef("submission"))
        .order_by("-number")
        .values("number")[:1]
    )
    return Version.objects.filter(
        submission__round=round_, submission__kind=kind, number=Subquery(newest)
    )


def latest_by_submission(*, submissions) -> dict[int, Version]:
    """{submission id: its latest version} for these submissions (ids or objects). One query."""
    ids = [getattr(s, "pk", s) for s in submissions]
    latest: dict[int, Version] = {}
    for version in Version.objects.filter(submission_id__in=ids).order_by(
        "submission_id", "-number"
    ):
        latest.setdefault(version.submission_id, version)
    return latest


def _latest_from_earlier_rounds(submissions, before_year: int) -> Version | None:
    """The newest round's latest version among these submissions: accepted ones first, else
    the latest submitted. Two queries."""
    candidates = list(
        submissions.filter(round__year__lt=before_year, status__in=SUBMITTED_STATES)
        .select_related("round")
        .order_by("-round__year")
    )
    ordered = [c for c in candidates if c.status == Status.ACCEPTED] + [
        c for c in candidates if c.status != Status.ACCEPTED
    ]
    latest = latest_by_submission(submissions=ordered)
    for candidate in ordered:
        if candidate.pk in latest:
            version = latest[candidate.pk]
            version.submission = candidate
            return version
    return None


def previous_version(*, municipality: Municipality, before_year: int) -> Version | None:
    """The latest accepted (else latest submitted) version of this municipality's profile in an
    earlier round, following the code history (3101 Halden finds 3001 Halden's profile).
    Three queries."""
    return _latest_from_earlier_rounds(
        Submission.objects.filter(
            kind=Submission.Kind.PROFILE,
            municipality_id__in=earlier_codes(municipality=municipality),
        ),
        before_year,
    )


def previous_county_version(*, county: County, before_year: int) -> Version | None:
    """The county submission's latest accepted (else submitted) version in an earlier round."""
    return _latest_from_earlier_rounds(
        Submission.objects.filter(kind=Submission.Kind.COUNTY, county=county), before_year
    )
