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

from rapidfuzz.distance import Levenshtein

from redaction.case import PartyKind
from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.rules import rule
from redaction.detect.tokens import alnum, canon
from redaction.models import Box, ProposalDraft, Reason, Word

NAME = "manifest"
WRAPPED = rule("manifest.wrapped-name")
WORD_LIKENESS = 0.8  # a word of four letters or more, OCR-folded; shorter words must be exact
_COLUMN_GAP = 1.5  # line heights: a wider gap after a word is a column's edge
_BELOW = (0.5, 2.6)  # how far under a line (its heights) the wrapped part of a cell sits


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


def _names(ctx: DetectContext) -> list[tuple[str, tuple[str, ...], Reason]]:
    """(party id, name words, reason) of every withheld party's multi-word name, alias and worker."""
    out: list[tuple[str, tuple[str, ...], Reason]] = []
    for p in ctx.withheld:
        org = p.kind is PartyKind.ORGANISATION
        forms = [(n, Reason.THIRD_PARTY_ORG if org else Reason.THIRD_PARTY) for n in (p.name, *p.aliases)]
        forms += [(n, Reason.THIRD_PARTY_STAFF) for n in p.staff]
        for n, reason in forms:
            words = tuple(w for w in (alnum(x) for x in re.split(r"[\s,]+", n)) if w)
            if len(words) >= 2:
                out.append((p.id, words, reason))
    return out


def at_cell_edge(pt: PageText, j: int) -> bool:
    """Word ``j`` ends its line, or a column gap or a rule ("|") follows it."""
    if j + 1 >= len(pt.words) or pt.lines[j + 1] != pt.lines[j]:
        return True
    nxt, w = pt.words[j + 1], pt.words[j]
    h = max(w.box.height, 1.0)
    # a rule, or a mark OCR made of one ("'", "_"), or a column gap
    return not any(c.isalnum() for c in nxt.text) or nxt.box.x0 - w.box.x1 > _COLUMN_GAP * h


def cell_start(pt: PageText, i: int) -> float:
    """The left edge of word ``i``'s table cell: the first word before it on its line with no
    column gap in between."""
    k = i
    while k > 0 and pt.lines[k - 1] == pt.lines[i]:
        a, b = pt.words[k - 1], pt.words[k]
        if a.text.strip() in ("|", "[", "]") or b.box.x0 - a.box.x1 > _COLUMN_GAP * max(b.box.height, 1.0):
            break
        k -= 1
    return pt.words[k].box.x0


def wrapped_start(pt: PageText, last: Word, after_line: int, cell_x0: float, start: int,
                  own_x0: float | None = None) -> list[int]:
    """Words that begin a line just under ``last`` (on line ``after_line``) at its cell's left edge,
    or at ``own_x0`` (where the phrase itself starts: a cell of its own, set close to the one
    before it, so that no column gap tells them apart)."""
    h = max(last.box.height, 1.0)
    mid = (last.box.y0 + last.box.y1) / 2
    edges = [cell_x0] if own_x0 is None else [cell_x0, own_x0]
    out = []
    for k in range(start, len(pt.words)):
        w = pt.words[k]
        if pt.lines[k] <= after_line:
            continue
        d = (w.box.y0 + w.box.y1) / 2 - mid
        if _BELOW[0] * h < d <= _BELOW[1] * h and any(abs(w.box.x0 - x) <= _COLUMN_GAP * h for x in edges):
            out.append(k)
    return out


def wrapped_runs(pt: PageText, words: tuple[str, ...], min_first: int = 4) -> list[tuple[list[int], int]]:
    """Where the phrase ``words`` (folded words) stands wrapped inside a table cell on ``pt``: its
    first words ending a line at the cell's edge, the rest starting the line under them in the
    same column, other cells' words between them in the reading order. Each find is the page's
    word indices in order and how many of them are on the first line. A first word shorter than
    ``min_first`` letters is not looked for (too common to start from)."""
    out: list[tuple[list[int], int]] = []
    if pt.sideways or pt.page.rotation != 0 or len(words) < 2 or len(words[0]) < min_first:
        return out
    for i in _starts(pt, words[0]):
        w = pt.words[i]
        j, k = i, 1
        while k < len(words) and j + 1 < len(pt.words) and pt.lines[j + 1] == pt.lines[i] \
                and _alike(pt.words[j + 1].text, words[k]):
            j, k = j + 1, k + 1
        if k == len(words) or not at_cell_edge(pt, j):
            continue  # whole on its line (the matcher's), or the line goes on: no wrapped cell
        taken = list(range(i, j + 1))
        for b in wrapped_start(pt, pt.words[j], pt.lines[j], cell_start(pt, i), j + 1, own_x0=w.box.x0):
            if not _alike(pt.words[b].text, words[k]):
                continue
            more, kk = [b], k + 1
            while (kk < len(words) and more[-1] + 1 < len(pt.words) and pt.lines[more[-1] + 1] == pt.lines[b]
                   and _alike(pt.words[more[-1] + 1].text, words[kk])):
                more.append(more[-1] + 1)
                kk += 1
            if kk == len(words):
                taken += more
                k = kk
                break
        cut = j - i + 1
        if k < len(words) or taken[cut] == j + 1:
            continue  # not found, or found next in the reading order (the matcher's)
        out.append((taken, cut))
    return out


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


def wrapped_boxes(pt: PageText, taken: list[int], cut: int, pad: float) -> tuple[Box, ...]:
    """The boxes of a find of :func:`wrapped_runs`: one for each of its two lines."""
    return (*pt.spans_to_boxes(pt.spans[taken[0]][0], pt.spans[taken[cut - 1]][1], pad),
            *pt.spans_to_boxes(pt.spans[taken[cut]][0], pt.spans[taken[-1]][1], pad))


def wrapped_names(ctx: DetectContext) -> list[ProposalDraft]:
    out: list[ProposalDraft] = []
    names = _names(ctx)
    if not names:
        return out
    for pt in ctx.texts:
        for pid, words, reason in names:
            for taken, cut in wrapped_runs(pt, words):
                out.append(ProposalDraft(
                    page_index=pt.page_index, boxes=wrapped_boxes(pt, taken, cut, ctx.config.pad), reason=reason,
                    detector=NAME, score=WRAPPED.base(ctx.config), party_id=pid,
                    text=" ".join(pt.words[a].text for a in taken), explanation=WRAPPED.explain()))
    return out
