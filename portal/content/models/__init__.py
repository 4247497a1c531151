"""Wagtail content: the home page, guidance pages, meetings and their minutes."""

from .base import ContentPageManager, ContentPageQuerySet
from .guidance import GuidanceIndexPage, GuidancePage
from .home import HomePage
from .meetings import (
    MeetingDocument,
    MeetingIndexPage,
    MeetingKind,
    MeetingPage,
    MinutesPage,
    MinutesPageQuerySet,
    Visibility,
)
from .moderation import MeetingPermissionTester, MinutesPermissionTester, SecondEditorApprovalTask

__all__ = [
    "ContentPageManager",
    "ContentPageQuerySet",
    "GuidanceIndexPage",
    "GuidancePage",
    "HomePage",
    "MeetingDocument",
    "MeetingIndexPage",
    "MeetingKind",
    "MeetingPage",
    "MeetingPermissionTester",
    "MinutesPage",
    "MinutesPageQuerySet",
    "MinutesPermissionTester",
    "SecondEditorApprovalTask",
    "Visibility",
]
