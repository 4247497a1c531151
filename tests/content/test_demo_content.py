"""build_demo_content: the round's pages, minutes approved through the workflow, idempotent."""

from wagtail.models import Page, Revision, Site, WorkflowState

from portal.content.demo import FICTITIOUS, build_demo_content
from portal.content.models import MeetingKind, MeetingPage, MinutesPage
from portal.register.models import County

from .conftest import ROUND_YEAR


def test_one_meeting_per_current_county_between_two_joint_meetings(demo, tree):
    meetings = tree["meetings"]
    counties = list(County.objects.current().order_by("number"))
    assert len(meetings) == len(counties) + 2

    june, *county_meetings, november = meetings
    assert june.kind == MeetingKind.JOINT_DIGITAL and june.starts_at.month == 6
    assert november.kind == MeetingKind.SUMMARY and november.starts_at.month == 11
    assert [m.county for m in county_meetings] == counties
    assert {m.starts_at.month for m in county_meetings} <= {9, 10}
    assert all(m.round_year == ROUND_YEAR for m in meetings)
    assert all(m.starts_at.year == ROUND_YEAR - 1 for m in meetings)
    assert all(m.starts_at.weekday() < 5 for m in meetings)
    assert demo["deadline"].isoformat() == f"{ROUND_YEAR - 1}-06-10"
    assert june.starts_at.date() < demo["deadline"]


def test_minutes_were_approved_by_a_second_editor(tree):
    minutes = tree["minutes"]
    assert minutes.live
    assert FICTITIOUS in str(minutes.body.raw_data)
    state = WorkflowState.objects.for_instance(minutes).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert state.requested_by.username == "redaktor"
    assert state.task_states.get().finished_by.username == "redaktor2"


def test_second_run_creates_nothing(demo, tree):
    counts = (Page.objects.count(), Revision.objects.count(), WorkflowState.objects.count())

    again = build_demo_content(ROUND_YEAR)

    assert again["created"] == []
    assert (Page.objects.count(), Revision.objects.count(), WorkflowState.objects.count()) == counts
    assert again["minutes"].pk == tree["minutes"].pk
    assert Site.objects.get(is_default_site=True).root_page_id == tree["home"].pk


def test_another_round_adds_its_meetings_beside_the_first(demo, tree):
    result = build_demo_content(ROUND_YEAR + 1)

    assert result["home_page"].pk == tree["home"].pk
    assert result["meeting_index"].pk == tree["meeting_index"].pk
    assert MeetingPage.objects.filter(round_year=ROUND_YEAR + 1).count() == len(tree["meetings"])
    assert MinutesPage.objects.live().count() == 2
