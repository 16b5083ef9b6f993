"""Reopen a clean copy and prove that nothing it should have lost is still in it.

Every check re-extracts the output itself; nothing is taken on trust from render.py.
Leaks are reported per page with a *kind* (below) and a detail that is safe to show:
it names what and where, never the leaked text.

Kinds
-----
``text``
    a character of the text layer (visible or not) under an accepted box (its glyph's
    centre inside, or at least half its ink box covered: render.glyph_under), or a redacted phrase
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
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pymupdf

from redaction.errors import VerificationError
from redaction.models import Leak, Reason, Redaction, VerificationReport
from redaction.render import (
    Glyph,
    GlyphLine,
    glyph_lines,
    glyph_under,
    mediabox_in_page_coords,
    outside_strips,
    path_is_complex,
    path_touches,
)

log = logging.getLogger(__name__)

RENDER_DPI = 100
DARK_LEVEL = 60  # a rendered pixel below this grey level counts as dark
DARK_SHARE = 0.98  # share of dark pixels a box must show
RENDER_SHRINK_PX = 1.0  # pixels trimmed from each box edge before rendering checks
IMAGE_INK_TOLERANCE = 8  # a redacted image area varies by 0; ink differs by far more
GEOMETRY_TOLERANCE = 0.05  # points, comparing page boxes with the source
REPORT_LIMIT = 5  # leaks named in a VerificationError message

_REASON_CODES = frozenset(r.value for r in Reason)
# PyMuPDF writes <</Producer(MuPDF x.y.z)>> into the *catalog* of every document it
# creates. Readers take metadata from the trailer's /Info only, and the string names
# the library, not a person: that exact entry alone is tolerated (render.py removes it).
_MUPDF_PRODUCER_ONLY = re.compile(r"<<\s*/Producer\s*\(MuPDF [0-9.]+\)\s*>>")
_ACTION_PATTERN = re.compile(
    rb"/(JS|JavaScript|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData|XFA|GoToE)\b"
)


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
        leaks += _file_leaks(document_name, output_pdf, doc)
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


def _file_leaks(name: str, data: bytes, doc: pymupdf.Document) -> list[Leak]:
    leaks: list[Leak] = []

    def add(kind: str, detail: str, page: int = 0) -> None:
        leaks.append(Leak(name, page, kind, detail if page else f"(document) {detail}"))

    eofs = len(re.findall(rb"%%EOF", data))
    if eofs != 1 or doc.xref_get_key(-1, "Prev")[0] != "null":
        add("incremental", f"the file has {eofs} end-of-file markers or a previous cross-reference "
                           "section: an earlier version may be recoverable")
    info = doc.xref_get_key(-1, "Info")
    if info[0] != "null":
        keys = _nonempty_info_keys(doc, info)
        if keys:
            add("metadata", f"the info dictionary still holds {', '.join(keys)}")
    cat = doc.pdf_catalog()
    cat_info = doc.xref_get_key(cat, "Info")
    if cat_info[0] != "null" and not _MUPDF_PRODUCER_ONLY.fullmatch(cat_info[1]):
        keys = _nonempty_info_keys(doc, cat_info)
        if keys:
            add("metadata", f"the catalog holds an info dictionary with {', '.join(keys)}")
    if doc.get_xml_metadata() or doc.xref_get_key(cat, "Metadata")[0] != "null":
        add("xmp", "XMP metadata is present")
    if doc.embfile_count():
        add("embedded-file", f"{doc.embfile_count()} embedded file(s)")
    if doc.get_toc(simple=True):
        add("outline", "the document has bookmarks (their titles may quote the text)")
    for key in ("OpenAction", "AA", "AcroForm", "StructTreeRoot"):
        if doc.xref_get_key(cat, key)[0] != "null":
            kind = "form" if key == "AcroForm" else "action" if key in ("OpenAction", "AA") else "metadata"
            add(kind, f"the document catalog still has /{key}")
    for xref in range(1, doc.xref_length()):
        try:
            obj = doc.xref_object(xref, compressed=True).encode("latin-1", "replace")
            is_meta = doc.xref_get_key(xref, "Type")[1] in ("/Metadata", "/EmbeddedFile")
        except Exception:
            continue
        match = _ACTION_PATTERN.search(obj)
        if match:
            key = match.group(1).decode()
            kind = "embedded-file" if key.startswith("Embedded") else "javascript" if key.startswith("J") \
                else "action"
            add(kind, f"object {xref} holds /{key}")
        elif is_meta:
            add("xmp" if "Metadata" in doc.xref_get_key(xref, "Type")[1] else "embedded-file",
                f"object {xref} is a {doc.xref_get_key(xref, 'Type')[1][1:]} stream")
    for pno in range(doc.page_count):
        page = doc[pno]
        annots = [a.type[1] for a in page.annots()]
        if annots:
            leaks.append(Leak(name, pno, "annotation", f"{len(annots)} annotation(s): {', '.join(annots)}"))
        widgets = list(page.widgets())
        if widgets:
            leaks.append(Leak(name, pno, "form", f"{len(widgets)} form field(s)"))
        if page.get_links():
            leaks.append(Leak(name, pno, "annotation", f"{len(page.get_links())} link(s)"))
        for key in ("AA", "Metadata", "PieceInfo", "Thumb"):
            if doc.xref_get_key(page.xref, key)[0] != "null":
                leaks.append(Leak(name, pno, "action" if key == "AA" else "metadata", f"page has /{key}"))
    return leaks


def _nonempty_info_keys(doc: pymupdf.Document, info: tuple[str, str]) -> list[str]:
    if info[0] == "xref":
        xref = int(info[1].split()[0])
        keys = doc.xref_get_keys(xref)
        return [k for k in keys if doc.xref_get_key(xref, k)[1] not in ("", "()", "null")]
    if info[0] == "dict":
        found = re.findall(r"/(\w+)\s*(\([^)]*\)|<[^>]*>|\S+)", info[1].strip("<>"))
        return [k for k, v in found if v not in ("()", "<>", "null")]
    return []


def _structure_leaks(name: str, out: pymupdf.Document, src: pymupdf.Document) -> list[Leak]:
    if out.page_count != src.page_count:
        return [Leak(name, 0, "structure",
                     f"(document) the clean copy has {out.page_count} page(s), the source {src.page_count}")]
    leaks: list[Leak] = []
    for pno in range(out.page_count):
        a, b = out[pno], src[pno]
        for what, x, y in (("MediaBox", a.mediabox, b.mediabox), ("CropBox", a.cropbox, b.cropbox)):
            if not _same_rect(x, y, GEOMETRY_TOLERANCE):
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
    for what, detail in _image_leaks(page, boxes, strips):
        add(what, detail)
    for detail in _vector_leaks(page, boxes, whole):
        add("vector" if not whole else "whole-page", detail)
    for detail in _rendered_leaks(page, boxes, labels):
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


def _same_rect(a: pymupdf.Rect, b: pymupdf.Rect, tol: float) -> bool:
    return all(abs(p - q) <= tol for p, q in ((a.x0, b.x0), (a.y0, b.y0), (a.x1, b.x1), (a.y1, b.y1)))


def _overlaps(a: pymupdf.Rect, b: pymupdf.Rect, tol: float) -> bool:
    return bool((min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol))


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


# --- images ---------------------------------------------------------------------


def _image_leaks(
    page: pymupdf.Page, boxes: Sequence[pymupdf.Rect], strips: Sequence[pymupdf.Rect]
) -> list[tuple[str, str]]:
    if not boxes and not strips:
        return []
    doc = page.parent
    leaks: list[tuple[str, str]] = []
    infos = page.get_image_info(xrefs=True)
    inline = None
    for n, info in enumerate(infos):
        bbox = pymupdf.Rect(info["bbox"])
        targets = [("image", b) for b in boxes if _overlaps(bbox, b, 0)]
        targets += [("hidden", s) for s in strips if _overlaps(bbox, s, 0)]
        if not targets:
            continue
        xref = info["xref"]
        if xref:
            layers = _xref_layers(doc, xref)
        else:
            if inline is None:
                inline = [b for b in page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_IMAGES)["blocks"]
                          if b["type"] == 1]
            layers = _inline_layers(inline, info)
        matrix = pymupdf.Matrix(info["transform"])
        for kind, target in targets:
            where = "under an accepted box" if kind == "image" else "outside the visible page"
            at = f"at ({target.x0:.0f},{target.y0:.0f})-({target.x1:.0f},{target.y1:.0f})"
            for label, arr in layers:
                if arr is None:
                    leaks.append((kind, f"image {n + 1} ({label}) cannot be decoded, so it cannot be "
                                        f"shown to hold no ink {where} {at}"))
                    break
                if _has_ink(arr, matrix, target):
                    leaks.append((kind, f"image {n + 1} ({label}) still holds ink {where} {at}"))
                    break
    return leaks


def _pixmap_array(pix: pymupdf.Pixmap) -> np.ndarray:
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)


def _xref_layers(doc: pymupdf.Document, xref: int) -> list[tuple[str, np.ndarray | None]]:
    """The image's own samples plus any soft mask or stencil mask, each as HxWxN."""
    layers: list[tuple[str, np.ndarray | None]] = [("pixels", _decoded(doc, xref))]
    for key in ("SMask", "Mask"):
        kind, value = doc.xref_get_key(xref, key)
        if kind == "xref":
            layers.append((key, _decoded(doc, int(value.split()[0]))))
    return layers


