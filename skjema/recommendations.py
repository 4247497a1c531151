"""The county's recommended numbers: the one rule for which numbers can be saved (the form, the
API, the workbook and the service all refuse the same values with the same Norwegian message),
and the warnings that do not stop a save (above the stated capacity, a sum that differs from the
county's share of the national need).

The bound: a recommendation is a number of persons from 0 to ``MAX_RECOMMENDED``. The register
holds no population figures, so the bound is not the municipality's population but a sane
ceiling: the largest request IMDi has ever sent one municipality in its published statistics
(1995–2022) is 1 000 (Oslo, 2016), and 5 000 is five times that. A higher number is a typing
error (an extra digit, a year, a sum), never a recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.formats import number as format_number

MAX_RECOMMENDED = 5000

NEGATIVE_MESSAGE = gettext_lazy("Tallet kan ikke være negativt. Skriv 0 eller et høyere tall.")


def too_large_message() -> str:
    return _(
        "Tallet kan ikke være over %(max)s. Ingen kommune er bedt om å bosette så mange – sjekk "
        "at det ikke er skrevet et siffer for mye."
    ) % {"max": format_number(MAX_RECOMMENDED)}


def number_problem(value) -> str | None:
    """Why ``value`` cannot be saved as a recommended number, or None (None and integers in
    range are fine; a blank is an unfinished draft)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return _("Anbefalt antall må være et heltall.")
    if value < 0:
        return str(NEGATIVE_MESSAGE)
    if value > MAX_RECOMMENDED:
        return too_large_message()
    return None


def check_rows(rows) -> None:
    """Refuse (ValidationError, nothing written) rows with a number that cannot be saved; each
    message names the municipality."""
    problems = []
    for row in rows or []:
        problem = number_problem(row.get("number"))
        if problem:
            problems.append(
                _("Kommune %(n)s, anbefalt antall: %(problem)s")
                % {"n": row.get("municipality") or "?", "problem": problem}
            )
    if problems:
        raise ValidationError(problems)


# ---------------------------------------------------------------------------------------------
# warnings (they never stop a save)


@dataclass(frozen=True)
class RecommendationWarning:
    kind: str  # "over_capacity" or "sum_differs"
    message: str
    municipality: str = ""  # the municipality number, for row warnings


def over_capacity(recommended, capacity) -> bool:
    return isinstance(recommended, int) and isinstance(capacity, int) and recommended > capacity


def over_capacity_message(capacity: int | str) -> str:
    """The row warning; ``capacity`` a number, or a placeholder for the typing script."""
    shown = capacity if isinstance(capacity, str) else format_number(capacity)
    return _("Over kapasiteten kommunen har oppgitt (%(capacity)s).") % {"capacity": shown}


def sum_message(total: int, share: int | None) -> str:
    """What the sum says about the county's share; empty when they agree or there is no share."""
    if share is None or total == share:
        return ""
    if total > share:
        return _("Summen er %(diff)s over fylkets andel av det nasjonale behovet (%(share)s).") % {
            "diff": format_number(total - share),
            "share": format_number(share),
        }
    return _("Summen er %(diff)s under fylkets andel av det nasjonale behovet (%(share)s).") % {
        "diff": format_number(share - total),
        "share": format_number(share),
    }


def warnings_for(
    *, rows, capacities: dict, share: int | None, names: dict | None = None
) -> list[RecommendationWarning]:
    """The warnings for saved rows: each recommendation above its municipality's stated
    capacity, and a sum that differs from the county's share."""
    names = names or {}
    found = []
    total = 0
    for row in rows or []:
        number, recommended = row.get("municipality"), row.get("number")
        if isinstance(recommended, int):
            total += recommended
        capacity = capacities.get(number)
        if over_capacity(recommended, capacity):
            found.append(
                RecommendationWarning(
                    "over_capacity",
                    _("%(name)s: anbefalt %(n)s, over kapasiteten kommunen har oppgitt (%(c)s).")
                    % {
                        "name": names.get(number, number),
                        "n": format_number(recommended),
                        "c": format_number(capacity),
                    },
                    number,
                )
            )
    message = sum_message(total, share)
    if message:
        found.append(RecommendationWarning("sum_differs", message))
    return found
