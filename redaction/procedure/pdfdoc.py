"""Plain PDFs written with PyMuPDF from small HTML fragments (letters, the schedule of
redactions), saved without metadata, and their text read back for verification."""

from __future__ import annotations

import html

import pymupdf

from redaction.scrub import clean_bytes

PAGE = pymupdf.paper_rect("a4")
MARGIN = 56.0
CSS = "* {font-family: sans-serif; font-size: 11pt;} h1 {font-size: 15pt;} h2 {font-size: 12.5pt;} " \
      "table {border-collapse: collapse;} td, th {border: 0.5pt solid #888; padding: 2pt 4pt; text-align: left;}"


def esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def write(pages: list[str]) -> bytes:
    """One A4 page per HTML fragment (shrunk to fit when it must), as clean PDF bytes."""
    doc = pymupdf.open()
    for body in pages or [""]:
        page = doc.new_page(width=PAGE.width, height=PAGE.height)
        box = pymupdf.Rect(MARGIN, MARGIN, PAGE.width - MARGIN, PAGE.height - MARGIN)
        page.insert_htmlbox(box, body, css=CSS, scale_low=0)
    return clean_bytes(doc)


def text_of(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as d:
        return "\n".join(p.get_text() for p in d)
