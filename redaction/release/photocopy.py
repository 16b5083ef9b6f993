"""Rebuild every released page from what it shows: a photocopy of the redacted page.

render.py removes what each accepted box covers, but a PDF has more hiding places
than any list of them (hidden layers, images drawn too small to see, pixels under a
soft mask, text beyond the page's edge, fonts with no Unicode map ...). The released
file therefore carries none of the source's objects: each page of the redacted PDF is
drawn as a reader sees it and the output page holds that one picture, plus, when
wanted, an invisible text layer OCR'd from the picture itself (textlayer.py; what OCR
makes of the black boxes is left out).

* Resolution: a scanned page at its own image's resolution (72..600 dpi), a
  born-digital page at ``Options.dpi`` (the school's setting, 200 by default); a page
  that would exceed ``MAX_PIXELS`` is drawn at less.
* Encoding: a bitonal scan stays bitonal (1 bit per pixel, Flate); grey and colour
  pages are JPEG at ``Options.jpeg_quality``; a page with no colour is grey.
* Geometry: the output page is the page *as displayed* (CropBox, /Rotate applied), so
  its size and orientation are what the reader saw; the page count is the source's.

The file is written by pikepdf (qpdf) as one revision, with no info dictionary, no
metadata and nothing in the catalog but the page tree.
"""

from __future__ import annotations

import io
import logging
import os
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pikepdf
import pymupdf
from PIL import Image

from redaction.errors import SourceFileError
from redaction.models import Box
from redaction.release import textlayer

log = logging.getLogger(__name__)

MIN_DPI = 72.0
MAX_DPI = 600.0
MAX_PIXELS = 40_000_000  # per page (a 200-inch page or a 2400 dpi scan is drawn smaller)
GREY_TOLERANCE = 6  # a colour page whose channels differ by no more than this is grey
SCANNED_COVERAGE = 0.30  # images covering more of the page than this make it a scan


@dataclass(frozen=True)
class Options:
    dpi: float = 200.0  # born-digital pages
    jpeg_quality: int = 75
    text_layer: bool = True
    workers: int = max(1, os.cpu_count() or 1)
    lang: str = "eng"


@dataclass(frozen=True)
class PageProfile:
    """How a source page is to be copied."""

    dpi: float
    mode: str  # "bitonal" | "grey" | "colour"


@dataclass(frozen=True)
class _Drawn:
    width: float  # points, as displayed
    height: float
    image: Image.Image
    dpi: float
    boxes: tuple[tuple[float, float, float, float], ...] = ()  # accepted boxes, as displayed


def profile(page: pymupdf.Page, born_digital_dpi: float) -> PageProfile:
    """Scan or born-digital, its resolution and its colours, from the page's images:
    the largest visible image decides (a scan is one image over the page)."""
    rect = page.rect
    area = abs(rect.width * rect.height) or 1.0
    covered, best_area, best = 0.0, 0.0, None
    for info in page.get_image_info():
        bbox = pymupdf.Rect(info["bbox"]) & rect
        if bbox.is_empty:
            continue
        a = abs(bbox.width * bbox.height)
        covered += a
        if a > best_area:
            best_area, best = a, info
    if best is None or covered / area <= SCANNED_COVERAGE:
        return PageProfile(born_digital_dpi, "colour")
    bbox = pymupdf.Rect(best["bbox"])
    dpi = max(float(best["width"]) / max(bbox.width, 1e-6), float(best["height"]) / max(bbox.height, 1e-6)) * 72
    dpi = min(MAX_DPI, max(MIN_DPI, dpi))
    if int(best.get("bpc", 8)) == 1:
        return PageProfile(dpi, "bitonal")
    return PageProfile(dpi, "grey" if int(best.get("colorspace", 3)) == 1 else "colour")


def _draw(page: pymupdf.Page, prof: PageProfile) -> _Drawn:
    rect = page.rect  # the page as displayed: CropBox, rotation applied
    zoom = prof.dpi / 72.0
    pixels = rect.width * rect.height * zoom * zoom
    if pixels > MAX_PIXELS:
        zoom *= (MAX_PIXELS / pixels) ** 0.5
    cs = pymupdf.csRGB if prof.mode == "colour" else pymupdf.csGRAY
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=cs, alpha=False, annots=True)
    mode = "RGB" if pix.n == 3 else "L"
    image = Image.frombytes(mode, (pix.width, pix.height), pix.samples)
    if mode == "RGB" and _is_grey(image):
        image = image.convert("L")
    if prof.mode == "bitonal":
        image = image.convert("1", dither=Image.Dither.NONE)
    return _Drawn(float(rect.width), float(rect.height), image, pix.width / max(rect.width, 1e-6) * 72)


