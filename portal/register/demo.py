"""The demo's statistics: IMDi's real published figures for requests, decisions and settlement.

The figures come from the project's own fixture (``fixtures/statistics-imdi.csv``, converted from
IMDi's download «Bosatt og anmodede», NLOD 2.0), so a fresh machine needs nothing outside the
project. Loading is the ordinary statistics import: all or nothing, and a second run changes
nothing. Unlike the demo's profiles and users, these numbers are not fictitious.
"""

from __future__ import annotations

from pathlib import Path

from .statistics import StatisticsReport, import_statistics

DEMO_STATISTICS = Path(__file__).resolve().parent / "fixtures" / "statistics-imdi.csv"
SOURCE = "IMDi, «Bosatt og anmodede» (NLOD 2.0)"


def load_demo_statistics() -> StatisticsReport:
    """Import the fixture's figures into the register; the report says what changed."""
    return import_statistics(DEMO_STATISTICS)
