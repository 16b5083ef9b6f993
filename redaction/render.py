"""Apply accepted redactions to a working PDF: true removal, then scrub and save.

What is removed, and how
------------------------
For every accepted box MuPDF's redaction removes, inside the box:

* text: every character under the box (:func:`~redaction.glyphs.glyph_under`: the centre of its ink
  box inside, or half of it covered), visible text and invisible OCR layers alike;
* image pixels: the pixels under the box are overwritten (MuPDF writes "white" in
  the image's colour space: 255 for Gray/RGB, 0 for CMYK; an SMask or stencil mask
  is cleared as well), so a name that exists only in a scan's pixels is gone. An
  image touched by a box is re-encoded losslessly (Flate): a JPEG scan grows ~2x;
* line art: every path lying inside the box, and every curve or polyline reaching
  into it (a signature, outlined text) whole; a single straight line or rectangle
  that only crosses the box (a table border, an underline running on) is kept, so
  forms keep their grid.

A solid black box (stroked and filled) is then drawn over the area, with the reason
code ("TP", "OC" ...) in small dark grey letters, upright as displayed, when it fits. The
code is marked as having empty actual text, so copying or searching the page does not
turn up "TP" where a name was (verify.py reads the glyphs themselves).

A ``whole_page`` redaction keeps the page (same size, same rotation) but empties it:
its content stream and resources are replaced by one black rectangle and the code.

Besides the boxes, every page loses what a reviewer never saw on screen:

* content outside the CropBox (a scan's cropped-off margin keeps its pixels in the
  file otherwise);
* invisible text (render mode 3, e.g. a scanner's OCR layer), unless
  ``strip_hidden_text=False``; detection reads the *rendered* page, so an OCR layer
  was never checked for names;
* annotations and form fields: visible ones are first flattened into the page (so a
  name typed into a form field is redacted like any other text), hidden ones and
  links are deleted.

The document is then scrubbed (info dictionary, XMP, outlines, embedded files,
JavaScript and other actions, structure tree, thumbnails) and written as one fresh
file: no incremental sections, unreferenced objects dropped.

MuPDF 1.28.5 (PyMuPDF 2.0) defects worked around, each with a test
-------------------------------------------------------------------
* Text removed from inside a ``TJ`` array leaves the rest of the line shifted left by
  the advance of the first removed glyph (more under ``Tz``): the next word slides
  under the box. ``Tj`` strings are repositioned correctly, so before redaction every
  ``[(a) -20 (b)] TJ`` on the page is rewritten as the equivalent
  ``(a) Tj [-20] TJ (b) Tj`` (:func:`~redaction.tjarrays.split_tj_arrays`). With ``Tj`` the defect is left
  only for a run of one glyph, which therefore takes a neighbouring space along.
* MuPDF removes every glyph whose *font* box (ascender to descender, much taller than
  the ink) touches a redaction rectangle, so a padded box also wiped letters of the
  lines above and below, leaving gaps that no box covers. Text is therefore removed
  by hairlines through the centres of the characters under each box, and images and
  line art by the box itself in a second pass.
* Shapes are drawn in the wrong place on a rotated page whose CropBox is offset from
  the MediaBox, so each page is edited with ``/Rotate`` 0 and its own value restored.

Page coordinates (``Box``) are unrotated and CropBox-relative (see models.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pymupdf

from redaction.errors import InputError, SourceFileError
from redaction.glyphs import Glyph, glyph_lines, glyph_under, has_invisible_text
from redaction.models import Redaction
from redaction.pagegeom import mediabox_in_page_coords, outside_strips, path_is_complex, path_touches
from redaction.scrub import clean_bytes, flatten_annotations
from redaction.tjarrays import split_tj_arrays

log = logging.getLogger(__name__)

BLACK = (0.0, 0.0, 0.0)
WHITE = (1.0, 1.0, 1.0)
# The reason code is dark grey on black: legible to a reviewer up close, while the box
# stays solid dark to the eye and to any reader measuring it (grey 56 of 255).
LABEL_COLOR = (0.22, 0.22, 0.22)
LABEL_FONT = "helv"
LABEL_FONTSIZE = 6.0
LABEL_MARGIN = 1.0  # points of black kept around the reason code
LABEL_MAX_SHARE = 0.12  # the code's box may take at most this share of the redaction box

# PyMuPDF's constants are set at import time; the type checker cannot see them.
IMAGE_NONE: int = pymupdf.PDF_REDACT_IMAGE_NONE  # type: ignore[attr-defined]
IMAGE_PIXELS: int = pymupdf.PDF_REDACT_IMAGE_PIXELS  # type: ignore[attr-defined]
LINE_ART_NONE: int = pymupdf.PDF_REDACT_LINE_ART_NONE  # type: ignore[attr-defined]
LINE_ART_IF_COVERED: int = pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED  # type: ignore[attr-defined]
LINE_ART_IF_TOUCHED: int = pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED  # type: ignore[attr-defined]
TEXT_REMOVE: int = pymupdf.PDF_REDACT_TEXT_REMOVE  # type: ignore[attr-defined]
TEXT_NONE: int = pymupdf.PDF_REDACT_TEXT_NONE  # type: ignore[attr-defined]
TEXT_REMOVE_INVISIBLE: int = pymupdf.PDF_REDACT_TEXT_REMOVE_INVISIBLE  # type: ignore[attr-defined]

def render_document(
    working_pdf: bytes,
    redactions: Sequence[Redaction],
    document_name: str,
    *,
    strip_hidden_text: bool = True,
    labels: bool = True,
) -> bytes:
    """Return the clean copy of ``working_pdf``: every accepted redaction applied as
    true removal, the document scrubbed, saved without incremental history.

    Page count, page sizes (MediaBox, CropBox) and rotations are those of the input.
    ``labels=False`` leaves the reason codes off the boxes (plain black boxes).
    Raises :class:`SourceFileError` if the PDF cannot be opened and
    :class:`InputError` if a redaction names a page the document does not have.
    """
    doc = _open(working_pdf, document_name)
    try:
        by_page = _by_page(redactions, doc.page_count, document_name)
        flatten_annotations(doc)
        # bake() leaves PyMuPDF's cached page state stale: continue on a fresh copy
        doc = _reopen(doc, document_name)
        for pno in range(doc.page_count):
            reds = by_page.get(pno, [])
            whole = [r for r in reds if r.whole_page]
            with _unrotated(doc, pno) as rotation:
                if whole:
                    _clear_page(doc, pno, whole[0].reason.value if labels else "", rotation)
                    continue
                hidden = strip_hidden_text and has_invisible_text(doc[pno])
                outside = _has_outside_strips(doc[pno])
                if reds or hidden or outside:  # MuPDF's content filter will run
                    split_tj_arrays(doc, doc[pno])
                if outside:
                    _clear_outside_cropbox(doc, pno)
                boxes = _redact_boxes(doc[pno], reds) if reds else []
                if hidden:
                    _strip_invisible_text(doc[pno])
                if boxes and labels:
                    _draw_labels(doc[pno], boxes, rotation)
        out = clean_bytes(doc)
        log.info("rendered %s: %d page(s), %d redaction(s)", document_name, doc.page_count, len(redactions))
        return out
    finally:
        doc.close()


# --- opening and grouping -------------------------------------------------------


def _open(data: bytes, document_name: str) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for a broken file
        raise SourceFileError(document_name, "cannot be opened as a PDF for redaction", "corrupt") from exc
    if doc.needs_pass or doc.is_encrypted:
        doc.close()
        raise SourceFileError(document_name, "is password-protected: remove the password and import it again",
                              "encrypted")
    return doc


def _reopen(doc: pymupdf.Document, document_name: str) -> pymupdf.Document:
    data = doc.tobytes(garbage=1)
    doc.close()
    return _open(data, document_name)


def _by_page(
    redactions: Sequence[Redaction], page_count: int, document_name: str
) -> dict[int, list[Redaction]]:
    by_page: dict[int, list[Redaction]] = {}
    for r in redactions:
        if not 0 <= r.page_index < page_count:
            raise InputError(
                f"{document_name}: redaction {r.proposal_id} is for page {r.page_index + 1} but the "
                f"document has {page_count} page(s); run the case again to refresh its proposals"
            )
        by_page.setdefault(r.page_index, []).append(r)
    return by_page


# --- page geometry --------------------------------------------------------------


@contextmanager
def _unrotated(doc: pymupdf.Document, pno: int) -> Iterator[int]:
    """Edit page ``pno`` with /Rotate 0 (works around PyMuPDF's misplaced shapes on
    rotated, cropped pages), then restore its own /Rotate entry exactly as it was.
    Yields the page's rotation."""
    xref = doc.page_xref(pno)
    rotation = doc[pno].rotation
    own = doc.xref_get_key(xref, "Rotate")
    doc.xref_set_key(xref, "Rotate", "0")
    try:
        yield rotation
    finally:
        doc.xref_set_key(xref, "Rotate", own[1] if own[0] != "null" else "null")


