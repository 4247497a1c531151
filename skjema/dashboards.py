"""Query helpers for IMDi's round dashboard: status counts per county, completeness per section,
late submissions, and recommended numbers against the counties' shares and the national need.

Each helper costs a fixed number of queries, however many municipalities the round has. Nothing
here reads a draft's content: drafts count only as numbers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from portal.register.models import County, Municipality

from .models import CountyShare, Round, Status, Submission
from .models.submissions import AWAITING_REVIEW_STATES, SUBMITTED_STATES
from .reading.versions import latest_versions
from .sections import Section, ValidationContext, sections_for, validate_data

STATUS_ORDER = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.RESUBMITTED,
    Status.ACCEPTED,
]


# ---------------------------------------------------------------------------------------------
# status counts


@dataclass
class CountyStatusRow:
    county: County
    counts: list[int]  # in STATUS_ORDER
    total: int
    county_submission_status: str = ""

    @property
    def county_submission_label(self) -> str:
        if not self.county_submission_status:
            return ""
        return str(Status(self.county_submission_status).label)


@dataclass
class StatusTable:
    rows: list[CountyStatusRow]
    totals: list[int]
    total: int
    statuses: list[Status] = field(default_factory=lambda: list(STATUS_ORDER))


def status_table(round_: Round, counties: list[County]) -> StatusTable:
    """Municipality profiles per county and status, and each county submission's status."""
    profile_counts: dict[int, dict[str, int]] = defaultdict(dict)
    county_status: dict[int, str] = {}
    rows = (
        Submission.objects.filter(round=round_)
        .values("county_id", "kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        if row["kind"] == Submission.Kind.PROFILE:
            profile_counts[row["county_id"]][row["status"]] = row["n"]
        else:
            county_status[row["county_id"]] = row["status"]
    table_rows = []
    totals = [0] * len(STATUS_ORDER)
    for county in counties:
        counts = [profile_counts[county.pk].get(status, 0) for status in STATUS_ORDER]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        table_rows.append(
            CountyStatusRow(county, counts, sum(counts), county_status.get(county.pk, ""))
        )
    return StatusTable(table_rows, totals, sum(totals))


# ---------------------------------------------------------------------------------------------
# completeness


@dataclass
class SectionCompleteness:
    section: Section
    filled: int
    valid: int
    of: int

    @property
    def filled_percent(self) -> int | None:
        return round(100 * self.filled / self.of) if self.of else None

    @property
    def valid_percent(self) -> int | None:
        return round(100 * self.valid / self.of) if self.of else None


def _filled(section: Section, value) -> bool:
    if section.is_repeating:
        return bool(value)
    return any(v not in (None, "", []) for v in (value or {}).values())


def section_completeness(round_: Round) -> list[SectionCompleteness]:
    """Per profile section, over every profile with a submitted version (its latest version):
    how many have the section filled in (at least one row; any field for single sections), and
    how many have no validation problems in it against the round's register.

    Submitting validates everything, so "without problems" falls below 100 % only when the
    register or the rules changed after submitting; "filled in" is what tells IMDi how much
    the counties report (an empty list of cooperations is allowed, and common). Two queries."""
    numbers = Municipality.objects.in_structure(round_.structure).values_list(
        "number", "county__number"
    )
    valid_municipalities: set[str] = set()
    by_county: dict[str, set[str]] = defaultdict(set)
    for number, county_number in numbers:
        valid_municipalities.add(number)
        if county_number:
            by_county[county_number].add(number)
    sections = sections_for(Submission.Kind.PROFILE)
    filled = dict.fromkeys((s.key for s in sections), 0)
    valid = dict.fromkeys((s.key for s in sections), 0)
    versions = latest_versions(round_=round_, kind=Submission.Kind.PROFILE).values_list(
        "data", "submission__county__number", "submission__municipality__number"
    )
    total = 0
    for data, county_number, municipality_number in versions:
        total += 1
        context = ValidationContext(
            kind=Submission.Kind.PROFILE,
            county_number=county_number,
            municipality_number=municipality_number or "",
            valid_municipalities=valid_municipalities,
            county_municipalities=by_county[county_number],
        )
        with_problems = {problem.section for problem in validate_data(data or {}, context)}
        for section in sections:
            filled[section.key] += _filled(section, (data or {}).get(section.key))
            valid[section.key] += section.key not in with_problems
    return [SectionCompleteness(s, filled[s.key], valid[s.key], total) for s in sections]


# ---------------------------------------------------------------------------------------------
# late and awaiting review


def late_submissions(round_: Round):
    """Submissions whose latest submitting came after the deadline, oldest first."""
    return (
        Submission.objects.filter(round=round_, is_late=True, status__in=SUBMITTED_STATES)
        .select_related("county", "municipality")
        .order_by("last_submitted_at", "pk")
    )


def awaiting_review(round_: Round):
    """IMDi's work list: submitted or resubmitted, longest waiting first."""
    return (
        Submission.objects.filter(round=round_, status__in=AWAITING_REVIEW_STATES)
        .select_related("county", "municipality")
        .order_by("last_submitted_at", "pk")
    )


# ---------------------------------------------------------------------------------------------
# recommended numbers


@dataclass
class RecommendationRow:
    county: County
    status: str  # the county submission's status, "" when the county has none
    recommended: int | None  # None: no submitted version yet
    municipalities: int  # how many municipalities got a number
    share: int | None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else ""

    @property
    def difference(self) -> int | None:
        if self.recommended is None or self.share is None:
            return None
        return self.recommended - self.share

    @property
    def percent_of_share(self) -> int | None:
        if self.recommended is None or not self.share:
            return None
        return round(100 * self.recommended / self.share)


@dataclass
class RecommendationTable:
    rows: list[RecommendationRow]
    national_need: int | None
    recommended_total: int
    shares_total: int

    @property
    def difference(self) -> int | None:
        if self.national_need is None:
            return None
        return self.recommended_total - self.national_need

    @property
    def shares_difference(self) -> int | None:
        if self.national_need is None:
            return None
        return self.shares_total - self.national_need


def recommendation_table(round_: Round, counties: list[County]) -> RecommendationTable:
    """Sum of recommended numbers in each county's latest submitted version, against the
    county's share and the national need. Two queries."""
    shares = dict(
        CountyShare.objects.filter(round=round_).values_list("county_id", "share").order_by()
    )
    submitted: dict[int, tuple[str, list]] = {}
    versions = latest_versions(round_=round_, kind=Submission.Kind.COUNTY).values_list(
        "submission__county_id", "submission__status", "data"
    )
    for county_id, status, data in versions:
        submitted[county_id] = (status, (data or {}).get("recommendations") or [])
    rows = []
    for county in counties:
        share = shares.get(county.pk)
        if county.pk in submitted:
            status, recommendations = submitted[county.pk]
            numbers = [r.get("number") for r in recommendations if r.get("number") is not None]
            rows.append(RecommendationRow(county, status, sum(numbers), len(numbers), share))
        elif share is not None:
            rows.append(RecommendationRow(county, "", None, 0, share))
    return RecommendationTable(
        rows,
        round_.national_need,
        sum(row.recommended or 0 for row in rows),
        sum(shares.values()),
    )


# ---------------------------------------------------------------------------------------------
# the whole overview


@dataclass
class RoundOverview:
    round: Round
    statuses: StatusTable
    completeness: list[SectionCompleteness]
    submitted_profiles: int
    late: list[Submission]
    awaiting: list[Submission]
    recommendations: RecommendationTable
    not_submitted_after_deadline: int


def round_overview(round_: Round, *, now=None) -> RoundOverview:
    counties = list(round_.counties().order_by("number"))
    statuses = status_table(round_, counties)
    completeness = section_completeness(round_)
    draft_column = STATUS_ORDER.index(Status.DRAFT)
    missing = 0
    if round_.is_past_deadline(now):
        missing = statuses.totals[draft_column] + sum(
            1 for row in statuses.rows if row.county_submission_status == Status.DRAFT
        )
    return RoundOverview(
        round=round_,
        statuses=statuses,
        completeness=completeness,
        submitted_profiles=completeness[0].of if completeness else 0,
        late=list(late_submissions(round_)),
        awaiting=list(awaiting_review(round_)),
        recommendations=recommendation_table(round_, counties),
        not_submitted_after_deadline=missing,
    )
