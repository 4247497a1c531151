"""Skjema: rounds, the counties' forms, the submission workflow, versions, import and export."""
