"""Prove a released file shows nothing it should not, trusting nothing of how it was made.

Written apart from render.py and photocopy.py: it shares no geometry or text code with
them, reads the file's structure with qpdf (pikepdf), reads the source pages' geometry
with qpdf too, maps boxes to the displayed page itself, draws the pages with every
optional-content group switched on, and reads them with tesseract. A file passes only
when all three hold:

``structure``
    the file is what a photocopy is and nothing more (a whitelist): one revision; a
    trailer with Root, Size and ID only; a catalog with the page tree only; pages with
    a MediaBox of the expected size, one image drawn over the whole page and, at most,
    an invisible text layer (render mode 3) in tesseract's glyphless font; no object
    the page tree does not reach. Whatever PDF feature a source used to hide
    something, it fails here unless it became pixels.
``withheld``
    a withheld party's name, alias, organisation, staff name, phone, email or address
    (terms.py: from the case manifest, matched OCR-tolerantly) can be read on the drawn
    page or in its text layer outside every accepted box and every place a reviewer
    chose to keep (a rejected proposal's box).
``box``
    an accepted box (or a page withheld whole) is not solid dark on the drawn page.

Leaks name the document, the page and the party id, never the words.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pymupdf
import pytesseract
from PIL import Image

from redaction.errors import MissingToolError
from redaction.models import Leak, VerificationReport
from redaction.release import terms as terms_mod
from redaction.release.expectations import PageExpectation, Rect4, displayed, expectations
from redaction.release.structure import check_structure
from redaction.release.terms import PageWord, Term

log = logging.getLogger(__name__)

DARK_LEVEL = 100  # a drawn pixel darker than this is part of a box (labels are grey 56)
DARK_SHARE = 0.97
BOX_INSET_PX = 2
KEEP_PAD_PT = 3.0
OCR_DPI_RANGE = (150.0, 300.0)
MAX_PIXELS = 40_000_000  # a page is never drawn bigger than this to be read

# the expectations (expectations.py) and the structure check (structure.py) are read through here too
__all__ = ["PageExpectation", "Readings", "check_reading", "check_structure", "displayed", "expectations", "verify"]


# --- reading the drawn page --------------------------------------------------------


def _ocr_words(image: Image.Image, zoom: float) -> list[PageWord]:
    try:
        data = pytesseract.image_to_data(image, config="--psm 3", output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError as e:
        raise MissingToolError("tesseract is not installed: it is needed to verify a clean copy") from e
    words = []
    for i, text in enumerate(data["text"]):
        if not str(text).strip():
            continue
        x, y, w, h = (float(data[k][i]) / zoom for k in ("left", "top", "width", "height"))
        words.append(PageWord(str(text), x, y, x + w, y + h))
    return words


def _layer_words(page: pymupdf.Page) -> list[PageWord]:
    return [PageWord(str(w[4]), float(w[0]), float(w[1]), float(w[2]), float(w[3]))
            for w in page.get_text("words")]


def _inside(x: float, y: float, rects: Iterable[Rect4], pad: float) -> bool:
    return any(r[0] - pad <= x <= r[2] + pad and r[1] - pad <= y <= r[3] + pad for r in rects)


def _dark_share(arr: np.ndarray, rect: Rect4, zoom: float) -> float:
    h, w = arr.shape
    x0, y0 = max(0, int(rect[0] * zoom) + BOX_INSET_PX), max(0, int(rect[1] * zoom) + BOX_INSET_PX)
    x1, y1 = min(w, int(rect[2] * zoom) - BOX_INSET_PX), min(h, int(rect[3] * zoom) - BOX_INSET_PX)
    if x1 <= x0 or y1 <= y0:
        return 1.0  # a box thinner than the inset: nothing left to see inside it
    inner = arr[y0:y1, x0:x1]
    return float((inner < DARK_LEVEL).mean())


def _all_layers_on(doc: pymupdf.Document) -> None:
    ocgs = doc.get_ocgs()
    if ocgs:
        doc.set_layer(-1, on=list(ocgs), off=[])


def _zoom(page: pymupdf.Page) -> float:
    """The image's own resolution (150..300 dpi), at most MAX_PIXELS drawn."""
    best = max((float(i["width"]) / max(pymupdf.Rect(i["bbox"]).width, 1e-6) for i in page.get_image_info()),
               default=200 / 72)
    zoom = min(OCR_DPI_RANGE[1], max(OCR_DPI_RANGE[0], best * 72)) / 72
    area = abs(page.rect.width * page.rect.height) * zoom * zoom
    return zoom * min(1.0, (MAX_PIXELS / area) ** 0.5) if area else zoom


