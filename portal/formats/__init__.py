"""Norwegian formats for nb and nn (FORMAT_MODULE_PATH): one date format in prose, one in tables."""

from django.utils.formats import number_format


def number(value, decimals: int | None = None) -> str:
    """«12 345», «62,5»: the active language's separators, always grouped (a thin no-break
    space between thousands). For prose and tables; exports keep numbers as numbers."""
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
