"""The searchable text layer of a released page: what OCR reads on the page image.

The released page is a picture; to let a parent search and copy it, tesseract reads
that picture and its PDF renderer (``textonly_pdf=1``) writes the words as invisible
text (render mode 3) in its glyphless font, as OCRmyPDF's "sandwich" does. Since the
words come from the released pixels only, the layer can hold nothing a reader cannot
see: a black box reads as nothing.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import pikepdf
import pytesseract
from PIL import Image

from redaction.errors import MissingToolError, OcrError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextLayer:
    """Tesseract's text-only page: its content stream, its fonts (in ``pdf``, the
    one-page document tesseract wrote) and its page size in points."""

    content: bytes
    pdf: pikepdf.Pdf
    width: float
    height: float

    @property
    def fonts(self) -> pikepdf.Dictionary:
        res = self.pdf.pages[0].obj.get("/Resources")
        fonts = res.get("/Font") if res is not None else None
        return fonts if isinstance(fonts, pikepdf.Dictionary) else pikepdf.Dictionary()


def ocr_to_pdf(image: Image.Image, dpi: float, lang: str = "eng") -> bytes:
    """OCR ``image`` (a released page drawn at ``dpi``): tesseract's text-only PDF.
    Safe to call from worker threads (tesseract runs as its own process)."""
    config = f"--dpi {round(dpi)} -c textonly_pdf=1"
    try:
        data = pytesseract.image_to_pdf_or_hocr(image, lang=lang, extension="pdf", config=config)
    except pytesseract.TesseractNotFoundError as e:
        raise MissingToolError(
            "tesseract is not installed: install it (apt-get install tesseract-ocr) to release clean copies"
        ) from e
    except pytesseract.TesseractError as e:
        raise OcrError(f"tesseract could not read a released page for its text layer (status {e.status})") from e
    return bytes(data)


def text_layer(ocr_pdf: bytes) -> TextLayer:
    """The text layer in tesseract's text-only PDF (from :func:`ocr_to_pdf`)."""
    pdf = pikepdf.open(io.BytesIO(ocr_pdf))
    page = pdf.pages[0]
    box = [float(v) for v in page.mediabox]
    content = page.obj.Contents
    streams = list(content) if isinstance(content, pikepdf.Array) else [content]
    text = b"\n".join(s.read_bytes() for s in streams)
    log.debug("text layer: %d byte(s) of content", len(text))
    return TextLayer(text, pdf, box[2] - box[0], box[3] - box[1])
