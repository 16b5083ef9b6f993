"""True redaction: every test re-extracts the output (text layer, the embedded images'
pixels under each box, the rendering, metadata) instead of trusting the renderer.

The fixtures are made here in code: born-digital text, a "scan" (text rendered to a
200 dpi pixmap and embedded as an image, so the name exists only as pixels), a scan
with an invisible OCR layer, a rotated page with an offset CropBox, line art, and a
document full of residue (metadata, XMP, annotations, a form field, an attachment,
JavaScript, bookmarks). tests/test_verify.py reuses the builders.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from redaction.errors import InputError, SourceFileError
from redaction.models import Box, Reason, Redaction
from redaction.render import render_document
from redaction.scrub import clean_bytes
from redaction.tjarrays import split_tj_rewrite
from redaction.verify import verify_document

NAME = "Daniel Price"
PDF_ANNOT_IS_HIDDEN: int = pymupdf.PDF_ANNOT_IS_HIDDEN  # type: ignore[attr-defined]
PDF_WIDGET_TYPE_TEXT: int = pymupdf.PDF_WIDGET_TYPE_TEXT  # type: ignore[attr-defined]
LINES = ("Referral about Amelia Hart, aged 7.", "Mum's partner Daniel Price attended the meeting.",
         "Next review in spring.")
PAGE_W, PAGE_H = 420.0, 300.0
GOLDEN = Path(__file__).parent / "resources" / "golden"


# --- fixture builders (also used by test_verify.py) -------------------------------------


@dataclass(frozen=True)
class Fixture:
    pdf: bytes
    box: Box  # the name's box, page coordinates of page 0

    def redaction(self, reason: Reason = Reason.THIRD_PARTY, pid: int = 1, pad: float = 1.0) -> Redaction:
        return Redaction(pid, 0, (self.box.pad(pad),), reason, "tp-1", text=NAME)


def _write_lines(page: pymupdf.Page, render_mode: int = 0, origin: tuple[float, float] = (40, 80)) -> None:
    x, y = origin
    for i, line in enumerate(LINES):
        page.insert_text((x, y + 40 * i), line, fontsize=14, render_mode=render_mode)


def _name_box(page: pymupdf.Page) -> Box:
    hits = page.search_for(NAME)
    assert len(hits) == 1
    return Box(*hits[0])


def text_pdf() -> Fixture:
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    _write_lines(page)
    return Fixture(doc.tobytes(), _name_box(page))


def scan_pixmap(dpi: int = 200, footer: bool = False) -> tuple[pymupdf.Pixmap, Box]:
    """The text page rendered to grey pixels: a scan whose only copy of the name is ink
    (``footer``: one more copy of it in the bottom 12 points)."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    _write_lines(page)
    box = _name_box(page)
    if footer:
        page.insert_text((40, PAGE_H - 4), "Copied to Daniel Price", fontsize=8)
    return page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY), box


def scan_pdf(ocr_layer: bool = False) -> Fixture:
    pix, box = scan_pixmap()
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_image(page.rect, pixmap=pix)
    if ocr_layer:
        _write_lines(page, render_mode=3)  # invisible text exactly over the ink
    return Fixture(doc.tobytes(), box)


def rotated_cropped_pdf() -> Fixture:
    """A scan plus a text line on a page with /Rotate 90 and a CropBox inset from the
    MediaBox; outside the CropBox (never displayed) a second copy of the name lies
    both as text and as ink in the scan."""
    pix, box = scan_pixmap(footer=True)
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W + 60, height=PAGE_H + 80)
    page.insert_image(pymupdf.Rect(30, 50, 30 + PAGE_W, 50 + PAGE_H), pixmap=pix)
    page.insert_text((40, 30), "Margin note: Daniel Price", fontsize=10)  # above the CropBox
    page.set_cropbox(pymupdf.Rect(30, 50, 30 + PAGE_W, 50 + PAGE_H - 20))
    page.set_rotation(90)
    # the scan sits at the CropBox origin: the name's box is the one it had unscanned
    return Fixture(doc.tobytes(), box)