def _is_grey(image: Image.Image) -> bool:
    arr = np.asarray(image.reduce(4), dtype=np.int16)
    spread = max(int(np.abs(arr[..., 0] - arr[..., 1]).max()), int(np.abs(arr[..., 1] - arr[..., 2]).max()))
    return spread <= GREY_TOLERANCE


def _image_stream(pdf: pikepdf.Pdf, image: Image.Image, quality: int) -> pikepdf.Stream:
    if image.mode == "1":
        data = zlib.compress(image.tobytes(), 9)  # rows packed MSB first, 1 = white: as DeviceGray 1 bpc
        stream = pikepdf.Stream(pdf, data)
        stream.BitsPerComponent = 1
        stream.ColorSpace = pikepdf.Name.DeviceGray
        stream.Filter = pikepdf.Name.FlateDecode
    else:
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=quality, optimize=True)
        stream = pikepdf.Stream(pdf, buf.getvalue())
        stream.BitsPerComponent = 8
        stream.ColorSpace = pikepdf.Name.DeviceRGB if image.mode == "RGB" else pikepdf.Name.DeviceGray
        stream.Filter = pikepdf.Name.DCTDecode
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width = image.width
    stream.Height = image.height
    return stream


def _page(pdf: pikepdf.Pdf, drawn: _Drawn, quality: int, words: list[textlayer.LaidWord] | None,
          font: Callable[[], pikepdf.Object]) -> pikepdf.Dictionary:
    w, h = drawn.width, drawn.height
    content = f"q {w:.4f} 0 0 {h:.4f} 0 0 cm /Im0 Do Q\n".encode()
    resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=_image_stream(pdf, drawn.image, quality)))
    if words:
        content += textlayer.content(words, h)
        resources.Font = pikepdf.Dictionary({textlayer.FONT: font()})
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, round(w, 4), round(h, 4)]),
        Resources=resources,
        Contents=pikepdf.Stream(pdf, content),
    )


def _drawn_pages(redacted: pymupdf.Document, source: pymupdf.Document, options: Options,
                 boxes: Mapping[int, Sequence[Box]]) -> Iterator[_Drawn]:
    for pno in range(redacted.page_count):
        prof = profile(source[pno], options.dpi)
        page = redacted[pno]
        turn = page.rotation_matrix
        shown = tuple(tuple(pymupdf.Rect(b.as_tuple()) * turn) for b in boxes.get(pno, ()))
        yield replace(_draw(page, prof), boxes=shown)


def photocopy(redacted_pdf: bytes, source_pdf: bytes, document_name: str, options: Options | None = None,
              boxes: Mapping[int, Sequence[Box]] | None = None) -> bytes:
    """The released file for ``redacted_pdf`` (render.py's output for ``source_pdf``):
    one picture per page, as displayed, and an OCR text layer when ``options`` asks,
    leaving out what OCR makes of the accepted ``boxes`` (by page, page coordinates)."""
    options = options or Options()
    try:
        redacted = pymupdf.open(stream=redacted_pdf, filetype="pdf")
        source = pymupdf.open(stream=source_pdf, filetype="pdf")
    except Exception as e:
        raise SourceFileError(document_name, "cannot be opened to make its clean copy", "corrupt") from e
    if redacted.page_count != source.page_count:
        raise SourceFileError(document_name, "the redacted copy lost pages: it is not released", "corrupt")
    out = pikepdf.new()
    font = _once(lambda: textlayer.glyphless_font(out, options.lang))
    with redacted, source, ThreadPoolExecutor(max_workers=options.workers) as pool:
        pending: list[tuple[_Drawn, Future[list[textlayer.LaidWord]] | None]] = []
        for drawn in _drawn_pages(redacted, source, options, boxes or {}):
            job = (pool.submit(textlayer.read_words, drawn.image, drawn.dpi, options.lang)
                   if options.text_layer else None)
            pending.append((drawn, job))
            if len(pending) > options.workers * 2:  # keep memory bounded: assemble as pages are read
                _append(out, *pending.pop(0), options.jpeg_quality, font)
        for item in pending:
            _append(out, *item, options.jpeg_quality, font)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             compress_streams=True, linearize=False)
    log.info("photocopied %s: %d page(s)", document_name, len(out.pages))
    return buf.getvalue()


def _once(make: Callable[[], pikepdf.Object]) -> Callable[[], pikepdf.Object]:
    made: list[pikepdf.Object] = []

    def get() -> pikepdf.Object:
        if not made:
            made.append(make())
        return made[0]
    return get


def _append(out: pikepdf.Pdf, drawn: _Drawn, job: Future[list[textlayer.LaidWord]] | None, quality: int,
            font: Callable[[], pikepdf.Object]) -> None:
    words = textlayer.visible_words(job.result(), drawn.boxes) if job is not None else None
    out.pages.append(pikepdf.Page(_page(out, drawn, quality, words, font)))