class Readings:
    """OCR of drawn pages by their pixels: a page drawn twice the same (a document and
    the bundle that holds it) is read once."""

    def __init__(self) -> None:
        self._done: dict[str, Future[list[PageWord]]] = {}

    def read(self, pool: ThreadPoolExecutor, image: Image.Image, zoom: float) -> Future[list[PageWord]]:
        key = hashlib.sha256(image.tobytes() + f"{image.size}{zoom:.6f}".encode()).hexdigest()
        if key not in self._done:
            self._done[key] = pool.submit(_ocr_words, image, zoom)
        return self._done[key]


def check_reading(name: str, data: bytes, pages: Sequence[PageExpectation], terms: Sequence[Term],
                  workers: int = 2, readings: Readings | None = None) -> list[Leak]:
    """Draw every page (every layer on), read it and its text layer, look for the
    terms outside accepted and kept places, and check every accepted box is solid."""
    readings = readings or Readings()
    leaks: list[Leak] = []
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception:
        return [Leak(name, 0, "structure", "(document) the file cannot be drawn")]
    with doc, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        _all_layers_on(doc)
        jobs = []
        for pno in range(min(doc.page_count, len(pages))):
            page, exp = doc[pno], pages[pno]
            zoom = _zoom(page)
            pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
            image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
            arr = np.asarray(image)
            for rect in exp.covered:
                if _dark_share(arr, rect, zoom) < DARK_SHARE:
                    leaks.append(Leak(name, pno, "box", "an accepted box is not solid on the page as drawn"))
            if exp.whole and _dark_share(arr, (0.0, 0.0, exp.width, exp.height), zoom) < DARK_SHARE:
                leaks.append(Leak(name, pno, "box", "a page withheld whole is not solid dark"))
            jobs.append((pno, exp, _layer_words(page), readings.read(pool, image, zoom)))
        for pno, exp, layer, job in jobs:
            leaks += _withheld(name, pno, exp, terms, [job.result(), layer])
    return leaks


def _withheld(name: str, pno: int, exp: PageExpectation, terms: Sequence[Term],
              readings: Sequence[Sequence[PageWord]]) -> list[Leak]:
    found: dict[tuple[str, str], int] = {}
    for words in readings:
        for hit in terms_mod.find(terms, words):
            cx, cy = (hit.x0 + hit.x1) / 2, (hit.y0 + hit.y1) / 2
            if _inside(cx, cy, exp.covered, KEEP_PAD_PT) or _inside(cx, cy, exp.kept, KEEP_PAD_PT):
                continue
            key = (hit.term.party_id, hit.term.kind)
            found[key] = found.get(key, 0) + 1
    return [Leak(name, pno, "withheld", f"a {kind} of withheld party {party} can be read outside every "
                 "accepted box: box it or reject release")
            for (party, kind), _n in sorted(found.items())]


def verify(name: str, data: bytes, pages: Sequence[PageExpectation], terms: Sequence[Term],
           *, workers: int = 2, fonts: frozenset[bytes] | None = None,
           readings: Readings | None = None) -> VerificationReport:
    """Every check of the module doc on one released file."""
    leaks = check_structure(name, data, pages, fonts)
    leaks += check_reading(name, data, pages, terms, workers, readings)
    report = VerificationReport(name, len(pages), tuple(leaks))
    log.info("verified %s: %d page(s), %d problem(s)", name, report.pages, len(report.leaks))
    return report