def vector_pdf() -> tuple[Fixture, Box]:
    """Text plus line art: a strike line and a 'signature' curve through the name, and a
    rule elsewhere (returned) that must survive."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    _write_lines(page)
    box = _name_box(page)
    mid = (box.y0 + box.y1) / 2
    page.draw_line((box.x0 - 20, mid), (box.x1 + 20, mid), color=(0, 0, 1), width=1.5)
    page.draw_bezier((box.x0 + 5, box.y1 - 2), (box.x0 + 20, box.y0), (box.x1 - 20, box.y1),
                     (box.x1 - 5, box.y0 + 2), color=(0, 0, 0), width=1)
    rule = Box(40, 250, 380, 250)
    page.draw_line((rule.x0, rule.y0), (rule.x1, rule.y1), color=(0, 0, 0), width=1)
    return Fixture(doc.tobytes(), box), rule


XMP = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Daniel Price</rdf:li>'
       '</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def residue_pdf() -> Fixture:
    """Born-digital page plus everything a clean copy must not carry."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    _write_lines(page)
    box = _name_box(page)
    doc.set_metadata({"author": NAME, "title": "Referral re Daniel Price", "subject": "s", "keywords": "k",
                      "creator": "Scanner", "producer": "ScanSoft"})
    doc.set_xml_metadata(XMP)
    page.add_text_annot((380, 20), "Phoned Daniel Price")  # a sticky note: its text is not shown
    page.add_freetext_annot(pymupdf.Rect(40, 200, 260, 220), "Seen by Daniel Price", fontsize=10)
    hidden = page.add_freetext_annot(pymupdf.Rect(260, 200, 400, 220), "Daniel Price hidden", fontsize=10)
    hidden.set_flags(PDF_ANNOT_IS_HIDDEN)
    hidden.update()
    w = pymupdf.Widget()
    w.field_name, w.field_type = "partner", PDF_WIDGET_TYPE_TEXT
    w.rect, w.field_value = pymupdf.Rect(40, 230, 260, 250), "Daniel Price (form)"
    page.add_widget(w)
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(box.as_tuple()),
                      "uri": "mailto:dan.price@example.com"})
    doc.embfile_add("notes.txt", b"Daniel Price, 14 Elm Road", filename="notes.txt")
    js = doc.get_new_xref()
    doc.update_object(js, "<</S/JavaScript/JS(app.alert('Daniel Price');)>>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    doc.set_toc([[1, "Letter from Daniel Price", 1]])
    return Fixture(doc.tobytes(), box)


# --- inspection helpers -------------------------------------------------------------


def image_arrays(doc: pymupdf.Document, page: pymupdf.Page) -> list[tuple[np.ndarray, pymupdf.Matrix]]:
    out = []
    for info in page.get_image_info(xrefs=True):
        pix = pymupdf.Pixmap(doc, info["xref"])
        arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width, pix.n)
        out.append((arr, pymupdf.Matrix(info["transform"])))
    return out


def pixels_under(arr: np.ndarray, matrix: pymupdf.Matrix, box: Box, margin_px: int = 1) -> np.ndarray:
    """Image pixels under an (axis-aligned, unrotated) box, ``margin_px`` trimmed off."""
    h, w = arr.shape[:2]
    r = pymupdf.Rect(box.as_tuple()) * ~matrix
    x0, x1 = sorted((r.x0 * w, r.x1 * w))
    y0, y1 = sorted((r.y0 * h, r.y1 * h))
    return arr[int(y0) + margin_px:int(y1) - margin_px, int(x0) + margin_px:int(x1) - margin_px]


def dark_share_displayed(page: pymupdf.Page, box: Box, dpi: int = 100) -> float:
    """Share of dark pixels inside ``box`` (page coordinates) on the page as displayed."""
    zoom = dpi / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY)
    arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    r = pymupdf.Rect(box.as_tuple()) * page.rotation_matrix * pymupdf.Matrix(zoom, zoom)
    sub = arr[int(r.y0) + 2:int(r.y1) - 2, int(r.x0) + 2:int(r.x1) - 2]
    return float((sub < 60).mean())


