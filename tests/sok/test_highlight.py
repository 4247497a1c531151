"""«Why it matched»: the cheap test that skips a text is never wrong. Whatever the words, a
text in which some word matches the query's terms always passes ``may_match``."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sok.analysis import NYNORSK, stem
from sok.highlight import _Matcher
from sok.query import Slot

PIECES = [
    "sveis", "helse", "fag", "arbeid", "sjuk", "heim", "tenest", "bustad", "pleie", "syk",
    "hjem", "bolig", "tjenest", "skule", "kommun", "særskil", "behov", "øy", "å", "bø", "ene",
    "ar", "er", "en", "e", "ane", "arane", "arar", "aren", "erne", "eren", "ere", "erte", "ert",
    "dt", "vt", "s", "leg", "eleg", "lov", "hets", "ing", "inga", "heit", "a", "o", "i",
]  # fmt: skip
word = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join),
    st.sampled_from(sorted(NYNORSK)),
)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(word, min_size=1, max_size=6),
    pick=st.integers(min_value=0, max_value=5),
    cut=st.integers(min_value=0, max_value=6),
    capital=st.booleans(),
)
def test_a_text_with_a_matching_word_is_never_skipped(words, pick, cut, capital):
    text = " ".join(w.capitalize() if capital else w for w in words)
    term = stem(words[pick % len(words)])
    prefix = term[: max(4, len(term) - cut)] if len(term) >= 4 else ""
    for slot in (
        Slot(term, terms=(term,), own=(term,)),
        Slot(prefix, terms=(prefix,), own=(prefix,)) if prefix else None,
    ):
        if slot is None:
            continue
        matcher = _Matcher([slot])
        if matcher.spans(text):
            assert matcher.may_match(text), (text, slot)


def test_a_text_without_the_words_is_skipped():
    matcher = _Matcher([Slot("sveiser", terms=(stem("sveiser"),), own=(stem("sveiser"),))])
    assert matcher.may_match("Vi trenger sveisarar og sveisere.")
    assert not matcher.may_match("Vi trenger sykepleiere og helsefagarbeidere.")


def test_nynorsk_spellings_pass():
    matcher = _Matcher([Slot("sykepleier", terms=(stem("sykepleier"),), own=())])
    assert matcher.may_match("Stort behov for sjukepleiarar.")
    matcher = _Matcher([Slot("bolig", terms=(stem("bolig"),), own=())])
    assert matcher.may_match("Kommunen har ein bustad ledig.")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcæøåÆØÅé –«»\u00a0’…ﬁ½ö"), max_size=30))
def test_the_quick_fold_keeps_every_letter_that_fold_keeps(text):
    from sok.analysis import fold
    from sok.highlight import _quick_fold

    letters = lambda s: "".join(ch if ch.isalnum() else " " for ch in s).split()  # noqa: E731
    assert letters(_quick_fold(text)) == letters(fold(text))