def _decoded(doc: pymupdf.Document, xref: int) -> np.ndarray | None:
    """The image's samples, or None if MuPDF cannot decode them (then nothing is proven)."""
    try:
        return _pixmap_array(pymupdf.Pixmap(doc, xref))
    except Exception:
        log.warning("image object %d cannot be decoded", xref)
        return None


def _inline_layers(blocks: list[dict[str, Any]], info: dict[str, Any]) -> list[tuple[str, np.ndarray | None]]:
    for b in blocks:
        if all(abs(p - q) < 0.01 for p, q in zip(b["transform"], info["transform"], strict=True)):
            layers: list[tuple[str, np.ndarray | None]] = []
            for label, key in (("inline pixels", "image"), ("inline mask", "mask")):
                if b.get(key):
                    try:
                        layers.append((label, _pixmap_array(pymupdf.Pixmap(b[key]))))
                    except Exception:
                        layers.append((label, None))
            return layers
    return [("inline image", None)]


def _has_ink(arr: np.ndarray, matrix: pymupdf.Matrix, box: pymupdf.Rect) -> bool:
    """Do the image pixels that lie wholly inside ``box`` (page coordinates; the image
    maps its unit square to the page by ``matrix``) vary? One pixel of margin."""
    h, w = arr.shape[:2]
    if h < 2 and w < 2:
        return False
    pixel = max(math.hypot(matrix.a, matrix.b) / w, math.hypot(matrix.c, matrix.d) / h)  # in points
    inner = box + (pixel, pixel, -pixel, -pixel)
    if inner.is_empty or abs(matrix.a * matrix.d - matrix.b * matrix.c) < 1e-9:
        return False
    inv = ~matrix
    corners = [pymupdf.Point(p) * inv for p in (inner.tl, inner.tr, inner.bl, inner.br)]
    x0 = max(int(math.floor(min(c.x for c in corners) * w)), 0)
    x1 = min(int(math.ceil(max(c.x for c in corners) * w)), w)
    y0 = max(int(math.floor(min(c.y for c in corners) * h)), 0)
    y1 = min(int(math.ceil(max(c.y for c in corners) * h)), h)
    if x1 <= x0 or y1 <= y0:
        return False
    # pixel centres -> page coordinates; keep those inside the shrunk box
    u = (np.arange(x0, x1) + 0.5) / w
    v = (np.arange(y0, y1) + 0.5) / h
    uu, vv = np.meshgrid(u, v)
    px = uu * matrix.a + vv * matrix.c + matrix.e
    py = uu * matrix.b + vv * matrix.d + matrix.f
    inside = (px >= inner.x0) & (px <= inner.x1) & (py >= inner.y0) & (py <= inner.y1)
    region = arr[y0:y1, x0:x1][inside]
    if region.size == 0:
        return False
    spread = region.max(axis=0).astype(int) - region.min(axis=0).astype(int)
    return bool(spread.max() > IMAGE_INK_TOLERANCE)


