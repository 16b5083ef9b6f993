"""A second reading of the lines OCR read poorly.

Tesseract reads a whole page with automatic layout analysis; on a photocopied scan that
analysis sometimes splits a line badly and the words come out garbled ("6mer" for
"Ömer", "es" for "Güler", "“lone" for "João"), with low confidence. The same line cut
out and read on its own, as one line of text, usually comes out right.

:func:`lines_to_reread` picks the lines holding a poorly read word (confidence under
:data:`REREAD_CONF`); :func:`stack_lines` cuts each out (with a margin), enlarges it and
stacks the cuts on one white image, so one more tesseract run reads them all;
:func:`unstack_words` maps the words of that run back to the page image's pixels, each
marked with the line it reads again (``block`` = :data:`REREAD_BLOCK_OFFSET` + the line's
block, ``line`` = its line). Detection looks at both readings
(:meth:`redaction.models.OcrPage.reread_view`); nothing else sees the second one.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from PIL import Image, ImageDraw

from redaction.ocr.base import GOOD_CONF, PixelWord

REREAD_BLOCK_OFFSET = 20_000  # blocks of second-reading words (text-layer words use 10_000)
REREAD_CONF = GOOD_CONF  # a line with a word (holding a letter) read less confidently than this is read again
REREAD_SCALE = 2  # cut-outs are enlarged this many times
MAX_LINES = 120  # at most this many lines of a page are read again (the least confident first)
_MARGIN_X = 0.8  # of the line's height, left and right of its words
_MARGIN_Y = 0.3  # of the line's height, above and below
_TALL = 1.6  # a word this many times the line's median height is a blob, not text
_GAP = 1.0  # white between two cut-outs, in line heights (enlarged)
_PAD = 20  # white around the stack, pixels


def is_reread(w: PixelWord) -> bool:
    return w.block >= REREAD_BLOCK_OFFSET


def lines_to_reread(words: list[PixelWord]) -> list[list[PixelWord]]:
    """The page's lines holding a word read with confidence under :data:`REREAD_CONF` that
    has a letter in it, in reading order (at most :data:`MAX_LINES`, least confident first)."""
    lines: dict[tuple[int, int], list[PixelWord]] = defaultdict(list)
    for w in words:
        if not is_reread(w):
            lines[(w.block, w.line)].append(w)
    poor = [ws for ws in lines.values()
            if any(w.conf < REREAD_CONF and any(c.isalpha() for c in w.text) for w in ws)]
    if len(poor) > MAX_LINES:
        poor = sorted(poor, key=lambda ws: min(w.conf for w in ws))[:MAX_LINES]
    return sorted(poor, key=lambda ws: (ws[0].block, ws[0].line))


_Span = tuple[int, int, int, int]


@dataclass(frozen=True)
class Cut:
    """Where one line was cut from the page image and where it went on the stack."""

    block: int
    line: int
    x0: int  # the cut, in page-image pixels
    y0: int
    x1: int
    y1: int
    top: int  # the cut's top on the stack, in stack pixels
    band_top: int  # the line's own band (page-image pixels): words read again stay inside it
    band_bottom: int
    # the first reading's words of the line that are not blobs, (left, top, right, bottom): a
    # word read again takes the height of the line where it is (a skewed line climbs or falls)
    spans: tuple[_Span, ...] = ()


def stack_lines(image: Image.Image, lines: list[list[PixelWord]], others: Sequence[PixelWord] = (),
                scale: int = REREAD_SCALE) -> tuple[Image.Image, list[Cut]]:
    """The lines cut out of ``image`` (grey), enlarged ``scale`` times and stacked on white.
    Words of ``others`` (the page's words) on other lines that reach into a cut are painted
    white in it (where they do not cover the line's own words), so a skewed or tightly set
    neighbour does not mix into the line's reading."""
    grey = image.convert("L")
    # per line: the cut, the line's own band and the spans of its words that are not blobs
    cuts: list[tuple[list[PixelWord], tuple[int, int, int, int], tuple[int, int], tuple[_Span, ...]]] = []
    for ws in lines:
        # the line's height is its words', not that of specks OCR took for words beside them
        # ("about-Nan's parter. ' : :"): those would make its real words blobs
        med = median(w.height for w in (_lettered(ws) or ws))
        h = max(4.0, med)
        x0 = max(0, int(min(w.left for w in ws) - _MARGIN_X * h))
        x1 = min(grey.width, int(max(w.left + w.width for w in ws) + _MARGIN_X * h))
        y0 = max(0, int(min(w.top for w in ws) - _MARGIN_Y * h))
        y1 = min(grey.height, int(max(w.top + w.height for w in ws) + _MARGIN_Y * h))
        # the line's own band: a blob OCR took for a word, taller than the line, is cut out
        # with it (its ink may be letters) but no word read again reaches past the band
        body = [w for w in ws if w.height <= _TALL * h] or ws
        b0 = max(y0, int(min(w.top for w in body) - _MARGIN_Y * h))
        b1 = min(y1, int(max(w.top + w.height for w in body) + _MARGIN_Y * h))
        spans = tuple((w.left, w.top, w.left + w.width, w.top + w.height) for w in ws if w.height <= _TALL * med)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            cuts.append((ws, (x0, y0, x1, y1), (b0, b1), spans))
    width = max([(c[1][2] - c[1][0]) * scale for c in cuts], default=1) + 2 * _PAD
    height = _PAD
    placed: list[Cut] = []
    for ws, (x0, y0, x1, y1), (b0, b1), spans in cuts:
        placed.append(Cut(ws[0].block, ws[0].line, x0, y0, x1, y1, height, b0, b1, spans))
        height += (y1 - y0) * scale + int(_GAP * (y1 - y0) * scale)
    stack = Image.new("L", (width, height + _PAD), 255)
    for c in placed:
        piece = grey.crop((c.x0, c.y0, c.x1, c.y1))
        _blank_neighbours(piece, c, others)
        if scale != 1:
            piece = piece.resize(((c.x1 - c.x0) * scale, (c.y1 - c.y0) * scale), Image.Resampling.LANCZOS)
        stack.paste(piece, (_PAD, c.top))
    dpi = image.info.get("dpi")
    try:
        stack.info["dpi"] = (float(dpi[0]) * scale, float(dpi[1]) * scale)  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        pass
    return stack, placed


def _lettered(ws: Sequence[PixelWord]) -> list[PixelWord]:
    """The words of ``ws`` with two letters or digits or more: words, not marks."""
    return [w for w in ws if sum(c.isalnum() for c in w.text) >= 2]


def _blank_neighbours(piece: Image.Image, c: Cut, others: Sequence[PixelWord]) -> None:
    own = [(w.left, w.top, w.left + w.width, w.top + w.height) for w in others
           if w.block == c.block and w.line == c.line and not is_reread(w)]
    draw = ImageDraw.Draw(piece)
    for w in others:
        if is_reread(w) or (w.block == c.block and w.line == c.line):
            continue
        x0, y0 = max(c.x0, w.left), max(c.y0, w.top)
        x1, y1 = min(c.x1, w.left + w.width), min(c.y1, w.top + w.height)
        if x1 <= x0 or y1 <= y0:
            continue
        # keep the rows of the neighbour's box that the line's own words (overlapping it
        # left to right) occupy
        for ox0, oy0, ox1, oy1 in own:
            if ox1 > x0 and ox0 < x1 and oy1 > y0 and oy0 < y1:
                if oy0 <= y0:
                    y0 = max(y0, oy1)
                else:
                    y1 = min(y1, oy0)
        if x1 > x0 and y1 > y0:
            draw.rectangle((x0 - c.x0, y0 - c.y0, x1 - c.x0 - 1, y1 - c.y0 - 1), fill=255)


def _local_band(cut: Cut, left: float, right: float, top: float, bottom: float) -> tuple[float, float]:
    """``top``/``bottom`` of a word read again, held to the first reading's words of its line
    beside it (left to right) with a margin; as they were when none is beside it."""
    near = [s for s in cut.spans if s[2] > left - _NEAR and s[0] < right + _NEAR]
    if not near:
        return top, bottom
    h = max(s[3] - s[1] for s in near)
    return max(top, min(s[1] for s in near) - _MARGIN_Y * h), min(bottom, max(s[3] for s in near) + _MARGIN_Y * h)


_NEAR = 4  # pixels


def unstack_words(words: list[PixelWord], cuts: list[Cut], scale: int = REREAD_SCALE) -> list[PixelWord]:
    """Words read on the stack -> words in the page image's pixels, each marked with the
    line it reads again; a word whose middle falls outside every cut is dropped."""
    placed: list[PixelWord] = []
    for w in words:
        mid = w.top + w.height / 2
        cut = next((c for c in cuts if c.top <= mid <= c.top + (c.y1 - c.y0) * scale), None)
        if cut is None:
            continue
        left = max(cut.x0, cut.x0 + (w.left - _PAD) / scale)
        top = max(cut.band_top, cut.y0 + (w.top - cut.top) / scale)
        right = min(cut.x1, cut.x0 + (w.left + w.width - _PAD) / scale)
        bottom = min(cut.band_bottom, cut.y0 + (w.top + w.height - cut.top) / scale)
        top, bottom = _local_band(cut, left, right, top, bottom)
        if right <= left or bottom <= top:
            continue
        placed.append(PixelWord(
            text=w.text, left=round(left), top=round(top), width=max(1, round(right - left)),
            height=max(1, round(bottom - top)), conf=w.conf, block=REREAD_BLOCK_OFFSET + cut.block, line=cut.line,
        ))
    # word_no in left-to-right order on each line
    placed.sort(key=lambda w: (w.block, w.line, w.left))
    count: dict[tuple[int, int], int] = defaultdict(int)
    out: list[PixelWord] = []
    for w in placed:
        out.append(dataclasses.replace(w, word_no=count[(w.block, w.line)]))
        count[(w.block, w.line)] += 1
    return out
