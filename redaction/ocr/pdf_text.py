"""Words of a born-digital page, read from its PDF text layer with PyMuPDF.

``page.get_text("words")`` already reports page coordinates (unrotated, origin at the
top-left of the CropBox), the system :class:`~redaction.models.Box` uses.
"""

from __future__ import annotations

import pymupdf

from redaction.models import Box, Word

# Ligatures are expanded ("ﬁ" -> "fi") so names match letter by letter.
WORD_FLAGS = (pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_PRESERVE_LIGATURES) | pymupdf.TEXT_MEDIABOX_CLIP


def text_layer_words(page: pymupdf.Page, block_offset: int = 0) -> tuple[Word, ...]:
    """Every non-blank word of the page's text layer, in PyMuPDF's reading order.
    ``block_offset`` is added to block numbers (to keep them apart from OCR blocks
    when both are merged on one page)."""
    out: list[Word] = []
    for x0, y0, x1, y1, text, block, line, word_no in page.get_text("words", flags=WORD_FLAGS):
        t = str(text).strip()
        if not t:
            continue
        out.append(
            Word(
                text=t,
                box=Box(float(x0), float(y0), float(x1), float(y1)),
                block=int(block) + block_offset,
                line=int(line),
                word_no=int(word_no),
                conf=100.0,
            )
        )
    return tuple(out)


def merge_text_layer(ocr_words: tuple[Word, ...], layer: tuple[Word, ...]) -> tuple[Word, ...]:
    """OCR words plus the text-layer words that overlap none of them (a mixed page:
    typed text around a pasted scan, or a scan with an old OCR layer)."""
    extra = tuple(w for w in layer if not any(w.box.intersects(o.box) for o in ocr_words))
    return ocr_words + extra
