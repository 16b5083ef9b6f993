"""Odd but real files: each is released or held back with a message naming it; none
crashes the run, a worker or the release."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from PIL import Image

from redaction import pipeline, release
from redaction.settings import Settings
from redaction.synth import adversarial as adv
from redaction.synth.adversarial.hidden import metadata, soft_mask
from redaction.synth.adversarial.visible import scan_ccitt, visible_text

pytestmark = pytest.mark.slow

CASE_ID = "SAR-ODD-001"


def _one_image_pdf(stream_bytes: bytes, w: int, h: int, page_pt: tuple[float, float], **keys: object) -> bytes:
    pdf = pikepdf.new()
    im = pikepdf.Stream(pdf, stream_bytes)
    im.Type, im.Subtype, im.Width, im.Height = pikepdf.Name.XObject, pikepdf.Name.Image, w, h
    for k, v in keys.items():
        im[f"/{k}"] = v
    pw, ph = page_pt
    pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, pw, ph],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=im)),
        Contents=pikepdf.Stream(pdf, f"q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q".encode()))))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def jpeg2000() -> bytes:
    img = adv.text_picture(adv.NOTE, 30, "RGB")
    buf = io.BytesIO()
    img.save(buf, format="JPEG2000")
    return _one_image_pdf(buf.getvalue(), img.width, img.height, (img.width * 0.5, img.height * 0.5),
                          Filter=pikepdf.Name.JPXDecode)


def cmyk() -> bytes:
    img = adv.text_picture(adv.NOTE, 30, "RGB").convert("CMYK")
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    return _one_image_pdf(buf.getvalue(), img.width, img.height, (img.width * 0.5, img.height * 0.5),
                          Filter=pikepdf.Name.DCTDecode, ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8)


def stencil_mask() -> bytes:
    img = adv.text_picture(adv.NOTE, 30, "1")
    return _one_image_pdf(zlib.compress(img.tobytes()), img.width, img.height, (img.width * 0.5, img.height * 0.5),
                          ImageMask=True, Filter=pikepdf.Name.FlateDecode)


def dpi_2400() -> bytes:
    img = Image.new("1", (4800, 4800), 1)
    img.paste(adv.text_picture(adv.NOTE, 120, "1"), (100, 2000))
    return _one_image_pdf(zlib.compress(img.tobytes()), 4800, 4800, (144.0, 144.0), BitsPerComponent=1,
                          ColorSpace=pikepdf.Name.DeviceGray, Filter=pikepdf.Name.FlateDecode)


def page_200_inches() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=14400, height=14400)
    page.insert_text((500, 500), adv.NOTE, fontsize=200)
    return doc.tobytes()


def xfa_form() -> bytes:
    pdf = pikepdf.open(io.BytesIO(visible_text().replace(b"Daniel", b"Claire")))
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><template/></xdp:xdp>")
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=xfa)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def broken_outline() -> bytes:
    pdf = pikepdf.open(io.BytesIO(metadata()))
    first = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String("x")))
    first.Next = first  # a loop
    first.Dest = pikepdf.Array([99, pikepdf.Name.XYZ])  # a page that does not exist
    pdf.Root.Outlines = pdf.make_indirect(pikepdf.Dictionary(First=first, Last=first, Count=3))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


ODD = {
    "jpeg2000.pdf": jpeg2000,
    "ccitt.pdf": scan_ccitt,
    "cmyk.pdf": cmyk,
    "soft-mask.pdf": soft_mask,
    "stencil-mask.pdf": stencil_mask,
    "dpi-2400.pdf": dpi_2400,
    "page-200-inches.pdf": page_200_inches,
    "header-only.pdf": lambda: b"%PDF-1.7\n",
    "xfa-form.pdf": xfa_form,
    "broken-outline.pdf": broken_outline,
}


def test_each_odd_file_is_released_or_held_back_by_name(tmp_path: Path) -> None:
    case = tmp_path / "inbox" / CASE_ID
    (case / "files").mkdir(parents=True)
    (case / "case.yaml").write_text(adv.CASE_YAML.replace("SAR-ADV-001", CASE_ID))
    for name, make in ODD.items():
        (case / "files" / name).write_bytes(make())
    ctx = pipeline.open_context(Settings(home=tmp_path / "home", ocr_workers=2))
    imp = pipeline.import_case(ctx, case)
    results = pipeline.ocr_documents(ctx, imp.to_process)
    for r in results:
        if not r.problem:
            pipeline.propose_document(ctx, r.document_id)
    pipeline.decide(ctx, CASE_ID, "Mrs Allen", accept_all=True)
    res = release.release_case(ctx, CASE_ID, tmp_path / "out")
    released = {d.file_name for d in res.documents}
    held = set(res.held_back)
    assert released | held == set(ODD)
    assert "header-only.pdf" in held
    assert {"jpeg2000.pdf", "cmyk.pdf", "ccitt.pdf", "stencil-mask.pdf", "broken-outline.pdf"} <= released
    names = {d.id: d.file_name for d in imp.documents}
    messages = {d.file_name: d.problem for d in imp.held_back} | {
        names[r.document_id]: r.problem for r in results if r.problem}
    for name in held:
        assert name in (messages.get(name) or ""), (name, messages.get(name))
