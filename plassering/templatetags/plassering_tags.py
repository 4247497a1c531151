"""Template filters for the placement pages."""

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.3 → «30»; 0.125 → «12,5» (decimal comma)."""
    number = round(float(value) * 100, 1)
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
