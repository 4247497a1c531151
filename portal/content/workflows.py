"""Editorial set-up: the minutes approval workflow and the role groups' rights on the page tree.

Every function is idempotent; they run after migrate, when pages are created and from the demo
loader. Auth permissions are normally created after all migrations, so they are fetched with
get_or_create and the order of post_migrate handlers never matters."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.accounts.models import ROLE_GROUPS, Role

from .models import MeetingIndexPage, SecondEditorApprovalTask

MINUTES_WORKFLOW_NAME = "Godkjenning av referat"
MINUTES_TASK_NAME = "Godkjenning av en annen redaktør"

EDITOR_GROUP = ROLE_GROUPS[Role.EDITOR]
ADMIN_GROUP = ROLE_GROUPS[Role.ADMINISTRATOR]

# Page permissions on the home page's subtree, by group. Editors get no bulk delete: deleting a
# meeting with its minutes is an administrator's call.
PAGE_PERMISSIONS = {
    EDITOR_GROUP: ["add", "change", "publish", "lock", "unlock"],
    ADMIN_GROUP: ["add", "change", "publish", "bulk_delete", "lock", "unlock"],
}
# Document and image permissions on the editorial collection, so choosers and uploads work.
# Not on the root: its other children hold the counties' plan documents, which editors must
# neither list nor replace (``skjema.plan_documents``).
EDITORIAL_COLLECTION = "Redaksjonelt innhold"
COLLECTION_PERMISSIONS = {
    ("wagtaildocs", "document"): ["add", "change", "choose"],
    ("wagtailimages", "image"): ["add", "change", "choose"],
}
_PERMISSION_NAMES = {
    "add": "Can add {model}",
    "change": "Can change {model}",
    "choose": "Can choose {model}",
    "publish": "Publish any page",
    "bulk_delete": "Delete pages with children",
    "lock": "Lock/unlock pages you've locked",
    "unlock": "Unlock any page",
}


def _permission(app_label: str, model: str, action: str) -> Permission:
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": _PERMISSION_NAMES[action].format(model=model)},
    )
    return permission


@transaction.atomic
def ensure_minutes_workflow() -> Workflow:
    """The workflow "Godkjenning av referat" with one task, approved by the editors' group."""
    editors, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    task = SecondEditorApprovalTask.objects.filter(name=MINUTES_TASK_NAME).first()
    if task is None:
        task = SecondEditorApprovalTask.objects.create(name=MINUTES_TASK_NAME)
    task.groups.add(editors)
    workflow, _ = Workflow.objects.get_or_create(name=MINUTES_WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


@transaction.atomic
def attach_minutes_workflow(meeting_index: Page) -> None:
    """Send every page under the meeting index (minutes above all) through the workflow."""
    workflow = ensure_minutes_workflow()
    WorkflowPage.objects.update_or_create(page=meeting_index, defaults={"workflow": workflow})


def editorial_collection() -> Collection:
    """The collection editors upload guidance documents and images to."""
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=EDITORIAL_COLLECTION).first()
    return found or root.add_child(name=EDITORIAL_COLLECTION)


@transaction.atomic
def grant_editorial_permissions(home_page: Page) -> None:
    """Editors and administrators edit and publish under the home page, and use the documents
    and images of the editorial collection (and nothing else: permissions an earlier set-up
    gave them on the root collection are taken back)."""
    root_collection = Collection.get_first_root_node()
    collection = editorial_collection()
    for group_name, actions in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for action in actions:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home_page,
                permission=_permission("wagtailcore", "page", action),
            )
        for (app_label, model), collection_actions in COLLECTION_PERMISSIONS.items():
            for action in collection_actions:
                permission = _permission(app_label, model, action)
                GroupCollectionPermission.objects.filter(
                    group=group, collection=root_collection, permission=permission
                ).delete()
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )


def retire_default_workflow() -> None:
    """Wagtail installs a "Moderators approval" workflow on the root page, assigned to a group
    the portal does not use; editors would be offered a submission nobody can approve. Only
    minutes need moderation here (the workflow above)."""
    from wagtail.models import Workflow, WorkflowPage

    for workflow in Workflow.objects.filter(name="Moderators approval", active=True):
        if not workflow.workflow_states.filter(status="in_progress").exists():
            WorkflowPage.objects.filter(workflow=workflow).delete()
            workflow.active = False
            workflow.save(update_fields=["active"])


def ensure_editorial_setup() -> None:
    """Everything above that the current page tree allows; safe to run at any time."""
    from .models import HomePage

    ensure_minutes_workflow()
    retire_default_workflow()
    for home_page in HomePage.objects.all():
        grant_editorial_permissions(home_page)
    for meeting_index in MeetingIndexPage.objects.all():
        attach_minutes_workflow(meeting_index)
