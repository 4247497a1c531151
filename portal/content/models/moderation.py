"""Moderation of minutes: a second editor must approve what the first one submitted.

Wagtail shows "Publish" to anyone with publish permission, workflow or not, and group
permissions cannot take publish away for one page type inside a subtree. So minutes get their
own permission tester: publishing them is refused except while an approval of
``SecondEditorApprovalTask`` is publishing that very page (Wagtail then checks the approver's
publish permission, which editors have)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, PagePermissionTester, TaskState

# The pk (as a string, like WorkflowState.object_id) of the page an approval is publishing.
_approval_publishing: ContextVar[str | None] = ContextVar("approval_publishing", default=None)


@contextmanager
def _publishing_through_approval(object_id: str):
    token = _approval_publishing.set(object_id)
    try:
        yield
    finally:
        _approval_publishing.reset(token)


def submitters_of(task_state: TaskState) -> set[int]:
    """Who may not approve: the user who started the workflow and the author of the revision
    under review (they differ when one editor submits another's draft)."""
    ids = {task_state.workflow_state.requested_by_id, task_state.revision.user_id}
    ids.discard(None)
    return ids


class SecondEditorApprovalTask(AbstractGroupApprovalTask):
    """Group approval where the submitter never sees approve/reject and cannot perform them.

    The submitter cannot edit the page while it waits (so what gets approved is what they
    submitted) but may cancel the workflow to carry on editing. Other members of the groups
    can edit, request changes and approve, as in Wagtail's group approval task."""

    class Meta:
        verbose_name = _("godkjenning av en annen redaktør")
        verbose_name_plural = _("godkjenninger av en annen redaktør")

    @classmethod
    def get_description(cls):
        return _(
            "Medlemmer av de valgte gruppene kan godkjenne, men aldri den som sendte inn "
            "eller skrev versjonen som skal godkjennes."
        )

    def _current_task_state(self, obj):
        task_state = obj.current_workflow_task_state
        if task_state is not None and task_state.task_id == self.pk:
            return task_state
        return None

    def is_submitter(self, obj, user) -> bool:
        task_state = self._current_task_state(obj)
        return task_state is not None and user.pk in submitters_of(task_state)

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) or self.is_submitter(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and not self.is_submitter(obj, user)

    def get_actions(self, obj, user):
        if self.is_submitter(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
            .exclude(revision__user=user)
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's views only offer the actions get_actions() returns, but Task.on_action
        # itself checks nothing; refuse here too so no code path lets a submitter approve.
        if action_name in {"approve", "reject"}:
            if not (user.is_superuser or self._user_in_groups(user)):
                raise PermissionDenied(_("Du er ikke blant dem som kan godkjenne dette."))
            if user.pk in submitters_of(task_state):
                raise PermissionDenied(
                    _("En annen redaktør må godkjenne det du selv har sendt inn eller skrevet.")
                )
        if action_name == "approve":
            with _publishing_through_approval(task_state.workflow_state.object_id):
                return super().on_action(task_state, user, action_name, **kwargs)
        return super().on_action(task_state, user, action_name, **kwargs)


class MinutesPermissionTester(PagePermissionTester):
    """Minutes go live only through the approval workflow, never by "Publish"."""

    def can_publish(self):
        if _approval_publishing.get() != str(self.page.pk):
            return False
        return super().can_publish()

    # Wagtail derives these from can_publish(); they are about the editor's own rights.
    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_unschedule(self):
        return super().can_publish()


class MeetingPermissionTester(PagePermissionTester):
    """A meeting's only children are minutes, so nobody creates them already published."""

    def can_publish_subpage(self):
        return False
