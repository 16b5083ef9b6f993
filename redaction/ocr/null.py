"""Engines for tests: one that reads nothing, and a wrapper that counts reads."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from redaction.models import TextSource
from redaction.ocr.base import OcrEngine, PixelWord


@dataclass
class NullEngine:
    """Finds no words (OCRmyPDF's null_ocr): for tests and for runs without OCR."""

    name: str = "null"
    config_key: str = "1"
    text_source: TextSource = TextSource.NULL

    def read(self, image: Image.Image) -> list[PixelWord]:
        return []


@dataclass
class FixedEngine:
    """Returns the same words for every image (tests)."""

    words: tuple[PixelWord, ...] = ()
    name: str = "fixed"
    config_key: str = "1"
    text_source: TextSource = TextSource.TESSERACT

    def read(self, image: Image.Image) -> list[PixelWord]:
        return list(self.words)


class CountingEngine:
    """Wraps an engine and counts the images it was asked to read.

    ``ocr_many`` sends the *inner* engine to worker processes and adds to ``reads``
    in the parent, so the count is right with any number of workers.
    """

    def __init__(self, inner: OcrEngine) -> None:
        self.inner = inner
        self.reads = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def config_key(self) -> str:
        return self.inner.config_key

    @property
    def text_source(self) -> TextSource:
        return text_source_of(self.inner)

    def read(self, image: Image.Image) -> list[PixelWord]:
        self.reads += 1
        return self.inner.read(image)


def text_source_of(engine: object) -> TextSource:
    src = getattr(engine, "text_source", TextSource.TESSERACT)
    return src if isinstance(src, TextSource) else TextSource(src)
