"""Where a found person's name begins and ends beyond the words the NER model gave.

The model often takes in part of a name: the surname alone after a first name it did not
know ("Nahom Woldemariam" read as "Woldemariam"), or the first line of a name a table cell
wrapped ("Kaiden" at the end of a cell's line, "McKenzie" or "M." under it, other cells'
words between them in the reading order). Here the words beside the entity are looked at
for the rest of the name:

- the word just before a lone word the model found, on its line, when it can be a name;
- a word inside the entity that reads like the name of somebody who stays ("Malachi" beside
  Mrs Malathi Pillai of the staff), before a name that does not: it is kept in the proposal,
  lower and saying so, for the reviewer (never silently dropped);
- the word that starts the next line of the entity's table cell, under its last word, when it
  is a surname or an initial.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.addresses import _STREET_WORD, POSTCODE
from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.person_words import _NOT_A_NAME_WORD, _NOT_NAME, _is_known, _name_tokens, _sentence_goes_on
from redaction.detect.protected import (
    _FAMILY_SURNAME_SHARERS,
    _initials_of_a_known_name,
    _like_a_grown_up_who_stays,
    _looks_protected,
    _shared_surname,
)
from redaction.detect.tokens import Token
from redaction.detect.variants import ALL_TITLES
from redaction.detect.vocab import common_words, is_common
from redaction.detect.wrapped import BELOW, COLUMN_GAP, at_cell_edge, upright

# words that make an entity an organisation or a place, not a person
NOT_PERSON_ENTITY = frozenset(
    "primary academy school nursery college council services service hub team unit centre center "
    "hospital clinic police trust nhs road street lane avenue london court st saint church "
    # "Children and Young People's Service"; a street's word that is nobody's surname ("Quarry Mews")
    "people mews crescent terrace gardens parade wharf estate flats "
    # a form's or a page's words ("Move Children" of a services' name, "DRAFT Ysgol" of a footer)
    "children draft".split()
)
# words that carry an organisation's, a street's or a school's name on after the words before
# them ("St Brigid's Catholic Primary", "Lowfield Lane Primary")
_NAME_GOES_ON = NOT_PERSON_ENTITY | frozenset(
    "catholic infant infants junior crescent terrace close drive grove".split())
_INITIAL = re.compile(r"[A-Z]\.?")
_SAME_WORD_GAP = re.compile(r"[ \t]+")  # nothing but spaces between two words of one name


def all_common(ctx: DetectContext, names: list[Token]) -> bool:
    """Every word of a found name is a common English word ("Invite", "Follow", "Grace")."""
    package = ctx.config.vocabulary_package
    if not package:
        return False
    vocabulary = common_words(package)
    return all(is_common(t.poss, vocabulary) for t in names)


def could_be_name(ctx: DetectContext, pt: PageText, tok: Token, known: list[tuple[int, int]]) -> bool:
    """``tok`` can be a word of a person's name nobody listed: capitalised letters, not in
    capitals, no title, label, role, street or organisation word, no common or stop word, no
    word the document also prints in lower case, no name the manifest knows."""
    return (tok.upper_initial and tok.base.isalpha() and len(tok.base) >= 2 and not tok.cased.isupper()
            and tok.base not in STOP_WORDS and tok.poss not in ALL_TITLES and tok.poss not in _NOT_NAME
            and tok.poss not in _NOT_A_NAME_WORD and tok.poss not in _STREET_WORD
            and tok.poss not in NOT_PERSON_ENTITY and tok.poss not in ctx.lower_case_words
            and not all_common(ctx, [tok]) and not _is_known(tok, known))


def name_before(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                first: Token, entity_start: int, lone: bool) -> tuple[Token | None, bool]:
    """The word that begins the name before its first found word ``first``, and whether it reads
    like the name of somebody who stays. Inside the entity (which starts at ``entity_start``), a
    look-alike of a kept name the entity holds; before the entity of a ``lone`` word, the word
    just before it on its line that can be a name."""
    i = next((k for k, t in enumerate(toks) if t is first), -1)
    if i <= 0:
        return None, False
    prev = toks[i - 1]
    if not _SAME_WORD_GAP.fullmatch(pt.text[prev.end:first.start]) or not prev.upper_initial:
        return None, False
    if prev.start >= entity_start:  # the model's own word, stripped for reading like a kept name
        ok = (prev.poss not in _NOT_A_NAME_WORD and not _is_known(prev, known) and prev.base.isalpha()
              and len(prev.base) >= 3 and not prev.cased.isupper() and _looks_protected(prev, ctx, pt, toks))
        return (prev, True) if ok else (None, False)
    if not lone or not could_be_name(ctx, pt, prev, known):
        return None, False
    return prev, _looks_protected(prev, ctx, pt, toks)


def wrapped_under(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                  last: Token, family: bool = False) -> tuple[int, bool] | None:
    """The page word that carries the name on under its last word ``last`` in a table cell (or
    at the start of the next line of a paragraph): a word that starts its cell's line just under
    it, at the left edge of a word of the name's line up to the name (where the cell begins,
    which a narrow gap may not tell from the cell before it), when it is a surname
    ("Kaiden / McKenzie") or an initial ("Saanvi / N."; "A" and "I" only with a full stop); and
    whether that surname is one somebody who stays bears (staff, a consenting party: "Berat /
    Korkmaz" beside Miss Korkmaz of the staff), which lowers the proposal. With ``family`` (the
    name is a child's) the family's own surname goes with it too (a sibling or a cousin: "Raffy /
    Dimaculangan" in Kristine Dimaculangan's file), as on one line."""
    w = pt.word_at(last.start)
    if w is None or pt.spans[w][1] != last.end or not at_cell_edge(pt, w):
        return None
    b = _under(pt, w)
    if b is None:
        return None
    text = pt.words[b].text.strip()
    if _INITIAL.fullmatch(text):
        return (b, False) if text.endswith(".") or text not in ("A", "I") else None
    tok = next((t for t in toks if t.word == b), None)
    if tok is None or pt.spans[b][0] != tok.start or sum(t.word == b for t in toks) != 1:
        return None  # the word is not one name word (punctuation inside it, a word OCR ran on)
    if could_be_name(ctx, pt, tok, known) and not _looks_protected(tok, ctx, pt, toks):
        return b, False
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)
    if not tok.upper_initial or tok.cased.isupper():
        return None
    if _shared_surname(tok, ctx, page_i, toks):
        return b, True
    return (b, False) if family and _shared_surname(tok, ctx, page_i, toks, _FAMILY_SURNAME_SHARERS) else None


def _under(pt: PageText, w: int) -> int | None:
    """The word that starts a cell's line just under word ``w``, at the left edge of one of the
    words of ``w``'s line up to it (the rightmost such edge, nearest the name)."""
    boxes = upright(pt)
    lb = boxes[w]
    h = max(lb.height, 1.0)
    edges = [boxes[k].x0 for k in range(w, -1, -1) if pt.lines[k] == pt.lines[w]]
    best: tuple[float, int] | None = None
    for k in range(w + 1, len(pt.words)):
        if pt.lines[k] <= pt.lines[w]:
            continue
        b = boxes[k]
        d = (b.y0 + b.y1) / 2 - (lb.y0 + lb.y1) / 2
        if not BELOW[0] * h < d <= BELOW[1] * h or b.x0 > lb.x1:
            continue
        if not any(abs(b.x0 - x) <= COLUMN_GAP * h for x in edges):
            continue
        starts = pt.lines[k - 1] != pt.lines[k] or boxes[k].x0 - boxes[k - 1].x1 > COLUMN_GAP * h
        if starts and (best is None or b.x0 > best[0]):
            best = (b.x0, k)
    return best[1] if best is not None else None


def goes_on_as_a_place(pt: PageText, toks: list[Token], start: int, end: int) -> bool:
    """The words around a found name (at [start, end)) make it part of an organisation's, a
    school's or a street's name, or a town of an address: "St" before it; after it in its cell, on
    its line or the line under it, a word that carries such a name on ("Brigid's Catholic" of "St
    Brigid's Catholic Primary", "Whitecliffe Community" of "Whitecliffe Community Primary") or a
    postcode ("West Bromwich B71 9JQ"); a street's name just before it ("Wellington Crescent /
    West Bromwich"). No person."""
    i = next((k for k, t in enumerate(toks) if t.start >= start), None)
    if i is None:
        return False
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and not pt.text[prev.end:start].strip(" \t\n,"):
        if prev.poss in _SAINT and "\n" not in pt.text[prev.end:start]:
            return True
        if prev.upper_initial and prev.poss in _STREET_WORD:
            return True
    nxt = next((t for t in toks[i:] if t.start >= end), None)
    w = pt.word_at(max(end - 1, 0))
    if nxt is None or w is None:
        return False
    if not at_cell_edge(pt, w):
        return _goes_on_in_cell(pt, toks, toks.index(nxt), end)
    b = _under(pt, w)  # the cell wraps: its next line
    if b is None:
        return False
    tok = next((t for t in toks if t.word == b), None)
    return tok is not None and ((tok.upper_initial and tok.poss in _NAME_GOES_ON) or _postcode_at(pt, tok.start))


def _goes_on_in_cell(pt: PageText, toks: list[Token], j: int, end: int) -> bool:
    """From token ``j`` on (just after a found name ending at ``end``), in its cell and on its line,
    a word that carries an organisation's name on, after at most two more capitalised words
    ("Sherwood" of "Sherwood Rise Infant School"), or a postcode."""
    for k in range(j, min(j + 1 + _MORE_NAME_WORDS, len(toks))):
        t, before = toks[k], pt.text[end if k == j else toks[k - 1].end:toks[k].start]
        if before.strip() or "\n" in before or not t.upper_initial:
            return False
        if t.poss in _NAME_GOES_ON or (k == j and _postcode_at(pt, t.start)):
            return True
        w = pt.word_at(t.start)
        if w is None or at_cell_edge(pt, w) or t.poss in STOP_WORDS:
            return False
    return False


_MORE_NAME_WORDS = 2
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())


