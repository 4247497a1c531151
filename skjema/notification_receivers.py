"""E-mail on workflow transitions: skjema's signals (sent after the transaction commits) to
``notifications.notify_transition``. Connected from ``SkjemaConfig.ready``."""

import logging

from django.dispatch import receiver

from . import notifications, signals

logger = logging.getLogger(__name__)


@receiver(signals.submission_submitted, dispatch_uid="skjema.notify_submitted")
@receiver(signals.submission_returned, dispatch_uid="skjema.notify_returned")
@receiver(signals.submission_accepted, dispatch_uid="skjema.notify_accepted")
@receiver(signals.submission_reopened, dispatch_uid="skjema.notify_reopened")
def notify_on_transition(sender, submission, transition, **kwargs):
    # The transition has committed. A broken notice must neither turn the user's completed
    # action into an error page nor stop the receivers after this one (search indexing), so
    # it is logged here; failed sends are already recorded on the notification and retried.
    try:
        notifications.notify_transition(submission, transition)
    except Exception:
        logger.exception("Could not write the notification for transition %s", transition.pk)
