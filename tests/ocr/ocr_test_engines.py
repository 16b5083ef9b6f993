"""Small engines for the pool tests, in a module that imports no PyMuPDF so that
spawned workers unpickling them start quickly."""

from __future__ import annotations

import os

from PIL import Image

from redaction.errors import OcrError
from redaction.ocr.base import PixelWord


class EnvProbeEngine:
    """Reports, as a word, what OMP_THREAD_LIMIT was while it read."""

    name = "probe"
    config_key = "1"

    def read(self, image: Image.Image) -> list[PixelWord]:
        return [PixelWord(f"omp={os.environ.get('OMP_THREAD_LIMIT')}", 0, 0, 10, 10, 90.0)]


class FailingEngine:
    name = "failing"
    config_key = "1"

    def read(self, image: Image.Image) -> list[PixelWord]:
        raise OcrError("engine crashed")


class FailsOnWideImagesEngine:
    """Reads nothing, and crashes on images wider than ``max_width`` pixels."""

    name = "fails-on-wide"
    config_key = "1"

    def __init__(self, max_width: int) -> None:
        self.max_width = max_width

    def read(self, image: Image.Image) -> list[PixelWord]:
        if image.width > self.max_width:
            raise OcrError("engine crashed")
        return []
