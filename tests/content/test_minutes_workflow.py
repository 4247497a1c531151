"""Minutes go live only when a second editor approves them."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.models import (
    GroupPagePermission,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

from portal.content.models import MinutesPage, SecondEditorApprovalTask
from portal.content.workflows import (
    MINUTES_WORKFLOW_NAME,
    ensure_editorial_setup,
)


def _draft_minutes(meeting, author) -> MinutesPage:
    minutes = MinutesPage(
        title="Referat fra samarbeidsmøtet",
        slug="referat",
        live=False,
        owner=author,
        body=[{"type": "paragraph", "value": "<p>Utkast til referat.</p>"}],
    )
    meeting.add_child(instance=minutes)
    minutes.save_revision(user=author)
    return minutes


def _submit(minutes, user):
    state = minutes.get_workflow().start(minutes, user)
    task_state = state.current_task_state
    return state, task_state, task_state.task.specific


def _action_names(task, page, user):
    return {name for name, _label, _modal in task.get_actions(page, user)}


@pytest.fixture
def county_meeting(tree):
    return tree["meetings"][1]


def test_minutes_follow_the_approval_workflow(tree, county_meeting):
    workflow = county_meeting.get_workflow()
    assert workflow.name == MINUTES_WORKFLOW_NAME
    assert WorkflowPage.objects.get(page=tree["meeting_index"]).workflow == workflow
    task = workflow.tasks.specific().get()
    assert isinstance(task, SecondEditorApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == ["Redaktører"]


def test_editor_submits_and_a_second_editor_approves(tree, county_meeting, users):
    editor_a, editor_b = users["editor"], users["editor2"]
    minutes = _draft_minutes(county_meeting, editor_a)
    state, task_state, task = _submit(minutes, editor_a)

    # The submitter is offered nothing, cannot edit what is under review, and is refused.
    assert task.get_actions(minutes, editor_a) == []
    assert task.locked_for_user(minutes, editor_a)
    assert not task.get_task_states_user_can_moderate(editor_a).filter(pk=task_state.pk).exists()
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, editor_a, "approve")
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, editor_a, "reject")
    minutes.refresh_from_db()
    assert not minutes.live

    # The second editor may edit and approve; approving publishes the minutes.
    assert {"approve", "reject"} <= _action_names(task, minutes, editor_b)
    assert not task.locked_for_user(minutes, editor_b)
    assert task.get_task_states_user_can_moderate(editor_b).filter(pk=task_state.pk).exists()
    task.on_action(task_state, editor_b, "approve")

    minutes.refresh_from_db()
    state.refresh_from_db()
    assert minutes.live
    assert state.status == WorkflowState.STATUS_APPROVED
    assert minutes.live_revision.task_states.get().finished_by == editor_b


def test_the_author_of_the_revision_cannot_approve_either(county_meeting, users):
    """Editor A writes, editor B submits A's draft: neither may approve; a third one may."""
    author, submitter = users["editor"], users["editor2"]
    minutes = _draft_minutes(county_meeting, author)
    _state, task_state, task = _submit(minutes, submitter)

    assert task.get_actions(minutes, author) == []
    assert task.get_actions(minutes, submitter) == []
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, author, "approve")

    task.on_action(task_state, users["admin"], "approve")
    minutes.refresh_from_db()
    assert minutes.live


@pytest.mark.parametrize("role", ["imdi", "ks", "fylke_a", "outsider"])
def test_only_editors_approve(county_meeting, users, role):
    minutes = _draft_minutes(county_meeting, users["editor"])
    _state, task_state, task = _submit(minutes, users["editor"])

    assert task.get_actions(minutes, users[role]) == []
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, users[role], "approve")
    minutes.refresh_from_db()
    assert not minutes.live


def test_request_changes_sends_the_minutes_back(county_meeting, users):
    minutes = _draft_minutes(county_meeting, users["editor"])
    state, task_state, task = _submit(minutes, users["editor"])

    task.on_action(task_state, users["editor2"], "reject", comment="Mangler deltakerliste.")

    state.refresh_from_db()
    task_state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert task_state.status == TaskState.STATUS_REJECTED
    assert not MinutesPage.objects.get(pk=minutes.pk).live


def test_nobody_publishes_minutes_directly(tree, county_meeting, users):
    minutes = _draft_minutes(county_meeting, users["editor"])
    for user in (users["editor"], users["editor2"], users["admin"]):
        assert not minutes.permissions_for_user(user).can_publish()
        # Nor create minutes already published under a meeting.
        assert not county_meeting.permissions_for_user(user).can_publish_subpage()
    with pytest.raises(PublishPagePermissionError):
        minutes.get_latest_revision().publish(user=users["editor"])
    assert not MinutesPage.objects.get(pk=minutes.pk).live

    # Editors still publish meetings and guidance, and keep control of live minutes.
    editor = users["editor"]
    assert county_meeting.permissions_for_user(editor).can_publish()
    assert tree["guidance"].permissions_for_user(editor).can_publish()
    live_minutes = tree["minutes"]
    assert live_minutes.permissions_for_user(editor).can_unpublish()
    assert live_minutes.permissions_for_user(editor).can_set_view_restrictions()
    # A county officer has no say in any of it.
    assert not county_meeting.permissions_for_user(users["fylke_a"]).can_edit()


def test_admin_editor_offers_submit_not_publish(client, tree, county_meeting, users):
    client.force_login(users["editor"])
    minutes = _draft_minutes(county_meeting, users["editor"])

    response = client.get(f"/admin/pages/{minutes.pk}/edit/")
    assert response.status_code == 200
    minutes_form = response.content.decode()
    assert 'name="action-submit"' in minutes_form
    assert 'name="action-publish"' not in minutes_form

    response = client.get(f"/admin/pages/add/content/minutespage/{tree['meetings'][2].pk}/")
    assert response.status_code == 200
    new_minutes_form = response.content.decode()
    assert 'name="action-submit"' in new_minutes_form
    assert 'name="action-publish"' not in new_minutes_form

    meeting_form = client.get(f"/admin/pages/{county_meeting.pk}/edit/").content.decode()
    assert 'name="action-publish"' in meeting_form


def test_editorial_setup_is_idempotent(tree):
    def counts():
        return (
            Workflow.objects.filter(name=MINUTES_WORKFLOW_NAME).count(),
            Task.objects.count(),
            WorkflowPage.objects.count(),
            GroupPagePermission.objects.count(),
        )

    before = counts()
    ensure_editorial_setup()
    ensure_editorial_setup()
    assert counts() == before
    editors = Group.objects.get(name="Redaktører")
    codenames = set(
        GroupPagePermission.objects.filter(group=editors, page=tree["home"]).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
