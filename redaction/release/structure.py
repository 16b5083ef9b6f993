"""The structure check of :mod:`redaction.release.verifier`: the released file is what a
photocopy is and nothing more (a whitelist of its trailer, catalog, page tree, pages, the
one image each draws, the invisible OCR layer in tesseract's glyphless font)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pikepdf

from redaction.models import Leak
from redaction.release.expectations import PageExpectation, rect_of

SIZE_TOLERANCE_PT = 0.6

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
            box = rect_of(page.obj.get("/MediaBox"))
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
