"""Normalised token streams for matching names, addresses and contacts.

Every word of a page becomes one or more tokens (a hyphenated word "Smith-Jones"
gives "smith" and "jones", both pointing at the same word). Each token keeps the
character span of its word part in the page text, so a match maps back to boxes with
:meth:`PageText.spans_to_boxes`.

Normalisation folds diacritics (José -> jose), case, curly quotes, and drops
punctuation. Possessives give extra forms: "Price's" -> "price"; "Prices'" ->
"prices", "price"; a bare trailing "s" gives a weaker form ("Prices" -> "price").
:func:`canon` maps common OCR confusions to one spelling (1/i/l/| -> l, 0 -> o,
rn -> m, ri -> n, ii -> u ...) so "Pr1ce", "Pnce" and "Price" compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from redaction.detect.align import PageText

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_ALNUM_CASED = re.compile(r"[^0-9A-Za-z]+")
_EDGE_PUNCT = re.compile(r"^[^0-9A-Za-z']+|[^0-9A-Za-z']+$")
# words split at hyphens and slashes, and where OCR ran two words together over punctuation
# before a capital ("Worker).;Delroy", "Lewisham.Health", "Mr.Price") or a number
_GLUED_AFTER_QUOTE = re.compile(r"([A-Z][^\W\d_]{2,})'([a-z]+)")
_SPLIT = re.compile(r"[-/]+|[.;:,()\[\]{}|\"\u201c\u201d]+(?=[A-Z\u00c0-\u00de])"
                    r"|(?<=[a-z]{2})['\u2018\u2019](?=[A-Z\u00c0-\u00de])"  # "that'Zofia", not "O'Brien"
                    r"|(?<=[a-z])[.;,](?=[a-z]{2})"  # "Simone.knocked"
                    r"|(?<=[a-z]{2})[.;,'\u2018\u2019](?=\d)"  # a word run into a number ("Sheffield.0-19")
                    r"|(?<=[a-z]{2})(?=[A-Z]\.[^\w]*$)"  # a surname initial run into the name ("RinaG.")
                    r"|(?<=\b[A-Z]\.)['\u2018\u2019]+(?=[a-z])"  # the next word run on after an initial ("M.'and")
                    # a title run into the name ("MrLiam", "Ms'Raja", "MrsO'Neil")
                    r"|(?:(?<=\bMr)|(?<=\bMs)|(?<=\bMx)|(?<=\bDr)|(?<=\bMrs)|(?<=\bMiss))['\u2018\u2019`]?"
                    r"(?=[A-Z\u00c0-\u00de][a-z\u00df-\u00ff'\u2019])"
                    # a title and an initial run into the name ("DrMBerisha")
                    r"|(?:(?<=\bMr)|(?<=\bMs)|(?<=\bMx)|(?<=\bDr)|(?<=\bMrs)|(?<=\bMiss))(?=[A-Z][A-Z][a-z])"
                    r"|(?:(?<=\bMr[A-Z])|(?<=\bMs[A-Z])|(?<=\bDr[A-Z])|(?<=\bMrs[A-Z])|(?<=\bMiss[A-Z]))"
                    r"(?=[A-Z][a-z])")

# a word in capitals whose last letter, an I, OCR read as an exclamation mark ("RU!", "OSE!")
_CAPS_BANG = re.compile(r"([\"'(\[]?[A-Z]{2,5})!([,.;:)\]]?)")
_LONE_POSSESSIVE = re.compile(r"'s\W*", re.IGNORECASE)
_CANON_CHARS = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l", "5": "s", "8": "b", "$": "s", "q": "g"})
_CANON_SEQS = (("rn", "m"), ("rl", "n"), ("vv", "w"), ("cl", "d"))


@lru_cache(maxsize=1 << 16)
def fold(s: str) -> str:
    """Diacritics removed, quotes and dashes unified; case kept. (Kept for the words
    seen last: detection folds the same words many times over.)"""
    s = unicodedata.normalize("NFKD", s.translate(_QUOTES))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("\u00df", "ss").replace("\u00f8", "o").replace("\u00d8", "O").replace("\u0142", "l")
    s = s.replace("\u00e6", "ae").replace("\u00c6", "AE")
    return _DASHES.sub("-", s)


def alnum(s: str) -> str:
    """Lower-case letters and digits only."""
    return _NON_ALNUM.sub("", fold(s).lower())


def alnum_cased(s: str) -> str:
    return _NON_ALNUM_CASED.sub("", fold(s))


@lru_cache(maxsize=1 << 17)  # asked for the same page words by every party's matcher: pure
def canon(s: str) -> str:
    """OCR-confusion canonical form of an :func:`alnum` string."""
    s = s.replace("ii", "u").translate(_CANON_CHARS)  # "ii": how OCR reads u-umlaut (Miiller)
    for a, b in _CANON_SEQS:
        s = s.replace(a, b)
    return s


@dataclass(frozen=True)
class Token:
    word: int  # index into PageText.words
    start: int  # char span in the page text (of this part of the word)
    end: int
    raw: str  # the word part as printed, edge punctuation stripped
    base: str  # alnum form
    poss: str  # possessive stripped ("price's" -> "price"); == base if none
    weak: str  # trailing plural "s" stripped as well (weaker evidence); == poss if none
    cased: str  # alnum with case kept, possessive stripped ("D.P." -> "DP")
    upper_initial: bool  # starts with an upper-case letter (or is a digit)


def _forms(part: str) -> tuple[str, str, str, str]:
    f = fold(part)
    if (bang := _CAPS_BANG.fullmatch(f)) is not None:
        f = bang.group(1) + "I" + bang.group(2)  # "RU!" is "RUI": a capital I OCR read as "!"
    core = _EDGE_PUNCT.sub("", f)
    low = core.lower()
    poss_raw = core
    if low.endswith("'s"):
        poss_raw = core[:-2]
    elif low.endswith("'"):
        poss_raw = core[:-1]
    elif (glued := _GLUED_AFTER_QUOTE.fullmatch(core)) is not None:
        poss_raw = glued.group(1)  # "Khan'on": the next word run on after a quote mark
    base = alnum(core)
    poss = alnum(poss_raw)
    weak = poss
    if low.endswith("s'") or (low.endswith("s") and poss == base and len(poss) > 4):
        weak = poss[:-1]
    return base, poss, weak, alnum_cased(poss_raw)


def tokenize(pt: PageText) -> list[Token]:
    """The token stream of a page, in reading order. Punctuation-only words give no token."""
    out: list[Token] = []
    for wi in range(len(pt.words)):
        ws, we = pt.spans[wi]
        text = pt.text[ws:we]
        if _LONE_POSSESSIVE.fullmatch(fold(text)):
            continue  # "'s" OCR set apart from its word ("Children' 's"): part of the word before
        pos = 0
        parts: list[tuple[int, str]] = []
        for m in _SPLIT.finditer(text):
            parts.append((pos, text[pos : m.start()]))
            pos = m.end()
        parts.append((pos, text[pos:]))
        for off, part in parts:
            base, poss, weak, cased = _forms(part)
            if not base:
                continue
            stripped = _EDGE_PUNCT.sub("", fold(part))
            out.append(
                Token(
                    word=wi,
                    start=ws + off,
                    end=ws + off + len(part),
                    raw=stripped,
                    base=base,
                    poss=poss,
                    weak=weak,
                    cased=cased,
                    # an opening quote folds to an apostrophe: "'Jannat" still starts with a capital
                    upper_initial=bool(lead := stripped.lstrip("'")) and (lead[0].isupper() or lead[0].isdigit()),
                )
            )
    return out
