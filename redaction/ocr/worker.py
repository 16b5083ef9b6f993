"""What an OCR worker process runs. Kept free of PyMuPDF so workers start fast."""

from __future__ import annotations

import io
import os

from PIL import Image

from redaction.ocr.base import OcrEngine, PixelWord

OMP_ENV = "OMP_THREAD_LIMIT"


def init_worker(parent_pid: int | None = None) -> None:
    """Pool initializer: tesseract (a subprocess) inherits one OpenMP thread, and the
    worker dies with the process that started the pool (a ``kill -9`` of the command
    leaves no worker behind)."""
    os.environ[OMP_ENV] = "1"
    if parent_pid is not None:
        from redaction.lifeline import die_with_parent

        die_with_parent(parent_pid)


def read_png(engine: OcrEngine, png: bytes) -> list[PixelWord]:
    """Read one page image: handed to the engine encoded when it reads encoded images
    (tesseract reads the PNG file itself), else decoded."""
    read_encoded = getattr(engine, "read_encoded", None)
    if callable(read_encoded):
        return list(read_encoded(png))
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        return list(engine.read(im))
