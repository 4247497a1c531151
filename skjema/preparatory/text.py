"""Display text for the preparatory document's plain data: Norwegian dates and numbers."""

from __future__ import annotations

from django.utils import dateformat, timezone

from portal.formats import number


def format_moment(moment) -> str:
    """«15. september 2026 kl. 09.00», in Norwegian time."""
    return dateformat.format(timezone.localtime(moment), r"j. F Y \k\l. H.i")


def format_day(day) -> str:
    return dateformat.format(day, "j. F Y")


def decimal_text(value) -> str:
    """Display text for a decimal in plain data: Norwegian decimal comma."""
    return str(value).replace(".", ",")


def count_text(value) -> str:
    """A whole number as the portal shows it (thin-space thousands), «–» when there is none."""
    return "–" if value is None else number(value)
