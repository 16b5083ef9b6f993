"""The note every adversarial PDF carries, the refused party's secret, and the page and picture helpers."""

from __future__ import annotations

import io
import zlib

import pikepdf
import pymupdf
from PIL import Image, ImageDraw, ImageFont

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


def _pike_bytes(pdf: pikepdf.Pdf) -> bytes:
    """A PDF edited with pikepdf, saved."""
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


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