def _has_outside_strips(page: pymupdf.Page) -> bool:
    return bool(outside_strips(mediabox_in_page_coords(page), pymupdf.Rect(0, 0, page.cropbox.width,
                                                                           page.cropbox.height)))


def _clear_outside_cropbox(doc: pymupdf.Document, pno: int) -> None:
    """Remove text, image pixels and line art lying outside the CropBox."""
    page = doc[pno]
    media = mediabox_in_page_coords(page)
    crop = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    strips = outside_strips(media, crop)
    if not strips:
        return
    xref = page.xref
    own = doc.xref_get_key(xref, "CropBox")
    mb = page.mediabox
    doc.xref_set_key(xref, "CropBox", f"[{mb.x0:g} {mb.y0:g} {mb.x1:g} {mb.y1:g}]")
    try:
        full = doc[pno]
        for s in strips:
            full.add_redact_annot(s + (-media.x0, -media.y0, -media.x0, -media.y0), cross_out=False)
        full.apply_redactions(
            images=IMAGE_PIXELS,
            graphics=LINE_ART_IF_COVERED,
            text=TEXT_REMOVE,
        )
    finally:
        doc.xref_set_key(xref, "CropBox", own[1] if own[0] != "null" else "null")
    log.debug("page %d: cleared %d strip(s) outside the CropBox", pno, len(strips))


