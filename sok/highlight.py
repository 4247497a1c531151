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


def _matcher(slots: list[Slot]):
    exact = {term for slot in slots for term in slot.terms}
    prefixes = tuple({prefix for slot in slots for prefix in slot.prefixes})

    def matches(word: str) -> bool:
        term = stem(word.lower())
        return term in exact or (bool(prefixes) and term.startswith(prefixes))

    return matches


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


def highlights(payload: dict, slots: list[Slot]) -> list[dict]:
    if not slots:
        return []
    matches = _matcher(slots)
    found = []
    for entry in payload.get("texts") or []:
        text = entry["text"]
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if matches(m.group(0))]
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
