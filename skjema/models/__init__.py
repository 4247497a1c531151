"""Skjema models: rounds, the two kinds of submission (municipality profile, county submission)
with their sections and repeating rows, and the workflow records (versions, transitions,
review comments, the edit log), the notification log and the preparatory documents for the
county meetings."""

from .imports import PendingImport
from .meetings import DocumentState, PreparatoryDocument, PreparatorySnapshot
from .notifications import Notification, NotificationQuerySet
from .rounds import CountyShare, Round
from .rows import (
    Cooperation,
    LabourNeed,
    QualificationOffer,
    Recommendation,
    UpperSecondaryOffer,
)
from .submissions import (
    CountySubmission,
    MunicipalityProfile,
    Status,
    Submission,
    SubmissionQuerySet,
)
from .workflow import ReviewComment, SectionEdit, Transition, Version

__all__ = [
    "Cooperation",
    "CountyShare",
    "CountySubmission",
    "DocumentState",
    "LabourNeed",
    "MunicipalityProfile",
    "Notification",
    "NotificationQuerySet",
    "PendingImport",
    "PreparatoryDocument",
    "PreparatorySnapshot",
    "QualificationOffer",
    "Recommendation",
    "ReviewComment",
    "Round",
    "SectionEdit",
    "Status",
    "Submission",
    "SubmissionQuerySet",
    "Transition",
    "UpperSecondaryOffer",
    "Version",
]
