"""The counties' plan documents: the collection they are stored in, and who may download one.

Wagtail serves documents by URL, so the check runs on every download (``before_serve_document``
in ``skjema.wagtail_hooks``): a county's draft plan is its own until a submitted version
includes it, then everyone who reads submitted content may read it too
(``rules.can_read_county_document``)."""

from __future__ import annotations

from django.db.models import Q

from portal.accounts import rules

from .models import Submission, Version

COLLECTION_NAME = "Fylkenes planer"


def collection(county=None):
    """The collection plan documents are stored in, restricted to the portal's roles (the
    per-county rule above comes on top of that): one private collection per county
    («Fylkenes planer / 46 Vestland»), inside the shared parent that holds the restriction.
    Without ``county``, the parent."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    from portal.accounts.models import ROLE_GROUPS, Role

    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=COLLECTION_NAME).first()
    if found is None:
        found = root.add_child(name=COLLECTION_NAME)
    if not CollectionViewRestriction.objects.filter(collection=found).exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=found, restriction_type=CollectionViewRestriction.GROUPS
        )
        readers = [
            ROLE_GROUPS[role]
            for role in (Role.COUNTY_OFFICER, Role.IMDI_OFFICER, Role.KS_READER, Role.ADMINISTRATOR)
        ]
        restriction.groups.set(Group.objects.filter(name__in=readers))
    if county is None:
        return found
    name = f"{county.number} {county.name}"
    return found.get_children().filter(name=name).first() or found.add_child(name=name)


def is_plan_document(document) -> bool:
    """In the plan collection or a county's collection inside it."""
    collection = document.collection
    if collection.is_root():
        return False
    if collection.name == COLLECTION_NAME and collection.depth == 2:
        return True
    parent = collection.get_parent()
    return parent is not None and parent.name == COLLECTION_NAME and parent.depth == 2


def may_read(user, document) -> bool:
    """Whether ``user`` may download this plan document. The county is the one whose form has
    it now or had it in a version; the file is ``submitted`` once any version includes it.
    Three queries."""
    versions = Version.objects.filter(data__plans__plan_document=document.pk)
    county_ids = set(
        Submission.objects.filter(
            Q(countysubmission__plan_document=document) | Q(versions__in=versions)
        )
        .values_list("county_id", flat=True)
        .distinct()
    )
    submitted = versions.exists()
    if not county_ids:
        uploader = document.uploaded_by_user
        county = getattr(uploader, "county", None) if uploader else None
        return rules.can_read_county_document(user, county, submitted=False)
    from portal.register.models import County

    return any(
        rules.can_read_county_document(user, county, submitted=submitted)
        for county in County.objects.filter(pk__in=county_ids)
    )
