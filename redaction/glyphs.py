"""The text layer as a reader's tools see it: every glyph with its tight ink box, whether
it is painted at all, and when a glyph counts as under a box (:mod:`redaction.render`
removes those; :mod:`redaction.verify` looks for them)."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf


def is_invisible_span(span: dict[str, object]) -> bool:
    """A text span that is extracted but not painted: render mode 3 (neither filled
    nor stroked), fully transparent, or tesseract's GlyphLessFont OCR layer."""
    font = span.get("font")
    if isinstance(font, str) and font.split("+")[-1] == "GlyphLessFont":
        return True
    if span.get("alpha") == 0:
        return True
    flags = span.get("char_flags")
    return isinstance(flags, int) and not flags & (_FZ_STEXT_FILLED | _FZ_STEXT_STROKED)


_FZ_STEXT_FILLED = 16
_FZ_STEXT_STROKED = 32


def has_invisible_text(page: pymupdf.Page) -> bool:
    flags = pymupdf.TEXT_COLLECT_STYLES | pymupdf.TEXT_PRESERVE_SPANS
    for block in page.get_text("dict", flags=flags)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                if span["text"].strip() and is_invisible_span(span):
                    return True
    return False


_GLYPH_FLAGS = (
    pymupdf.TEXT_ACCURATE_BBOXES | pymupdf.TEXT_COLLECT_STYLES | pymupdf.TEXT_PRESERVE_WHITESPACE
    | pymupdf.TEXT_IGNORE_ACTUALTEXT
)  # the glyphs themselves, whatever /ActualText a producer put over them (it can hide a
#    name from extraction, not from a reader's eyes); no TEXT_MEDIABOX_CLIP: text outside
#    the page is extracted too; no TEXT_PRESERVE_SPANS: it breaks a line at every text
#    operator, so words split once redaction rewrote them
GLYPH_SHARE = 0.5  # a glyph is under a box when this share of its ink box is covered


@dataclass(frozen=True)
class Glyph:
    c: str
    rect: pymupdf.Rect  # tight ink box, page coordinates
    invisible: bool


@dataclass(frozen=True)
class GlyphLine:
    chars: tuple[Glyph, ...]


def glyph_lines(page: pymupdf.Page) -> list[GlyphLine]:
    """Every character of the text layer, visible or not, on or off the page, by line."""
    out: list[GlyphLine] = []
    raw = page.get_text("rawdict", flags=_GLYPH_FLAGS, clip=pymupdf.INFINITE_RECT())
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            chars: list[Glyph] = []
            for span in line["spans"]:
                invisible = is_invisible_span(span)
                for ch in span["chars"]:
                    rect = pymupdf.Rect(ch["bbox"])
                    if rect.is_empty:  # a glyph without outline: fall back to its advance box
                        rect = pymupdf.Rect(ch["origin"][0], ch["origin"][1] - span["size"] * 0.8,
                                            max(rect.x1, ch["origin"][0] + 0.1),
                                            ch["origin"][1] + span["size"] * 0.2)
                    chars.append(Glyph(ch["c"], rect, invisible))
            out.append(GlyphLine(tuple(chars)))
    return out


def glyph_under(glyph: pymupdf.Rect, box: pymupdf.Rect) -> bool:
    """Is the glyph (its tight ink box) under ``box``: its centre inside, or at least
    GLYPH_SHARE of its area covered? The tip of a descender from the line above that
    reaches into a padded box is not; a letter inside the box is."""
    gx0, gy0, gx1, gy1 = glyph.x0, glyph.y0, glyph.x1, glyph.y1
    bx0, by0, bx1, by1 = box.x0, box.y0, box.x1, box.y1
    if gx1 < bx0 or gx0 > bx1 or gy1 < by0 or gy0 > by1:
        return False
    cx, cy = (gx0 + gx1) / 2, (gy0 + gy1) / 2
    if bx0 <= cx <= bx1 and by0 <= cy <= by1:
        return True
    iw, ih = min(gx1, bx1) - max(gx0, bx0), min(gy1, by1) - max(gy0, by0)
    area = (gx1 - gx0) * (gy1 - gy0)
    return bool(area > 0 and iw > 0 and ih > 0 and iw * ih >= GLYPH_SHARE * area)
