"""prepare_pages: which pages are rendered for OCR, at what resolution, and how."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pymupdf
import pytest

from redaction.errors import SourceFileError
from redaction.models import DocKind, SourceDocument
from redaction.ocr import PageImage, classify_page, prepare_pages
from redaction.synth import adversarial as adv
from redaction.synth.adversarial.page import _png
from tests.ocr.ocr_fixtures import make_source, scanned_copy, text_page


def test_born_digital_page_is_not_rendered(born_digital: SourceDocument) -> None:
    (img,) = prepare_pages(born_digital)
    assert img.scanned is False
    assert img.png == b"" and img.sha256 == ""
    assert (img.width, img.height, img.rotation) == (595, 842, 0)


def test_scanned_page_is_rendered_grey_at_the_scan_resolution(
    scanned_factory: Callable[..., SourceDocument],
) -> None:
    (img,) = prepare_pages(scanned_factory(dpi=200))
    assert img.scanned is True
    assert img.sha256 == hashlib.sha256(img.png).hexdigest()
    assert img.zoom == pytest.approx(200 / 72, rel=0.01)
    pix = pymupdf.Pixmap(img.png)
    assert pix.n == 1  # grey
    assert pix.width == pytest.approx(595 * 200 / 72, abs=2)


@pytest.mark.parametrize(("scan_dpi", "expected"), [(100, 150), (600, 400)])
def test_render_resolution_is_clamped(
    scanned_factory: Callable[..., SourceDocument], scan_dpi: int, expected: int
) -> None:
    (img,) = prepare_pages(scanned_factory(dpi=scan_dpi))
    assert img.zoom == pytest.approx(expected / 72, rel=0.01)


def test_rotated_scan_is_rendered_as_displayed(scanned_factory: Callable[..., SourceDocument]) -> None:
    (img,) = prepare_pages(scanned_factory(rotation=90))
    assert img.rotation == 90
    # width/height stay the unrotated CropBox; the image is the displayed (landscape) page
    assert (img.width, img.height) == (595, 842)
    pix = pymupdf.Pixmap(img.png)
    assert pix.width > pix.height


def test_page_with_text_and_a_large_image_is_scanned() -> None:
    tmp = pymupdf.open()
    src = text_page(tmp, ["Pasted letter from Daniel"])
    out = pymupdf.open()
    page = out.new_page(width=595, height=842)
    page.insert_text((72, 60), "Typed heading", fontsize=12)
    pix = src.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    page.insert_image(pymupdf.Rect(0, 100, 595, 700), pixmap=pix)  # ~70% of the page
    kind = classify_page(out[0])
    assert kind.has_text and kind.scanned
    assert kind.image_coverage > 0.5


def test_page_with_text_and_a_blank_panel_is_born_digital() -> None:
    pdf = pymupdf.open()
    page = text_page(pdf, ["Daniel Price"])
    logo = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 100, 50), False)
    logo.clear_with(200)
    page.insert_image(pymupdf.Rect(450, 20, 550, 70), pixmap=logo)
    kind = classify_page(pdf[0])
    assert kind.scanned is False
    assert 0 < kind.image_coverage < 0.05


def test_page_whose_text_layer_may_not_say_what_it_shows_is_read_by_ocr() -> None:
    for name in ("unmapped-font", "vector-text", "shared-image"):
        with pymupdf.open(stream=adv.ALL[name](), filetype="pdf") as pdf:
            assert classify_page(pdf[0]).scanned, name
    logo = pymupdf.open()
    page = text_page(logo, ["Daniel Price"])
    page.insert_image(pymupdf.Rect(400, 20, 550, 70), stream=_png(adv.text_picture("Barnet Family Services")))
    assert classify_page(logo[0]).scanned
    for name in ("visible-text", "hidden-layer", "metadata"):
        with pymupdf.open(stream=adv.ALL[name](), filetype="pdf") as pdf:
            assert not classify_page(pdf[0]).scanned, name


def test_page_without_text_layer_is_rendered_even_without_images() -> None:
    # text drawn as vector outlines has no text layer: only OCR can read it
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.draw_rect(pymupdf.Rect(72, 72, 300, 100), color=(0, 0, 0), fill=(0, 0, 0))
    (img,) = prepare_pages(make_source(pdf))
    assert img.scanned and img.png


def test_mixed_document_pages_are_classified_one_by_one(
    scanned_factory: Callable[..., SourceDocument],
) -> None:
    out = pymupdf.open()
    tmp = pymupdf.open()
    text_page(out, ["Born digital page"])
    scanned_copy(text_page(tmp, ["Scanned page"]), out)
    images = prepare_pages(make_source(out))
    assert [i.scanned for i in images] == [False, True]
    assert [i.page_index for i in images] == [0, 1]
    assert all(isinstance(i, PageImage) for i in images)


def test_page_that_cannot_be_drawn_is_held_back_naming_the_page() -> None:
    pdf = pymupdf.open()
    text_page(pdf, ["fine page"])
    page = pdf.new_page()
    # a content stream that references an image whose data is garbage
    xref = pdf.get_new_xref()
    pdf.update_object(
        xref, "<< /Type /XObject /Subtype /Image /Width 500 /Height 500 /BitsPerComponent 8 "
        "/ColorSpace /DeviceGray /Filter /DCTDecode /Length 4 >>"
    )
    pdf.update_stream(xref, b"\x00\x01\x02\x03", compress=False)
    page_xref = page.xref
    pdf.xref_set_key(page_xref, "Resources", f"<< /XObject << /Im0 {xref} 0 R >> >>")
    cont = pdf.get_new_xref()
    pdf.update_object(cont, "<< >>")
    pdf.update_stream(cont, b"q 500 0 0 700 50 50 cm /Im0 Do Q")
    pdf.xref_set_key(page_xref, "Contents", f"{cont} 0 R")
    src = SourceDocument("bad.pdf", DocKind.PDF, "0" * 64, pdf.tobytes(), 2)
    with pytest.raises(SourceFileError) as ei:
        prepare_pages(src)
    assert ei.value.code == "corrupt"
    assert "bad.pdf" in str(ei.value) and "page 2" in str(ei.value)


def test_unreadable_working_pdf_is_corrupt() -> None:
    src = SourceDocument("x.pdf", DocKind.PDF, "0" * 64, b"%PDF-1.7 garbage", 1)
    with pytest.raises(SourceFileError) as ei:
        prepare_pages(src)
    assert ei.value.code == "corrupt"
