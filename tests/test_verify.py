"""Verification must catch real leaks: each test crafts an output that leaks in one
way (a box drawn over a scan, redaction that kept image pixels, metadata left behind,
an incremental save ...) and asserts the report names the right kind and page, and
never quotes the leaked text. The clean renderings of the same fixtures verify ok
(tests/test_render.py), so each check can both pass and fail."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageDraw

from redaction.errors import ExitCode, VerificationError
from redaction.models import Box, Reason, Redaction, VerificationReport
from redaction.render import render_document
from redaction.tjarrays import split_tj_arrays
from redaction.verify import count_phrase, normalise, verify_document, verify_or_raise
from tests.test_render import (
    NAME,
    PAGE_H,
    PAGE_W,
    Fixture,
    residue_pdf,
    rotated_cropped_pdf,
    scan_pdf,
    text_pdf,
    vector_pdf,
)

DOC = "fixture.pdf"
PDF_REDACT_IMAGE_NONE: int = pymupdf.PDF_REDACT_IMAGE_NONE  # type: ignore[attr-defined]
PDF_REDACT_IMAGE_PIXELS: int = pymupdf.PDF_REDACT_IMAGE_PIXELS  # type: ignore[attr-defined]
PDF_REDACT_TEXT_NONE: int = pymupdf.PDF_REDACT_TEXT_NONE  # type: ignore[attr-defined]
PDF_REDACT_LINE_ART_NONE: int = pymupdf.PDF_REDACT_LINE_ART_NONE  # type: ignore[attr-defined]
PDF_WIDGET_TYPE_TEXT: int = pymupdf.PDF_WIDGET_TYPE_TEXT  # type: ignore[attr-defined]


def kinds(report: VerificationReport) -> set[str]:
    return {leak.kind for leak in report.leaks}


def check(out: bytes, reds: list[Redaction], source: bytes | None, **kw: bool) -> VerificationReport:
    report = verify_document(out, reds, DOC, source_pdf=source, **kw)
    for leak in report.leaks:  # a leak report must never become a leak itself
        assert "daniel" not in str(leak).lower() and "price" not in str(leak).lower(), str(leak)
    return report


def edited(pdf: bytes, edit: Callable[[pymupdf.Document], None]) -> bytes:
    """Apply ``edit`` and save the way a careless tool would not: a fresh, scrubbed
    file, so that only the leak under test remains."""
    doc = pymupdf.open(stream=pdf, filetype="pdf")
    edit(doc)
    doc.set_metadata({})
    doc.xref_set_key(doc.pdf_catalog(), "Info", "null")
    return doc.tobytes(garbage=4, deflate=True)


def cover_only(fx: Fixture, pad: float = 1.0) -> bytes:
    """The classic fake redaction: a black rectangle drawn over the content."""
    def edit(doc: pymupdf.Document) -> None:
        box = fx.redaction(pad=pad).boxes[0]
        doc[0].draw_rect(pymupdf.Rect(box.as_tuple()), color=(0, 0, 0), fill=(0, 0, 0))
    return edited(fx.pdf, edit)


def mupdf_redaction(fx: Fixture, split: bool = True, pad: float = 1.0, **options: int) -> bytes:
    """MuPDF redaction with chosen options (a peer app used images=0). TJ arrays are
    split first as render.py does, so only the options differ."""
    def edit(doc: pymupdf.Document) -> None:
        page = doc[0]
        if split:
            split_tj_arrays(doc, page)
        for box in fx.redaction(pad=pad).boxes:
            page.add_redact_annot(pymupdf.Rect(box.as_tuple()), fill=(0, 0, 0))
        page.apply_redactions(**options)
    return edited(fx.pdf, edit)


# --- boxes drawn over content ----------------------------------------------------------


def test_box_drawn_over_a_scan_is_an_image_leak() -> None:
    fx = scan_pdf()
    report = check(cover_only(fx), [fx.redaction()], fx.pdf)
    assert kinds(report) == {"image"}  # it looks black, so only the pixels give it away
    assert [leak.page_index for leak in report.leaks] == [0]


def test_box_drawn_over_text_is_a_text_leak() -> None:
    fx = text_pdf()
    report = check(cover_only(fx), [fx.redaction()], fx.pdf)
    assert kinds(report) == {"text"}
    details = " ".join(leak.detail for leak in report.leaks)
    assert "characters" in details or "character(s)" in details
    assert "redaction 1 (TP)" in details  # the phrase check fires too


def test_redaction_that_kept_image_pixels_is_an_image_leak() -> None:
    fx = scan_pdf()
    out = mupdf_redaction(fx, images=PDF_REDACT_IMAGE_NONE)
    assert kinds(check(out, [fx.redaction()], fx.pdf)) == {"image"}
    # the same redaction with pixels removed is clean: the check is not always on
    ok = mupdf_redaction(fx, images=PDF_REDACT_IMAGE_PIXELS)
    assert check(ok, [fx.redaction()], fx.pdf).ok


def test_redaction_that_kept_text_is_a_text_leak() -> None:
    fx = scan_pdf(ocr_layer=True)
    out = mupdf_redaction(fx, text=PDF_REDACT_TEXT_NONE)
    report = check(out, [fx.redaction()], fx.pdf, allow_hidden_text=True)
    assert kinds(report) == {"text"}


def test_text_slid_under_the_box_by_mupdfs_tj_defect_is_caught() -> None:
    """MuPDF 1.28.5 shifts the rest of a TJ line left after removing text from it:
    the next word slides under the black box. render.py avoids it; verify sees it."""
    fx = text_pdf()
    exact = fx.redaction(pad=0)  # the box is the name's own: the next word moves 10 pt into it
    report = check(mupdf_redaction(fx, split=False, pad=0), [exact], fx.pdf)
    assert kinds(report) == {"text"}
    assert check(mupdf_redaction(fx, split=True, pad=0), [exact], fx.pdf).ok


def test_redaction_that_kept_line_art_is_a_vector_leak() -> None:
    fx, _rule = vector_pdf()
    out = mupdf_redaction(fx, graphics=PDF_REDACT_LINE_ART_NONE)
    assert kinds(check(out, [fx.redaction()], fx.pdf)) == {"vector"}


def test_redaction_without_a_black_box_is_a_rendering_leak() -> None:
    fx = scan_pdf()

    def edit(doc: pymupdf.Document) -> None:
        doc[0].add_redact_annot(pymupdf.Rect(fx.redaction().boxes[0].as_tuple()))  # no fill
        doc[0].apply_redactions()
    report = check(edited(fx.pdf, edit), [fx.redaction()], fx.pdf)
    assert kinds(report) == {"rendered"}
    assert "renders only" in report.leaks[0].detail


def test_misplaced_box_on_a_rotated_cropped_page_is_caught() -> None:
    """What PyMuPDF 2.0 does when it draws the fill on a rotated page whose CropBox is
    offset: text and pixels go, the black box lands elsewhere."""
    fx = rotated_cropped_pdf()
    out = mupdf_redaction(fx)
    assert "rendered" in kinds(check(out, [fx.redaction()], fx.pdf, allow_hidden_text=True))


def test_ink_outside_the_cropbox_is_a_hidden_leak() -> None:
    fx = rotated_cropped_pdf()
    report = check(mupdf_redaction(fx), [fx.redaction()], fx.pdf)
    hidden = [leak.detail for leak in report.leaks if leak.kind == "hidden"]
    assert any("text lie outside the visible page" in d for d in hidden)
    assert any("outside the visible page" in d and d.startswith("image") for d in hidden)


def test_ink_only_in_the_soft_mask_is_found() -> None:
    """An image whose colour samples are all black and whose alpha holds the name:
    the pixels look uniform, the SMask does not."""
    im = Image.new("LA", (840, 600), (0, 0))
    ImageDraw.Draw(im).rectangle([300, 240, 500, 300], fill=(0, 255))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_image(page.rect, stream=buf.getvalue())
    fx = Fixture(doc.tobytes(), Box(145, 115, 255, 155))
    report = check(cover_only(fx), [fx.redaction()], fx.pdf)
    assert kinds(report) == {"image"}
    assert "SMask" in report.leaks[0].detail
    assert check(render_document(fx.pdf, [fx.redaction()], DOC), [fx.redaction()], fx.pdf).ok


# --- invisible text ---------------------------------------------------------------


def test_invisible_ocr_layer_left_on_the_page_is_a_hidden_leak() -> None:
    fx = scan_pdf(ocr_layer=True)
    out = render_document(fx.pdf, [fx.redaction()], DOC, strip_hidden_text=False)
    report = check(out, [fx.redaction()], fx.pdf)
    assert kinds(report) == {"hidden"}
    assert check(out, [fx.redaction()], fx.pdf, allow_hidden_text=True).ok


# --- whole pages -------------------------------------------------------------------


def test_whole_page_covered_but_not_emptied_is_a_leak() -> None:
    fx = scan_pdf(ocr_layer=True)
    red = Redaction(1, 0, (Box(0, 0, PAGE_W, PAGE_H),), Reason.AUTHORED, "tp-2", whole_page=True)

    def edit(doc: pymupdf.Document) -> None:
        doc[0].draw_rect(doc[0].rect, color=(0, 0, 0), fill=(0, 0, 0))
    report = check(edited(fx.pdf, edit), [red], fx.pdf, allow_hidden_text=True)
    assert {"whole-page", "text", "image"} <= kinds(report)
    assert "rendered" not in kinds(report)


# --- the phrase count ---------------------------------------------------------------


def test_phrase_left_elsewhere_on_the_page_is_allowed_only_as_often_as_the_source_has_it() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_text((40, 80), "Daniel Price phoned.", fontsize=14)
    page.insert_text((40, 140), "Later Daniel Price wrote.", fontsize=14)  # a rejected proposal
    first = Box(*page.search_for(NAME)[0])
    fx = Fixture(doc.tobytes(), first)
    out = render_document(fx.pdf, [fx.redaction()], DOC)
    assert check(out, [fx.redaction()], fx.pdf).ok  # one left, one expected
    report = check(out, [fx.redaction()], None)  # without the source any occurrence counts
    assert kinds(report) == {"text"}
    assert "1 time(s), 0 expected" in report.leaks[0].detail


def test_phrase_matching_ignores_case_spacing_and_ligatures() -> None:
    assert normalise("  Daniel\n  PRICE ") == "daniel price"
    assert normalise("Ofﬁce") == "office"
    text = normalise("Dan met Jordan and DAN's dog; Daniel\nPrice")
    assert count_phrase(text, "Dan") == 2  # not inside "Jordan"
    assert count_phrase(text, "daniel  price") == 1  # across a line break


def test_descender_from_the_line_above_reaching_into_a_padded_box_is_not_a_leak() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_text((40, 100), "happy jumping puppy", fontsize=14)  # descenders g, j, p, y
    page.insert_text((40, 114), "Daniel Price", fontsize=14)  # tight leading (1.0)
    hit = page.search_for(NAME)[0]
    box = Box(hit.x0, 100.5, hit.x1, hit.y1)  # from just below line 1's baseline
    fx = Fixture(doc.tobytes(), box)
    red = fx.redaction(pad=0)
    out = render_document(fx.pdf, [red], DOC)
    with pymupdf.open(stream=out, filetype="pdf") as res:
        assert "happy jumping puppy" in res[0].get_text()  # MuPDF kept line 1
    assert check(out, [red], fx.pdf).ok
    # the same box drawn over text that was not removed is caught
    assert kinds(check(cover_only(fx, pad=0), [red], fx.pdf)) == {"text"}


# --- document residue ---------------------------------------------------------------


def _clean(fx: Fixture) -> bytes:
    return render_document(fx.pdf, [fx.redaction()], DOC)


@pytest.mark.parametrize(
    ("kind", "edit"),
    [
        ("metadata", lambda d: d.set_metadata({"author": NAME})),
        ("xmp", lambda d: d.set_xml_metadata(f"<x:xmpmeta xmlns:x='adobe:ns:meta/'>{NAME}</x:xmpmeta>")),
        ("annotation", lambda d: d[0].add_text_annot((10, 10), NAME)),
        ("embedded-file", lambda d: d.embfile_add("notes.txt", NAME.encode())),
        ("outline", lambda d: d.set_toc([[1, NAME, 1]])),
    ],
)
def test_document_residue_is_reported(kind: str, edit: Callable[[pymupdf.Document], object]) -> None:
    fx = text_pdf()
    clean = _clean(fx)
    assert check(clean, [fx.redaction()], fx.pdf).ok

    doc = pymupdf.open(stream=clean, filetype="pdf")
    edit(doc)
    out = doc.tobytes(garbage=4)  # metadata edits must survive: no scrubbing here
    assert kind in kinds(check(out, [fx.redaction()], fx.pdf))


def test_form_field_left_in_the_output_is_reported() -> None:
    fx = text_pdf()
    doc = pymupdf.open(stream=_clean(fx), filetype="pdf")
    w = pymupdf.Widget()
    w.field_name, w.field_type = "partner", PDF_WIDGET_TYPE_TEXT
    w.rect, w.field_value = pymupdf.Rect(40, 230, 260, 250), "x"
    doc[0].add_widget(w)
    report = check(doc.tobytes(garbage=4), [fx.redaction()], fx.pdf)
    assert "form" in kinds(report)
    assert any(leak.kind == "form" and leak.page_index == 0 for leak in report.leaks)


def test_document_javascript_is_reported() -> None:
    fx = text_pdf()
    doc = pymupdf.open(stream=_clean(fx), filetype="pdf")
    js = doc.get_new_xref()
    doc.update_object(js, "<</S/JavaScript/JS(app.alert(1);)>>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    report = check(doc.tobytes(garbage=4), [fx.redaction()], fx.pdf)
    assert {"javascript", "action"} <= kinds(report)


def test_residue_of_an_unscrubbed_source_is_reported_in_full() -> None:
    fx = residue_pdf()
    report = check(fx.pdf, [], fx.pdf)
    assert {"metadata", "xmp", "annotation", "form", "embedded-file", "javascript", "action",
            "outline"} <= kinds(report)


def test_incremental_save_is_reported(tmp_path: Path) -> None:
    fx = text_pdf()
    path = tmp_path / "out.pdf"
    path.write_bytes(_clean(fx))
    doc = pymupdf.open(path)
    doc[0].insert_text((40, 280), "appended later", fontsize=8)
    doc.saveIncr()
    doc.close()
    report = check(path.read_bytes(), [fx.redaction()], fx.pdf)
    assert "incremental" in kinds(report)


# --- structure ----------------------------------------------------------------------


def test_lost_page_and_changed_cropbox_are_structure_leaks() -> None:
    fx = text_pdf()
    two = pymupdf.open(stream=fx.pdf, filetype="pdf")
    two.insert_pdf(pymupdf.open(stream=fx.pdf, filetype="pdf"))
    source = two.tobytes()
    out = render_document(source, [fx.redaction()], DOC)

    fewer = pymupdf.open(stream=out, filetype="pdf")
    fewer.delete_page(1)
    assert kinds(check(fewer.tobytes(garbage=4), [fx.redaction()], source)) == {"structure"}

    cropped = pymupdf.open(stream=out, filetype="pdf")
    cropped[1].set_cropbox(pymupdf.Rect(10, 10, PAGE_W - 10, PAGE_H - 10))
    report = check(cropped.tobytes(garbage=4), [fx.redaction()], source)
    assert kinds(report) == {"structure"} and report.leaks[0].page_index == 1


def test_unreadable_output_is_reported_not_raised() -> None:
    report = check(b"not a pdf", [], None)
    assert kinds(report) == {"structure"} and report.pages == 0


# --- raising ------------------------------------------------------------------------


def test_verify_or_raise_names_document_and_page_but_not_the_text() -> None:
    fx = scan_pdf()
    second = Redaction(2, 0, (Box(40, 60, 120, 90),), Reason.OTHER_CHILD, None, text="Amelia")
    with pytest.raises(VerificationError) as err:
        verify_or_raise(cover_only(fx), [fx.redaction(), second], DOC, fx.pdf)
    message = str(err.value)
    assert message.startswith(f"{DOC}: the clean copy failed verification")
    assert f"{DOC} page 1: image:" in message
    assert "Daniel" not in message and "Amelia" not in message
    assert err.value.exit_code == ExitCode.VERIFICATION_FAILED
    # the first box is covered but keeps its ink; the second is not covered at all
    assert {leak.kind for leak in err.value.leaks} == {"image", "rendered"}  # type: ignore[attr-defined]


def test_verify_or_raise_returns_the_report_when_clean() -> None:
    fx = scan_pdf()
    report = verify_or_raise(_clean(fx), [fx.redaction()], DOC, fx.pdf)
    assert report.ok and report.pages == 1
