"""Reopen a clean copy and prove that nothing it should have lost is still in it.

Every check re-extracts the output itself; nothing is taken on trust from render.py.
Leaks are reported per page with a *kind* (below) and a detail that is safe to show:
it names what and where, never the leaked text.

Kinds
-----
``text``
    a character of the text layer (visible or not) under an accepted box (its glyph's
    centre inside, or at least half its ink box covered: glyphs.glyph_under), or a redacted phrase
    (case-folded, whitespace collapsed, as whole words) found on its page more often
    than the source shows it outside every accepted box (without a source: at all).
``image``
    an embedded image (or its SMask / stencil mask) whose pixels under an accepted box
    (one pixel in from its edges) vary by more than IMAGE_INK_TOLERANCE: ink is left
    under the box. MuPDF writes one value there (white: 255 for Gray/RGB, 0 for CMYK).
    An image MuPDF cannot decode is reported too: it cannot be shown to be clean.
``vector``
    line art under an accepted box: a curve or polyline (a signature, outlined text)
    reaching into it. A single straight line or rectangles, like a table border
    crossing the box, carry nothing but their position: render.py keeps them when they
    only cross a box, and they are not reported.
``rendered``
    the page, rendered at RENDER_DPI, is not solid dark inside an accepted box (at
    least DARK_SHARE of its pixels, one pixel in from the edges and leaving out the
    reason code, below grey level DARK_LEVEL).
``hidden``
    content the reader cannot see: invisible text anywhere on the page, text or image
    ink outside the CropBox.
``whole-page``
    a page withheld whole still holds text, images or drawings besides its black box.
``metadata`` / ``xmp`` / ``annotation`` / ``form`` / ``embedded-file`` /
``javascript`` / ``action`` / ``outline`` / ``incremental``
    document-level residue. The trailer's info dictionary must be empty or absent:
    any entry at all is reported, a Producer too (render.py blanks everything). The
    one exception is the ``<</Producer(MuPDF x.y.z)>>`` PyMuPDF writes into the
    *catalog* of every new document (readers never show it; it names the library).
``structure``
    the output has a different page count or page geometry than the source, or the
    file cannot be opened.

Document-level leaks carry ``page_index`` 0 and say "(document)" in their detail.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence

import pymupdf

from redaction.errors import VerificationError
from redaction.glyphs import Glyph, GlyphLine, glyph_lines, glyph_under
from redaction.models import Leak, Reason, Redaction, VerificationReport
from redaction.pagegeom import mediabox_in_page_coords, outside_strips
from redaction.verify_file import file_leaks
from redaction.verify_ink import (
    DARK_LEVEL,
    DARK_SHARE,
    IMAGE_INK_TOLERANCE,
    RENDER_DPI,
    RENDER_SHRINK_PX,
    image_leaks,
    rendered_leaks,
    same_rect,
    vector_leaks,
)

log = logging.getLogger(__name__)

GEOMETRY_TOLERANCE = 0.05  # points, comparing page boxes with the source
REPORT_LIMIT = 5  # leaks named in a VerificationError message

_REASON_CODES = frozenset(r.value for r in Reason)
__all__ = [
    "DARK_LEVEL", "DARK_SHARE", "GEOMETRY_TOLERANCE", "IMAGE_INK_TOLERANCE", "RENDER_DPI", "RENDER_SHRINK_PX",
    "REPORT_LIMIT", "count_phrase", "normalise", "verify_document", "verify_or_raise",
]


def verify_document(
    output_pdf: bytes,
    redactions: Sequence[Redaction],
    document_name: str,
    source_pdf: bytes | None = None,
    *,
    allow_hidden_text: bool = False,
) -> VerificationReport:
    """Check ``output_pdf`` page by page against the accepted ``redactions``.

    With ``source_pdf`` the page count and geometry are compared with it and a
    redacted phrase may stay as often as the source shows it outside the boxes (the
    same words elsewhere on the page that nobody asked to redact); without it any
    occurrence on the redaction's page is a leak.
    """
    try:
        doc = pymupdf.open(stream=output_pdf, filetype="pdf")
    except Exception:
        return VerificationReport(document_name, 0, (
            Leak(document_name, 0, "structure", "(document) the clean copy cannot be opened as a PDF"),))
    src = _open_source(source_pdf)
    try:
        leaks: list[Leak] = []
        leaks += file_leaks(document_name, output_pdf, doc)
        if src is not None:
            leaks += _structure_leaks(document_name, doc, src)
        by_page: dict[int, list[Redaction]] = {}
        for r in redactions:
            if not 0 <= r.page_index < doc.page_count:
                leaks.append(Leak(document_name, max(r.page_index, 0), "structure",
                                  f"redaction {r.proposal_id} is for a page the clean copy does not have"))
                continue
            by_page.setdefault(r.page_index, []).append(r)
        for pno in range(doc.page_count):
            page = doc[pno]
            src_page = src[pno] if src is not None and pno < src.page_count else None
            leaks += _page_leaks(document_name, page, by_page.get(pno, []), src_page, allow_hidden_text)
        report = VerificationReport(document_name, doc.page_count, tuple(leaks))
    finally:
        doc.close()
        if src is not None:
            src.close()
    log.info("verified %s: %d page(s), %d leak(s)", document_name, report.pages, len(report.leaks))
    return report


def verify_or_raise(
    output_pdf: bytes,
    redactions: Sequence[Redaction],
    document_name: str,
    source_pdf: bytes | None = None,
    *,
    allow_hidden_text: bool = False,
) -> VerificationReport:
    """:func:`verify_document`, raising :class:`VerificationError` when anything leaks."""
    report = verify_document(output_pdf, redactions, document_name, source_pdf,
                             allow_hidden_text=allow_hidden_text)
    if not report.ok:
        first = "; ".join(str(leak) for leak in report.leaks[:REPORT_LIMIT])
        more = len(report.leaks) - REPORT_LIMIT
        raise VerificationError(
            f"{document_name}: the clean copy failed verification and must not be released "
            f"({len(report.leaks)} problem(s)): {first}" + (f"; and {more} more" if more > 0 else ""),
            tuple(report.leaks),
        )
    return report


def _open_source(source_pdf: bytes | None) -> pymupdf.Document | None:
    if source_pdf is None:
        return None
    return pymupdf.open(stream=source_pdf, filetype="pdf")


# --- document level ---------------------------------------------------------------


def _structure_leaks(name: str, out: pymupdf.Document, src: pymupdf.Document) -> list[Leak]:
    if out.page_count != src.page_count:
        return [Leak(name, 0, "structure",
                     f"(document) the clean copy has {out.page_count} page(s), the source {src.page_count}")]
    leaks: list[Leak] = []
    for pno in range(out.page_count):
        a, b = out[pno], src[pno]
        for what, x, y in (("MediaBox", a.mediabox, b.mediabox), ("CropBox", a.cropbox, b.cropbox)):
            if not same_rect(x, y, GEOMETRY_TOLERANCE):
                leaks.append(Leak(name, pno, "structure", f"{what} differs from the source"))
        if a.rotation != b.rotation:
            leaks.append(Leak(name, pno, "structure", f"rotation {a.rotation} differs from the source's "
                                                      f"{b.rotation}"))
    return leaks


# --- page level -----------------------------------------------------------------------


def _page_leaks(
    name: str,
    page: pymupdf.Page,
    reds: Sequence[Redaction],
    src_page: pymupdf.Page | None,
    allow_hidden_text: bool,
) -> list[Leak]:
    pno = page.number or 0
    area = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    whole = any(r.whole_page for r in reds)
    boxes = [area] if whole else _boxes(reds, area)
    lines = glyph_lines(page)
    labels = _label_rects(page, boxes)
    leaks: list[Leak] = []

    def add(kind: str, detail: str) -> None:
        leaks.append(Leak(name, pno, kind, detail))

    # text layer
    hits = _count_under(lines, boxes, labels)
    if hits:
        add("text", f"{hits} character(s) of the text layer lie under accepted boxes")
    if not whole and any(r.text.strip() for r in reds):
        out_text = _page_text(lines, (), labels)
        src_text = _page_text(glyph_lines(src_page), boxes, ()) if src_page is not None else ""
        for r in reds:
            if not r.text.strip():
                continue
            now, allowed = count_phrase(out_text, r.text), count_phrase(src_text, r.text)
            if now > allowed:
                add("text", f"the text of redaction {r.proposal_id} ({r.reason.value}) is still in the text "
                            f"layer ({now} time(s), {allowed} expected)")
    # content the reader cannot see
    strips = outside_strips(mediabox_in_page_coords(page), area)
    if not allow_hidden_text:
        invisible = sum(1 for ln in lines for ch in ln.chars if ch.invisible and ch.c.strip())
        if invisible:
            add("hidden", f"{invisible} character(s) of invisible text (an OCR layer?)")
    outside = _count_under(lines, strips, ())
    if outside:
        add("hidden", f"{outside} character(s) of text lie outside the visible page (CropBox)")
    # images, line art, rendering
    for what, detail in image_leaks(page, boxes, strips):
        add(what, detail)
    for detail in vector_leaks(page, boxes, whole):
        add("vector" if not whole else "whole-page", detail)
    for detail in rendered_leaks(page, boxes, labels):
        add("rendered", detail)
    if whole:
        other = sum(1 for ln in lines for ch in ln.chars if ch.c.strip()) - _label_chars(lines, labels)
        if other > 0 or page.get_image_info():
            add("whole-page", "a page withheld whole still holds text or images")
    return leaks


def _boxes(reds: Iterable[Redaction], area: pymupdf.Rect) -> list[pymupdf.Rect]:
    out = []
    for r in reds:
        for b in r.boxes:
            rect = pymupdf.Rect(b.as_tuple()) & area
            if not rect.is_empty:
                out.append(rect)
    return out


def count_phrase(normalised_text: str, phrase: str) -> int:
    """Occurrences of ``phrase`` as whole words ("Dan" is not found in "Jordan")."""
    needle = normalise(phrase)
    if not needle:
        return 0
    return len(re.findall(rf"(?<!\w){re.escape(needle)}(?!\w)", normalised_text))


def normalise(text: str) -> str:
    """Case-folded, compatibility-normalised (ligatures split), whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _label_rects(page: pymupdf.Page, boxes: Sequence[pymupdf.Rect]) -> list[pymupdf.Rect]:
    """Bounding boxes of the reason codes render.py writes inside the boxes."""
    out = []
    flags = pymupdf.TEXT_PRESERVE_SPANS | pymupdf.TEXT_IGNORE_ACTUALTEXT
    for block in page.get_text("dict", flags=flags)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                if span["text"].strip() not in _REASON_CODES or span["size"] > 7:
                    continue
                r = pymupdf.Rect(span["bbox"])
                if any(b.contains(r + (0.5, 0.5, -0.5, -0.5)) for b in boxes):
                    out.append(r)
    return out