# --- redaction ------------------------------------------------------------------


def _redact_boxes(page: pymupdf.Page, reds: Sequence[Redaction]) -> list[tuple[pymupdf.Rect, str]]:
    """Remove what lies under the boxes and draw them black; returns (box, reason
    code) for the labels, which are drawn last."""
    area = page.rect
    labels: list[tuple[pymupdf.Rect, str]] = []
    for r in reds:
        for box in r.boxes:
            rect = pymupdf.Rect(box.as_tuple()) & area
            if rect.is_empty:
                log.warning("page %d: redaction %d has a box outside the page; skipped",
                            page.number, r.proposal_id)
                continue
            labels.append((rect, r.reason.value))
    if not labels:
        return labels
    rects = [rect for rect, _ in labels]
    _remove_glyphs_under(page, rects)
    for rect in rects:
        page.add_redact_annot(rect, fill=BLACK, cross_out=False)
    page.apply_redactions(images=IMAGE_PIXELS, graphics=LINE_ART_IF_COVERED, text=TEXT_NONE)
    # curves and polylines reaching into a box (a signature, outlined text) go whole;
    # straight lines and rectangles that merely cross it (table borders) stay
    drawings = [d for d in page.get_drawings() if not _is_fill_of(d, rects)]
    reach = [r for r in rects if any(path_is_complex(d) and path_touches(d, r) for d in drawings)]
    if reach:
        for rect in reach:
            page.add_redact_annot(rect, fill=BLACK, cross_out=False)
        page.apply_redactions(images=IMAGE_NONE, graphics=LINE_ART_IF_TOUCHED, text=TEXT_NONE)
    return labels


def _draw_labels(page: pymupdf.Page, labels: Sequence[tuple[pymupdf.Rect, str]], rotation: int) -> None:
    shape = page.new_shape()
    for rect, code in labels:
        _label(shape, rect, code, rotation)
    _commit_as_artifact(shape)


def _commit_as_artifact(shape: pymupdf.Shape) -> None:
    """Commit the shape with its text marked as a span whose actual text is empty:
    the reason codes are drawn, but copy, search and text extraction do not find
    "TP" in the page (extraction with TEXT_IGNORE_ACTUALTEXT still shows them)."""
    if shape.text_cont:
        shape.text_cont = f"/Span <</ActualText ()>> BDC\n{shape.text_cont}EMC\n"
    shape.commit()


