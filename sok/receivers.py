"""Keep the index current from skjema's domain signals (skjema never imports sok)."""

from django.dispatch import receiver

from portal.register.signals import statistics_changed
from skjema import signals
from skjema.models import Submission

from .index import refresh_profile, refresh_statistics


@receiver(signals.submission_submitted)
@receiver(signals.submission_returned)
@receiver(signals.submission_accepted)
@receiver(signals.submission_reopened)
def _reindex_on_transition(sender, submission, **kwargs):
    if submission.kind == Submission.Kind.PROFILE:
        refresh_profile(submission)


@receiver(statistics_changed)
def _refresh_figures(sender, **kwargs):
    refresh_statistics()
