"""Domain signals sent after a workflow transition commits. ``sok`` and notifications listen;
``skjema`` never imports them. Each signal is sent with ``submission`` and ``transition``."""

from django.dispatch import Signal

submission_submitted = Signal()
submission_returned = Signal()
submission_accepted = Signal()
submission_reopened = Signal()