def _remove_glyphs_under(page: pymupdf.Page, rects: Sequence[pymupdf.Rect]) -> None:
    """Remove exactly the characters :func:`glyph_under` the boxes.

    MuPDF removes every glyph whose *font* box (ascender to descender) touches a
    redaction rectangle, so a padded box also wipes letters of the lines above and
    below that it does not cover (they vanish, uncovered). Instead each run of
    characters under a box is removed through a hairline through their centres.

    MuPDF 1.28.5 also forgets the advance of the first glyph of each removed run; with
    ``Tj`` strings that only matters when the run is a single glyph (nothing moves the
    rest of the line then), so a lone glyph takes a neighbouring space with it.
    """
    pins: list[pymupdf.Rect] = []
    for line in glyph_lines(page):
        chars = line.chars
        flags = [bool(ch.c.strip()) and any(glyph_under(ch.rect, r) for r in rects) for ch in chars]
        i = 0
        while i < len(chars):
            if not flags[i]:
                i += 1
                continue
            j = i  # extend over hits and the spaces between them
            while j + 1 < len(chars) and (flags[j + 1] or (not chars[j + 1].c.strip() and j + 2 < len(chars)
                                                           and flags[j + 2])):
                j += 1
            first, last = i, j
            if first == last:  # a lone glyph: take a space along
                if last + 1 < len(chars) and not chars[last + 1].c.strip():
                    last += 1
                elif first > 0 and not chars[first - 1].c.strip():
                    first -= 1
            pins.append(_hairline(chars[first:last + 1]))
            i = j + 1
    if not pins:
        return
    for pin in pins:
        page.add_redact_annot(pin, cross_out=False)
    page.apply_redactions(images=IMAGE_NONE, graphics=LINE_ART_NONE, text=TEXT_REMOVE)


def _hairline(run: Sequence[Glyph]) -> pymupdf.Rect:
    """The bounding box of the centres of ``run``, 0.1 pt thick: a hairline along a
    line of text in whatever direction it runs."""
    xs = [(g.rect.x0 + g.rect.x1) / 2 for g in run]
    ys = [(g.rect.y0 + g.rect.y1) / 2 for g in run]
    return pymupdf.Rect(min(xs) - 0.05, min(ys) - 0.05, max(xs) + 0.05, max(ys) + 0.05)


def _clear_page(doc: pymupdf.Document, pno: int, code: str, rotation: int) -> None:
    """Empty the page (content, resources, annotations) and draw one black box."""
    xref = doc.page_xref(pno)
    empty = doc.get_new_xref()
    doc.update_object(empty, "<<>>")
    doc.update_stream(empty, b" ")
    doc.xref_set_key(xref, "Contents", f"{empty} 0 R")
    doc.xref_set_key(xref, "Resources", "<<>>")
    for key in ("Annots", "Group"):
        doc.xref_set_key(xref, key, "null")
    page = doc[pno]
    shape = page.new_shape()
    shape.draw_rect(page.rect)
    shape.finish(fill=BLACK, color=BLACK, width=1)
    if code:
        _label(shape, page.rect, code, rotation)
    _commit_as_artifact(shape)


def _label(shape: pymupdf.Shape, rect: pymupdf.Rect, code: str, rotation: int) -> None:
    """Write the reason code centred in ``rect``, upright as the page is displayed,
    if it fits and stays a small part of the box (the page is being edited unrotated).
    A short word's box keeps no code: letters filling much of it would leave
    the box no longer solid black to a reader's eye."""
    text_w = pymupdf.get_text_length(code, fontname=LABEL_FONT, fontsize=LABEL_FONTSIZE)
    along, across = (rect.width, rect.height) if rotation in (0, 180) else (rect.height, rect.width)
    if along < text_w + 2 * LABEL_MARGIN or across < LABEL_FONTSIZE + 2 * LABEL_MARGIN:
        return
    if text_w * LABEL_FONTSIZE > LABEL_MAX_SHARE * along * across:
        return
    centre = (rect.tl + rect.br) / 2
    baseline_start = (centre.x - text_w / 2, centre.y + 0.36 * LABEL_FONTSIZE)
    shape.insert_text(baseline_start, code, fontname=LABEL_FONT, fontsize=LABEL_FONTSIZE, color=LABEL_COLOR,
                      morph=(centre, pymupdf.Matrix(rotation)))


def _strip_invisible_text(page: pymupdf.Page) -> None:
    page.add_redact_annot(page.rect, cross_out=False)
    page.apply_redactions(
        images=IMAGE_NONE,
        graphics=LINE_ART_NONE,
        text=TEXT_REMOVE_INVISIBLE,
    )


# --- line art ------------------------------------------------------------------


def _is_fill_of(d: dict[str, Any], rects: Sequence[pymupdf.Rect]) -> bool:
    """Is drawing ``d`` the black fill of one of ``rects``?"""
    items = d["items"]
    if not d.get("fill") or len(items) != 1 or items[0][0] != "re":
        return False
    r = pymupdf.Rect(items[0][1])
    return any(abs(r.x0 - b.x0) < 1 and abs(r.y0 - b.y0) < 1 and abs(r.x1 - b.x1) < 1 and abs(r.y1 - b.y1) < 1
               for b in rects)
