"""Apply accepted redactions to a working PDF: true removal, then scrub and save.

What is removed, and how
------------------------
For every accepted box MuPDF's redaction removes, inside the box:

* text: every character under the box (:func:`glyph_under`: the centre of its ink
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
  ``(a) Tj [-20] TJ (b) Tj`` (:func:`split_tj_arrays`). With ``Tj`` the defect is left
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
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pymupdf

from redaction.errors import InputError, SourceFileError
from redaction.models import Redaction

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
_ANNOT_REDACT_TYPE: int = pymupdf.PDF_ANNOT_REDACT  # type: ignore[attr-defined]
_ANNOT_POPUP_TYPE: int = pymupdf.PDF_ANNOT_POPUP  # type: ignore[attr-defined]

# Catalog entries that carry names, actions, attachments or history, none of which
# a clean copy needs.
_CATALOG_KEYS_TO_DROP = (
    "Info", "Metadata", "Names", "OpenAction", "AA", "AcroForm", "Outlines",
    "StructTreeRoot", "MarkInfo", "PieceInfo", "Threads", "Collection", "Perms",
    "Legal", "SpiderInfo", "URI", "PageMode", "Dests",
)
_PAGE_KEYS_TO_DROP = ("Annots", "AA", "Metadata", "PieceInfo", "Thumb", "B", "StructParents", "Trans")

# Annotation flags (PDF 32000-1, 12.5.3)
_ANNOT_HIDDEN = 2
_ANNOT_NOVIEW = 32


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
        _flatten_annotations(doc)
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


def mediabox_in_page_coords(page: pymupdf.Page) -> pymupdf.Rect:
    """The page's MediaBox in page coordinates (unrotated, origin top-left of the
    CropBox): it starts left of / above (0, 0) when the CropBox is inset."""
    mb, cb = page.mediabox, page.cropbox
    return pymupdf.Rect(mb.x0 - cb.x0, -cb.y0, mb.x1 - cb.x0, mb.height - cb.y0)


def outside_strips(outer: pymupdf.Rect, inner: pymupdf.Rect) -> list[pymupdf.Rect]:
    """Up to four rectangles covering ``outer`` minus ``inner``."""
    inner = pymupdf.Rect(inner) & outer
    strips = [
        pymupdf.Rect(outer.x0, outer.y0, outer.x1, inner.y0),
        pymupdf.Rect(outer.x0, inner.y1, outer.x1, outer.y1),
        pymupdf.Rect(outer.x0, inner.y0, inner.x0, inner.y1),
        pymupdf.Rect(inner.x1, inner.y0, outer.x1, inner.y1),
    ]
    return [s for s in strips if s.width > 0.01 and s.height > 0.01]


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


def is_invisible_span(span: dict[str, object]) -> bool:
    """A text span that is extracted but not painted: render mode 3 (neither filled
    nor stroked), fully transparent, or tesseract's GlyphLessFont OCR layer."""
    font = span.get("font")
    if isinstance(font, str) and font.split("+")[-1] == "GlyphLessFont":
        return True
    if span.get("alpha") == 0:
        return True
    flags = span.get("char_flags")
    return isinstance(flags, int) and not flags & (_FZ_STEXT_FILLED | _FZ_STEXT_STROKED)


_FZ_STEXT_FILLED = 16
_FZ_STEXT_STROKED = 32


def has_invisible_text(page: pymupdf.Page) -> bool:
    flags = pymupdf.TEXT_COLLECT_STYLES | pymupdf.TEXT_PRESERVE_SPANS
    for block in page.get_text("dict", flags=flags)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                if span["text"].strip() and is_invisible_span(span):
                    return True
    return False


# --- TJ arrays -----------------------------------------------------------------

