"""The secret where a reader can see it, so a correct release must box it (VISIBLE)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
import pymupdf
from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin

from redaction.synth.adversarial.page import (
    NOTE,
    SECRET_LINE,
    H,
    W,
    _field,
    _grey_image,
    _page,
    _pike_bytes,
    _png,
    _save,
    text_picture,
)


def visible_text() -> bytes:
    doc, page = _page()
    page.insert_text((72, 200), SECRET_LINE, fontsize=11)
    return _save(doc)


def visible_layer() -> bytes:
    doc, page = _page()
    ocg = doc.add_ocg("Notes", on=True)
    page.insert_text((72, 200), SECRET_LINE, fontsize=11, oc=ocg)
    return _save(doc)


def rotated_page() -> bytes:
    doc, page = _page()
    page.insert_text((72, 200), SECRET_LINE, fontsize=11)
    page.set_rotation(90)
    return _save(doc)


def hex_string() -> bytes:
    doc, page = _page()
    xref = page.get_contents()[0]
    hexed = SECRET_LINE.encode("latin-1").hex().upper()
    extra = f"\nBT /Helv 11 Tf 72 642 Td <{hexed}> Tj ET\n".encode()
    page.insert_text((500, 830), ".", fontsize=4)  # makes sure /Helv is in the page's resources
    doc.update_stream(xref, doc.xref_stream(xref) + extra)
    return _save(doc)


def unmapped_font() -> bytes:
    """The secret drawn in a Type 3 font whose glyphs are pictures of letters, with
    made-up glyph names and no ToUnicode: text extraction reads other letters."""
    doc, page = _page()
    base = _save(doc)
    pdf = pikepdf.open(io.BytesIO(base))
    chars = sorted(set(SECRET_LINE))
    procs, xobjs, names = pikepdf.Dictionary(), pikepdf.Dictionary(), []
    glyphs = ImageFont.load_default(size=80)
    assert isinstance(glyphs, ImageFont.FreeTypeFont)
    ascent, descent = glyphs.getmetrics()
    for i, ch in enumerate(chars):
        img = Image.new("L", (max(1, round(glyphs.getlength(ch))), ascent + descent), 255)
        ImageDraw.Draw(img).text((0, ascent), ch, fill=0, font=glyphs, anchor="ls")
        xobjs[f"/I{i}"] = _grey_image(pdf, img.tobytes(), img.width, img.height)
        width = round(img.width / img.height * 1000)
        low = round(descent / img.height * 1000)
        procs[f"/q{i}x"] = pikepdf.Stream(pdf, f"{width} 0 d0 q {width} 0 0 1000 0 -{low} cm /I{i} Do Q".encode())
        names.append((ch, i, width))
    code_of = {ch: 161 + i for ch, i, _ in names}
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FontBBox=[0, -200, 2000, 1000],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0], CharProcs=procs, FirstChar=161, LastChar=161 + len(names) - 1,
        Widths=[w for _c, _i, w in names],
        Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding,
                                    Differences=[161, *[pikepdf.Name(f"/q{i}x") for _c, i, _w in names]]),
        Resources=pikepdf.Dictionary(XObject=xobjs))
    pg = pdf.pages[0]
    pg.obj.Resources.Font = pg.obj.Resources.get("/Font", pikepdf.Dictionary())
    pg.obj.Resources.Font.T3 = pdf.make_indirect(font)
    codes = bytes(code_of[c] for c in SECRET_LINE)
    pg.contents_add(pikepdf.Stream(pdf, b"BT /T3 11 Tf 72 642 Td <" + codes.hex().encode() + b"> Tj ET"))
    return _pike_bytes(pdf)


def vector_text() -> bytes:
    """The secret as line art only: filled rectangles tracing its letters."""
    doc, page = _page()
    img = text_picture(SECRET_LINE, 44)
    scale = 11 / 44 * 1.0
    shape = page.new_shape()
    px = img.tobytes()
    dark = [[px[y * img.width + x] < 128 for x in range(img.width)] for y in range(img.height)]
    for y in range(img.height):
        x = 0
        while x < img.width:
            if dark[y][x]:
                start = x
                while x < img.width and dark[y][x]:
                    x += 1
                shape.draw_rect(pymupdf.Rect(72 + start * scale, 190 + y * scale, 72 + x * scale,
                                             190 + (y + 1) * scale))
            x += 1
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit()
    return _save(doc)


def scan_ccitt() -> bytes:
    """A bitonal scan (CCITT G4) of a page that names the secret."""
    img = Image.new("1", (1700, 2200), 1)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=36)
    for i, line in enumerate(["Key worker note", NOTE, SECRET_LINE, "Nothing further to add today."]):
        draw.text((150, 200 + 70 * i), line, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, format="TIFF", compression="group4", strip_size=1 << 30)
    tiff = Image.open(io.BytesIO(buf.getvalue()))
    assert isinstance(tiff, TiffImagePlugin.TiffImageFile)
    strip = _tiff_strip(buf.getvalue(), tiff)
    pdf = pikepdf.new()
    im = pikepdf.Stream(pdf, strip)
    im.Type, im.Subtype, im.Width, im.Height = pikepdf.Name.XObject, pikepdf.Name.Image, img.width, img.height
    im.ColorSpace, im.BitsPerComponent = pikepdf.Name.DeviceGray, 1
    im.Filter = pikepdf.Name.CCITTFaxDecode
    im.DecodeParms = pikepdf.Dictionary(K=-1, Columns=img.width, Rows=img.height, BlackIs1=True)
    w, h = img.width / 200 * 72, img.height / 200 * 72
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, w, h],
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=im)),
                              Contents=pikepdf.Stream(pdf, f"q {w} 0 0 {h} 0 0 cm /Im0 Do Q".encode()))
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _tiff_strip(data: bytes, tiff: TiffImagePlugin.TiffImageFile) -> bytes:
    offsets = tiff.tag_v2[273]
    counts = tiff.tag_v2[279]
    offs = offsets if isinstance(offsets, tuple) else (offsets,)
    cnts = counts if isinstance(counts, tuple) else (counts,)
    return b"".join(data[o:o + c] for o, c in zip(offs, cnts, strict=True))


def shared_image() -> bytes:
    """One picture of the secret drawn on two pages (one XObject)."""
    doc, page = _page()
    pic = _png(text_picture(SECRET_LINE, 40))
    xref = page.insert_image(pymupdf.Rect(72, 300, 523, 330), stream=pic)
    second = doc.new_page(width=W, height=H)
    second.insert_text((72, 90), "Continued", fontsize=14)
    second.insert_image(pymupdf.Rect(72, 300, 523, 330), xref=xref)
    return _save(doc)


def form_field_visible() -> bytes:
    doc, page = _page()
    _field(page, "contact", pymupdf.Rect(72, 600, 500, 620), SECRET_LINE, hidden=False)
    return _save(doc)


VISIBLE: dict[str, Callable[[], bytes]] = {
    "visible-text": visible_text,
    "visible-layer": visible_layer,
    "rotated-page": rotated_page,
    "hex-string": hex_string,
    "unmapped-font": unmapped_font,
    "vector-text": vector_text,
    "scan-ccitt": scan_ccitt,
    "shared-image": shared_image,
    "form-field-visible": form_field_visible,
}
