"""Typed reading of the environment: a bad value fails loudly at start-up, never silently."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_mapping(name: str, default: dict[str, str], *, allowed: set[str]) -> dict[str, str]:
    """``key=value,key=value`` (order kept); every value must be one of ``allowed``."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return dict(default)
    mapping: dict[str, str] = {}
    for item in value.split(","):
        if not item.strip():
            continue
        key, sep, mapped = (part.strip() for part in item.partition("="))
        if not sep or not key or mapped not in allowed:
            raise ImproperlyConfigured(
                f"{name} must be key=value pairs with values in {sorted(allowed)}, got {item!r}"
            )
        mapping[key] = mapped
    return mapping
