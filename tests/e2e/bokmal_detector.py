"""Finds bokmål and English on a page meant to be in nynorsk.

Bokmål: every msgid of the nynorsk catalogue whose nynorsk msgstr differs is a bokmål string
the portal can show; a page in nynorsk must not contain one. Placeholders split a msgid into
fragments; a fragment counts only when it is long enough to mean something (at least two words
and MIN_LENGTH characters) and is not also part of a nynorsk translation (then it is the same
in both written standards). English: the texts Django, DRF and allauth show by default when
a string escapes the portal's own translations."""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"
MIN_LENGTH = 14
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]+>|%%")

ENGLISH = [
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Please correct",
    "Not found",
    "Page not found",
    "Forbidden",
    "Method not allowed",
    "Authentication credentials were not provided",
    "You do not have permission",
    "A server error occurred",
    "Invalid",
    "Submit",
    "Sign in",
    "Sign out",
    "Log in",
    "Log out",
    "Password",
    "Username",
    "Previous",
    "Next",
    "Save",
    "Cancel",
    "Delete",
    "Search",
    "Filters",
    "Yes",
    "No",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November ",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "midnight",
    "noon",
    "a.m.",
    "p.m.",
    "minutes ago",
    "hours ago",
    "days ago",
    "Choose",
    "Add another",
    "Remove",
    "Show",
    "Hide",
]
ENGLISH_PATTERN = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")


def _fragments(msgid: str) -> list[str]:
    parts = [part.strip(" .,:;–-()«»\n") for part in PLACEHOLDER.split(msgid)]
    return [part for part in parts if len(part) >= MIN_LENGTH and " " in part]


@cache
def bokmal_fragments() -> tuple[str, ...]:
    with (LOCALE / "nn" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001
    translations = []
    pairs = []
    for key, msgstr in catalog.items():
        msgid = (key[0] if isinstance(key, tuple) else key).split("\x04", 1)[-1]
        if not msgid:
            continue  # the header
        translations.append(msgstr)
        if msgstr != msgid:
            pairs.append(msgid)
    nynorsk = "\n".join(translations)
    found = set()
    for msgid in pairs:
        for fragment in _fragments(msgid):
            if fragment not in nynorsk:
                found.add(fragment)
    return tuple(sorted(found, key=len, reverse=True))


def bokmal_on(text: str) -> list[str]:
    return [fragment for fragment in bokmal_fragments() if fragment in text]


def english_on(text: str) -> list[str]:
    return sorted(set(ENGLISH_PATTERN.findall(text)))


# Everything a person meets on the page: visible text, screen-reader text, the title, labels.
PAGE_TEXT = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  for (const el of document.querySelectorAll('.visually-hidden, .sr-only')) parts.push(el.textContent);
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) parts.push(el.value);
  return parts.join('\\n');
}"""
