"""Search a released PDF everywhere software can read, sharing no code with the product.

Text by PyMuPDF and by poppler's pdftotext; every object's bytes, every stream
decompressed (content streams' hex strings decoded too); every embedded image's
pixels, OCR'd; every page rendered with every layer on, OCR'd. Returns the places a
needle was found.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pikepdf
import pymupdf
import pytesseract
from PIL import Image


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))


def _contains(haystack: str, needles: Iterable[str]) -> list[str]:
    flat = squash(haystack)
    return [n for n in needles if squash(n) and squash(n) in flat]


def _hex_strings(data: bytes) -> str:
    out = []
    for m in re.finditer(rb"<([0-9A-Fa-f\s]+)>", data):
        raw = re.sub(rb"\s", b"", m.group(1))
        try:
            b = bytes.fromhex(raw.decode() + ("0" if len(raw) % 2 else ""))
        except ValueError:
            continue
        out.append(b.decode("latin-1"))
        if b[:2] == b"\xfe\xff" or (len(b) % 2 == 0 and b[:1] == b"\x00"):
            out.append(b.decode("utf-16-be", errors="ignore"))
    return " ".join(out)


def _ocr(img: Image.Image) -> str:
    return str(pytesseract.image_to_string(img.convert("L")))


def everywhere(data: bytes, needles: Iterable[str], *, ocr: bool = True) -> list[str]:
    """Where in ``data`` any needle can be read ("pymupdf-text: ...", "stream 12 0: ...")."""
    needles = list(needles)
    found: list[str] = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        ocgs = doc.get_ocgs()
        if ocgs:
            doc.set_layer(-1, on=list(ocgs), off=[])
        for pno, page in enumerate(doc):
            found += [f"pymupdf-text p{pno + 1}: {n}" for n in _contains(page.get_text(), needles)]
            if ocr:
                pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY, alpha=False)
                img = Image.frombytes("L", (pix.width, pix.height), pix.samples)
                found += [f"rendered p{pno + 1}: {n}" for n in _contains(_ocr(img), needles)]
    if shutil.which("pdftotext"):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "f.pdf"
            src.write_bytes(data)
            text = subprocess.run(["pdftotext", "-q", str(src), "-"], capture_output=True, text=True).stdout
            found += [f"poppler-text: {n}" for n in _contains(text, needles)]
    found += [f"raw bytes: {n}" for n in _contains(data.decode("latin-1"), needles)]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Object):
                continue
            where = f"object {obj.objgen[0]} {obj.objgen[1]}"
            if isinstance(obj, pikepdf.Stream):
                try:
                    body = obj.read_bytes()
                except pikepdf.PdfError:
                    body = obj.read_raw_bytes()
                text = body.decode("latin-1") + " " + _hex_strings(body)
                found += [f"{where} stream: {n}" for n in _contains(text, needles)]
                if ocr and obj.get("/Subtype") == "/Image":
                    try:
                        img = pikepdf.PdfImage(obj).as_pil_image()
                    except Exception:  # noqa: BLE001 - an image pikepdf cannot decode is checked as bytes above
                        continue
                    found += [f"{where} image pixels: {n}" for n in _contains(_ocr(img), needles)]
            else:
                try:
                    text = obj.unparse().decode("latin-1")
                except Exception:  # noqa: BLE001
                    continue
                found += [f"{where}: {n}" for n in _contains(text + " " + _hex_strings(text.encode("latin-1")),
                                                             needles)]
    return found
