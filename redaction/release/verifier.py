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
import io
import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pikepdf
import pymupdf
import pytesseract
from PIL import Image

from redaction.errors import MissingToolError
from redaction.models import Box, Leak, Redaction, VerificationReport
from redaction.release import terms as terms_mod
from redaction.release.terms import PageWord, Term

log = logging.getLogger(__name__)

Rect4 = tuple[float, float, float, float]

DARK_LEVEL = 100  # a drawn pixel darker than this is part of a box (labels are grey 56)
DARK_SHARE = 0.97
BOX_INSET_PX = 2
KEEP_PAD_PT = 3.0
SIZE_TOLERANCE_PT = 0.6
OCR_DPI_RANGE = (150.0, 300.0)
MAX_PIXELS = 40_000_000  # a page is never drawn bigger than this to be read

_TRAILER_KEYS = frozenset({"/Root", "/Size", "/ID"})
_CATALOG_KEYS = frozenset({"/Type", "/Pages"})
_PAGES_KEYS = frozenset({"/Type", "/Kids", "/Count", "/Parent"})
_PAGE_KEYS = frozenset({"/Type", "/Parent", "/MediaBox", "/Resources", "/Contents"})
_RESOURCE_KEYS = frozenset({"/XObject", "/Font"})
_IMAGE_KEYS = frozenset({"/Type", "/Subtype", "/Width", "/Height", "/ColorSpace", "/BitsPerComponent",
                         "/Filter", "/DecodeParms", "/Length"})
_IMAGE_FILTERS = frozenset({"/FlateDecode", "/DCTDecode", "/CCITTFaxDecode"})
_COLOUR_SPACES = frozenset({"/DeviceGray", "/DeviceRGB"})
_TYPE0_KEYS = frozenset({"/Type", "/Subtype", "/BaseFont", "/Encoding", "/DescendantFonts", "/ToUnicode"})
_CIDFONT_KEYS = frozenset({"/Type", "/Subtype", "/BaseFont", "/CIDSystemInfo", "/FontDescriptor", "/DW", "/W",
                           "/CIDToGIDMap"})
_DESCRIPTOR_KEYS = frozenset({"/Type", "/FontName", "/Flags", "/FontBBox", "/ItalicAngle", "/Ascent", "/Descent",
                              "/CapHeight", "/StemV", "/FontFile2"})
_TEXT_OPERATORS = frozenset({"BT", "ET", "Tf", "Tm", "Td", "TD", "Tz", "TL", "Tc", "Tw", "Ts", "Tr", "T*"})
_SHOW_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
_STATE_OPERATORS = frozenset({"q", "Q", "cm"})
INVISIBLE = 3


@dataclass(frozen=True)
class PageExpectation:
    """What one released page must be: its displayed size (points), the accepted
    boxes and the places a reviewer kept, both in displayed coordinates."""

    width: float
    height: float
    covered: tuple[Rect4, ...] = ()
    kept: tuple[Rect4, ...] = ()
    whole: bool = False


# --- expectations from the source ------------------------------------------------


def _inherited(page: pikepdf.Dictionary, key: str) -> object:
    node: object = page
    for _ in range(64):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _rect(value: object) -> Rect4 | None:
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    a, b, c, d = (float(Decimal(str(v))) for v in value)
    return min(a, c), min(b, d), max(a, c), max(b, d)


