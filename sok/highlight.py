"""Why a profile matched, cut in Python from the document's texts so both backends show the
same reasons: at most one snippet per section, from the text with the most of the query's
words, labelled with the section («Arbeidskraftbehov: … <mark>sveisere</mark> …»). Output is
HTML-escaped with <mark> around the words that matched."""

from __future__ import annotations

import re

from django.utils.html import escape

from . import dimensions
from .analysis import pairs, stem
from .query import Slot

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
CONTEXT_CHARS = 80


class _Matcher:
    """Which words of a text match a query's slots (as the index matches them: whole terms,
    compound prefixes, phrases as adjacent words)."""

    def __init__(self, slots: list[Slot]):
        self.exact = {term for slot in slots for term in slot.terms}
        self.prefixes = tuple({prefix for slot in slots for prefix in slot.prefixes})
        self.pairs = {p for slot in slots for p in slot.pair_terms}
        # Texts repeat their words; each distinct word is stemmed and tested once per search.
        self.seen: dict[str, str] = {}

    def term(self, word: str) -> str:
        term = self.seen.get(word)
        if term is None:
            term = self.seen[word] = stem(word.lower())
        return term

    def spans(self, text: str) -> list[tuple[int, int]]:
        words = [(m.start(), m.end(), self.term(m.group(0))) for m in _WORD.finditer(text)]
        marked = set()
        for index, (_s, _e, term) in enumerate(words):
            if term in self.exact or (self.prefixes and term.startswith(self.prefixes)):
                marked.add(index)
        if self.pairs:
            for index in range(len(words) - 1):
                if pairs([words[index][2], words[index + 1][2]]) & self.pairs:
                    marked.update((index, index + 1))
        return [(words[i][0], words[i][1]) for i in sorted(marked)]


def _snippet(text: str, spans: list[tuple[int, int]]) -> str:
    start = max(0, spans[0][0] - CONTEXT_CHARS)
    end = min(len(text), spans[0][1] + CONTEXT_CHARS * 2)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space > spans[0][1] else end
    out, cursor = [], start
    for s, e in spans:
        if s < cursor or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def explain(payloads: list[dict], slots: list[Slot]) -> list[list[dict]]:
    """The snippets of each hit on a page, one matcher for them all; the texts they are cut
    from then leave the payloads (nothing else reads them, and they are most of the bytes)."""
    matcher = _Matcher(slots) if slots else None
    titles = {text.section: str(text.title or text.section) for text in dimensions.texts()}
    out = []
    for payload in payloads:
        texts = payload.pop("texts", None) or []
        out.append(_highlights(texts, matcher, titles) if matcher else [])
    return out


take_highlights = explain


def _highlights(texts: list[dict], matcher: _Matcher, titles: dict[str, str]) -> list[dict]:
    best: dict[str, tuple[int, dict, list]] = {}
    for entry in texts:
        spans = matcher.spans(entry["text"])
        if not spans:
            continue
        words = len({entry["text"][s:e].lower() for s, e in spans})
        section = entry["section"]
        if section not in best or words > best[section][0]:
            best[section] = (words, entry, spans)
    found = []
    for section, (_words, entry, spans) in best.items():
        found.append(
            {
                "section": section,
                "label": titles.get(section, section),
                "row": entry["label"],
                "html": _snippet(entry["text"], spans),
            }
        )
    return found
