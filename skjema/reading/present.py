"""The one presenter of a version (or a working copy): its sections with labels and display
values, the comments that belong to them, and the county's recommendation total. Used by the
submission pages, receipts, review, API, exports, preparatory documents and search.

Also the bulk reads the apps above need: for a round, the latest published profile of every
municipality, presented, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from portal.accounts import rules
from portal.register.models import Municipality

from ..forms import ROW_NOUNS
from ..models import CountyShare, MunicipalityProfile, Round, Submission, Version
from ..models.submissions import SUBMITTED_STATES
from ..sections import CodeNames, Section, display_value, sections_for, serialize
from .access import published_profiles
from .versions import latest_by_submission, latest_versions


@dataclass
class Item:
    field: str
    label: str
    value: str
    url: str = ""
    comments: list = field(default_factory=list)


@dataclass
class Row:
    index: int
    uid: str
    legend: str  # «Tilbud 1: Norsk med praksis»
    label: str  # the row's label field shown, or «Rad 1»
    items: list[Item]

    @property
    def fields(self) -> list[Item]:
        return self.items


@dataclass
class ReadSection:
    section: Section
    items: list[Item] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    comments: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return str(self.section.title)

    @property
    def number(self) -> int:
        return self.section.number

    @property
    def is_repeating(self) -> bool:
        return self.section.is_repeating

    @property
    def fields(self) -> list[Item]:
        return self.items

    @property
    def is_empty(self) -> bool:
        if self.is_repeating:
            return not self.rows
        return all(item.value == "–" for item in self.items)


def plan_documents(*, kind: str, data_list) -> dict[int, Any]:
    """The county plans' uploaded documents for these versions' data: one query, none if no
    plan document is named."""
    if kind != Submission.Kind.COUNTY:
        return {}
    ids = {
        (data.get("plans") or {}).get("plan_document") for data in data_list if data is not None
    } - {None, ""}
    if not ids:
        return {}
    from wagtail.documents import get_document_model

    return {doc.pk: doc for doc in get_document_model().objects.filter(pk__in=ids)}


def present_sections(
    *,
    kind: str,
    data: dict | None,
    names: CodeNames | None = None,
    documents: dict | None = None,
    review_style: bool = False,
) -> list[ReadSection]:
    """Every section of ``data`` (a version's or a working copy's plain data) with labels and
    display values, in a fixed number of queries: one per kind of register reference (shared
    through ``names``), one for the plan document (none when ``documents`` is given).

    ``review_style`` keeps the review pages' values as they have always been shown: decimals
    with a point, and a plan document that cannot be found shown by its id."""
    names = names or CodeNames()
    data = data or {}
    if documents is None:
        documents = plan_documents(kind=kind, data_list=[data])

    def item(section: Section, name: str, values: dict) -> Item:
        value = values.get(name)
        label = section.field_label(name, kind)
        if name == "plan_document":
            document = documents.get(value) if value else None
            if document is None:
                if review_style and value:
                    return Item(name, label, display_value(section, name, value, kind, names))
                return Item(name, label, "–")
            return Item(name, label, document.title, document.url)
        shown = display_value(section, name, value, kind, names)
        if not review_style and isinstance(section.model_field(name, kind), models.DecimalField):
            shown = shown.replace(".", ",")  # Norwegian decimal comma
        return Item(name, label, shown)

    presented = []
    for section in sections_for(kind):
        values = data.get(section.key)
        read = ReadSection(section)
        if section.is_repeating:
            for index, row in enumerate(values or []):
                items = [item(section, name, row) for name in section.fields]
                legend = f"{ROW_NOUNS.get(section.key, _('Rad'))} {index + 1}"
                label_item = next((i for i in items if i.field == section.row_label_field), None)
                if label_item is not None and label_item.value != "–":
                    legend = f"{legend}: {label_item.value}"
                label_value = row.get(section.row_label_field) if section.row_label_field else None
                if label_value in (None, "", []):
                    label = f"Rad {index + 1}"
                else:
                    label = display_value(
                        section, section.row_label_field, label_value, kind, names
                    )
                read.rows.append(Row(index, row.get("uid") or "", legend, label, items))
        else:
            read.items = [item(section, name, values or {}) for name in section.fields]
        presented.append(read)
    return presented


def attach_comments(*, sections: list[ReadSection], comments) -> list[ReadSection]:
    """Put each comment on its section (``section.comments``); returns ``sections``."""
    for read in sections:
        read.comments = [c for c in comments if c.section == read.key]
    return sections


def recommended_total(*, data: dict | None) -> int:
    """The sum of the county's recommended numbers in ``data`` (rows without a number count
    as nothing)."""
    return sum(
        row.get("number") or 0
        for row in (data or {}).get("recommendations") or []
        if isinstance(row.get("number"), int)
    )


# ---------------------------------------------------------------------------------------------
# what one reader sees of one submission


@dataclass
class Reading:
    """The content shown to one reader, and the state that goes with it."""

    view: str  # "working_copy" or "latest_version"
    sections: dict
    latest_version: Version | None
    base_edits: dict | None = None
    section_state: dict | None = None
    comments: list = field(default_factory=list)
    county_share: int | None = None
    recommended_total: int = 0


def read_submission(*, submission: Submission, user) -> Reading:
    """The county's own officers read the working copy, with the base edit per section they
    need to save without overwriting anyone. Everyone else reads the latest submitted version:
    a returned submission that the county is correcting shows what was last sent in."""
    from ..services import latest_edit_ids

    latest = submission.versions.select_related("created_by").order_by("-number").first()
    comments = list(submission.review_comments.select_related("by", "version"))
    if rules.can_view_county_drafts(user, submission.county):
        reading = Reading(
            view="working_copy",
            sections=serialize(submission),
            latest_version=latest,
            base_edits=latest_edit_ids(submission),
            section_state=submission.section_state,
            comments=comments,
        )
    else:
        reading = Reading(
            view="latest_version",
            sections=latest.data if latest is not None else {},
            latest_version=latest,
            comments=comments,
        )
    if submission.kind == Submission.Kind.COUNTY:
        reading.county_share = county_share(submission=submission)
        reading.recommended_total = recommended_total(data=reading.sections)
    return reading


def county_share(*, submission: Submission) -> int | None:
    """The county's share of the national need in the submission's round. One query."""
    return (
        CountyShare.objects.filter(round_id=submission.round_id, county_id=submission.county_id)
        .values_list("share", flat=True)
        .first()
    )


# ---------------------------------------------------------------------------------------------
# bulk reads for the apps above (search, placement)


@dataclass
class PublishedProfile:
    """A municipality's published profile in a round, with its latest version."""

    profile: MunicipalityProfile
    version: Version
    _names: CodeNames | None = None
    _sections: list[ReadSection] | None = None

    @property
    def municipality(self) -> Municipality:
        return self.profile.municipality

    @property
    def data(self) -> dict:
        return self.version.data

    @property
    def capacity(self) -> int | None:
        return (self.version.data.get("capacity") or {}).get("capacity")

    @property
    def sections(self) -> list[ReadSection]:
        """The version presented (computed on first use; register names are shared by every
        profile of the batch, so a batch costs one query per kind of reference)."""
        if self._sections is None:
            self._sections = present_sections(
                kind=Submission.Kind.PROFILE, data=self.version.data, names=self._names
            )
        return self._sections