# --- line art -------------------------------------------------------------------


def _vector_leaks(page: pymupdf.Page, boxes: Sequence[pymupdf.Rect], whole: bool) -> list[str]:
    """Line art that could carry what a box hides: a curve or polyline (a signature,
    outlined text) reaching into a box. A single straight line or rectangles (a table
    border, an underline) carry nothing but their own position and are not counted."""
    if not boxes:
        return []
    found = 0
    for d in page.get_drawings():
        if _is_black_box(d, boxes):
            continue
        if whole or any(path_is_complex(d) and path_touches(d, b) for b in boxes):
            found += 1
    if not found:
        return []
    return [f"{found} drawing(s) besides the black box remain on a page withheld whole"] if whole else \
        [f"{found} drawing(s) (line art) lie under accepted boxes"]


def _is_black_box(d: dict[str, Any], boxes: Sequence[pymupdf.Rect]) -> bool:
    fill = d.get("fill")
    if not fill or max(fill) > 0.05 or len(d["items"]) != 1 or d["items"][0][0] != "re":
        return False
    rect = pymupdf.Rect(d["items"][0][1])
    return any(_same_rect(rect, b, 1.0) for b in boxes)


# --- rendering ------------------------------------------------------------------


def _rendered_leaks(page: pymupdf.Page, boxes: Sequence[pymupdf.Rect], labels: Sequence[pymupdf.Rect]) -> list[str]:
    if not boxes:
        return []
    zoom = RENDER_DPI / 72
    to_pixels = page.rotation_matrix * pymupdf.Matrix(zoom, zoom)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    arr = _pixmap_array(pix)[:, :, 0]
    light = arr >= DARK_LEVEL
    label_mask = np.zeros_like(light)
    for lab in labels:
        lr = (lab * to_pixels).irect
        label_mask[max(lr.y0, 0):max(lr.y1, 0), max(lr.x0, 0):max(lr.x1, 0)] = True
    out = []
    for b in boxes:
        r = b * to_pixels
        x0, y0 = math.ceil(r.x0 + RENDER_SHRINK_PX), math.ceil(r.y0 + RENDER_SHRINK_PX)
        x1, y1 = math.floor(r.x1 - RENDER_SHRINK_PX), math.floor(r.y1 - RENDER_SHRINK_PX)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, arr.shape[1]), min(y1, arr.shape[0])
        if x1 <= x0 or y1 <= y0:
            continue
        considered = ~label_mask[y0:y1, x0:x1]
        total = int(considered.sum())
        if not total:
            continue
        share_dark = 1 - int((light[y0:y1, x0:x1] & considered).sum()) / total
        if share_dark < DARK_SHARE:
            out.append(f"box at ({b.x0:.0f},{b.y0:.0f})-({b.x1:.0f},{b.y1:.0f}) renders only "
                       f"{share_dark:.0%} dark")
    return out
