"""The secret where no reader looks, so a correct release must simply not carry it (HIDDEN)."""

from __future__ import annotations

import io
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pymupdf
from PIL import Image

from redaction.synth.adversarial.page import (
    CHILD,
    SECRET_EMAIL,
    SECRET_LINE,
    SECRET_NAME,
    W,
    _field,
    _grey_image,
    _page,
    _pike_bytes,
    _png,
    _save,
    text_picture,
)


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
    return _pike_bytes(pdf)


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


def form_field() -> bytes:
    """A visible field with the child's name, a hidden one with the secret."""
    doc, page = _page()
    _field(page, "child", pymupdf.Rect(72, 600, 400, 620), CHILD, hidden=False)
    _field(page, "private", pymupdf.Rect(72, 700, 400, 720), SECRET_LINE, hidden=True)
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
    return _pike_bytes(pdf)


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
    return _pike_bytes(pdf)


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
    return _pike_bytes(pdf)


def javascript() -> bytes:
    doc, _page_ = _page()
    base = _save(doc)
    pdf = pikepdf.open(io.BytesIO(base))
    alert = pikepdf.String(f"app.alert('{SECRET_LINE}')")
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=alert)
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
        Names=[pikepdf.String("x"),
               pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(SECRET_NAME))]))
    return _pike_bytes(pdf)


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
