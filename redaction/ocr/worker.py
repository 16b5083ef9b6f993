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
    """Decode one page image and read it."""
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        return list(engine.read(im))
