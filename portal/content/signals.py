"""Keep the editorial set-up in place: after migrate, and whenever a home page or a meeting
index is created (by an editor, the demo loader or a test)."""

from django.db import connections
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import WorkflowPage
from wagtail.signals import page_published

from .models import HomePage, MeetingIndexPage, SecondEditorApprovalTask
from .workflows import attach_minutes_workflow, ensure_editorial_setup, grant_editorial_permissions


@receiver(post_migrate)
def _editorial_setup_after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "content":
        return
    # A partial migrate (``migrate register``) still sends post_migrate for every app.
    needed = {model._meta.db_table for model in (HomePage, SecondEditorApprovalTask, WorkflowPage)}
    if needed <= set(connections[using].introspection.table_names()):
        ensure_editorial_setup()


@receiver(post_save, sender=HomePage)
def _grant_permissions_on_new_home_page(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_editorial_permissions(instance)


@receiver(post_save, sender=MeetingIndexPage)
def _attach_workflow_to_new_meeting_index(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        attach_minutes_workflow(instance)


@receiver(page_published)
def _documents_follow_the_pages_visibility(sender, instance, **kwargs):
    from .documents import sync_collections

    sync_collections(instance)
