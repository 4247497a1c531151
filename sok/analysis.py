"""Norwegian text analysis, done in Python so both backends see exactly the same terms.

The Elasticsearch distribution used here has no ``analysis-common`` module (no Norwegian
analyzer, no folding or n-gram filters), so text is analysed before indexing and before
querying: Unicode normalisation, lower case, tokens, stop words, Snowball's Norwegian stemmer,
then folding (æ→ae, ø→o, å→aa, accents and Sámi letters to their base). Compound words are
matched by prefix on the analysed terms ("helse" finds "helsefagarbeider"), synonyms expand the
query from an editable list."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_FOLD = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "å": "aa",
        "ä": "ae",
        "ö": "o",
        "ü": "u",
        "š": "s",
        "č": "c",
        "ŋ": "n",
        "đ": "d",
        "ž": "z",
        "ŧ": "t",
        "ʒ": "z",
        "ǯ": "z",
    }
)
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_JOINERS = re.compile(r"[-']")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A short list: the words that carry no meaning in a profile search.
STOP_WORDS = frozenset(
    """
    og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har
    om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller
    hva skal selv sjøl her alle vil bli ble blitt kunne inn når være kom noen noe ville dere
    deres kun ja etter ned skulle denne for deg si sine sitt mot å meget hvorfor dette disse uten
    hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors hvis
    både bare enn fordi før mange også slik vært båe begge siden henne hennar hennes
    """.split()
)

# Minimum length of a query term for prefix (compound) matching; shorter terms match exactly.
MIN_PREFIX = 4
MAX_QUERY_LENGTH = 500
MAX_QUERY_TERMS = 32


_local = threading.local()


def _stemmer():
    # A Snowball stemmer keeps state while it works: one per thread, or threaded servers
    # corrupt each other's words (AssertionError in slice_from under load).
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("norwegian")
    return stemmer


def fold(text: str) -> str:
    """Lower case, Norwegian letters spelled out, accents removed."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def clean_query(text: str) -> str:
    """Make any user input safe to analyse: no control characters, bounded length."""
    text = _CONTROL.sub(" ", text or "")
    return text[:MAX_QUERY_LENGTH]


def tokens(text: str) -> list[str]:
    """Raw word tokens, lower-cased and NFKC-normalised, hyphenated words split too."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    out = []
    for word in _TOKEN.findall(text):
        if "-" not in word and "'" not in word:
            out.append(word)
            continue
        parts = _JOINERS.split(word)
        out.extend(part for part in parts if part)
        out.append("".join(parts))  # "helse-arbeider" also as "helsearbeider"
    return out


# Nynorsk (and a few older bokmål) forms -> the bokmål form they are searched as, applied to
# whole tokens before stemming so both written standards meet (sjukepleiar/sykepleier). Regular
# inflections are handled by the suffix rules below; these are the words whose stem differs.
NYNORSK = {
    "busetjing": "bosetting",
    "busetjinga": "bosettingen",
    "busetje": "bosette",
    "busett": "bosatt",
    "busette": "bosatte",
    "busetjast": "bosettes",
    "bustad": "bolig",
    "bustader": "boliger",
    "bustadar": "boliger",
    "bustaden": "boligen",
    "tilbod": "tilbud",
    "tilboda": "tilbudene",
    "tilboden": "tilbudene",
    "tilbodet": "tilbudet",
    "heile": "hele",
    "mykje": "mye",
    "fleire": "flere",
    "vaksne": "voksne",
    "vaksen": "voksen",
    "born": "barn",
    "borna": "barna",
    "teneste": "tjeneste",
    "tenester": "tjenester",
    "tenesta": "tjenesten",
    "einsleg": "enslig",
    "einslege": "enslige",
    "arbeidsløyse": "arbeidsledighet",
    "opplæringa": "opplæringen",
    "utdanninga": "utdanningen",
    "kvinna": "kvinnen",
    "særskild": "særskilt",
    "særskilde": "særskilte",
    "særleg": "særlig",
    "særlege": "særlige",
    "behova": "behovene",
    "kommunane": "kommunene",
    "kommunar": "kommuner",
    "fylka": "fylkene",
    "høgare": "høyere",
    "høg": "høy",
    "høgskule": "høgskole",
    "skule": "skole",
    "skular": "skoler",
    "skulen": "skolen",
    "grunnskule": "grunnskole",
    "vidaregåande": "videregående",
    "ungdomar": "ungdommer",
    "familiar": "familier",
    "familiane": "familiene",
    "bu": "bo",
    "buande": "boende",
    "butrening": "botrening",
    "ikkje": "ikke",
    "eit": "et",
    "ein": "en",
    "frå": "fra",
    "òg": "også",
    "berre": "bare",
    "kva": "hva",
    "korleis": "hvordan",
    "kven": "hvem",
    "dei": "de",
    "deira": "deres",
    "vere": "være",
    "vore": "vært",
    "hjå": "hos",
    "utan": "uten",
    "medan": "mens",
    "sjølv": "selv",
    "noko": "noe",
    "nokon": "noen",
}
# Word-initial nynorsk spellings: sjuk- -> syk- (sjukepleiar, sjukeheim), heim -> hjem.
_PREFIXES = (("sjuk", "syk"), ("heim", "hjem"), ("tenest", "tjenest"), ("bustad", "bolig"))
# Agent nouns and plurals, nynorsk and bokmål, to one form: -arane/-arar/-aren/-ar and
# -erne/-ere/-eren to -er (sveisar, sveisere, sveiserne -> sveiser), -ane to -ene.
_SUFFIXES = (
    ("arane", "er"),
    ("arar", "er"),
    ("aren", "er"),
    ("erne", "er"),
    ("eren", "er"),
    ("ere", "er"),
    ("ane", "ene"),
    ("ar", "er"),
)
MIN_SUFFIX_STEM = 3


def normalise(token: str) -> str:
    """A lower-cased token in the form it is stemmed as: nynorsk forms as bokmål, agent nouns
    and plurals in one form."""
    token = NYNORSK.get(token, token)
    for old, new in _PREFIXES:
        if token.startswith(old) and token != old:
            token = new + token[len(old) :]
            break
    for old, new in _SUFFIXES:
        if token.endswith(old) and len(token) - len(old) >= MIN_SUFFIX_STEM:
            token = token[: -len(old)] + new
            break
    return token


@lru_cache(maxsize=65_536)
def stem(token: str) -> str:
    return fold(_stemmer().stemWord(normalise(token)))


def analyse(text: str, *, keep_stop_words: bool = False) -> list[str]:
    """The terms of a text, as indexed: tokens → stop words removed → nynorsk and plural forms
    normalised → stemmed → folded."""
    return [stem(token) for token in tokens(text) if keep_stop_words or not is_stop_word(token)]


def is_stop_word(token: str) -> bool:
    return NYNORSK.get(token, token) in STOP_WORDS


def pairs(terms: list[str]) -> set[str]:
    """Adjacent analysed terms joined («saerskilt_behov»): what phrases and multi-word synonyms
    are matched against."""
    return {f"{a}_{b}" for a, b in zip(terms, terms[1:], strict=False)}


def analyse_query(text: str) -> list[str]:
    """The terms of a query, analysed like the index, deduplicated, bounded in number."""
    seen: dict[str, None] = {}
    for term in analyse(clean_query(text)):
        seen.setdefault(term)
        if len(seen) >= MAX_QUERY_TERMS:
            break
    return list(seen)


def is_prefix_term(term: str) -> bool:
    return len(term) >= MIN_PREFIX and not term.isdigit()
