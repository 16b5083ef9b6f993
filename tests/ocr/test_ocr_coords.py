"""words_to_page: pixels of the rendered (rotated, cropped) page -> page coordinates.

A word is drawn on a born-digital page; the page is rendered exactly as prepare_pages
renders it; the dark pixels' bounding box stands in for an OCR box. Mapped back, it
must land on the word's own get_text("words") box."""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from redaction.models import Box
from redaction.ocr import PageImage, PixelWord, render_page, words_to_page


def _dark_bbox(png: bytes) -> tuple[int, int, int, int]:
    pix = pymupdf.Pixmap(png)
    a = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)[:, :, 0]
    ys, xs = np.nonzero(a < 128)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _page_with_word(rotation: int, crop: pymupdf.Rect | None) -> tuple[pymupdf.Document, pymupdf.Page]:
    pdf = pymupdf.open()
    page = pdf.new_page(width=600, height=800)
    page.insert_text((180, 260), "Daniel", fontsize=24)
    if crop is not None:
        page.set_cropbox(crop)
    if rotation:
        page.set_rotation(rotation)
    return pdf, page


def _mapped_box(page: pymupdf.Page, dpi: float) -> tuple[Box, Box]:
    png, zoom = render_page(page, dpi)
    x0, y0, x1, y1 = _dark_bbox(png)
    img = PageImage(0, png, "x", zoom, True, page.cropbox.width, page.cropbox.height, page.rotation)
    (word,) = words_to_page([PixelWord("Daniel", x0, y0, x1 - x0, y1 - y0, 95.0)], img, page)
    (truth,) = [w for w in page.get_text("words") if w[4] == "Daniel"]
    return word.box, Box(*truth[:4])


def _assert_lands_on(found: Box, truth: Box, tol: float = 3.0) -> None:
    # the ink box sits inside the word's text box (which also spans ascender/descender
    # space) and matches it horizontally
    assert truth.pad(tol).x0 <= found.x0 and found.x1 <= truth.pad(tol).x1
    assert truth.pad(tol).y0 <= found.y0 and found.y1 <= truth.pad(tol).y1
    assert abs(found.x0 - truth.x0) < tol and abs(found.x1 - truth.x1) < tol
    assert found.height > truth.height * 0.4


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_pixel_box_lands_on_word_for_every_rotation(rotation: int) -> None:
    _pdf, page = _page_with_word(rotation, None)
    found, truth = _mapped_box(page, 200)
    _assert_lands_on(found, truth)


@pytest.mark.parametrize("rotation", [0, 90])
def test_pixel_box_lands_on_word_when_cropbox_is_offset(rotation: int) -> None:
    _pdf, page = _page_with_word(rotation, pymupdf.Rect(100, 150, 500, 600))
    assert page.cropbox_position != pymupdf.Point(0, 0)
    found, truth = _mapped_box(page, 300)
    _assert_lands_on(found, truth)
    # and the page coordinates are CropBox-relative: the word drawn at x=180 on the
    # MediaBox is at x~80 here
    assert 75 < found.x0 < 90


def test_rotated_page_box_is_not_the_displayed_box() -> None:
    # guards against skipping the derotation: on a /Rotate 90 page the displayed
    # (pixel/zoom) box is far from the unrotated word box
    _pdf, page = _page_with_word(90, None)
    png, zoom = render_page(page, 200)
    x0, y0, x1, y1 = _dark_bbox(png)
    displayed = Box(x0 / zoom, y0 / zoom, x1 / zoom, y1 / zoom)
    found, truth = _mapped_box(page, 200)
    assert not displayed.pad(-1).intersects(truth)
    assert found.intersects(truth)
