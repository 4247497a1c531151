"""Highlighted snippets that show why a profile matched, cut in Python from the document's
texts, so both backends show the same reasons. Output is HTML-escaped with <mark> around hits."""

from __future__ import annotations

import re

from django.utils.html import escape

from .analysis import stem
from .query import Slot

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
CONTEXT_CHARS = 80
MAX_HIGHLIGHTS = 3


class _Matcher:
    """Which words of a text match a query's slots."""

    def __init__(self, slots: list[Slot]):
        self.exact = {term for slot in slots for term in slot.terms}
        self.prefixes = tuple({prefix for slot in slots for prefix in slot.prefixes})
        # Texts repeat their words; each distinct word is stemmed and tested once per search.
        self.seen: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        found = self.seen.get(word)
        if found is None:
            term = stem(word.lower())
            found = term in self.exact or bool(self.prefixes and term.startswith(self.prefixes))
            self.seen[word] = found
        return found


def _snippet(text: str, spans: list[tuple[int, int]]) -> str:
    start = max(0, spans[0][0] - CONTEXT_CHARS)
    end = min(len(text), spans[0][1] + CONTEXT_CHARS * 2)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def take_highlights(payloads: list[dict], slots: list[Slot]) -> list[list[dict]]:
    """The highlights of each hit on a page, one matcher for them all; the texts they are cut
    from then leave the payloads (nothing else reads them, and they are most of the bytes)."""
    matcher = _Matcher(slots) if slots else None
    out = []
    for payload in payloads:
        texts = payload.pop("texts", None) or []
        out.append(_highlights(texts, matcher) if matcher else [])
    return out


def _highlights(texts: list[dict], matcher: _Matcher) -> list[dict]:
    found = []
    for entry in texts:
        text = entry["text"]
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if matcher.matches(m.group(0))]
        if spans:
            found.append(
                {
                    "section": entry["section"],
                    "label": entry["label"],
                    "html": _snippet(text, spans),
                }
            )
        if len(found) >= MAX_HIGHLIGHTS:
            break
    return found
