"""Character offsets <-> word boxes: the one place where text matches become boxes.

A page's words are joined into a reading-order text (a space between words of one
line, ``"\\n"`` between lines), and every word remembers its ``(start, end)`` span in
that text. A match found in the text (a character span) is turned back into boxes by
:meth:`PageText.spans_to_boxes`: the *whole* box of every word the span touches (a
match on "Price" inside the token "Price's," redacts the whole token), words next to
each other on one line merged into one box, one box per line when a match crosses a
line break. Boxes are padded slightly and clipped to the page.

This is where redaction tools leak (a box that misses the last letter, a name split
across lines), so it is small, pure and heavily tested.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import cast

from redaction.models import Box, OcrPage, TextSource, Word
from redaction.ocr.base import well_read

DEFAULT_PAD = 2.0  # points added around every box (OCR boxes can miss an edge stroke)
VERTICAL_PAD_SHARE = 0.3  # and this share of the text height above and below
# On a scanned page, at least this share of the text height before and after along the line:
# OCR's box can start or end a little inside the word's ink (a skewed or blurred scan), and
# ink left at a word's edge is still in the released image.
ALONG_PAD_SHARE_OCR = 0.15
FRAGMENT_GAP = 0.5  # an OCR fragment this close to a word (in its text heights) is part of it
_GLYPH_PIECES = frozenset("|!/\\()[]{}'`\u2018\u2019\u00b4")  # what OCR makes of a stroke or an accent
_POSSESSIVE_PART = re.compile(r"['\u2019`]s?", re.IGNORECASE)
# a word of small letters only (no ascender, descender, capital or digit) has ink as high as
# a small letter; the line's slot, ascenders and descenders, is about this many times that
X_HEIGHT_TO_SLOT = 1.6
SHORT_LINE = 0.85  # a line's ink lower than this share of the page's usual line's
_X_HEIGHT_ONLY = re.compile(r"[acemnorsuvwxz.,:;\-'\u2019\"]*[acemnorsuvwxz][acemnorsuvwxz.,:;\-'\u2019\"]*")
MAX_LINE_GROWTH = 2.0  # a box grows to its line's height, at most to this multiple of its own
# Words on one line merge into one box unless the gap between them is wider than this
# many line heights (a gap that wide is a table column, not a space between words).
MAX_GAP_LINE_HEIGHTS = 3.0


# how far into a neighbouring line's ink a box may reach, as a share of that ink's height: the
# lines' slots can overlap (descenders above, ascenders below); a neighbour covered this little
# stays readable
_INTO_NEIGHBOUR = 0.25


@dataclass(frozen=True)
class PageText:
    """A page's words as text, with the span of every word in it."""

    page: OcrPage
    text: str
    words: tuple[Word, ...]  # in text order (only words with visible text)
    spans: tuple[tuple[int, int], ...]  # (start, end) of each word in ``text``
    lines: tuple[int, ...]  # text line number of each word (0-based)
    starts: tuple[int, ...] = ()  # the span starts alone, for bisection

    @property
    def sideways(self) -> bool:
        """Text runs up or down the unrotated page: a page shown with /Rotate 90 or 270, or
        one scanned sideways without it. Told by the words' shapes (a word of four or more
        letters is longer along its line than across it); by /Rotate when words are few."""
        cache = self.__dict__.setdefault("_sideways", [])
        if not cache:
            long = [w.box for w in self.words if len(w.text) >= 4]
            if len(long) >= 5:
                cache.append(2 * sum(b.height > b.width for b in long) > len(long))
            else:
                cache.append(self.page.rotation in (90, 270))
        return bool(cache[0])

    @property
    def page_box(self) -> Box:
        return Box(0.0, 0.0, self.page.width, self.page.height)

    @property
    def page_index(self) -> int:
        return self.page.page_index

    def word_span(self, first: int, last: int) -> tuple[int, int]:
        """Character span from the start of word ``first`` to the end of word ``last``."""
        return self.spans[first][0], self.spans[last][1]

    def span_text(self, start: int, end: int) -> str:
        """:meth:`covered_text` on one line (line breaks as spaces): the redacted words."""
        return self.covered_text(start, end).replace("\n", " ")

    def word_indices(self, start: int, end: int) -> list[int]:
        """Indices of the words that the character span ``[start, end)`` touches."""
        if end <= start or not self.spans:
            return []
        starts = self.starts or tuple(s for s, _ in self.spans)
        # the last word starting at or before ``start``: it may still reach into the span
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        out: list[int] = []
        while i < len(self.spans) and self.spans[i][0] < end:
            if self.spans[i][1] > start:
                out.append(i)
            i += 1
        return out

    def word_at(self, offset: int) -> int | None:
        """The index of the word holding character ``offset``, or None (a space)."""
        hit = self.word_indices(offset, offset + 1)
        return hit[0] if hit else None

    def covered_text(self, start: int, end: int) -> str:
        """The text of the whole words the span touches (what its boxes redact)."""
        idx = self.word_indices(start, end)
        if not idx:
            return ""
        return self.text[self.spans[idx[0]][0] : self.spans[idx[-1]][1]]

    def words_to_boxes(self, indices: list[int] | range, pad: float = DEFAULT_PAD) -> tuple[Box, ...]:
        """Boxes of the given words: consecutive words on one line merged, padded, clipped."""
        groups: list[list[int]] = []
        for i in sorted(set(indices)):
            if groups:
                last = groups[-1][-1]
                if i == last + 1 and self.lines[i] == self.lines[last] and self._close(last, i):
                    groups[-1].append(i)
                    continue
            groups.append([i])
        boxes: list[Box] = []
        taken = set(indices)
        for g in groups:
            box = self.words[g[0]].box
            for i in g[1:]:
                box = box.union(self.words[i].box)
            room = self._room_along(box, [n for n in (g[0] - 1, g[-1] + 1)
                                          if 0 <= n < len(self.words) and self.lines[n] == self.lines[g[0]]])
            padded = self._pad(box, pad, self._line_height(self.lines[g[0]]), room)
            if self.page.source is TextSource.TESSERACT:
                padded = self._hold_to_line(padded, box, g, pad, taken)
            boxes.append(self._clip(padded))
        return tuple(b for b in boxes if b.width > 0 and b.height > 0)

    def _hold_to_line(self, padded: Box, box: Box, group: list[int], pad: float, taken: set[int]) -> Box:
        """``padded`` (the words ``group``, ink box ``box``) held back, across the line, from the
        ink of well-read words on the lines before and after it that stand over or under it
        (a quarter of their height in at most),
        but never inside ``box`` plus ``pad`` (words of ``taken``, redacted with it, do not
        count): on a scan with tight lines, or a line OCR read as taller than it is, the box
        does not black out its neighbours' words."""
        mine = {self.lines[i] for i in group}
        sideways = self.sideways
        lo, hi = (box.x0, box.x1) if sideways else (box.y0, box.y1)
        a0, a1 = (box.y0, box.y1) if sideways else (box.x0, box.x1)
        low_limit, high_limit = -float("inf"), float("inf")
        for i, b in self._well_read_boxes():
            if self.lines[i] in mine or i in taken:
                continue
            n0, n1 = (b.x0, b.x1) if sideways else (b.y0, b.y1)
            m0, m1 = (b.y0, b.y1) if sideways else (b.x0, b.x1)
            if m1 <= a0 or m0 >= a1:
                continue  # not over or under the box
            # before or after the line by its middle: a degraded scan's ink boxes of two lines
            # can overlap
            if (n0 + n1) / 2 < lo and n1 < hi:
                low_limit = max(low_limit, n1 - _INTO_NEIGHBOUR * (n1 - n0))
            elif (n0 + n1) / 2 > hi and n0 > lo:
                high_limit = min(high_limit, n0 + _INTO_NEIGHBOUR * (n1 - n0))
        low_limit = min(low_limit, lo - pad)
        high_limit = max(high_limit, hi + pad)
        if sideways:
            return Box(max(padded.x0, low_limit), padded.y0, min(padded.x1, high_limit), padded.y1)
        return Box(padded.x0, max(padded.y0, low_limit), padded.x1, min(padded.y1, high_limit))

    def _well_read_boxes(self) -> tuple[tuple[int, Box], ...]:
        """The page's well-read words (index, box), found once per page."""
        cache = self.__dict__.setdefault("_well_read", [])
        if not cache:
            cache.append(tuple((i, w.box) for i, w in enumerate(self.words) if well_read(w.text, w.conf)))
        return cast(tuple[tuple[int, Box], ...], cache[0])

    def _room_along(self, box: Box, neighbours: list[int]) -> tuple[float, float]:
        """Free space along the line before and after ``box`` (lower and higher page
        coordinate) up to the nearest neighbouring word on its line; unbounded when none."""
        sideways = self.sideways
        lo, hi = (box.y0, box.y1) if sideways else (box.x0, box.x1)
        before = after = float("inf")
        for n in neighbours:
            nb = self.words[n].box
            n_lo, n_hi = (nb.y0, nb.y1) if sideways else (nb.x0, nb.x1)
            if n_hi <= lo:
                before = min(before, lo - n_hi)
            elif n_lo >= hi:
                after = min(after, n_lo - hi)
        return before, after

    def spans_to_boxes(self, span_start: int, span_end: int, pad: float = DEFAULT_PAD) -> tuple[Box, ...]:
        """Boxes of every word the character span ``[span_start, span_end)`` touches."""
        return self.words_to_boxes(self.with_fragments(self.word_indices(span_start, span_end)), pad)

    def with_fragments(self, indices: list[int]) -> list[int]:
        """``indices`` and the OCR fragments touching them on their line: a glyph OCR split off a
        word's first or last letter ("|" + "ANDRE" for "ÁNDRÉ"), or a possessive read apart
        ("Marlon'" + "'s"). Left out, the ink of that letter would stay beside the box."""
        if not indices:
            return indices
        out = sorted(set(indices))
        first, last = out[0], out[-1]
        while first > 0 and self._fragment_of(first - 1, first):
            first -= 1
        while last + 1 < len(self.words) and self._fragment_of(last + 1, last):
            last += 1
        return list(range(first, out[0])) + out + list(range(out[-1] + 1, last + 1))

    def _fragment_of(self, frag: int, word: int) -> bool:
        text = self.words[frag].text.strip()
        if not text or self.lines[frag] != self.lines[word]:
            return False
        if _POSSESSIVE_PART.fullmatch(text):
            pass
        elif any(c.isalnum() for c in text) or len(text) > 3 or not set(text) <= _GLYPH_PIECES:
            return False
        elif self.words[frag].conf >= 100:
            return False  # a text layer's own punctuation, not a piece of a letter OCR split off
        a, b = self.words[frag].box, self.words[word].box
        gap = max(0.0, b.x0 - a.x1, a.x0 - b.x1, b.y0 - a.y1, a.y0 - b.y1)
        return gap <= FRAGMENT_GAP * max(self._text_height(b), 1.0)

    def _text_height(self, box: Box) -> float:
        return box.width if self.sideways else box.height

    def _line_height(self, line: int) -> float:
        """A text line's height (ascender to descender of its ink): its words' upper quartile.
        A line whose words have no letter rising above the small letters or falling below them
        ("nan.", "some more ones") and whose ink is lower than the page's lines are has ink
        only as high as those letters: its slot is taken as :data:`X_HEIGHT_TO_SLOT` times
        that, at most the page's usual line height."""
        cache = self.__dict__.setdefault("_line_heights", {})
        if not cache:
            by_line: dict[int, list[Word]] = {}
            for w, ln in zip(self.words, self.lines, strict=True):
                by_line.setdefault(ln, []).append(w)
            for ln, mine in by_line.items():
                hs = sorted(self._text_height(w.box) for w in mine)
                # the upper quartile: robust to one mis-segmented word spanning two lines
                cache[ln] = hs[(3 * len(hs)) // 4]
            usual = sorted(cache.values())[len(cache) // 2]
            for ln, mine in by_line.items():
                if cache[ln] < SHORT_LINE * usual and all(_X_HEIGHT_ONLY.fullmatch(w.text) for w in mine):
                    cache[ln] = min(cache[ln] * X_HEIGHT_TO_SLOT, usual)
        return float(cache.get(line, 0.0))

    def _pad(self, box: Box, pad: float, line_height: float = 0.0,
             room: tuple[float, float] = (float("inf"), float("inf"))) -> Box:
        """Pad ``pad`` points along the line (on a scanned page up to
        ``ALONG_PAD_SHARE_OCR`` of the text height, but no further than half-way to the
        neighbouring word, ``room``); across it, first grow the box to the
        line's height (a word in capitals or without descenders has a shorter ink box
        than its line slot), then add a share of that height above and below. OCR boxes
        hug the ink, while a reader (and a judge of the output) takes the whole slot,
        ascenders and descenders included."""
        if pad <= 0:
            return box
        sideways = self.sideways
        h = self._text_height(box)
        line_height = min(line_height, MAX_LINE_GROWTH * h)
        grow = max(line_height - h, 0.0) / 2
        v = grow + max(pad, VERTICAL_PAD_SHARE * max(h, line_height))
        before = after = pad
        if self.page.source is TextSource.TESSERACT:  # more, but at most half-way to the next word
            along = ALONG_PAD_SHARE_OCR * max(h, line_height)
            before = max(pad, min(along, room[0] / 2))
            after = max(pad, min(along, room[1] / 2))
        if sideways:
            return Box(box.x0 - v, box.y0 - before, box.x1 + v, box.y1 + after)
        return Box(box.x0 - before, box.y0 - v, box.x1 + after, box.y1 + v)

    def _close(self, a: int, b: int) -> bool:
        ba, bb = self.words[a].box, self.words[b].box
        height = max(ba.height, bb.height, 1.0)
        return bb.x0 - ba.x1 <= MAX_GAP_LINE_HEIGHTS * height

    def _clip(self, box: Box) -> Box:
        w, h = self.page.width, self.page.height
        return Box(
            round(max(0.0, box.x0), 2),
            round(max(0.0, box.y0), 2),
            round(min(w, box.x1), 2),
            round(min(h, box.y1), 2),
        )


def reading_order(words: tuple[Word, ...]) -> list[Word]:
    """Words sorted by (block, line, word_no), stable for equal keys."""
    return sorted(words, key=lambda w: (w.block, w.line, w.word_no))


def build_page_text(page: OcrPage) -> PageText:
    """Join a page's words into text and record each word's character span.

    Words without visible text are left out. Words sharing ``(block, line)`` are one
    line, joined by single spaces; lines are joined by ``"\\n"``.
    """
    parts: list[str] = []
    words: list[Word] = []
    spans: list[tuple[int, int]] = []
    lines: list[int] = []
    pos = 0
    key: tuple[int, int] | None = None
    line_no = -1
    for w in reading_order(page.words):
        t = w.text.strip()
        if not t:
            continue
        k = (w.block, w.line)
        if key is None:
            line_no = 0
        elif k != key:
            parts.append("\n")
            pos += 1
            line_no += 1
        else:
            parts.append(" ")
            pos += 1
        key = k
        parts.append(t)
        spans.append((pos, pos + len(t)))
        pos += len(t)
        words.append(w)
        lines.append(line_no)
    return PageText(
        page, "".join(parts), tuple(words), tuple(spans), tuple(lines), tuple(s for s, _ in spans)
    )


def displayed_top_fraction(page: OcrPage, box: Box) -> float:
    """Where the top of ``box`` sits on the *displayed* page, 0 (top) .. 1 (bottom).

    Boxes are unrotated page coordinates; a page with /Rotate is shown turned.
    """
    w, h = max(page.width, 1e-6), max(page.height, 1e-6)
    rot = page.rotation % 360
    if rot == 90:
        return box.x0 / w
    if rot == 180:
        return (h - box.y1) / h
    if rot == 270:
        return (w - box.x1) / w
    return box.y0 / h


def displayed_bottom_fraction(page: OcrPage, box: Box) -> float:
    """Where the bottom of ``box`` sits on the displayed page, 0 (top) .. 1 (bottom)."""
    w, h = max(page.width, 1e-6), max(page.height, 1e-6)
    rot = page.rotation % 360
    if rot == 90:
        return box.x1 / w
    if rot == 180:
        return (h - box.y0) / h
    if rot == 270:
        return (w - box.x0) / w
    return box.y1 / h
