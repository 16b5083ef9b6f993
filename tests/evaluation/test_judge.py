"""The judge's image-leak test on image pixels made by hand: a bar burnt into the pixels that
covers only part of a word's core is no leak by itself; writing beside it, or under a box only
drawn over the image, is."""

from __future__ import annotations

import numpy as np

from redaction.evaluation.judge import _ink_beside_the_bar

PAPER, INK, BAR = 240, 40, 0


def _paper(h: int = 30, w: int = 90) -> np.ndarray:
    rng = np.random.default_rng(7)
    return (PAPER + rng.integers(-6, 7, size=(h, w))).astype(np.int16)  # a scan's grain


def _writing(region: np.ndarray, x0: int, x1: int) -> np.ndarray:
    out = region.copy()
    for x in range(x0, x1, 7):  # strokes of letters: short verticals and a bar across
        out[5:25, x:x + 2] = INK
        out[14:16, x:x + 5] = INK
    return out


def test_a_bar_covering_part_of_the_core_over_plain_paper_is_no_leak() -> None:
    left = _paper()
    left[:, :75] = BAR  # the bar's right edge inside the core; paper past it
    assert not _ink_beside_the_bar(left)
    top = _paper()
    top[:22, :] = BAR  # the bar's foot inside the core
    assert not _ink_beside_the_bar(top)
    blurred = _paper()
    blurred[:, :60] = BAR
    blurred[:, 60:62] = 120  # the edge blurred by scaling
    assert not _ink_beside_the_bar(blurred)


def test_writing_under_a_box_drawn_over_the_image_is_a_leak() -> None:
    assert _ink_beside_the_bar(_writing(_paper(), 3, 85))
    assert not _ink_beside_the_bar(_paper())  # plain paper: nothing written


def test_writing_beside_a_bar_that_covers_only_part_of_the_word_is_a_leak() -> None:
    region = _writing(_paper(), 3, 85)
    region[:, :55] = BAR
    assert _ink_beside_the_bar(region)


def test_a_core_wholly_burnt_is_no_leak() -> None:
    assert not _ink_beside_the_bar(np.zeros((30, 90), dtype=np.int16))


def _scan_page() -> tuple[bytes, tuple[float, float, float, float]]:
    """A one-page PDF whose page is a 200 dpi image of a line of text; the box (PDF points)
    of its second word."""
    import io

    import pymupdf
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1100, 200), 245)
    font = ImageFont.load_default(size=48)
    draw = ImageDraw.Draw(img)
    draw.text((40, 60), "Seen by", fill=20, font=font)
    x0 = 40 + draw.textlength("Seen by ", font=font)
    draw.text((x0, 60), "Daniel Price", fill=20, font=font)
    x1 = x0 + draw.textlength("Daniel", font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=1100 * 72 / 200, height=200 * 72 / 200)
    page.insert_image(page.rect, stream=buf.getvalue())
    k = 72 / 200
    return doc.tobytes(), (x0 * k, 55 * k, x1 * k, 120 * k)


def test_a_box_only_drawn_over_a_scanned_word_is_an_image_leak_and_a_burnt_one_is_not() -> None:
    import pymupdf

    from redaction.evaluation.judge import _image_leak, _page_view

    pdf, box = _scan_page()
    drawn = pymupdf.open(stream=pdf, filetype="pdf")
    drawn[0].draw_rect(pymupdf.Rect(box), color=(0, 0, 0), fill=(0, 0, 0))
    assert _image_leak(_page_view(drawn, 0), pymupdf.Rect(box))
    burnt = pymupdf.open(stream=pdf, filetype="pdf")
    burnt[0].add_redact_annot(pymupdf.Rect(box) + (-2, -2, 2, 2), fill=(0, 0, 0))
    burnt[0].apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS)  # type: ignore[attr-defined]
    assert not _image_leak(_page_view(burnt, 0), pymupdf.Rect(box))
    # burnt over the word's left part only: what is left of it is writing beside the bar
    part = pymupdf.open(stream=pdf, filetype="pdf")
    r = pymupdf.Rect(box)
    part[0].add_redact_annot(pymupdf.Rect(r.x0 - 2, r.y0 - 2, r.x0 + r.width * 0.4, r.y1 + 2), fill=(0, 0, 0))
    part[0].apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS)  # type: ignore[attr-defined]
    assert _image_leak(_page_view(part, 0), r)
