"""PDFs that hide a refused party's details the way real files do, made in code.

Each maker returns one PDF whose page shows an ordinary note about the child and,
somewhere a reader may or may not see, the refused party ``SECRET_NAME`` with a phone
and an email (``SECRET_*``). ``VISIBLE`` makers put the secret where a reader *can* see
it (so a correct release must box it); the others hide it where no reader looks (so a
correct release must simply not carry it). Used by the release tests, the verifier's
tests and ``benchmarks/release.py``.
"""

from __future__ import annotations

import io
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pymupdf
from PIL import Image, ImageDraw, ImageFont, TiffImagePlugin

SECRET_NAME = "Daniel Price"
SECRET_PHONE = "07700 900123"
SECRET_EMAIL = "dan.price@example.com"
SECRET_LINE = f"Daniel Price called on {SECRET_PHONE}, email {SECRET_EMAIL}"
CHILD = "Amelia Hart"
NOTE = "Amelia Hart settled well and enjoyed the sand tray today."
CASE_YAML = f"""\
case_id: SAR-ADV-001
received: 2026-11-02
child: {{name: "{CHILD}"}}
requester: {{name: "Claire Hart", relationship: mother}}
third_parties:
  - id: tp-1
    kind: person
    name: "{SECRET_NAME}"
    relationship: "mother's partner"
    phones: ["{SECRET_PHONE}"]
    emails: ["{SECRET_EMAIL}"]
    consent: refused
staff: ["Mrs Joan Allen, Headteacher"]
"""
W, H = 595.0, 842.0


def _page() -> tuple[pymupdf.Document, pymupdf.Page]:
    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    page.insert_text((72, 90), "Key worker note", fontsize=16)
    page.insert_text((72, 125), NOTE, fontsize=11)
    page.insert_text((72, 145), "She asked to read a story with Mrs Allen at the end of the day.", fontsize=11)
    return doc, page


def _save(doc: pymupdf.Document) -> bytes:
    data: bytes = doc.tobytes(garbage=0)
    doc.close()
    return data


def text_picture(text: str, size: int = 40, mode: str = "L") -> Image.Image:
    font = ImageFont.load_default(size=size)
    left, top, right, bottom = font.getbbox(text)
    img = Image.new(mode, (int(right) + 20, int(bottom) + 20), 255 if mode in ("L", "1") else (255, 255, 255))
    ImageDraw.Draw(img).text((10 - left, 10 - top), text, fill=0 if mode in ("L", "1") else (0, 0, 0), font=font)
    return img


def _grey_image(pdf: pikepdf.Pdf, pixels: bytes, width: int, height: int) -> pikepdf.Stream:
    """An 8-bit grey image XObject (Flate) of ``pixels``."""
    im = pikepdf.Stream(pdf, zlib.compress(pixels))
    im.Type, im.Subtype, im.Width, im.Height = pikepdf.Name.XObject, pikepdf.Name.Image, width, height
    im.ColorSpace, im.BitsPerComponent, im.Filter = pikepdf.Name.DeviceGray, 8, pikepdf.Name.FlateDecode
    return im


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


# --- the secret where a reader can see it (it must be boxed) ----------------------


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
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


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


# --- the secret where no reader looks (it must simply not be released) -----------


def hidden_layer() -> bytes:
    doc, page = _page()
    ocg = doc.add_ocg("Private notes", on=False)
    page.insert_text((72, 800), SECRET_LINE, fontsize=11, oc=ocg)
    return _save(doc)


def tiny_image() -> bytes:
    doc, page = _page()
    page.insert_image(pymupdf.Rect(300, 400, 300.5, 400.5), stream=_png(text_picture(SECRET_LINE, 40)))
    return _save(doc)


