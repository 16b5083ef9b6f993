"""Words of people who stay, however OCR read them: never taken for another person's name."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from redaction.detect import manifest
from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.person_words import _is_known
from redaction.detect.tokens import Token, canon, fold
from redaction.detect.variants import ALL_TITLES, Role

_KEPT_SHARERS = frozenset({Role.STAFF, Role.PARTY, Role.PARTY_STAFF})


def _kept_sharers_only(ctx: DetectContext, page_i: int, j: int, *, first_only: bool) -> bool:
    """Token ``j`` of the page is a one-word name match of the manifest, and every match over
    it is the name (the lone first name, with ``first_only``) of staff or a consenting party."""
    cover = manifest.matches_over(ctx, page_i, j)
    return bool(cover) and all(m.length == 1 and m.variant.owner.protected and m.variant.owner.role in _KEPT_SHARERS
                               and (m.variant.first_only or not first_only) for m in cover)


_SURNAME_SHARERS = frozenset({Role.STAFF, Role.PARTY, Role.PARTY_STAFF})


def _shared_surname(tok: Token, ctx: DetectContext, page_i: int, toks: list[Token],
                    roles: frozenset[Role] = _SURNAME_SHARERS) -> bool:
    """``tok`` is known to the manifest only as the lone surname of a member of staff or a
    consenting party (``roles``), maybe of a withheld party too (whose lone surname the
    manifest detector leaves when somebody protected bears it): after another person's first
    name, it is that person's surname too."""
    j = next((k for k, t in enumerate(toks) if t is tok), -1)
    text = ctx.texts[page_i].text
    # a name does not run on over a semicolon ("KORKMAZ, Zehra; KORKMAZ, Azra": not "Zehra Korkmaz")
    cover = [m for m in manifest.matches_over(ctx, page_i, j)
             if ";" not in text[toks[m.first].start:toks[m.last].start]]
    return j >= 0 and any(m.variant.owner.protected for m in cover) and all(
        m.length == 1 and m.variant.surname_only
        and (not m.variant.owner.protected or m.variant.owner.role in roles) for m in cover)


_CONSENTING = frozenset({Role.PARTY, Role.PARTY_STAFF})


def _child_surname(ctx: DetectContext, page_i: int, toks: list[Token], known: list[tuple[int, int]],
                   found_word: Callable[[Token], bool]) -> Callable[[Token], bool]:
    """A child's surname after their first name: a word of a person found in the case, any name
    word no protected person's looks like ("Harry Cole"), or the surname of a member of staff,
    a consenting party ("Théo N'Diaye") or the family itself (a sibling: "Sana Butt" in
    Fatima Butt's file)."""
    pt = ctx.texts[page_i]

    def ok(t: Token) -> bool:
        return found_word(t) or (not _is_known(t, known) and not _looks_protected(t, ctx, pt, toks)) or (
            _shared_surname(t, ctx, page_i, toks, _FAMILY_SURNAME_SHARERS))
    return ok


_FAMILY = frozenset({Role.CHILD, Role.REQUESTER})  # the child's family: their names stay
_FAMILY_SURNAME_SHARERS = _SURNAME_SHARERS | _FAMILY


PROTECTED_LIKENESS = 0.75
_READ_AS_LETTER = re.compile(r"[^0-9a-z!|]+")  # OCR's "!" and "|" for an i or l are kept (see canon)


TITLED_LIKENESS = 0.6  # a surname after a title ("Mrs Goncanse" for Mrs Gonçalves)


def _looks_protected(tok: Token, ctx: DetectContext, pt: PageText | None = None,
                     toks: list[Token] | None = None) -> bool:
    """A word OCR garbled past the manifest matcher's thresholds that still reads like a
    protected person's name ("Hiiseyin" for the child Hüseyin, "Wei" for Weiß, "OSE!" for
    OSEI when ``pt`` gives the word as printed; after a title, less alike: "Mrs Goncanse"
    for Mrs Gonçalves, when ``toks`` tell what is before it) or their initials ("AOI"
    beside the requester's "AO"): not another person."""
    if len(tok.poss) >= 3 and any(p.fullmatch(tok.poss) for p in ctx.protected_accented):
        return True
    if _looks_like_protected_initials(tok, ctx.protected_initials):
        return True
    if not ctx.protected_words:
        return False
    if len(tok.poss) == 4 and any(Levenshtein.distance(tok.poss, p) == 1 for p in ctx.protected_five):
        return True  # a letter of a five-letter name lost ("Fifi" for Fiifi)
    return _reads_like(tok, ctx.protected_words, pt, toks is not None and _after_title(tok, toks))


