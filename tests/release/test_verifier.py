"""The release verifier: refuses anything but a photocopy, anything readable of a
withheld party, and any accepted box that is not solid."""

from __future__ import annotations

import io

import pikepdf
import pymupdf
import pytest

from redaction.models import Box, Reason, Redaction
from redaction.release import photocopy, verifier
from redaction.release.terms import Term
from redaction.synth import adversarial as adv

TERMS = [Term("tp-1", "name", ("daniel", "price")), Term("tp-1", "name", ("price",)),
         Term("tp-1", "phone", digits="07700900123")]
NO_OCR = photocopy.Options(text_layer=False, workers=1)


def _note(lines: list[str], rotate: int = 0) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((72, 100 + 24 * i), line, fontsize=12)
    if rotate:
        page.set_rotation(rotate)
    return doc.tobytes()


def _structure(data: bytes, source: bytes) -> list[str]:
    return [lk.detail for lk in verifier.check_structure("x.pdf", data, verifier.expectations(source, []))]


def _copy(source: bytes, **kw: object) -> bytes:
    opts = photocopy.Options(**{"text_layer": False, "workers": 1, **kw})  # type: ignore[arg-type]
    return photocopy.photocopy(source, source, "x.pdf", opts)


def _edit(data: bytes, change: object) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    change(pdf)  # type: ignore[operator]
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_a_photocopy_passes_the_structure_whitelist() -> None:
    src = _note(["Amelia Hart painted today."])
    assert _structure(_copy(src, text_layer=True), src) == []


@pytest.mark.parametrize("change, expected", [
    (lambda pdf: setattr(pdf.trailer, "Info", pdf.make_indirect(pikepdf.Dictionary(Title="x"))), "trailer"),
    (lambda pdf: setattr(pdf.Root, "Outlines", pdf.make_indirect(pikepdf.Dictionary())), "catalog"),
    (lambda pdf: setattr(pdf.Root, "OCProperties", pikepdf.Dictionary()), "catalog"),
    (lambda pdf: setattr(pdf.pages[0].obj, "Annots", pikepdf.Array()), "the page holds"),
    (lambda pdf: setattr(pdf.pages[0].obj, "Thumb", pdf.make_stream(b"x")), "the page holds"),
    (lambda pdf: setattr(pdf.pages[0].obj.Resources.XObject, "Im1", pdf.make_stream(b"x")), "exactly one image"),
    (lambda pdf: pdf.pages[0].contents_add(pdf.make_stream(b"BT /F1 9 Tf (Daniel) Tj ET")), "visible text"),
    (lambda pdf: pdf.pages[0].contents_add(pdf.make_stream(b"0 0 10 10 re f")), "operator"),
    (lambda pdf: pdf.pages[0].contents_add(pdf.make_stream(b"q 10 0 0 10 0 0 cm /Im0 Do Q")), "2 time(s)"),
    (lambda pdf: setattr(pdf.pages[0].obj, "MediaBox", pikepdf.Array([0, 0, 600, 842])), "size"),
])
def test_anything_else_in_the_file_is_refused(change: object, expected: str) -> None:
    src = _note(["Amelia Hart painted today."])
    found = _structure(_edit(_copy(src, text_layer=True), change), src)
    assert any(expected in d for d in found), found


def test_a_second_revision_is_refused() -> None:
    src = _note(["Amelia Hart painted today."])
    data = _copy(src)
    appended = data + b"\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    assert any("revision" in d for d in _structure(appended, src))


def test_a_visible_font_is_refused_even_when_the_text_is_invisible() -> None:
    src = _note(["Amelia Hart painted today."])

    def add_font(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.Resources.Font = pikepdf.Dictionary(F1=pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
    assert any("glyphless" in d for d in _structure(_edit(_copy(src), add_font), src))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(adv.ALL))
def test_each_adversarial_source_is_refused_as_it_is(name: str) -> None:
    data = adv.ALL[name]()
    report = verifier.verify(name, data, verifier.expectations(data, []), TERMS, workers=1)
    assert not report.ok
    assert all("Daniel" not in str(lk) and "Price" not in str(lk) for lk in report.leaks)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(adv.VISIBLE))