def _is_label(ch: Glyph, labels: Sequence[pymupdf.Rect]) -> bool:
    return any(lab.contains(ch.rect + (0.2, 0.2, -0.2, -0.2)) for lab in labels)


def _label_chars(lines: Sequence[GlyphLine], labels: Sequence[pymupdf.Rect]) -> int:
    return sum(1 for ln in lines for ch in ln.chars if ch.c.strip() and _is_label(ch, labels))


def _count_under(lines: Sequence[GlyphLine], boxes: Sequence[pymupdf.Rect], labels: Sequence[pymupdf.Rect]) -> int:
    if not boxes:
        return 0
    return sum(
        1 for ln in lines for ch in ln.chars
        if ch.c.strip() and not _is_label(ch, labels) and any(glyph_under(ch.rect, b) for b in boxes)
    )


def _page_text(lines: Sequence[GlyphLine], skip: Sequence[pymupdf.Rect], labels: Sequence[pymupdf.Rect]) -> str:
    """Normalised page text, leaving out characters under ``skip`` and the labels; a
    left-out run becomes a space, so the words on either side stay apart."""
    parts = []
    for ln in lines:
        kept = [" " if _is_label(ch, labels) or any(glyph_under(ch.rect, b) for b in skip)
                else ch.c for ch in ln.chars]
        parts.append("".join(kept))
    return normalise("\n".join(parts))
