"""A withheld party's name wrapped inside a table cell: "West Midlands" at the end of a
cell's first line and "Police" under it, with the next cells' words between them in the
reading order OCR gives ("Referral to Coventry Children's | EK / 'smacks him ...'
Services the same day."). The name matcher reads text in that order and misses it;
here the page is looked at as a page: the name's first words at the end of a line (the
cell's edge), its remaining words in order on the lines just under them, in the same
column. Each such name is proposed whole (:attr:`Reason.THIRD_PARTY`, or the agency's
name, :attr:`Reason.THIRD_PARTY_ORG`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import cast

from rapidfuzz.distance import Levenshtein

from redaction.case import PartyKind
from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.rules import rule
from redaction.detect.tokens import alnum, canon
from redaction.models import Box, ProposalDraft, Reason

NAME = "manifest"
WRAPPED = rule("manifest.wrapped-name")
WORD_LIKENESS = 0.8  # a word of four letters or more, OCR-folded; shorter words must be exact
COLUMN_GAP = 1.5  # line heights: a wider gap after a word is a column's edge
BELOW = (0.5, 2.6)  # how far under a line (its heights) the wrapped part of a cell sits


@lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str:
    """``word`` as names are compared: its possessive off, letters and digits only, OCR-folded."""
    return canon(alnum(re.sub(r"['\u2019]s$", "", word)))


@lru_cache(maxsize=1 << 16)  # asked for every word of a page against every name word: pure
def _alike(word: str, target: str) -> bool:
    a = _folded(word)
    t = canon(target)
    if not a:
        return False
    if len(t) < 4:
        return a == t
    return Levenshtein.normalized_similarity(a, t) >= WORD_LIKENESS


def _names(ctx: DetectContext) -> list[tuple[str, tuple[str, ...], Reason, bool]]:
    """(party id, name words, reason, whether a comma ends the first line) of every withheld
    party's multi-word name, alias and worker; a person's also surname first, as a register
    prints it ("CHAUDHRY, / Samina")."""
    out: list[tuple[str, tuple[str, ...], Reason, bool]] = []
    for p in ctx.withheld:
        org = p.kind is PartyKind.ORGANISATION
        forms = [(n, Reason.THIRD_PARTY_ORG if org else Reason.THIRD_PARTY) for n in (p.name, *p.aliases)]
        forms += [(n, Reason.THIRD_PARTY_STAFF) for n in p.staff]
        for n, reason in forms:
            words = tuple(w for w in (alnum(x) for x in re.split(r"[\s,]+", n)) if w)
            if len(words) >= 2:
                out.append((p.id, words, reason, False))
                if reason is not Reason.THIRD_PARTY_ORG:
                    out.append((p.id, (words[-1], *words[:-1]), reason, True))
    return out


def upright(pt: PageText) -> tuple[Box, ...]:
    """The boxes of ``pt``'s words as a reader of its text sees them: turned a quarter for a page
    whose text runs up or down the unrotated page (:attr:`PageText.sideways`), so that a line
    runs left to right and the next line is under it. Which way the text runs is told by the
    words of each line, in order."""
    cache = pt.__dict__.setdefault("_upright", [])
    if not cache:
        boxes = tuple(w.box for w in pt.words)
        if pt.sideways:
            along = sum((1 if b.y0 > a.y0 else -1) for k, (a, b) in enumerate(pairwise(boxes))
                        if pt.lines[k] == pt.lines[k + 1])
            w, h = pt.page.width, pt.page.height
            if along < 0:  # read from the foot of the page up: lines follow to the right
                boxes = tuple(Box(h - b.y1, b.x0, h - b.y0, b.x1) for b in boxes)
            else:  # read down the page: lines follow to the left
                boxes = tuple(Box(b.y0, w - b.x1, b.y1, w - b.x0) for b in boxes)
        cache.append(boxes)
    return cast("tuple[Box, ...]", cache[0])


def line_ends(pt: PageText) -> dict[int, tuple[int, int]]:
    """Each line of ``pt`` (its :attr:`PageText.lines` number): the indices of its first and
    last words, in reading order."""
    cache = pt.__dict__.setdefault("_line_ends", {})
    if not cache:
        for k, line in enumerate(pt.lines):
            cache[line] = (cache[line][0], k) if line in cache else (k, k)
    return cast("dict[int, tuple[int, int]]", cache)


def line_height(pt: PageText, i: int) -> float:
    """The height of word ``i``'s line, as gaps along it are measured: the median height of its
    words of three letters or more (a small word's box, "a" or "as", is as high as its letters,
    and a gap after it is no column's edge); word ``i``'s own height when there is none."""
    cache = pt.__dict__.setdefault("_gap_line_heights", {})
    li = pt.lines[i]
    if li not in cache:
        hs = sorted(upright(pt)[k].height for k in range(len(pt.words))
                    if pt.lines[k] == li and len(alnum(pt.words[k].text)) >= 3)
        cache[li] = hs[len(hs) // 2] if hs else 0.0
    return max(float(cache[li]), upright(pt)[i].height, 1.0)


def at_cell_edge(pt: PageText, j: int) -> bool:
    """Word ``j`` ends its line, or a column gap or a rule ("|") follows it."""
    if j + 1 >= len(pt.words) or pt.lines[j + 1] != pt.lines[j]:
        return True
    boxes = upright(pt)
    nxt, w = boxes[j + 1], boxes[j]
    h = line_height(pt, j)
    # a rule, or a mark OCR made of one ("'", "_"), or a column gap
    return not any(c.isalnum() for c in pt.words[j + 1].text) or nxt.x0 - w.x1 > COLUMN_GAP * h


_OPENING = "\"'\u201c\u201d\u2018\u2019(["


def _cell_ends(pt: PageText, j: int) -> bool:
    """Word ``j`` ends its cell's line: at a cell's edge, or before an email address (maybe
    split by OCR at its first dot) where the columns are set closer than a scan's word gaps
    ("Leeds Educational Psychology \u201cerrol. lindo@ leeds. example", "Service" under it)."""
    if at_cell_edge(pt, j):
        return True
    after = [pt.words[k].text for k in (j + 1, j + 2) if k < len(pt.words) and pt.lines[k] == pt.lines[j]]
    return any("@" in t for t in after) and not pt.words[j + 1].text.lstrip(_OPENING)[:1].isupper()


def cell_start(pt: PageText, i: int) -> float:
    """The left edge (upright, as :func:`upright` gives) of word ``i``'s table cell: the first
    word before it on its line with no column gap in between."""
    boxes = upright(pt)
    k = i
    while k > 0 and pt.lines[k - 1] == pt.lines[i]:
        a, b = boxes[k - 1], boxes[k]
        if pt.words[k - 1].text.strip() in ("|", "[", "]") or b.x0 - a.x1 > COLUMN_GAP * line_height(pt, k):
            break
        k -= 1
    return boxes[k].x0


def wrapped_start(pt: PageText, last: int, edges: tuple[float, ...], start: int) -> list[int]:
    """Words that begin a line just under word ``last`` at one of the left ``edges`` (upright):
    its cell's left edge; where the phrase itself starts (a cell of its own, set close to the
    one before it, so that no column gap tells them apart); the left edges of the words before
    it in its cell (a column gap narrower than a scan's word gaps is not told by its width).
    Looked for from word ``start`` on, then before it."""
    boxes = upright(pt)
    lb = boxes[last]
    h = line_height(pt, last)
    mid = (lb.y0 + lb.y1) / 2
    out = []
    # the line under it comes later in the reading order, or earlier where OCR made it a block
    # of its own ("(Greater" ending a cell's line, "Manchester Police)." read before the table)
    for k in [*range(start, len(pt.words)), *range(0, min(start, len(pt.words)))]:
        if pt.lines[k] == pt.lines[last]:
            continue
        b = boxes[k]
        d = (b.y0 + b.y1) / 2 - mid
        if BELOW[0] * h < d <= BELOW[1] * h and any(abs(b.x0 - x) <= COLUMN_GAP * h for x in edges):
            out.append(k)
            if (not any(c.isalnum() for c in pt.words[k].text) and k + 1 < len(pt.words)
                    and pt.lines[k + 1] == pt.lines[k]):
                out.append(k + 1)  # a speck OCR read before the line's first word ("* partner")
    return out


def wrapped_runs(pt: PageText, words: tuple[str, ...], min_first: int = 4,
                 comma: bool = False, mid_line: bool = False) -> list[tuple[list[int], int]]:
    """Where the phrase ``words`` (folded words) stands wrapped inside a table cell on ``pt``: its
    first words ending a line at the cell's edge, the rest starting the lines under them in the
    same column (over two lines or more: "Sheffield Community Health / NHS Trust Speech and /
    Language Therapy"), other cells' words between them in the reading order. Each find is the
    page's word indices in order and how many of them are on the first line. A first word
    shorter than ``min_first`` letters is not looked for (too common to start from), unless it
    holds a digit ("0-19" over "Service": no common word); with ``comma``, the first line ends
    in one ("CHAUDHRY," over "Samina"). With ``mid_line``, two words or more of the phrase in
    the middle of a line are taken to end their cell's line though no gap tells it (columns set
    a word gap apart: "PC Natarajan 07700-900908 - South Yorkshire Asked for an update"), when
    the rest starts the next line under the phrase's own first word ("Police"): wrapped prose
    goes on at the margin."""
    out: list[tuple[list[int], int]] = []
    if len(words) < 2 or (len(words[0]) < min_first and not any(c.isdigit() for c in words[0])):
        return out
    for i in _starts(pt, words[0]):
        taken, k = _along(pt, i, words, 0)
        j = taken[-1]
        ends = _cell_ends(pt, j)
        loose = not ends and mid_line and len(taken) >= 2 and i > 0 and pt.lines[i - 1] == pt.lines[i]
        if k == len(words) or not (ends or loose) or (comma and not pt.words[j].text.endswith(",")):
            continue  # whole on its line (the matcher's), or the line goes on: no wrapped cell
        cut, cell_x0, own_x0 = len(taken), cell_start(pt, i), upright(pt)[i].x0
        lefts = _lefts_before(pt, i, cell_x0)
        edges = (cell_x0, own_x0, *lefts) if ends else (own_x0,)
        while k < len(words) and (_cell_ends(pt, taken[-1]) or (loose and taken[-1] == j)):
            below = [b for b in wrapped_start(pt, taken[-1], edges, taken[-1] + 1)
                     if _alike(pt.words[b].text, words[k])]
            if not below:
                break
            more, k = _along(pt, below[0], words, k)
            taken += more
        if k < len(words) or taken[cut] == j + 1:
            continue  # not found, or found next in the reading order (the matcher's)
        out.append((taken, cut))
    return out


def _lefts_before(pt: PageText, i: int, cell_x0: float) -> tuple[float, ...]:
    """The left edges of the words of word ``i``'s line from its cell's start up to it."""
    boxes = upright(pt)
    out: list[float] = []
    k = i - 1
    while k >= 0 and pt.lines[k] == pt.lines[i] and boxes[k].x0 >= cell_x0 - 0.5:
        out.append(boxes[k].x0)
        k -= 1
    return tuple(out)


def _along(pt: PageText, i: int, words: tuple[str, ...], k: int) -> tuple[list[int], int]:
    """Word ``i`` (alike ``words[k]``) and the words after it on its line alike the phrase's next
    words: their indices, and the index in ``words`` of the first word not found."""
    taken, k = [i], k + 1
    while (k < len(words) and taken[-1] + 1 < len(pt.words) and pt.lines[taken[-1] + 1] == pt.lines[i]
           and _alike(pt.words[taken[-1] + 1].text, words[k])):
        taken.append(taken[-1] + 1)
        k += 1
    return taken, k


def _starts(pt: PageText, first: str) -> list[int]:
    """The indices of the words of ``pt`` alike ``first`` (as :func:`_alike` says), in order:
    each distinct folded word of the page compared once, and only those whose length leaves
    them a chance (an edit distance is at least the difference of the lengths)."""
    cache = pt.__dict__.setdefault("_folded_by_length", [])
    if not cache:
        places: dict[str, list[int]] = {}
        for i, w in enumerate(pt.words):
            if a := _folded(w.text):
                places.setdefault(a, []).append(i)
        by_length: dict[int, list[tuple[str, list[int]]]] = {}
        for a, at in places.items():
            by_length.setdefault(len(a), []).append((a, at))
        cache.append(by_length)
    t = canon(first)
    out: list[int] = []
    for n, entries in cache[0].items():
        if len(t) < 4:
            out += [i for a, at in entries if a == t for i in at]
        elif abs(n - len(t)) <= (1 - WORD_LIKENESS) * max(n, len(t)) + 1e-9:
            out += [i for a, at in entries if Levenshtein.normalized_similarity(a, t) >= WORD_LIKENESS for i in at]
    return sorted(out)


def wrapped_boxes(pt: PageText, taken: list[int], pad: float) -> tuple[Box, ...]:
    """The boxes of a find of :func:`wrapped_runs`: one for the words of each of its lines."""
    out: list[Box] = []
    first = taken[0]
    for a, b in zip(taken, [*taken[1:], None], strict=True):
        if b is None or pt.lines[b] != pt.lines[a] or b != a + 1:
            out += pt.spans_to_boxes(pt.spans[first][0], pt.spans[a][1], pad)
            if b is not None:
                first = b
    return tuple(out)


def wrapped_names(ctx: DetectContext) -> list[ProposalDraft]:
    out: list[ProposalDraft] = []
    names = _names(ctx)
    if not names:
        return out
    for pt in ctx.texts:
        for pid, words, reason, comma in names:
            for taken, _ in wrapped_runs(pt, words, comma=comma, mid_line=True):
                out.append(ProposalDraft(
                    page_index=pt.page_index, boxes=wrapped_boxes(pt, taken, ctx.config.pad), reason=reason,
                    detector=NAME, score=WRAPPED.base(ctx.config), party_id=pid,
                    text=" ".join(pt.words[a].text for a in taken), explanation=WRAPPED.explain()))
    return out