def soft_mask() -> bytes:
    """A picture of the secret whose soft mask makes it fully transparent."""
    doc, _page_ = _page()
    pdf = pikepdf.open(io.BytesIO(_save(doc)))
    img = text_picture(SECRET_LINE, 40)
    pic = _grey_image(pdf, img.tobytes(), img.width, img.height)
    pic.SMask = _grey_image(pdf, bytes(img.width * img.height), img.width, img.height)
    pg = pdf.pages[0]
    pg.obj.Resources.XObject = pikepdf.Dictionary(Masked=pic)
    pg.contents_add(pikepdf.Stream(pdf, b"q 451 0 0 30 72 512 cm /Masked Do Q"))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def off_page() -> bytes:
    doc, page = _page()
    page.insert_text((700, 300), SECRET_LINE, fontsize=11)
    page.insert_text((72, -40), SECRET_LINE, fontsize=11)
    return _save(doc)


def outside_cropbox() -> bytes:
    doc, page = _page()
    page.insert_text((72, 820), SECRET_LINE, fontsize=11)
    page.set_cropbox(pymupdf.Rect(0, 0, W, 700))
    return _save(doc)


def white_text() -> bytes:
    doc, page = _page()
    page.insert_text((72, 400), SECRET_LINE, fontsize=11, color=(1, 1, 1))
    return _save(doc)


def invisible_text() -> bytes:
    doc, page = _page()
    page.insert_text((72, 400), SECRET_LINE, fontsize=11, render_mode=3)
    return _save(doc)


def text_under_image() -> bytes:
    doc, page = _page()
    page.insert_text((72, 400), SECRET_LINE, fontsize=11)
    page.insert_image(pymupdf.Rect(0, 370, W, 420), stream=_png(Image.new("L", (200, 20), 255)))
    return _save(doc)


def incremental_revision() -> bytes:
    """The secret in the first revision; an incremental update covers it with white."""
    doc, page = _page()
    page.insert_text((72, 400), SECRET_LINE, fontsize=11)
    first = _save(doc)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "revised.pdf"
        path.write_bytes(first)
        doc = pymupdf.open(path)
        doc[0].draw_rect(pymupdf.Rect(60, 385, 540, 410), color=(1, 1, 1), fill=(1, 1, 1))
        doc.saveIncr()
        doc.close()
        return path.read_bytes()


