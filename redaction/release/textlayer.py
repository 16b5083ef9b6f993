"""The searchable text layer of a released page: what OCR reads on the page image.

The released page is a picture; to let a parent search and copy it, tesseract reads
that picture and its words are laid over it as invisible text (render mode 3), as
OCRmyPDF's hOCR "sandwich" does, in tesseract's own glyphless font (taken from its PDF
renderer, so every glyph is blank and maps to its Unicode value). Since the words come
from the released pixels only, the layer can hold nothing a reader cannot see. What
tesseract makes of a black box (bars, dashes) is left out: a word lying mostly on an
accepted box is not laid, nor one whose box holds most of an accepted box (OCR read the bar
into a word spanning it and what is around it: "ae" over two lines and a box between them),
and a word beside a box is held off it.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
import pytesseract
from PIL import Image

from redaction.errors import MissingToolError, OcrError

log = logging.getLogger(__name__)

Rect4 = tuple[float, float, float, float]
FONT = "/GlyphLess"
ON_BOX_SHARE = 0.2  # a word with more than this share of its area on a box is not laid
HOLDS_BOX_SHARE = 0.5  # nor a word whose box holds more than this share of a box's area


@dataclass(frozen=True)
class LaidWord:
    text: str
    x0: float  # points, the page as displayed, y down
    y0: float
    x1: float
    y1: float


def _tesseract(call: str, image: Image.Image, **kw: object) -> object:
    try:
        return getattr(pytesseract, call)(image, **kw)
    except pytesseract.TesseractNotFoundError as e:
        raise MissingToolError(
            "tesseract is not installed: install it (apt-get install tesseract-ocr) to release clean copies"
        ) from e
    except pytesseract.TesseractError as e:
        raise OcrError(f"tesseract could not read a released page for its text layer (status {e.status})") from e


def read_words(image: Image.Image, dpi: float, lang: str = "eng") -> list[LaidWord]:
    """Tesseract's words on ``image`` (a released page drawn at ``dpi``), in points.
    Safe to call from worker threads (tesseract runs as its own process)."""
    data = _tesseract("image_to_data", image, lang=lang, config=f"--dpi {round(dpi)}",
                      output_type=pytesseract.Output.DICT)
    assert isinstance(data, dict)
    scale = 72.0 / dpi
    words = []
    for i, text in enumerate(data["text"]):
        t = str(text).strip()
        if not t or float(data["conf"][i]) < 0:
            continue
        x, y, w, h = (float(data[k][i]) * scale for k in ("left", "top", "width", "height"))
        words.append(LaidWord(t, x, y, x + w, y + h))
    return words


def _overlap(word: LaidWord, b: Rect4) -> float:
    """The area the word's box and box ``b`` share."""
    w = min(word.x1, b[2]) - max(word.x0, b[0])
    h = min(word.y1, b[3]) - max(word.y0, b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _share_on(word: LaidWord, boxes: Sequence[Rect4]) -> float:
    area = max((word.x1 - word.x0) * (word.y1 - word.y0), 1e-6)
    return sum(_overlap(word, b) for b in boxes) / area


def _holds_a_box(word: LaidWord, boxes: Sequence[Rect4]) -> bool:
    """Most of one of the boxes lies inside the word's box: no word a reader sees does."""
    return any(_overlap(word, b) > HOLDS_BOX_SHARE * max((b[2] - b[0]) * (b[3] - b[1]), 1e-6) for b in boxes)


def _clipped(word: LaidWord, boxes: Sequence[Rect4]) -> LaidWord | None:
    """The word held off the boxes beside it on its line (OCR often takes a sliver of a
    box into the next word); None when little of it is left."""
    x0, x1 = word.x0, word.x1
    height = max(word.y1 - word.y0, 1e-6)
    for b in boxes:
        if min(word.y1, b[3]) - max(word.y0, b[1]) < 0.5 * height:
            continue
        if b[0] <= x0 < b[2] < x1:
            x0 = b[2]
        elif x0 < b[0] < x1 <= b[2]:
            x1 = b[0]
    if x1 - x0 < 0.4 * (word.x1 - word.x0):
        return None
    return LaidWord(word.text, x0, word.y0, x1, word.y1)


def visible_words(words: Sequence[LaidWord], boxes: Sequence[Rect4]) -> list[LaidWord]:
    """The words that are not (mostly) on an accepted box and hold none, held off the boxes."""
    out = []
    for w in words:
        kept = _clipped(w, boxes)
        if kept is not None and _share_on(kept, boxes) <= ON_BOX_SHARE and not _holds_a_box(kept, boxes):
            out.append(kept)
    return out


@functools.lru_cache(maxsize=1)
def _font_pdf(lang: str) -> bytes:
    """A text-only page from tesseract's PDF renderer: the source of its glyphless font."""
    data = _tesseract("image_to_pdf_or_hocr", Image.new("L", (32, 32), 255), lang=lang, extension="pdf",
                      config="-c textonly_pdf=1")
    assert isinstance(data, bytes | bytearray)
    return bytes(data)


def glyphless_font(pdf: pikepdf.Pdf, lang: str = "eng") -> pikepdf.Object:
    """Tesseract's glyphless font, copied into ``pdf`` (one object, shared by its pages)."""
    src = pikepdf.open(io.BytesIO(_font_pdf(lang)))
    fonts = src.pages[0].obj.Resources.Font
    font = next(iter(fonts.values()))
    return pdf.copy_foreign(font if font.is_indirect else src.make_indirect(font))


def _hex(text: str) -> str:
    return "".join(f"{ord(c):04X}" if ord(c) <= 0xFFFF else "FFFD" for c in text)


def content(words: Sequence[LaidWord], page_height: float, glyph_width: float = 0.5) -> bytes:
    """Invisible text drawing each word over its place (``glyph_width``: the font's
    advance per em, tesseract's glyphless font has 500/1000)."""
    out = ["q", "BT", "3 Tr"]
    for w in words:
        size = max(1.0, w.y1 - w.y0)
        text = w.text + " "
        natural = len(text) * size * glyph_width
        stretch = 100.0 * max(w.x1 - w.x0, 0.1) * (len(text) / max(len(w.text), 1)) / max(natural, 1e-6)
        out.append(f"{FONT} {size:.2f} Tf {stretch:.2f} Tz 1 0 0 1 {w.x0:.2f} {page_height - w.y1:.2f} Tm "
                   f"<{_hex(text)}> Tj")
    out += ["ET", "Q"]
    return ("\n".join(out) + "\n").encode("ascii")