def published_profile_versions(
    *, round_: Round | int | None = None, municipalities=None
) -> list[PublishedProfile]:
    """The latest version of every published profile (of ``round_``, optionally only these
    municipality numbers), ordered by round and municipality number. Two queries, whatever
    the number of profiles; presenting their sections adds one per kind of register
    reference for the whole batch."""
    profiles = published_profiles(round_=round_).select_related("round", "county", "municipality")
    if municipalities is not None:
        profiles = profiles.filter(municipality__number__in=list(municipalities))
    profiles = list(profiles.order_by("round__year", "municipality__number"))
    latest = latest_by_submission(submissions=profiles)
    names = CodeNames()
    published = []
    for profile in profiles:
        version = latest.get(profile.pk)
        if version is None:
            continue
        version.submission = profile
        published.append(PublishedProfile(profile, version, names))
    return published


def recommended_numbers(*, round_: Round) -> dict[str, int]:
    """{municipality number: the number its county recommends} from each county's latest
    submitted version in ``round_`` (never a draft). One query."""
    numbers: dict[str, int] = {}
    versions = latest_versions(round_=round_, kind=Submission.Kind.COUNTY).filter(
        submission__status__in=SUBMITTED_STATES
    )
    for data in versions.values_list("data", flat=True):
        for row in (data or {}).get("recommendations") or []:
            number = row.get("number")
            if row.get("municipality") and isinstance(number, int):
                numbers[row["municipality"]] = number
    return numbers


def stated_capacities(*, round_: Round) -> dict[str, int | None]:
    """{municipality number: the capacity its published profile states (None if left empty)}
    for ``round_``. One query."""
    capacities: dict[str, int | None] = {}
    versions = latest_versions(round_=round_, kind=Submission.Kind.PROFILE).filter(
        submission__status__in=SUBMITTED_STATES
    )
    for number, data in versions.values_list("submission__municipality__number", "data"):
        capacities[number] = ((data or {}).get("capacity") or {}).get("capacity")
    return capacities