def a_month_in_a_date(toks: list[Token], names: list[Token]) -> bool:
    """The found name is one month's name with a number beside it: a date ("Thu 29 Jan", "13 May
    2026", "June 2026"), not a person (nor May or June)."""
    if len(names) != 1 or names[0].poss not in _MONTHS:
        return False
    j = toks.index(names[0])
    return any(0 <= k < len(toks) and toks[k].base[:1].isdigit() for k in (j - 1, j + 1))
_SAINT = frozenset({"st", "saint"})


def _postcode_at(pt: PageText, at: int) -> bool:
    return POSTCODE.match(pt.text[at:at + 10]) is not None


def starts_a_cell(pt: PageText, tok: Token) -> bool:
    """``tok`` begins its word, and the word begins its line or a table cell (a column gap or a
    rule before it)."""
    w = pt.word_at(tok.start)
    return w is not None and pt.spans[w][0] == tok.start and (
        w == 0 or pt.lines[w - 1] != pt.lines[w] or at_cell_edge(pt, w - 1))


def _unknown_names(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                   start: int, end: int, cued: bool = False) -> tuple[list[Token], bool]:
    """The capitalised words of the entity at [start, end) the manifest does not know ("Tom" of
    "Tom Price"), without the roles, form labels and protected look-alikes at either end; and
    whether a look-alike was kept: where a cue names a child (``cued``), a word that reads like
    a grown-up's name who stays, not the child's, is that child's ("played with Malachi" beside
    the requester Malathi)."""
    names = [t for t in _name_tokens(toks, start, end) if t.upper_initial and not _is_known(t, known)
             and not _initials_of_a_known_name(t, toks, known)]
    kept = [t for t in names if cued and _like_a_grown_up_who_stays(t, ctx, pt, toks)]
    while names and names[0] not in kept and (
            _looks_protected(names[0], ctx, pt, toks) or names[0].poss in _NOT_A_NAME_WORD):
        names.pop(0)  # a role or a form's label before the name ("Supervisor", "Ref 630596")
    while names and names[-1] not in kept and (
            _looks_protected(names[-1], ctx, pt, toks) or names[-1].poss in _NOT_A_NAME_WORD):
        names.pop()
    names = _on_its_line(pt, names)
    return names, any(t in kept for t in names)


def _on_its_line(pt: PageText, names: list[Token]) -> list[Token]:
    """``names`` up to the end of the first one's line, unless the sentence wraps there
    (:func:`_sentence_goes_on`): the model runs a name on over a line's end into the next line's
    first word ("Rosie" over "Reporting officer"); a name wrapped in a table cell is
    :func:`wrapped_under`'s to find."""
    for k in range(1, len(names)):
        if pt.lines[names[k].word] != pt.lines[names[k - 1].word] and not (
                pt.lines[names[k].word] == pt.lines[names[k - 1].word] + 1 and _sentence_goes_on(pt, names[k].word)):
            return names[:k]
    return names