def metadata() -> bytes:
    doc, _page_ = _page()
    doc.set_metadata({"title": SECRET_LINE, "author": SECRET_NAME, "subject": SECRET_EMAIL})
    doc.set_xml_metadata(f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><note>{SECRET_LINE}</note></x:xmpmeta>")
    return _save(doc)


def annotation_notes() -> bytes:
    doc, page = _page()
    page.add_text_annot((500, 60), SECRET_LINE)
    hidden = page.add_freetext_annot(pymupdf.Rect(72, 500, 400, 520), SECRET_LINE, fontsize=10)
    hidden.set_flags(2)  # Hidden (PDF 32000-1, 12.5.3)
    hidden.update()
    return _save(doc)


def _field(page: pymupdf.Page, name: str, rect: pymupdf.Rect, value: str, hidden: bool) -> None:
    w = pymupdf.Widget()
    w.field_type = 7  # a text field
    w.field_name = name
    w.rect = rect
    w.field_value = value
    w.field_flags = 0
    if hidden:
        w.field_display = 1  # hidden
    page.add_widget(w)


def form_field() -> bytes:
    """A visible field with the child's name, a hidden one with the secret."""
    doc, page = _page()
    _field(page, "child", pymupdf.Rect(72, 600, 400, 620), CHILD, hidden=False)
    _field(page, "private", pymupdf.Rect(72, 700, 400, 720), SECRET_LINE, hidden=True)
    return _save(doc)


def form_field_visible() -> bytes:
    doc, page = _page()
    _field(page, "contact", pymupdf.Rect(72, 600, 500, 620), SECRET_LINE, hidden=False)
    return _save(doc)


def attachment() -> bytes:
    doc, page = _page()
    doc.embfile_add("contact.txt", SECRET_LINE.encode(), filename="contact.txt", desc=SECRET_NAME)
    page.add_file_annot((520, 60), SECRET_LINE.encode(), "note.txt", desc=SECRET_NAME)
    return _save(doc)


def bookmarks() -> bytes:
    doc, _page_ = _page()
    doc.set_toc([[1, SECRET_LINE, 1], [2, SECRET_NAME, 1]])
    return _save(doc)


def actual_text() -> bytes:
    """Visible words whose /ActualText (what copy and search return) is the secret."""
    doc, page = _page()
    xref = page.get_contents()[0]
    actual = "FEFF" + SECRET_LINE.encode("utf-16-be").hex().upper()
    extra = f"\n/Span <</ActualText <{actual}>>> BDC BT /Helv 11 Tf 72 442 Td (A quiet morning.) Tj ET EMC\n"
    page.insert_text((500, 830), ".", fontsize=4)
    doc.update_stream(xref, doc.xref_stream(xref) + extra.encode())
    return _save(doc)


def alt_text() -> bytes:
    doc, page = _page()
    base = _save(doc)
    pdf = pikepdf.open(io.BytesIO(base))
    elem = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure,
                              Alt=pikepdf.String(SECRET_LINE), Pg=pdf.pages[0].obj)
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot,
                                                                   K=pdf.make_indirect(elem)))
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def unused_xobject() -> bytes:
    """A form XObject that writes the secret, listed in the page's resources, never drawn;
    and an unused picture of it."""
    doc, _page_ = _page()
    base = _save(doc)
    pdf = pikepdf.open(io.BytesIO(base))
    pg = pdf.pages[0]
    helv = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    form = pikepdf.Stream(pdf, f"BT /F9 11 Tf 0 0 Td ({SECRET_LINE}) Tj ET".encode())
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 500, 20]
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F9=helv))
    img = text_picture(SECRET_LINE, 30)
    pic = _grey_image(pdf, img.tobytes(), img.width, img.height)
    xo = pg.obj.Resources.get("/XObject", pikepdf.Dictionary())
    xo.Unused9 = form
    xo.Unused10 = pic
    pg.obj.Resources.XObject = xo
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def thumbnail_and_private_data() -> bytes:
    doc, _page_ = _page()
    base = _save(doc)
    pdf = pikepdf.open(io.BytesIO(base))
    pg = pdf.pages[0]
    img = text_picture(SECRET_LINE, 30)
    thumb = pikepdf.Stream(pdf, zlib.compress(img.tobytes()))
    thumb.Width, thumb.Height, thumb.ColorSpace = img.width, img.height, pikepdf.Name.DeviceGray
    thumb.BitsPerComponent, thumb.Filter = 8, pikepdf.Name.FlateDecode
    pg.obj.Thumb = thumb
    pg.obj.PieceInfo = pikepdf.Dictionary(School=pikepdf.Dictionary(
        LastModified=pikepdf.String("D:20261101"), Private=pikepdf.String(SECRET_LINE)))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def javascript() -> bytes:
    doc, _page_ = _page()
    base = _save(doc)
    pdf = pikepdf.open(io.BytesIO(base))
    alert = pikepdf.String(f"app.alert('{SECRET_LINE}')")
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=alert)
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
        Names=[pikepdf.String("x"),
               pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(SECRET_NAME))]))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


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
HIDDEN: dict[str, Callable[[], bytes]] = {
    "hidden-layer": hidden_layer,
    "tiny-image": tiny_image,
    "soft-mask": soft_mask,
    "off-page": off_page,
    "outside-cropbox": outside_cropbox,
    "white-text": white_text,
    "invisible-text": invisible_text,
    "text-under-image": text_under_image,
    "incremental-revision": incremental_revision,
    "metadata": metadata,
    "annotations": annotation_notes,
    "form-field": form_field,
    "attachment": attachment,
    "bookmarks": bookmarks,
    "actual-text": actual_text,
    "alt-text": alt_text,
    "unused-xobject": unused_xobject,
    "thumbnail-private-data": thumbnail_and_private_data,
    "javascript": javascript,
}
ALL: dict[str, Callable[[], bytes]] = {**VISIBLE, **HIDDEN}
