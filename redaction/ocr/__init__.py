"""The OCR stage: page images, engines (tesseract, null), the text layer, the cache,
and one process pool for all pages of a case. Words leave this package in page
coordinates (points; see :mod:`redaction.models`).

Names are imported lazily, so an OCR worker process that only needs an engine does
not pay for importing PyMuPDF.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redaction.ocr.base import OcrCache, OcrEngine, PixelWord
    from redaction.ocr.cache import DirOcrCache, MemoryOcrCache, NoOcrCache, cache_key
    from redaction.ocr.coords import pixel_to_page_matrix, words_to_page
    from redaction.ocr.null import CountingEngine, FixedEngine, NullEngine
    from redaction.ocr.pages import PageImage, PageKind, classify_page, iter_pages, prepare_pages, render_page
    from redaction.ocr.parallel import iter_ocr, ocr_document, ocr_many, single_threaded_tesseract
    from redaction.ocr.pdf_text import merge_text_layer, text_layer_words
    from redaction.ocr.tesseract import TesseractEngine, tesseract_version

_WHERE = {
    "OcrCache": "base",
    "OcrEngine": "base",
    "PixelWord": "base",
    "DirOcrCache": "cache",
    "MemoryOcrCache": "cache",
    "NoOcrCache": "cache",
    "cache_key": "cache",
    "pixel_to_page_matrix": "coords",
    "words_to_page": "coords",
    "CountingEngine": "null",
    "FixedEngine": "null",
    "NullEngine": "null",
    "PageImage": "pages",
    "PageKind": "pages",
    "classify_page": "pages",
    "prepare_pages": "pages",
    "iter_pages": "pages",
    "render_page": "pages",
    "iter_ocr": "parallel",
    "ocr_document": "parallel",
    "ocr_many": "parallel",
    "single_threaded_tesseract": "parallel",
    "merge_text_layer": "pdf_text",
    "text_layer_words": "pdf_text",
    "TesseractEngine": "tesseract",
    "tesseract_version": "tesseract",
}

__all__ = [
    "CountingEngine",
    "DirOcrCache",
    "FixedEngine",
    "MemoryOcrCache",
    "NoOcrCache",
    "NullEngine",
    "OcrCache",
    "OcrEngine",
    "PageImage",
    "PageKind",
    "PixelWord",
    "TesseractEngine",
    "cache_key",
    "classify_page",
    "iter_ocr",
    "iter_pages",
    "merge_text_layer",
    "ocr_document",
    "ocr_many",
    "pixel_to_page_matrix",
    "prepare_pages",
    "render_page",
    "single_threaded_tesseract",
    "tesseract_version",
    "text_layer_words",
    "words_to_page",
]


def __getattr__(name: str) -> Any:
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"redaction.ocr.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
