"""The read side of skjema: who may read what (``access``), versions and the lineage of
municipality codes (``versions``), and one presenter of a version (``present``). Pages, API,
exports, documents, search and placement read profiles through these functions only.

The section definitions (what a profile holds, field labels, display values) are re-exported
here too, so the apps above never reach into ``skjema.sections``."""

from ..sections import (
    COUNTY_SECTIONS,
    PROFILE_SECTIONS,
    CodeNames,
    Section,
    display_value,
    get_section,
    sections_for,
)
from .access import (
    RETURN_ACTIONS,
    current_return,
    is_published,
    last_return,
    published_profiles,
    reads_working_copy,
    submissions_visible_to,
    version_get,
    versions_visible_to,
)
from .present import (
    Item,
    PublishedProfile,
    Reading,
    ReadSection,
    Row,
    attach_comments,
    county_share,
    plan_documents,
    present_sections,
    published_profile_versions,
    read_submission,
    recommended_numbers,
    recommended_total,
    stated_capacities,
)
from .review_queue import next_for_review, open_comment_count, review_queue
from .versions import (
    earlier_codes,
    latest_by_submission,
    latest_version,
    latest_versions,
    previous_county_version,
    previous_version,
)

__all__ = [
    "next_for_review",
    "open_comment_count",
    "review_queue",
    "COUNTY_SECTIONS",
    "PROFILE_SECTIONS",
    "CodeNames",
    "Section",
    "display_value",
    "get_section",
    "sections_for",
    "RETURN_ACTIONS",
    "Item",
    "PublishedProfile",
    "ReadSection",
    "Reading",
    "Row",
    "attach_comments",
    "county_share",
    "current_return",
    "earlier_codes",
    "is_published",
    "last_return",
    "latest_by_submission",
    "latest_version",
    "latest_versions",
    "plan_documents",
    "present_sections",
    "previous_county_version",
    "previous_version",
    "published_profile_versions",
    "published_profiles",
    "read_submission",
    "reads_working_copy",
    "recommended_numbers",
    "recommended_total",
    "stated_capacities",
    "submissions_visible_to",
    "version_get",
    "versions_visible_to",
]
