"""Helpers and fixtures for the OCR tests: PDFs made in code (born-digital, scanned, rotated,
cropped, mixed), wrapped as SourceDocuments without going through ingest."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pymupdf
import pytest

from redaction.models import DocKind, SourceDocument

WORD = "Daniel"


def make_source(pdf: pymupdf.Document, name: str = "doc.pdf") -> SourceDocument:
    data = pdf.tobytes()
    return SourceDocument(name, DocKind.PDF, hashlib.sha256(data).hexdigest(), data, pdf.page_count)


def text_page(pdf: pymupdf.Document, lines: list[str], fontsize: float = 14, width: float = 595,
              height: float = 842) -> pymupdf.Page:
    page = pdf.new_page(width=width, height=height)
    y = 100.0
    for line in lines:
        page.insert_text((72, y), line, fontsize=fontsize)
        y += fontsize * 1.8
    return page


def scanned_copy(src_page: pymupdf.Page, out: pymupdf.Document, dpi: int = 200) -> pymupdf.Page:
    """A page holding only a grey image of ``src_page`` rendered at ``dpi``."""
    pix = src_page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    page = out.new_page(width=src_page.rect.width, height=src_page.rect.height)
    page.insert_image(page.rect, pixmap=pix)
    return page


@pytest.fixture
def born_digital() -> SourceDocument:
    pdf = pymupdf.open()
    text_page(pdf, [f"{WORD} Price lives at 14 Elm Road", "Phone 07700 900123"])
    return make_source(pdf, "born.pdf")


@pytest.fixture
def scanned_factory() -> Callable[..., SourceDocument]:
    def make(rotation: int = 0, dpi: int = 200, lines: list[str] | None = None) -> SourceDocument:
        tmp = pymupdf.open()
        src = text_page(tmp, lines or [f"{WORD} Price lives at 14 Elm Road"], fontsize=16)
        out = pymupdf.open()
        page = scanned_copy(src, out, dpi)
        if rotation:
            page.set_rotation(rotation)
        return make_source(out, f"scan-r{rotation}.pdf")

    return make