def test_with_redaction_switched_off_each_visible_secret_is_refused(name: str) -> None:
    data = adv.VISIBLE[name]()
    copy = photocopy.photocopy(data, data, name, photocopy.Options(workers=1))
    report = verifier.verify(name, copy, verifier.expectations(data, []), TERMS, workers=1)
    assert [lk.kind for lk in report.leaks if lk.kind != "withheld"] == []
    assert any(lk.kind == "withheld" and "tp-1" in lk.detail for lk in report.leaks)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(adv.HIDDEN))
def test_a_photocopy_alone_drops_what_no_reader_sees(name: str) -> None:
    data = adv.HIDDEN[name]()
    copy = photocopy.photocopy(data, data, name, photocopy.Options(workers=1))
    assert verifier.verify(name, copy, verifier.expectations(data, []), TERMS, workers=1).ok


def test_an_accepted_box_that_is_not_solid_is_refused() -> None:
    src = _note(["Amelia Hart painted today.", "A quiet afternoon."])
    red = Redaction(1, 0, (Box(70, 88, 300, 104),), Reason.THIRD_PARTY, "tp-1")
    pages = verifier.expectations(src, [red])
    leaks = verifier.check_reading("x.pdf", _copy(src), pages, [], workers=1)
    assert [lk.kind for lk in leaks] == ["box"]


def test_a_withheld_name_under_a_rejected_proposal_is_the_reviewers_choice() -> None:
    src = _note(["Daniel Price is the name of the visiting author."])
    kept = {0: (Box(60, 85, 200, 106),)}
    assert verifier.check_reading("x.pdf", _copy(src), verifier.expectations(src, [], kept), TERMS, 1) == []
    leaks = verifier.check_reading("x.pdf", _copy(src), verifier.expectations(src, []), TERMS, 1)
    assert [lk.kind for lk in leaks] == ["withheld"]
    assert "Daniel" not in leaks[0].detail


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_boxes_are_mapped_to_the_displayed_page_as_mupdf_displays_them(rotation: int) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=700)
    page.set_rotation(rotation)
    box = Box(30, 50, 120, 80)
    want = pymupdf.Rect(box.as_tuple()) * page.rotation_matrix
    got = verifier.displayed(box, rotation, 400, 700)
    assert got == pytest.approx((want.x0, want.y0, want.x1, want.y1), abs=1e-6)
    exp = verifier.expectations(doc.tobytes(), [Redaction(1, 0, (box,), Reason.THIRD_PARTY, "tp-1")])
    assert (exp[0].width, exp[0].height) == (round(page.rect.width), round(page.rect.height))


def test_an_object_the_page_tree_does_not_use_is_refused() -> None:
    src = _note(["Amelia Hart painted today."])
    data = _copy(src)
    # one revision, with an object listed in the cross-reference table that nothing uses
    xref_at = data.rindex(b"\nxref\n") + 1
    body = b"99 0 obj\n<< /Secret (Daniel Price) >>\nendobj\n"
    size = int(data[data.index(b"/Size", xref_at) + 5:].split()[0].rstrip(b">/"))
    head, tail = data[:xref_at], data[xref_at:]
    tail = tail.replace(b"trailer", b"99 1\n%010d 00000 n \ntrailer" % len(head), 1)
    tail = tail.replace(b"/Size %d" % size, b"/Size 100", 1)
    tail = tail[: tail.rindex(b"startxref")] + b"startxref\n%d\n%%%%EOF\n" % (len(head) + len(body))
    edited = head + body + tail
    assert b"Daniel" in edited and edited.count(b"%%EOF") == 1
    assert any("does not use" in d for d in _structure(edited, src))
