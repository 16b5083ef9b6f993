"""Decide, page by page, whether a page needs OCR, and render the ones that do.

A page is *born-digital* when it has a text layer and no image covers a large part
of it: its words come from the text layer and it is not rendered. Otherwise it is
*scanned* (or mixed) and is rendered in grey at the resolution of its dominant
image (150..400 dpi), with its /Rotate and CropBox applied, for the OCR engine.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import pymupdf

from redaction.errors import SourceFileError
from redaction.models import SourceDocument
from redaction.ocr.pdf_text import WORD_FLAGS, text_layer_words

log = logging.getLogger(__name__)

# Images covering more than this fraction of the page make it "scanned".
SCANNED_IMAGE_COVERAGE = 0.30
MIN_DPI = 150.0
MAX_DPI = 400.0
DEFAULT_DPI = 300.0  # pages with no image to take a resolution from
MAX_RENDER_PIXELS = 100_000_000
# text_layer_untrusted: when a born-digital page is read by OCR too
GARBLED_SHARE = 0.10  # of the extracted characters
WORD_PICTURE_AREA = 2000.0  # pt² of visible picture (a word at 11 pt is ~ 30 x 11)
LETTER_SHAPE_HEIGHT = 40.0  # pt: shapes no taller than a line of large print
LETTER_SHAPES = 200  # path items among them
PICTURE_CONTRAST = 64  # grey levels between a picture's darkest and lightest samples
_PLAIN_PUNCTUATION = frozenset(".,;:!?'\"()[]-–—/&@%£$€#*+=_’‘“”…")
# MuPDF draws a page whose image data is damaged without raising (the image comes out
# blank or partial) and only warns. A blank image would hide names from OCR, so these
# warnings make the page unreadable.
_DAMAGE_WARNINGS = ("truncated", "image", "jpeg", "jpx", "jbig2", "ccitt", "decod", "zlib", "flate",
                    "premature", "lzw")


class PageDamaged(Exception):
    """MuPDF drew the page but warned that some of its image data is damaged."""


@dataclass(frozen=True)
class PageImage:
    """One page as the OCR stage sees it.

    ``png`` is the rendered page (grey, rotated as displayed, cropped to the CropBox)
    for scanned pages, ``b""`` for born-digital ones. ``zoom`` is pixels per point.
    ``width``/``height`` are the unrotated CropBox size in points.
    """

    page_index: int
    png: bytes = field(repr=False)
    sha256: str  # of png; "" when there is no image
    zoom: float
    scanned: bool
    width: float
    height: float
    rotation: int


@dataclass(frozen=True)
class PageKind:
    scanned: bool
    has_text: bool
    image_coverage: float  # 0..1 of the page area
    dpi: float  # the resolution to render at


def _images(page: pymupdf.Page) -> list[dict[str, object]]:
    return list(page.get_image_info())


def _garbled_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    odd = sum(1 for c in chars if not (c.isalnum() or c in _PLAIN_PUNCTUATION))
    return odd / len(chars)


def _has_ink(doc: pymupdf.Document, info: dict[str, object]) -> bool:
    """Whether a picture shows anything (a blank or flat panel cannot hold words).
    Inline images, and images that cannot be decoded here, count as showing."""
    xref = int(info.get("xref", 0) or 0)  # type: ignore[call-overload]
    if xref <= 0:
        return True
    try:
        pix = pymupdf.Pixmap(doc, xref)
    except Exception:  # noqa: BLE001 - undecodable here: let OCR look at the drawn page
        return True
    samples = pix.samples_mv
    step = max(1, len(samples) // 65536)
    sample = bytes(samples[::step])
    return bool(sample) and max(sample) - min(sample) > PICTURE_CONTRAST


def text_layer_untrusted(page: pymupdf.Page) -> str:
    """Why the page's text layer may not say what a reader sees on it ("" when it
    does): then the page is rendered and read by OCR too, and detection works on the
    words OCR sees (plus text-layer words OCR did not find, which stay proposable).

    * a Type 3 font or a composite font with no ToUnicode map: the glyphs drawn need not
      be the letters extracted;
    * extracted text that is largely not letters, digits or ordinary punctuation (a
      font whose Unicode map lies);
    * pictures big enough to hold words and not blank (a pasted letter, a signature,
      a logo: an agency's logo is its name);
    * many small shapes: lettering drawn as line art.
    """
    doc = page.parent
    for xref, _ext, kind, _base, _name, _enc in page.get_fonts(full=False):
        if kind == "Type3":
            return "type3-font"
        if kind == "Type0" and doc.xref_get_key(xref, "ToUnicode")[0] == "null":
            return "font-without-unicode-map"
    if _garbled_share(page.get_text("text", flags=WORD_FLAGS)) > GARBLED_SHARE:
        return "garbled-text"
    rect = page.rect
    for info in page.get_image_info(xrefs=True):
        vis = pymupdf.Rect(info["bbox"]) & rect
        if not vis.is_empty and abs(vis.width * vis.height) >= WORD_PICTURE_AREA and _has_ink(doc, info):
            return "picture"
    small = 0
    for path in page.get_drawings():
        r = path.get("rect")
        if r is not None and pymupdf.Rect(r).height <= LETTER_SHAPE_HEIGHT:
            small += len(path.get("items", ()))
            if small >= LETTER_SHAPES:
                return "line-art-lettering"
    return ""


def classify_page(page: pymupdf.Page) -> PageKind:
    """Born-digital or scanned, and the dpi to render a scanned page at."""
    has_text = bool(text_layer_words(page))
    crop = page.cropbox
    area = abs(crop.width * crop.height) or 1.0
    page_rect = pymupdf.Rect(0, 0, crop.width, crop.height)
    covered = 0.0
    best_area = 0.0
    best_dpi = 0.0
    for info in _images(page):
        bbox = pymupdf.Rect(info["bbox"])
        vis = bbox & page_rect
        if vis.is_empty:
            continue
        a = abs(vis.width * vis.height)
        covered += a
        tr = info.get("transform")
        px_w = float(info.get("width", 0) or 0)  # type: ignore[arg-type]
        disp_w = 0.0
        if isinstance(tr, tuple | list) and len(tr) >= 4:
            disp_w = (float(tr[0]) ** 2 + float(tr[1]) ** 2) ** 0.5
        if a > best_area and disp_w > 0 and px_w > 0:
            best_area = a
            best_dpi = px_w / disp_w * 72.0
    coverage = min(1.0, covered / area)
    # a page with no text layer is rendered even without images: its text may be
    # drawn as vector outlines, which only OCR can read; so is a page whose text layer
    # may not say what the page shows (text_layer_untrusted)
    scanned = coverage > SCANNED_IMAGE_COVERAGE or not has_text or bool(text_layer_untrusted(page))
    dpi = min(MAX_DPI, max(MIN_DPI, best_dpi)) if best_dpi > 0 else DEFAULT_DPI
    return PageKind(scanned=scanned, has_text=has_text, image_coverage=coverage, dpi=dpi)


def render_page(page: pymupdf.Page, dpi: float) -> tuple[bytes, float]:
    """The page rendered in grey (rotation and CropBox applied) as PNG, and the zoom."""
    zoom = dpi / 72.0
    r = page.rect  # displayed size
    pixels = r.width * r.height * zoom * zoom
    if pixels > MAX_RENDER_PIXELS:
        zoom *= (MAX_RENDER_PIXELS / pixels) ** 0.5
    pymupdf.TOOLS.mupdf_warnings()  # drop what earlier pages left
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    warned = pymupdf.TOOLS.mupdf_warnings().lower()
    if warned and any(w in warned for w in _DAMAGE_WARNINGS):
        raise PageDamaged(f"{warned.count(chr(10)) + 1} MuPDF warning(s) while drawing")
    d = round(zoom * 72.0)
    pix.set_dpi(d, d)
    return pix.tobytes("png"), zoom


def prepare_pages(doc: SourceDocument) -> list[PageImage]:
    """One :class:`PageImage` per page of the document's working PDF."""
    return list(iter_pages(doc))


def iter_pages(doc: SourceDocument) -> Iterator[PageImage]:
    """The :class:`PageImage` of each page of the document's working PDF, drawn as they
    are asked for (the OCR pool reads one while the next is drawn)."""
    try:
        pdf = pymupdf.open(stream=doc.working_pdf, filetype="pdf")
    except Exception as e:
        raise SourceFileError(
            doc.file_name, "the PDF cannot be opened; the file is damaged: scan the document again", "corrupt"
        ) from e
    with pdf:
        for i in range(pdf.page_count):
            try:
                page = pdf.load_page(i)
                kind = classify_page(page)
                crop = page.cropbox
                if kind.scanned:
                    png, zoom = render_page(page, kind.dpi)
                    sha = hashlib.sha256(png).hexdigest()
                else:
                    png, zoom, sha = b"", 1.0, ""
            except Exception as e:
                log.info("page %d failed to render: %s", i + 1, type(e).__name__)
                raise SourceFileError(
                    doc.file_name,
                    f"page {i + 1} cannot be read or drawn; the file is damaged: scan the document again",
                    "corrupt",
                ) from e
            yield (
                PageImage(
                    page_index=i,
                    png=png,
                    sha256=sha,
                    zoom=zoom,
                    scanned=kind.scanned,
                    width=float(crop.width),
                    height=float(crop.height),
                    rotation=int(page.rotation),
                )
            )
            log.debug(
                "page %d: scanned=%s coverage=%.2f zoom=%.3f", i + 1, kind.scanned, kind.image_coverage, zoom
            )
