"""What an OCR worker process runs. Kept free of PyMuPDF so workers start fast."""

from __future__ import annotations

import io
import os

from PIL import Image

from redaction.ocr.base import OcrEngine, PixelWord

OMP_ENV = "OMP_THREAD_LIMIT"


def init_worker() -> None:
    """Pool initializer: tesseract (a subprocess) inherits one OpenMP thread."""
    os.environ[OMP_ENV] = "1"


def read_png(engine: OcrEngine, png: bytes) -> list[PixelWord]:
    """Decode one page image and read it."""
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        return list(engine.read(im))
