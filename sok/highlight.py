"""Why a profile matched, cut in Python from the document's texts so both backends show the
same reasons: at most one snippet per section, from the text with the most of the query's
words, labelled with the section («Arbeidskraftbehov: … <mark>sveisere</mark> …»). Output is
HTML-escaped with <mark> around the words that matched."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.translation import get_language

from . import dimensions
from .analysis import _PREFIXES, NYNORSK, fold, pairs, stem
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
        self.needles = _needles(self)
        self.needle = (
            re.compile("|".join(map(re.escape, self.needles))) if self.needles is not None else None
        )

    def matches(self, term: str) -> bool:
        return term in self.exact or bool(self.prefixes and term.startswith(self.prefixes))

    def may_match(self, text: str) -> bool:
        """False only when no word of the text can match: a cheap test on the folded text
        that spares tokenising and stemming the texts that have none of the query's words
        (most of a hit's texts)."""
        if self.needle is None:
            return True
        return self.needle.search(_quick_fold(text)) is not None

    def term(self, word: str) -> str:
        term = self.seen.get(word)
        if term is None:
            term = self.seen[word] = stem(word.lower())
        return term

    def spans(self, text: str) -> list[tuple[int, int]]:
        words = [(m.start(), m.end(), self.term(m.group(0))) for m in _WORD.finditer(text)]
        marked = set()
        for index, (_s, _e, term) in enumerate(words):
            if self.matches(term):
                marked.add(index)
        if self.pairs:
            for index in range(len(words) - 1):
                if pairs([words[index][2], words[index + 1][2]]) & self.pairs:
                    marked.update((index, index + 1))
        return [(words[i][0], words[i][1]) for i in sorted(marked)]


# Characters that Norwegian texts often have and folding leaves as they are (not letters).
_PUNCTUATION = re.compile("[\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022«»°§€]")


def _quick_fold(text: str) -> str:
    """``fold(text)`` for the usual text (ASCII and æ/ø/å), without Unicode normalisation
    (most of fold's cost); anything else goes through ``fold`` itself."""
    low = text.lower()
    if not low.isascii():
        low = low.replace("æ", "ae").replace("ø", "o").replace("å", "aa")
        if not low.isascii():
            low = _PUNCTUATION.sub(" ", low)
            if not low.isascii():
                return fold(text)
    return low


# Endings that normalisation may have written into a term (sveisar -> sveiser, -ane -> -ene):
# the text has another ending there, so a needle stops before them.
_WRITTEN_ENDINGS = ("ene", "er", "en", "e")


def _needles(matcher: _Matcher) -> tuple[str, ...] | None:
    """Substrings of the folded text, one of which is in every text that has a matching word.

    A word's term is a prefix of the word folded after normalisation (Snowball's Norwegian
    stemmer only cuts endings), and normalisation rewrites only a word's ending, a few
    word-initial nynorsk spellings (sjuk-, heim-, …) and whole nynorsk words. So a term, cut
    before an ending normalisation may have written, is in the folded text, with the nynorsk
    spelling of its beginning, or as a whole nynorsk word whose term matches. None: no test.
    """
    terms = matcher.exact | set(matcher.prefixes)
    terms |= {part for pair in matcher.pairs for part in pair.split("_")}
    needles: set[str] = set()
    for term in terms:
        base = term
        for ending in _WRITTEN_ENDINGS:
            if base.endswith(ending):
                base = base[: -len(ending)]
                break
        if not base:
            return None
        needles.add(base)
        for nynorsk, bokmal in _PREFIXES:
            written, searched = fold(nynorsk), fold(bokmal)
            if base.startswith(searched) or searched.startswith(base):
                needles.add(written + base[len(searched) :])
    for word in NYNORSK:
        if matcher.matches(stem(word)) or any(stem(word) == part for part in terms):
            needles.add(fold(word))
    return tuple(sorted(needles))


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
    titles = _titles()
    out = []
    for payload in payloads:
        texts = payload.pop("texts", None) or []
        out.append(_highlights(texts, matcher, titles) if matcher else [])
    return out


take_highlights = explain

_section_titles: dict[tuple[str, int], dict[str, str]] = {}


def _titles() -> dict[str, str]:
    """Each text section's title in the active language (made once per language)."""
    key = (get_language() or "", len(dimensions.texts()))
    titles = _section_titles.get(key)
    if titles is None:
        titles = _section_titles[key] = {
            text.section: str(text.title or text.section) for text in dimensions.texts()
        }
    return titles


def _highlights(texts: list[dict], matcher: _Matcher, titles: dict[str, str]) -> list[dict]:
    best: dict[str, tuple[int, dict, list]] = {}
    for entry in texts:
        if not matcher.may_match(entry["text"]):
            continue
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