def _source_geometry(page: pikepdf.Dictionary) -> tuple[int, float, float]:
    """Rotation and the unrotated visible size (CropBox within MediaBox) of a page."""
    media = _rect(_inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
    crop = _rect(_inherited(page, "/CropBox")) or media
    x0, y0 = max(media[0], crop[0]), max(media[1], crop[1])
    x1, y1 = min(media[2], crop[2]), min(media[3], crop[3])
    rot = _inherited(page, "/Rotate")
    rotation = int(rot) % 360 if isinstance(rot, int | pikepdf.Object) and str(rot).lstrip("-").isdigit() else 0
    return rotation - rotation % 90, max(0.0, x1 - x0), max(0.0, y1 - y0)


def displayed(box: Box, rotation: int, width: float, height: float) -> Rect4:
    """``box`` (unrotated page coordinates, y down, CropBox origin) on the page as
    displayed, turned by ``rotation`` degrees clockwise."""
    corners = [(box.x0, box.y0), (box.x1, box.y1)]
    if rotation == 90:
        pts = [(height - y, x) for x, y in corners]
    elif rotation == 180:
        pts = [(width - x, height - y) for x, y in corners]
    elif rotation == 270:
        pts = [(y, width - x) for x, y in corners]
    else:
        pts = corners
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def expectations(source_pdf: bytes, redactions: Sequence[Redaction],
                 kept: Mapping[int, Sequence[Box]] | None = None) -> list[PageExpectation]:
    """One :class:`PageExpectation` per source page, from the source file itself."""
    kept = kept or {}
    with pikepdf.open(io.BytesIO(source_pdf)) as src:
        geometry = [_source_geometry(p.obj) for p in src.pages]
    out = []
    for pno, (rotation, w, h) in enumerate(geometry):
        reds = [r for r in redactions if r.page_index == pno]
        size = (h, w) if rotation in (90, 270) else (w, h)
        out.append(PageExpectation(
            size[0], size[1],
            covered=tuple(displayed(b, rotation, w, h) for r in reds if not r.whole_page for b in r.boxes),
            kept=tuple(displayed(b, rotation, w, h) for b in kept.get(pno, ())),
            whole=any(r.whole_page for r in reds),
        ))
    return out


# --- structure -------------------------------------------------------------------


def glyphless_fonts() -> frozenset[bytes]:
    """The font programs tesseract's PDF renderer embeds (its tessdata's pdf.ttf)."""
    fonts: set[bytes] = set()
    roots = [Path(p) for p in ("/usr/share/tesseract-ocr", "/usr/local/share/tesseract-ocr", "/usr/share/tessdata")]
    for root in roots:
        if root.is_dir():
            fonts.update(f.read_bytes() for f in root.rglob("pdf.ttf"))
    return frozenset(fonts)


class _Structure:
    def __init__(self, name: str, fonts: frozenset[bytes]) -> None:
        self.name = name
        self.fonts = fonts
        self.leaks: list[Leak] = []

    def add(self, page: int, detail: str) -> None:
        self.leaks.append(Leak(self.name, page, "structure", detail))

    def extra(self, page: int, where: str, d: pikepdf.Object, allowed: frozenset[str]) -> bool:
        bad = sorted(set(d.keys()) - allowed) if isinstance(d, pikepdf.Dictionary) else ["(not a dictionary)"]
        if bad:
            self.add(page, f"{where} holds entries a photocopy has no use for ({', '.join(bad[:6])})")
        return bool(bad)

    def font(self, pno: int, font: object) -> None:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0":
            self.add(pno, "a font other than the OCR layer's glyphless font")
            return
        self.extra(pno, "the OCR layer's font", font, _TYPE0_KEYS)
        kids = font.get("/DescendantFonts")
        if not isinstance(kids, pikepdf.Array) or len(kids) != 1 or not isinstance(kids[0], pikepdf.Dictionary):
            self.add(pno, "the OCR layer's font is not the glyphless font")
            return
        self.extra(pno, "the OCR layer's font", kids[0], _CIDFONT_KEYS)
        desc = kids[0].get("/FontDescriptor")
        if not isinstance(desc, pikepdf.Dictionary):
            self.add(pno, "the OCR layer's font has no descriptor")
            return
        self.extra(pno, "the OCR layer's font", desc, _DESCRIPTOR_KEYS)
        program = desc.get("/FontFile2")
        if not isinstance(program, pikepdf.Stream) or program.read_bytes() not in self.fonts:
            self.add(pno, "the OCR layer's font program is not tesseract's glyphless font (it could draw letters)")

    def image(self, pno: int, xobjects: object) -> str | None:
        if not isinstance(xobjects, pikepdf.Dictionary) or len(xobjects.keys()) != 1:
            self.add(pno, "the page does not hold exactly one image")
            return None
        key = next(iter(xobjects.keys()))
        img = xobjects[key]
        if not isinstance(img, pikepdf.Stream) or img.get("/Subtype") != "/Image":
            self.add(pno, "the page's one object is not an image")
            return None
        self.extra(pno, "the page image", img.stream_dict, _IMAGE_KEYS)
        filt = img.get("/Filter")
        if filt is not None and str(filt) not in _IMAGE_FILTERS:
            self.add(pno, "the page image is in an unexpected encoding")
        if str(img.get("/ColorSpace")) not in _COLOUR_SPACES:
            self.add(pno, "the page image has an unexpected colour space")
        return str(key)

    def content(self, pno: int, page: pikepdf.Page, image_name: str | None, exp: PageExpectation) -> None:
        try:
            ops = pikepdf.parse_content_stream(page)
        except pikepdf.PdfError:
            self.add(pno, "the page's content cannot be read")
            return
        draws, mode, last_cm, saved = 0, 0, None, []  # the render mode is graphics state: q/Q keep it
        for instr in ops:
            if isinstance(instr, pikepdf.ContentStreamInlineImage):
                self.add(pno, "the page's content holds an inline image")
                return
            operands, name = instr.operands, str(instr.operator)
            if name == "q":
                saved.append(mode)
            elif name == "Q":
                mode = saved.pop() if saved else 0
            elif name == "cm":
                last_cm = [float(Decimal(str(v))) for v in operands]
            elif name == "Do":
                draws += 1
                if str(operands[0]) != image_name:
                    self.add(pno, "the page draws an object other than its image")
                elif last_cm is None or not _covers(last_cm, exp):
                    self.add(pno, "the page image is not drawn over the whole page")
            elif name == "Tr":
                mode = int(operands[0])
            elif name in _SHOW_OPERATORS:
                if mode != INVISIBLE:
                    self.add(pno, "the text layer draws visible text")
                    return
            elif name not in _TEXT_OPERATORS | _STATE_OPERATORS:
                self.add(pno, f"the page's content uses an operator a photocopy has no use for ({name})")
                return
        if draws != 1:
            self.add(pno, f"the page draws its image {draws} time(s), not once")


def _covers(cm: list[float], exp: PageExpectation) -> bool:
    a, b, c, d, e, f = cm
    return (abs(b) < 1e-3 and abs(c) < 1e-3 and abs(e) < 0.5 and abs(f) < 0.5
            and abs(a - exp.width) < SIZE_TOLERANCE_PT and abs(d - exp.height) < SIZE_TOLERANCE_PT)


def _reachable(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [pdf.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            stack.extend(obj.stream_dict.values())
        elif isinstance(obj, pikepdf.Dictionary):
            stack.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return seen


def check_structure(name: str, data: bytes, pages: Sequence[PageExpectation],
                    fonts: frozenset[bytes] | None = None) -> list[Leak]:
    """The whitelist (module doc); one leak per thing that is not on it."""
    st = _Structure(name, glyphless_fonts() if fonts is None else fonts)
    if data.count(b"%%EOF") != 1:
        st.add(0, "(document) the file has more than one revision")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError:
        st.add(0, "(document) the file cannot be opened as a PDF")
        return st.leaks
    with pdf:
        if pdf.is_encrypted:
            st.add(0, "(document) the file is encrypted")
        st.extra(0, "(document) the trailer", pdf.trailer, _TRAILER_KEYS)
        st.extra(0, "(document) the catalog", pdf.Root, _CATALOG_KEYS)
        if len(pdf.pages) != len(pages):
            st.add(0, f"(document) {len(pdf.pages)} page(s) where the source has {len(pages)}")
        nodes = [pdf.Root.Pages]
        while nodes:
            node = nodes.pop()
            if node.get("/Type") == "/Pages":
                st.extra(0, "(document) the page tree", node, _PAGES_KEYS)
                nodes.extend(node.get("/Kids", pikepdf.Array()))
        for pno, (page, exp) in enumerate(zip(pdf.pages, pages, strict=False)):
            if st.extra(pno, "the page", page.obj, _PAGE_KEYS):
                continue
            box = _rect(page.obj.get("/MediaBox"))
            if box is None or abs(box[2] - box[0] - exp.width) > SIZE_TOLERANCE_PT \
                    or abs(box[3] - box[1] - exp.height) > SIZE_TOLERANCE_PT:
                st.add(pno, "the page's size is not the source page's as displayed")
            res = page.obj.get("/Resources")
            if not isinstance(res, pikepdf.Dictionary):
                st.add(pno, "the page has no resources")
                continue
            st.extra(pno, "the page's resources", res, _RESOURCE_KEYS)
            image_name = st.image(pno, res.get("/XObject"))
            fonts_dict = res.get("/Font")
            if isinstance(fonts_dict, pikepdf.Dictionary):
                for font in fonts_dict.values():
                    st.font(pno, font)
            st.content(pno, page, image_name, exp)
        reach = _reachable(pdf)
        stray = sum(1 for o in pdf.objects
                    if isinstance(o, pikepdf.Object) and o.objgen != (0, 0) and o.objgen not in reach)
        if stray:
            st.add(0, f"(document) {stray} object(s) the page tree does not use")
    return st.leaks


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
