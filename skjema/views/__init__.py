"""Skjema pages: the county side (``county``) and IMDi's review side (``review``)."""