_H_READ_AS = ("tl", "ll")


def _reads_like(tok: Token, words: tuple[str, ...], pt: PageText | None, titled: bool, loose: float = 0.0) -> bool:
    """``tok`` (as tokenised, or as printed on ``pt``) reads like one of ``words`` (OCR-canonical
    name words): the shorter the word, the nearer it must be; after a title, less near;
    ``loose`` lowers every bar by that much."""
    if not words:
        return False
    forms = {canon(tok.poss)}
    if pt is not None and tok.poss == tok.base:
        forms.add(canon(_READ_AS_LETTER.sub("", fold(pt.text[tok.start:tok.end]).lower())))
    # an "h" OCR read as two letters, "ti" or "li" ("Zetira" for Zehra), canonical "tl", "ll"
    forms |= {f.replace(a, "h") for f in forms for a in _H_READ_AS if a in f}
    for form in forms:
        if len(form) < 4:
            continue
        need = 1.0 if len(form) <= 4 else 0.8 if len(form) <= 6 else PROTECTED_LIKENESS
        if titled and len(form) >= 6:
            need = TITLED_LIKENESS
        best = process.extractOne(form, words, scorer=Levenshtein.normalized_similarity)
        if best is not None and best[1] >= need - loose:
            return True
    return False


def _like_a_grown_up_who_stays(tok: Token, ctx: DetectContext, pt: PageText, toks: list[Token]) -> bool:
    """``tok`` reads like a protected name (:func:`_looks_protected`), but like a grown-up's who
    stays (the requester, staff, a consenting party), not the child's, not even loosely, and is
    none of their names as spelt nor their accented names: where the words around it say a child is named ("played with
    Malachi" beside the requester Malathi), it is that child, most likely, and is proposed
    lower, saying so, for the reviewer."""
    if len(tok.poss) <= _SHORT or canon(tok.poss) in ctx.protected_words or not _looks_protected(
            tok, ctx, pt, toks) or any(p.fullmatch(tok.poss) for p in ctx.protected_accented):
        return False
    return not _reads_like(tok, ctx.child_words, pt, False, loose=_CHILD_LOOSE) and not (
        _looks_like_protected_initials(tok, ctx.protected_initials))


_SHORT = 4  # a word this short that reads like a protected name is never taken for somebody else
_CHILD_LOOSE = 0.15  # how much less alike a word may be to the child's name and still be kept as theirs


def _after_title(tok: Token, toks: list[Token]) -> bool:
    i = next((k for k, t in enumerate(toks) if t is tok), -1)
    return i > 0 and toks[i - 1].poss in ALL_TITLES


def _initials_of_a_known_name(tok: Token, toks: list[Token], known: list[tuple[int, int]]) -> bool:
    """Initials (three capitals or fewer, or one letter) printed right before a name the
    manifest knows: that person's, however OCR read them ("ISB O'Brien" for "S. O'Brien")."""
    c = tok.cased
    if not (c.isalpha() and (len(c) == 1 or (len(c) <= 3 and c.isupper()))):
        return False
    i = next((k for k, t in enumerate(toks) if t is tok), -1)
    return 0 <= i < len(toks) - 1 and toks[i + 1].word != tok.word and _is_known(toks[i + 1], known)


def _looks_like_protected_initials(tok: Token, initials: frozenset[str]) -> bool:
    """Initials printed in capitals that hold a protected person's initials and at most one
    letter OCR added ("AOI", "JOA" for "AO", "OA"; a speck read as a small letter after them:
    "TRi" for "TR")."""
    c = tok.cased
    if 3 <= len(c) <= 4 and c.isalpha() and c[:-1].isupper() and c[-1].islower() and c[:-1] in initials:
        return True
    if not (2 <= len(c) <= 4 and c.isalpha() and c.isupper()):
        return False
    return any(len(c) - len(i) <= 1 and i in c for i in initials)