def words(page: pymupdf.Page) -> list[str]:
    """Every word drawn as text, also outside the CropBox and the MediaBox (the "words"
    extraction clips to the page; rawdict with an infinite clip does not), and the
    glyphs themselves where /ActualText stands in for them (the reason codes)."""
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_IGNORE_ACTUALTEXT, clip=pymupdf.INFINITE_RECT())
    lines = ["".join(c["c"] for s in ln["spans"] for c in s["chars"])
             for b in raw["blocks"] for ln in b.get("lines", ())]
    return " ".join(lines).split()


def all_stream_bytes(doc: pymupdf.Document) -> bytes:
    chunks = []
    for xref in range(1, doc.xref_length()):
        chunks.append(doc.xref_object(xref).encode("latin-1", "replace"))
        if doc.xref_is_stream(xref):
            chunks.append(doc.xref_stream(xref) or b"")
    return b"\n".join(chunks)


def name_encodings() -> list[bytes]:
    """How the name can sit in a content stream: plain, hex glyph codes, UTF-16 hex."""
    plain = b"Daniel"
    return [plain, plain.hex().encode(), plain.hex().upper().encode(),
            "Daniel".encode("utf-16-be").hex().encode()]


def render_and_open(fx: Fixture, reds: list[Redaction] | None = None, **kw: bool) -> pymupdf.Document:
    out = render_document(fx.pdf, reds if reds is not None else [fx.redaction()], "fixture.pdf", **kw)
    return pymupdf.open(stream=out, filetype="pdf")


def assert_verified(fx: Fixture, reds: list[Redaction] | None = None) -> None:
    reds = reds if reds is not None else [fx.redaction()]
    out = render_document(fx.pdf, reds, "fixture.pdf")
    report = verify_document(out, reds, "fixture.pdf", source_pdf=fx.pdf)
    assert report.ok, [str(leak) for leak in report.leaks]


# --- born-digital text -------------------------------------------------------------


def test_name_is_removed_from_text_layer_and_the_rest_stays() -> None:
    fx = text_pdf()
    out = render_and_open(fx)
    text = out[0].get_text()
    assert "Daniel" not in text and "Price" not in text
    assert "Amelia Hart" in text and "attended the meeting." in text
    assert "TP" in words(out[0])  # the reason code on the box is drawn as text ...
    assert "TP" not in out[0].get_text()  # ... that copy and search do not return
    assert dark_share_displayed(out[0], fx.box) > 0.9
    assert_verified(fx)


def test_no_stream_or_old_object_version_keeps_the_name() -> None:
    fx = text_pdf()
    data = render_document(fx.pdf, [fx.redaction()], "fixture.pdf")
    assert data.count(b"%%EOF") == 1 and b"/Prev" not in data
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        blob = all_stream_bytes(doc)
    for enc in name_encodings():
        assert enc not in blob, enc
    # the same search finds the name in the source, so it can fail
    with pymupdf.open(stream=fx.pdf, filetype="pdf") as src:
        assert any(enc in all_stream_bytes(src) for enc in name_encodings())