_TOKEN = re.compile(
    rb"(?P<ws>[\x00\t\n\x0c\r ]+)|(?P<comment>%[^\r\n]*)|(?P<dict><<|>>)|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<open>\()|(?P<arr>[\[\]{}])|(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)"
    rb"|(?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)"
)
_NUMBER = re.compile(rb"[+-]?(\d+\.?\d*|\.\d+)")


def _literal_end(data: bytes, i: int) -> int:
    """Index just past the literal string starting with '(' at ``i``."""
    depth, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash: skip the escaped byte
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unterminated string")


def _tokens(data: bytes) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each token; whitespace and comments are left out."""
    i, n = 0, len(data)
    while i < n:
        if data[i] == 0x28:
            end = _literal_end(data, i)
            yield "str", i, end
            i = end
            continue
        m = _TOKEN.match(data, i)
        if m is None:
            raise ValueError(f"unexpected byte at {i}")
        kind = m.lastgroup or "word"
        if kind == "hex":
            yield "str", i, m.end()
        elif kind not in ("ws", "comment"):
            yield kind, i, m.end()
        i = m.end()


def split_tj_rewrite(data: bytes) -> bytes | None:
    """``data`` with every ``[...] TJ`` holding strings rewritten as the equivalent
    run of ``(s) Tj`` and ``[n] TJ``; ``None`` if nothing changed or the stream holds
    something this small lexer does not take apart safely (inline images)."""
    out: list[bytes] = []
    last = 0
    changed = False
    try:
        toks = list(_tokens(data))
    except ValueError:
        return None
    k = 0
    while k < len(toks):
        kind, start, end = toks[k]
        if kind == "word" and data[start:end] in (b"BI", b"ID"):
            return None
        if kind == "arr" and data[start:end] == b"[":
            j = k + 1
            items: list[tuple[str, int, int]] = []
            while j < len(toks) and (toks[j][0] == "str" or
                                     (toks[j][0] == "word" and _NUMBER.fullmatch(data[toks[j][1]:toks[j][2]]))):
                items.append(toks[j])
                j += 1
            if (j + 1 < len(toks) and data[toks[j][1]:toks[j][2]] == b"]"
                    and data[toks[j + 1][1]:toks[j + 1][2]] == b"TJ"
                    and any(t[0] == "str" for t in items)):
                parts = [data[s0:e0] + b" Tj" if t == "str" else b"[" + data[s0:e0] + b"] TJ"
                         for t, s0, e0 in items]
                out += [data[last:start], b" ".join(parts)]
                last = toks[j + 1][2]
                changed = True
                k = j + 2
                continue
        k += 1
    if not changed:
        return None
    out.append(data[last:])
    return b"".join(out)


def split_tj_arrays(doc: pymupdf.Document, page: pymupdf.Page) -> int:
    """Rewrite the TJ arrays of the page's content streams and of the form XObjects
    it uses (see the module docstring). Returns the number of streams rewritten."""
    xrefs = list(page.get_contents()) + [x[0] for x in page.get_xobjects()]
    done = 0
    for xref in dict.fromkeys(xrefs):
        if not doc.xref_is_stream(xref):
            continue
        data = doc.xref_stream(xref)
        new = split_tj_rewrite(data) if data and b"TJ" in data else None
        if new is not None:
            doc.update_stream(xref, new)
            done += 1
    return done


# --- glyphs ----------------------------------------------------------------------

_GLYPH_FLAGS = (
    pymupdf.TEXT_ACCURATE_BBOXES | pymupdf.TEXT_COLLECT_STYLES | pymupdf.TEXT_PRESERVE_WHITESPACE
    | pymupdf.TEXT_IGNORE_ACTUALTEXT
)  # the glyphs themselves, whatever /ActualText a producer put over them (it can hide a
#    name from extraction, not from a reader's eyes); no TEXT_MEDIABOX_CLIP: text outside
#    the page is extracted too; no TEXT_PRESERVE_SPANS: it breaks a line at every text
#    operator, so words split once redaction rewrote them
GLYPH_SHARE = 0.5  # a glyph is under a box when this share of its ink box is covered


@dataclass(frozen=True)
class Glyph:
    c: str
    rect: pymupdf.Rect  # tight ink box, page coordinates
    invisible: bool


@dataclass(frozen=True)
class GlyphLine:
    chars: tuple[Glyph, ...]


def glyph_lines(page: pymupdf.Page) -> list[GlyphLine]:
    """Every character of the text layer, visible or not, on or off the page, by line."""
    out: list[GlyphLine] = []
    raw = page.get_text("rawdict", flags=_GLYPH_FLAGS, clip=pymupdf.INFINITE_RECT())
    for block in raw["blocks"]:
        for line in block.get("lines", ()):
            chars: list[Glyph] = []
            for span in line["spans"]:
                invisible = is_invisible_span(span)
                for ch in span["chars"]:
                    rect = pymupdf.Rect(ch["bbox"])
                    if rect.is_empty:  # a glyph without outline: fall back to its advance box
                        rect = pymupdf.Rect(ch["origin"][0], ch["origin"][1] - span["size"] * 0.8,
                                            max(rect.x1, ch["origin"][0] + 0.1),
                                            ch["origin"][1] + span["size"] * 0.2)
                    chars.append(Glyph(ch["c"], rect, invisible))
            out.append(GlyphLine(tuple(chars)))
    return out


def glyph_under(glyph: pymupdf.Rect, box: pymupdf.Rect) -> bool:
    """Is the glyph (its tight ink box) under ``box``: its centre inside, or at least
    GLYPH_SHARE of its area covered? The tip of a descender from the line above that
    reaches into a padded box is not; a letter inside the box is."""
    gx0, gy0, gx1, gy1 = glyph.x0, glyph.y0, glyph.x1, glyph.y1
    bx0, by0, bx1, by1 = box.x0, box.y0, box.x1, box.y1
    if gx1 < bx0 or gx0 > bx1 or gy1 < by0 or gy0 > by1:
        return False
    cx, cy = (gx0 + gx1) / 2, (gy0 + gy1) / 2
    if bx0 <= cx <= bx1 and by0 <= cy <= by1:
        return True
    iw, ih = min(gx1, bx1) - max(gx0, bx0), min(gy1, by1) - max(gy0, by0)
    area = (gx1 - gx0) * (gy1 - gy0)
    return bool(area > 0 and iw > 0 and ih > 0 and iw * ih >= GLYPH_SHARE * area)


# --- line art ------------------------------------------------------------------


def _is_fill_of(d: dict[str, Any], rects: Sequence[pymupdf.Rect]) -> bool:
    """Is drawing ``d`` the black fill of one of ``rects``?"""
    items = d["items"]
    if not d.get("fill") or len(items) != 1 or items[0][0] != "re":
        return False
    r = pymupdf.Rect(items[0][1])
    return any(abs(r.x0 - b.x0) < 1 and abs(r.y0 - b.y0) < 1 and abs(r.x1 - b.x1) < 1 and abs(r.y1 - b.y1) < 1
               for b in rects)


def path_is_complex(d: dict[str, Any]) -> bool:
    """A path that can draw a shape (curves, or more than one straight segment) rather
    than a single straight line or rectangles."""
    ops = [item[0] for item in d["items"]]
    return any(op in ("c", "qu") for op in ops) or ops.count("l") > 1


def path_touches(d: dict[str, Any], box: pymupdf.Rect) -> bool:
    """Does any segment of the path reach into ``box`` (0.5 pt in from its edges)?"""
    inner = box + (0.5, 0.5, -0.5, -0.5)
    return not inner.is_empty and any(_item_touches(item, inner) for item in d["items"])


def _item_touches(item: tuple[Any, ...], inner: pymupdf.Rect) -> bool:
    op = item[0]
    if op == "l":
        return _segment_hits(pymupdf.Point(item[1]), pymupdf.Point(item[2]), inner)
    if op == "re":
        r = pymupdf.Rect(item[1])
    elif op == "qu":
        r = pymupdf.Quad(item[1]).rect
    else:  # "c": a curve lies within its control polygon
        pts = [pymupdf.Point(p) for p in item[1:5]]
        r = pymupdf.Rect(min(p.x for p in pts), min(p.y for p in pts), max(p.x for p in pts),
                         max(p.y for p in pts))
    return bool(r.x0 <= inner.x1 and r.x1 >= inner.x0 and r.y0 <= inner.y1 and r.y1 >= inner.y0)


def _segment_hits(p: pymupdf.Point, q: pymupdf.Point, r: pymupdf.Rect) -> bool:
    """Liang-Barsky: does the segment p-q meet rectangle r?"""
    t0, t1 = 0.0, 1.0
    dx, dy = q.x - p.x, q.y - p.y
    for edge_p, edge_q in ((-dx, p.x - r.x0), (dx, r.x1 - p.x), (-dy, p.y - r.y0), (dy, r.y1 - p.y)):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


# --- annotations and scrubbing --------------------------------------------------


def _flatten_annotations(doc: pymupdf.Document) -> None:
    """Bake visible annotations and form fields into the page content (what the
    reviewer saw stays and is redacted like any text); delete hidden ones, pending
    redaction annotations and links."""
    for pno in range(doc.page_count):
        page = doc[pno]
        for annot in list(page.annots() or ()):
            hidden = annot.flags & (_ANNOT_HIDDEN | _ANNOT_NOVIEW)
            if hidden or annot.type[0] in (_ANNOT_REDACT_TYPE, _ANNOT_POPUP_TYPE):
                page.delete_annot(annot)
        for widget in list(page.widgets() or ()):
            if widget._annot.flags & (_ANNOT_HIDDEN | _ANNOT_NOVIEW):
                page.delete_widget(widget)
        for link in page.get_links():
            page.delete_link(link)
    try:
        doc.bake(annots=True, widgets=True)
    except Exception:  # fail closed: what cannot be flattened is dropped, not kept
        log.warning("annotations could not be flattened; they are removed instead")
        for pno in range(doc.page_count):
            page = doc[pno]
            for annot in list(page.annots() or ()):
                page.delete_annot(annot)
            for widget in list(page.widgets() or ()):
                page.delete_widget(widget)


def clean_bytes(doc: pymupdf.Document) -> bytes:
    """Scrub ``doc`` in place (see the module docstring) and return it saved as one
    fresh revision. Use it for any PDF cleancopy writes, e.g. the bundle of the clean
    copies: a new PyMuPDF document carries a Producer entry otherwise."""
    _scrub(doc)
    out: bytes = doc.tobytes(garbage=4, deflate=True, clean=True, no_new_id=True)
    return out


def _scrub(doc: pymupdf.Document) -> None:
    doc.set_metadata({})
    doc.del_xml_metadata()
    for name in doc.embfile_names():
        doc.embfile_del(name)
    try:
        doc.set_toc([])
    except Exception:  # a damaged outline tree: the catalog key is dropped below anyway
        log.debug("outline could not be removed through set_toc")
    for pno in range(doc.page_count):
        page = doc[pno]
        for link in page.get_links():
            page.delete_link(link)
        for annot in list(page.annots() or ()):
            page.delete_annot(annot)
        for key in _PAGE_KEYS_TO_DROP:
            if doc.xref_get_key(page.xref, key)[0] != "null":
                doc.xref_set_key(page.xref, key, "null")
    cat = doc.pdf_catalog()
    for key in _CATALOG_KEYS_TO_DROP:
        if doc.xref_get_key(cat, key)[0] != "null":
            doc.xref_set_key(cat, key, "null")
    doc.xref_set_key(-1, "Info", "null")
