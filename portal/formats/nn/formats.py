"""Nynorsk formats: the same as bokmål (month names come from the nn translation)."""

from portal.formats.nb.formats import *  # noqa: F403
