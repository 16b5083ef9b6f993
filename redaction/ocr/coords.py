"""The one conversion from OCR pixels to page coordinates.

An engine reads the *rendered* page: rotated as displayed (/Rotate applied), cropped
to the CropBox, scaled by ``zoom`` pixels per point. Page coordinates
(:mod:`redaction.models`) are unrotated with their origin at the CropBox's top-left.
So: pixels / zoom -> displayed-page points -> ``page.derotation_matrix`` -> page
points. PyMuPDF's page coordinates are already CropBox-relative, as is the
rendering, so no CropBox offset is added (tests pin this down).
"""

from __future__ import annotations

import pymupdf

from redaction.models import Box, Word
from redaction.ocr.base import PixelWord
from redaction.ocr.pages import PageImage


def pixel_to_page_matrix(page_image: PageImage, page: pymupdf.Page) -> pymupdf.Matrix:
    z = page_image.zoom
    matrix: pymupdf.Matrix = pymupdf.Matrix(1.0 / z, 1.0 / z) * page.derotation_matrix
    return matrix


def words_to_page(
    pixel_words: list[PixelWord] | tuple[PixelWord, ...], page_image: PageImage, page: pymupdf.Page
) -> tuple[Word, ...]:
    """Words in pixels of ``page_image.png`` -> Words in page coordinates of ``page``."""
    m = pixel_to_page_matrix(page_image, page)
    out: list[Word] = []
    for pw in pixel_words:
        r = pymupdf.Rect(pw.left, pw.top, pw.left + pw.width, pw.top + pw.height) * m
        r.normalize()
        out.append(
            Word(
                text=pw.text,
                box=Box(float(r.x0), float(r.y0), float(r.x1), float(r.y1)),
                block=pw.block,
                line=pw.line,
                word_no=pw.word_no,
                conf=float(pw.conf),
            )
        )
    return tuple(out)
