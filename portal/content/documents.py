"""Who may open the documents editors attach to meetings and minutes, and where they are kept.

Editors choose, when publishing, whether minutes and each meeting document are for the meeting's
participants (the default) or public. On publishing, each document the page uses moves to the
collection that says so: «Offentlige møtedokumenter» (public: anyone may download it, and only
its documents are listed by the documents API) or «Møtedokumenter for deltakere». Both sit under
the editorial collection, whose permissions editors already hold. A document outside the public
collection is checked on every download (``may_download``); refused users get 404, so nobody
learns that a document exists from its URL.
"""

from __future__ import annotations

import re

from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.models import Collection

from portal.accounts import rules

from .models import MeetingDocument, MeetingPage, MinutesPage, Visibility
from .workflows import editorial_collection

PUBLIC_COLLECTION = "Offentlige møtedokumenter"
PARTICIPANTS_COLLECTION = "Møtedokumenter for deltakere"
_RICH_TEXT_DOCUMENT = re.compile(r'<a[^>]*linktype="document"[^>]*\bid="(\d+)"')


def _child(name: str) -> Collection:
    editorial = editorial_collection()
    found = editorial.get_children().filter(name=name).first()
    return found or editorial.add_child(name=name)


def public_collection() -> Collection:
    return _child(PUBLIC_COLLECTION)


def participants_collection() -> Collection:
    return _child(PARTICIPANTS_COLLECTION)


def public_collection_ids() -> list[int]:
    """The public collection and any collections an editor made inside it."""
    public = public_collection()
    return [public.pk, *public.get_descendants().values_list("pk", flat=True)]


def editorial_collection_ids() -> set[int]:
    editorial = editorial_collection()
    return {editorial.pk, *editorial.get_descendants().values_list("pk", flat=True)}


def documents_in_minutes(minutes: MinutesPage) -> set[int]:
    """Ids of the documents a minutes page links to: document blocks and rich-text links."""
    ids: set[int] = set()
    for block in minutes.body:
        if block.block_type == "document" and block.value.get("document"):
            ids.add(block.value["document"].pk)
    raw = str(minutes.body.raw_data)
    ids.update(int(found) for found in _RICH_TEXT_DOCUMENT.findall(raw.replace('\\"', '"')))
    return ids


def _uses(document_id: int) -> list[tuple[str, object]]:
    """Each live page that uses the document, as (visibility, county of the meeting)."""
    uses = []
    for item in MeetingDocument.objects.filter(document_id=document_id, page__live=True):
        uses.append((item.visibility, item.page.county))
    for minutes in MinutesPage.objects.live():
        if document_id in documents_in_minutes(minutes):
            meeting = minutes.meeting()
            uses.append((minutes.visibility, getattr(meeting, "county", None)))
    return uses


def may_download(user, document) -> bool:
    """Public collection: anyone. Otherwise the participants of a meeting that uses the
    document; a document no published page uses: IMDi, KS and the editors only."""
    if document.collection_id in public_collection_ids():
        return True
    uses = _uses(document.pk)
    if any(visibility == Visibility.PUBLIC for visibility, _ in uses):
        return True
    if not uses:
        return rules.can_read_meeting_material(user, None) and rules.county_of(user) is None
    return any(rules.can_read_meeting_material(user, county) for _, county in uses)


def sync_collections(page) -> list[int]:
    """After publishing a meeting or minutes: move each document it uses to the public or the
    participants' collection. A document used publicly by any live page stays public. Only
    documents in the editorial collections move (never a county's plan document). Returns the
    ids of the documents moved."""
    specific = page.specific
    if isinstance(specific, MeetingPage):
        ids = set(specific.documents.values_list("document_id", flat=True))
    elif isinstance(specific, MinutesPage):
        ids = documents_in_minutes(specific)
    else:
        return []
    editorial = editorial_collection_ids()
    public, participants = public_collection(), participants_collection()
    moved = []
    for document in get_document_model().objects.filter(pk__in=ids, collection__in=editorial):
        is_public = any(visibility == Visibility.PUBLIC for visibility, _ in _uses(document.pk))
        target = public if is_public else participants
        if document.collection_id != target.pk:
            document.collection = target
            document.save(update_fields=["collection"])
            moved.append(document.pk)
    return moved


def hidden_minutes_q(user) -> Q:
    """Minutes ``user`` may not read, as a condition on pages (for the pages API)."""
    return Q(pk__in=MinutesPage.objects.unreadable_by(user))