def _raw_text_page(content: bytes) -> pymupdf.Document:
    """A page whose content stream is exactly ``content`` (font /helv is Helvetica)."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_text((0, 0), " ", fontname="helv")  # creates the /helv resource
    doc.update_stream(page.get_contents()[0], content)
    return pymupdf.open(stream=doc.tobytes(), filetype="pdf")


TJ_LINES = [
    b"BT /helv 14 Tf 40 180 Td [(Mum's partner Daniel Price attended the meeting.)] TJ ET",
    b"BT /helv 14 Tf 40 180 Td [(Mum's partner Dan) -20 (iel Pr) 15 (ice attended the meeting.)] TJ ET",
    b"BT /helv 14 Tf 80 Tz 1 Tc 5 Tw 40 180 Td [(Mum's partner Daniel) -30 ( Price attended the ) 200 "
    b"(meeting.)] TJ ET",
]


@pytest.mark.parametrize("content", TJ_LINES, ids=["plain", "kerned", "scaled-spaced"])
def test_text_after_a_redaction_keeps_its_position(content: bytes) -> None:
    src = _raw_text_page(content)
    before = {w[4]: w[:4] for w in src[0].get_text("words")}
    boxes = tuple(Box(*r).pad(1) for r in src[0].search_for(NAME))  # two pieces when spaced
    fx = Fixture(src.tobytes(), boxes[0])
    out = render_and_open(fx, [Redaction(1, 0, boxes, Reason.THIRD_PARTY, "tp-1", text=NAME)])
    after = {w[4]: w[:4] for w in out[0].get_text("words")}
    for word in ("Mum's", "partner", "attended", "the", "meeting."):
        assert after[word] == pytest.approx(before[word], abs=0.01), word
    assert "Daniel" not in out[0].get_text() and "Price" not in out[0].get_text()


@pytest.mark.parametrize("direction", [0, 90, 180, 270])
def test_text_running_in_any_direction_is_removed_exactly(direction: int) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=400)
    page.insert_text((200, 200), "Mum's partner Daniel Price attended", fontsize=12, rotate=direction)
    hits = page.search_for(NAME)
    red = Redaction(1, 0, tuple(Box(*r).pad(1) for r in hits), Reason.THIRD_PARTY, "tp-1", text=NAME)
    src = doc.tobytes()
    out = render_document(src, [red], "fixture.pdf")
    with pymupdf.open(stream=out, filetype="pdf") as res:
        assert [w for w in words(res[0]) if w != "TP"] == ["Mum's", "partner", "attended"]
    assert verify_document(out, [red], "fixture.pdf", source_pdf=src).ok


def test_a_single_letter_leaves_the_rest_of_the_line_in_place() -> None:
    """MuPDF drops the advance of a lone removed glyph: "a" goes with its space."""
    src = _raw_text_page(b"BT /helv 10 Tf 40 180 Td (buys me a snack today) Tj ET")
    before = {w[4]: w[:4] for w in src[0].get_text("words")}
    box = Box(*before["a"]).pad(1)
    out = render_and_open(Fixture(src.tobytes(), box), [Redaction(1, 0, (box,), Reason.OTHER_CHILD, None)])
    after = {w[4]: w[:4] for w in out[0].get_text("words")}
    assert "a" not in after
    for word in ("buys", "me", "snack", "today"):
        assert after[word] == pytest.approx(before[word], abs=0.01), word


def test_mupdf_still_shifts_text_after_removal_inside_a_tj_array() -> None:
    """Canary for the MuPDF 1.28.5 defect render.py works around (split_tj_arrays): if
    this fails after an upgrade, the defect is fixed and the workaround can go."""
    doc = _raw_text_page(TJ_LINES[0])
    page = doc[0]
    x_before = [w[0] for w in page.get_text("words") if w[4] == "attended"][0]
    page.add_redact_annot(page.search_for(NAME)[0])
    page.apply_redactions()
    moved = pymupdf.open(stream=doc.tobytes(), filetype="pdf")
    x_after = [w[0] for w in moved[0].get_text("words") if w[4] == "attended"][0]
    assert x_after == pytest.approx(x_before - pymupdf.get_text_length("D", "helv", 14), abs=0.05)


def test_tj_rewrite_is_token_exact() -> None:
    src = (b"BT /F1 9 Tf [(a\\) b\)(c)) -20 <4142> 3.5] TJ ET % [(x)] TJ in a comment\n"
           b"/Span <</ActualText [(y)]>> BDC [ (z) ]TJ EMC [3 2] 0 d")
    assert split_tj_rewrite(src) == (
        b"BT /F1 9 Tf (a\\) b\)(c)) Tj [-20] TJ <4142> Tj [3.5] TJ ET % [(x)] TJ in a comment\n"
        b"/Span <</ActualText [(y)]>> BDC (z) Tj EMC [3 2] 0 d")
    assert split_tj_rewrite(b"BT [-20] TJ (a) Tj ET") is None  # nothing to do
    assert split_tj_rewrite(b"q BI /W 1 /H 1 ID \x00[(a)]TJ EI Q BT [(a)] TJ ET") is None  # inline image
    assert split_tj_rewrite(b"BT [(unterminated] TJ ET") is None


# --- scans: the name exists only in pixels -------------------------------------------


def test_scanned_name_pixels_are_overwritten_uniformly() -> None:
    fx = scan_pdf()
    src = pymupdf.open(stream=fx.pdf, filetype="pdf")
    [(src_arr, src_m)] = image_arrays(src, src[0])
    assert (pixels_under(src_arr, src_m, fx.box) < 128).sum() > 200  # the name's ink is there

    out = render_and_open(fx)
    [(arr, m)] = image_arrays(out, out[0])
    under = pixels_under(arr, m, fx.box)
    assert under.size > 1000
    assert under.min() == under.max()  # one value: what MuPDF wrote (white, 255)
    assert (under < 128).sum() == 0  # OCR-free proof: no ink left where the name was
    # the rest of the scan is untouched: same ink outside a margin around the box
    outside = np.ones(arr.shape[:2], bool)
    grow = pymupdf.Rect(fx.box.pad(4).as_tuple()) * ~m
    outside[int(grow.y0 * arr.shape[0]):int(grow.y1 * arr.shape[0]),
            int(grow.x0 * arr.shape[1]):int(grow.x1 * arr.shape[1])] = False
    assert np.array_equal(arr[outside], src_arr[outside])
    assert dark_share_displayed(out[0], fx.box) > 0.95
    assert_verified(fx)


def test_ocr_layer_under_the_box_goes_with_the_pixels() -> None:
    fx = scan_pdf(ocr_layer=True)
    out = render_and_open(fx, strip_hidden_text=False)
    text = out[0].get_text()
    assert "Daniel" not in text and "Price" not in text
    assert "Amelia" in text  # the rest of the invisible layer is kept on request
    [(arr, m)] = image_arrays(out, out[0])
    under = pixels_under(arr, m, fx.box)
    assert under.min() == under.max()


def test_invisible_ocr_layer_is_stripped_by_default() -> None:
    fx = scan_pdf(ocr_layer=True)
    out = render_and_open(fx)
    assert [w for w in words(out[0]) if w != "TP"] == []
    # and scrub(hidden_text=True), which STYLE.md warns about, is not what does it:
    assert_verified(fx)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_made_ocr_pdf_loses_its_glyphless_layer(tmp_path: Path) -> None:
    pix, _ = scan_pixmap(dpi=150)
    png = tmp_path / "scan.png"
    pix.save(png)
    subprocess.run(["tesseract", str(png), str(tmp_path / "ocr"), "--dpi", "150", "pdf"],
                   check=True, capture_output=True, timeout=60)
    data = (tmp_path / "ocr.pdf").read_bytes()
    with pymupdf.open(stream=data, filetype="pdf") as src:
        assert "Price" in src[0].get_text()  # tesseract's GlyphLessFont layer
        hits = src[0].search_for("Daniel Price")
        assert hits
        box = Box(*hits[0])
    red = Redaction(1, 0, (box.pad(2),), Reason.THIRD_PARTY, "tp-1", text=NAME)
    out = render_document(data, [red], "ocr.pdf")
    with pymupdf.open(stream=out, filetype="pdf") as doc:
        assert "Daniel" not in doc[0].get_text()
        assert [w for w in words(doc[0]) if w != "TP"] == []
    assert verify_document(out, [red], "ocr.pdf", source_pdf=data).ok


# --- geometry ------------------------------------------------------------------------


def test_rotated_page_with_offset_cropbox_is_redacted_where_the_box_is() -> None:
    fx = rotated_cropped_pdf()
    src = pymupdf.open(stream=fx.pdf, filetype="pdf")
    out = render_and_open(fx)
    a, b = out[0], src[0]
    assert (a.rotation, a.mediabox, a.cropbox, a.rect) == (b.rotation, b.mediabox, b.cropbox, b.rect)
    assert a.rotation == 90 and a.cropbox.tl != a.mediabox.tl
    assert dark_share_displayed(a, fx.box) > 0.95  # the black box is where the name was
    [(arr, m)] = image_arrays(out, a)
    under = pixels_under(arr, m, fx.box)
    assert under.size > 1000 and under.min() == under.max()
    assert_verified(fx)


def test_content_outside_the_cropbox_is_removed() -> None:
    fx = rotated_cropped_pdf()
    src = pymupdf.open(stream=fx.pdf, filetype="pdf")
    assert "Margin" in words(src[0])  # extractable though never displayed
    out = render_and_open(fx)
    assert "Margin" not in words(out[0])
    # the scan's rows below the CropBox (cropped off, never shown) are blanked
    [(arr, _m)] = image_arrays(out, out[0])
    [(src_arr, _)] = image_arrays(src, src[0])
    hidden_rows = slice(arr.shape[0] - int(20 * 200 / 72) + 2, arr.shape[0])
    assert arr[hidden_rows].min() == arr[hidden_rows].max()
    assert src_arr[hidden_rows].min() < 128  # the footer's ink was there


def test_page_count_and_sizes_are_kept_on_a_mixed_document() -> None:
    doc = pymupdf.open()
    for fx in (text_pdf(), scan_pdf(), rotated_cropped_pdf()):
        doc.insert_pdf(pymupdf.open(stream=fx.pdf, filetype="pdf"))
    doc.new_page(width=595, height=842)  # an empty A4 page
    data = doc.tobytes()
    box = text_pdf().box
    reds = [Redaction(1, 0, (box,), Reason.THIRD_PARTY, "tp-1", text=NAME),
            Redaction(2, 1, (box,), Reason.OTHER_CHILD, None, text=NAME),
            Redaction(3, 3, (Box(0, 0, 595, 842),), Reason.AUTHORED, "tp-2", whole_page=True)]
    out = pymupdf.open(stream=render_document(data, reds, "mixed.pdf"), filetype="pdf")
    assert out.page_count == doc.page_count == 4
    for p, q in ((out[i], doc[i]) for i in range(4)):
        assert (p.mediabox, p.cropbox, p.rotation) == (q.mediabox, q.cropbox, q.rotation)


# --- line art --------------------------------------------------------------------------


def test_curves_reaching_into_a_box_are_removed_and_other_line_art_stays() -> None:
    """A 'signature' curve through the name takes the strike line crossing the same box
    with it (MuPDF removes whole paths); the rule elsewhere stays."""
    fx, rule = vector_pdf()
    src = pymupdf.open(stream=fx.pdf, filetype="pdf")
    assert len(src[0].get_drawings()) == 3
    out = render_and_open(fx)
    drawings = out[0].get_drawings()
    black_boxes = [d for d in drawings if d.get("fill") == (0.0, 0.0, 0.0)]
    others = [d for d in drawings if d not in black_boxes]
    assert len(black_boxes) == 1
    assert [pymupdf.Rect(d["rect"]).y0 for d in others] == [pytest.approx(rule.y0, abs=1)]
    assert_verified(fx)


def test_table_borders_crossing_a_box_are_kept() -> None:
    """A form's grid: cell rectangles around the name and a rule running through it
    stay (under the box they are one straight stroke); the name goes."""
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    _write_lines(page)
    box = _name_box(page)
    page.draw_rect(pymupdf.Rect(30, box.y0 - 4, 390, box.y1 + 4), color=(0, 0, 0), width=0.6)  # the cell
    mid = (box.y0 + box.y1) / 2
    page.draw_line((30, mid), (390, mid), color=(0, 0, 0), width=0.6)  # a rule through the name
    fx = Fixture(doc.tobytes(), box)
    out = render_and_open(fx)
    kept = [d for d in out[0].get_drawings() if d.get("fill") != (0.0, 0.0, 0.0)]
    assert sorted(d["items"][0][0] for d in kept) == ["l", "re"]
    assert "Daniel" not in out[0].get_text()
    assert_verified(fx)


# --- whole pages --------------------------------------------------------------------


def test_whole_page_redaction_empties_the_page_but_keeps_it() -> None:
    fx = scan_pdf(ocr_layer=True)
    red = Redaction(1, 0, (Box(0, 0, PAGE_W, PAGE_H),), Reason.AUTHORED, "tp-2", whole_page=True)
    out = render_and_open(fx, [red])
    page = out[0]
    assert out.page_count == 1 and page.rect == pymupdf.Rect(0, 0, PAGE_W, PAGE_H)
    assert words(page) == ["TPA"]
    assert page.get_images() == [] and len(page.get_drawings()) == 1
    assert dark_share_displayed(page, Box(0, 0, PAGE_W, PAGE_H)) > 0.98
    assert verify_document(out.tobytes(), [red], "fixture.pdf", source_pdf=fx.pdf).ok


def test_whole_page_on_a_rotated_cropped_page_keeps_geometry_and_verifies() -> None:
    fx = rotated_cropped_pdf()
    src = pymupdf.open(stream=fx.pdf, filetype="pdf")
    area = Box(0, 0, src[0].cropbox.width, src[0].cropbox.height)
    red = Redaction(1, 0, (area,), Reason.AUTHORED, "tp-2", whole_page=True)
    data = render_document(fx.pdf, [red], "fixture.pdf")
    out = pymupdf.open(stream=data, filetype="pdf")
    assert (out[0].rotation, out[0].mediabox, out[0].cropbox) == (90, src[0].mediabox, src[0].cropbox)
    assert words(out[0]) == ["TPA"]
    assert verify_document(data, [red], "fixture.pdf", source_pdf=fx.pdf).ok


# --- labels ------------------------------------------------------------------------


def test_reason_code_is_written_only_on_boxes_big_enough() -> None:
    fx = text_pdf()
    small = Redaction(2, 0, (Box(300, 240, 306, 246),), Reason.OTHER_CHILD, None)
    out = render_and_open(fx, [fx.redaction(), small])
    assert [w for w in words(out[0]) if w in ("TP", "OC")] == ["TP"]


def test_reason_code_reads_upright_on_a_rotated_page() -> None:
    fx = rotated_cropped_pdf()
    out = render_and_open(fx)
    blocks = out[0].get_text("dict", flags=pymupdf.TEXT_IGNORE_ACTUALTEXT)["blocks"]
    [line] = [ln for b in blocks for ln in b.get("lines", ())
              if "".join(s["text"] for s in ln["spans"]) == "TP"]
    shown = pymupdf.Point(line["dir"]) * out[0].rotation_matrix - pymupdf.Point(0, 0) * out[0].rotation_matrix
    assert (round(shown.x, 3), round(shown.y, 3)) == (1.0, 0.0)


# --- residue -----------------------------------------------------------------------


def test_metadata_xmp_annotations_fields_attachments_and_javascript_are_gone() -> None:
    fx = residue_pdf()
    src = pymupdf.open(stream=fx.pdf, filetype="pdf")
    assert src.metadata["author"] and src.get_xml_metadata() and src.embfile_count() and src.get_toc()
    assert list(src[0].annots()) and list(src[0].widgets()) and src[0].get_links()
    boxes = tuple(Box(*r).pad(1) for r in src[0].search_for(NAME))
    assert len(boxes) == 3  # the text, the free-text note, the form field's value
    red = Redaction(1, 0, boxes, Reason.THIRD_PARTY, "tp-1", text=NAME)
    data = render_document(fx.pdf, [red], "residue.pdf")
    out = pymupdf.open(stream=data, filetype="pdf")
    assert all(not v for k, v in out.metadata.items() if k not in ("format", "encryption"))
    assert out.get_xml_metadata() == "" and out.embfile_count() == 0 and out.get_toc() == []
    assert list(out[0].annots()) == [] and list(out[0].widgets()) == [] and out[0].get_links() == []
    assert out.xref_get_key(-1, "Info")[0] == "null"
    blob = all_stream_bytes(out)
    for marker in (b"/JavaScript", b"/JS", b"/EmbeddedFile", b"/Metadata", b"/AcroForm", b"/Outlines",
                   b"Daniel", b"dan.price", b"Elm Road"):
        assert marker not in blob, marker
    # the visible annotation and field value were flattened: their other words remain
    text = out[0].get_text()
    assert "Seen by" in text and "(form)" in text and "hidden" not in text
    assert verify_document(data, [red], "residue.pdf", source_pdf=fx.pdf).ok


def _bundle(parts: list[tuple[Fixture, bytes]]) -> tuple[pymupdf.Document, list[Redaction]]:
    bundle = pymupdf.open()  # a new document: PyMuPDF gives it a Producer
    reds: list[Redaction] = []
    for fx, out in parts:
        reds.append(Redaction(len(reds) + 1, bundle.page_count, (fx.box.pad(1),), Reason.THIRD_PARTY,
                              "tp-1", text=NAME))
        bundle.insert_pdf(pymupdf.open(stream=out, filetype="pdf"))
    return bundle, reds


def test_bundle_of_clean_copies_verifies() -> None:
    parts = [(fx, render_document(fx.pdf, [fx.redaction()], "part.pdf")) for fx in (text_pdf(), scan_pdf())]
    bundle, reds = _bundle(parts)
    assert bundle.xref_get_key(bundle.pdf_catalog(), "Info")[0] == "dict"
    data = clean_bytes(bundle)
    assert b"Producer" not in data
    assert verify_document(data, reds, "clean-copy.pdf").ok
    # the pipeline's own save (metadata and XMP blanked) keeps PyMuPDF's catalog
    # Producer, which verification tolerates
    bundle, reds = _bundle(parts)
    bundle.set_metadata({})
    bundle.del_xml_metadata()
    data = bundle.tobytes(garbage=4, deflate=True, clean=True)
    assert b"/Producer(MuPDF" in data
    assert verify_document(data, reds, "clean-copy.pdf").ok


# --- bad input ---------------------------------------------------------------------


def test_redaction_for_a_missing_page_is_refused() -> None:
    fx = text_pdf()
    bad = Redaction(9, 3, (fx.box,), Reason.THIRD_PARTY, "tp-1")
    with pytest.raises(InputError, match=r"fixture\.pdf: redaction 9 is for page 4"):
        render_document(fx.pdf, [bad], "fixture.pdf")


def test_unreadable_pdf_is_refused_by_name() -> None:
    with pytest.raises(SourceFileError, match=r"broken\.pdf"):
        render_document(b"%PDF-1.7 not really", [], "broken.pdf")


# --- golden ------------------------------------------------------------------------


def _dark_grid(page: pymupdf.Page, cell: float = 10.0) -> list[str]:
    """The displayed page as rows of '#' (cell mostly dark) and '.' (not)."""
    pix = page.get_pixmap(dpi=72, colorspace=pymupdf.csGRAY)
    arr = np.frombuffer(pix.samples, np.uint8).reshape(pix.height, pix.width)
    c = int(cell)
    rows = []
    for y in range(0, pix.height - c + 1, c):
        rows.append("".join("#" if (arr[y:y + c, x:x + c] < 60).mean() > 0.5 else "."
                            for x in range(0, pix.width - c + 1, c)))
    return rows


def test_redacted_scan_matches_golden_rendering() -> None:
    """Text left on the page and a coarse map of its dark cells, for a redacted scan
    with an OCR layer. Regenerate with CLEANCOPY_UPDATE_GOLDEN=1 after a deliberate
    change (and look at the diff: a box that moved shows up at once)."""
    fx = scan_pdf(ocr_layer=True)
    out = render_and_open(fx, strip_hidden_text=False)
    got = ["# text", *[re.sub(r"\s+", " ", ln).strip() for ln in out[0].get_text().splitlines()],
           "# dark cells (10 pt)", *_dark_grid(out[0])]
    path = GOLDEN / "redacted_scan_page.txt"
    if os.environ.get("CLEANCOPY_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(got) + "\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8").splitlines() == got
