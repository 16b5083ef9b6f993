"""How the name matcher reads a token: everyday words, and initials as printed, glued, in mixed case or as digits."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.align import PageText
from redaction.detect.tokens import Token

_STOP = frozenset(STOP_WORDS) | {"said", "says", "told", "asked", "reported", "agreed", "will", "would"}
# given names that are everyday English words too: printed in lower case, they are the word
_WORD_NAMES = _STOP | frozenset(
    "will may mark bill rose grace hope faith joy ray dawn pat rob sue jack drew guy frank summer amber "
    "ivy holly heather violet lily daisy ruby pearl crystal sky river storm autumn june april august art "
    "sunny dean bob penny sandy rusty chase hunter victor eve gay kay jay bay wade miles reed rich "
    "glen dale heath clay cliff brook lane fern iris jasmine poppy willow hazel ash rowan robin "
    "honor honour patience prudence charity mercy constance earnest ernest precious blessing "
    "gift favour favor goodness wisdom".split())
# short words that begin a sentence: never taken for initials OCR printed in mixed case
_COMMON_SHORT = frozenset(
    "ah am an as at be by do go ha he hi if in is it me my no of oh ok on or so to up us we ye yo "
    "the and for but not you all any can had her was one our out day get has him his how man new now old see "
    "two way who boy did its let put say she too use mum dad nan are ask big bus car cry end eye far few fun "
    "got hot job key lot may mix nor off own pay ran red run sad sat set sit six ten top try war yes yet".split()
)


def _mixed_case_initials(t: Token) -> bool:
    """A two- or three-letter word in mixed case ("Ju" or "jU" for "JU") that is no common word."""
    c = t.cased
    return 2 <= len(c) <= 3 and c.isalpha() and not c.isupper() and not c.islower() and t.base not in _COMMON_SHORT


_GLUED_INITIALS = re.compile(r"([A-Z]{2,3})([a-z]{2,})")


def _glued_initials(t: Token) -> str | None:
    """Initials OCR ran into the common word after them ("BMwas" for "BM was")."""
    m = _GLUED_INITIALS.fullmatch(t.cased)
    return m.group(1) if m is not None and m.group(2).lower() in _STOP else None


def _initials_sim(t: Token, upper: str) -> tuple[float, int]:
    """How well token ``t`` reads as the initials ``upper`` (as printed, glued, as digits, mixed case)."""
    if t.cased == upper:
        return 1.0, 1
    if _glued_initials(t) == upper:
        return 0.9, 1
    if _digits_as_initials(t) == upper:
        return _DIGIT_INITIALS_SIM, 1
    if t.cased.upper() == upper and (_mixed_case_initials(t) or _small_lettered_acronym(t)):
        return 0.9, 1
    return 0.0, 0


def _small_lettered_acronym(t: Token) -> bool:
    """An acronym of four to six letters OCR read in small letters after the first or all through
    ("Csws" or "csws" for CSWS, "Nspcc"), where it cannot be a word: no vowel ("Salt" for SALT is
    left to its capitals)."""
    c = t.cased
    return 4 <= len(c) <= 6 and c.isalpha() and c[1:].islower() and not any(v in c.lower() for v in "aeiou")


_INITIAL_WORD = re.compile(r"\S\.")


def after_initials(pt: PageText, toks: list[Token]) -> frozenset[int]:
    """Tokens that start a word printed right after an initial on the same line: one character
    and a full stop ("I.", or an initial OCR misread: "|.", "6.")."""
    out: set[int] = set()
    for j, t in enumerate(toks):
        w = t.word
        if (w > 0 and t.start == pt.spans[w][0] and pt.lines[w - 1] == pt.lines[w]
                and _INITIAL_WORD.fullmatch(pt.words[w - 1].text.strip())):
            out.add(j)
    return frozenset(out)


_DIGIT_INITIALS_SIM = 0.85
_DIGIT_LETTERS = str.maketrans({"0": "O"})


def _digits_as_initials(t: Token) -> str | None:
    """Initials of O's that OCR read as zeros ("00 said" for "OO said"), as letters; None for
    any other token (a "10" or "11" is a number far more often than anybody's initials)."""
    c = t.cased
    if 2 <= len(c) <= 3 and "0" in c and set(c) <= {"0", "O"}:
        return c.translate(_DIGIT_LETTERS)
    return None


# three-letter abbreviations of a school's files, never taken for initials with a letter added
_SCHOOL_ACRONYMS = frozenset(
    "dsl sen slt cin lac eal ehc iep caf tac pep fsm dob gcs nhs pta pto sar dfe ofs cpd hmi nqt ect "
    "sfw fsw ewo dsp sat".split())
