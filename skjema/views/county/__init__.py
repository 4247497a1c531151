"""County pages: dashboard, profile and county-submission forms, submit, receipts.

Who may do what comes from ``Submission.objects.visible_to/editable_by`` and ``rules``: a
submission the user may not read is a 404 (its existence is not revealed); one they may read
but not change is a 403 on the change pages. Every change goes through ``skjema.services``."""
