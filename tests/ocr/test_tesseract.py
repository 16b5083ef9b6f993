"""TesseractEngine: parsing tesseract's data, failures translated, and real OCR whose
boxes land on the words (unrotated and /Rotate 90 scans)."""

from __future__ import annotations

import io
import pickle
import shutil
from collections.abc import Callable

import pymupdf
import pytest
from PIL import Image

from redaction.errors import MissingToolError
from redaction.models import Box, SourceDocument, TextSource
from redaction.ocr import MemoryOcrCache, TesseractEngine, ocr_many, prepare_pages
from redaction.ocr.base import PixelWord
from redaction.ocr.tesseract import good_words, turn_back, words_from_data
from tests.ocr.ocr_fixtures import WORD, text_page

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


_COLS = ("text", "conf", "block_num", "par_num", "line_num", "left", "top", "width", "height")


def _data(rows: list[tuple[str, float, int, int, int]]) -> dict[str, list[object]]:
    cols: dict[str, list[object]] = {k: [] for k in _COLS}
    for i, (text, conf, block, par, line) in enumerate(rows):
        for k, v in zip(_COLS, (text, conf, block, par, line, 10 * i, 5, 8, 12), strict=True):
            cols[k].append(v)
    return cols


def test_empty_and_structural_rows_are_dropped() -> None:
    words = words_from_data(_data([("", -1, 1, 0, 0), ("  ", 95, 1, 1, 1), ("Daniel", 96.2, 1, 1, 1)]))
    assert [w.text for w in words] == ["Daniel"]
    assert words[0].conf == pytest.approx(96.2)


def test_lines_of_different_paragraphs_get_different_line_numbers() -> None:
    words = words_from_data(_data([("a", 90, 1, 1, 1), ("b", 90, 1, 1, 1), ("c", 90, 1, 2, 1)]))
    assert [(w.block, w.line, w.word_no) for w in words] == [(1, 0, 0), (1, 0, 1), (1, 1, 0)]


def test_missing_binary_is_a_missing_tool_with_install_hint() -> None:
    engine = TesseractEngine(tesseract_cmd="/nonexistent/tesseract")
    with pytest.raises(MissingToolError) as ei:
        engine.read(Image.new("L", (50, 20), 255))
    assert "apt-get install -y tesseract-ocr" in str(ei.value)
    with pytest.raises(MissingToolError):
        _ = TesseractEngine(tesseract_cmd="/nonexistent/tesseract").config_key


@needs_tesseract
def test_missing_language_is_a_missing_tool() -> None:
    with pytest.raises(MissingToolError) as ei:
        TesseractEngine(lang="zzz").read(Image.new("L", (50, 20), 255))
    assert "zzz" in str(ei.value)


@needs_tesseract
def test_engine_pickles_and_its_config_key_names_version_and_psm() -> None:
    engine = TesseractEngine(psm=6)
    key = engine.config_key
    assert "psm6" in key and "eng" in key
    clone = pickle.loads(pickle.dumps(engine))
    assert clone.config_key == key


def _truth_box() -> Box:
    """Where "Daniel" is on the page the scanned fixture was rendered from."""
    tmp = pymupdf.open()
    page = text_page(tmp, [f"{WORD} Price lives at 14 Elm Road"], fontsize=16)
    (w,) = [w for w in page.get_text("words") if w[4] == WORD]
    return Box(*w[:4])


@needs_tesseract
@pytest.mark.parametrize("rotation", [0, 90])
def test_ocr_reads_daniel_and_its_box_lands_on_the_word(
    scanned_factory: Callable[..., SourceDocument], rotation: int
) -> None:
    src = scanned_factory(rotation=rotation, dpi=200)
    [(pages, n_read)] = ocr_many([(src, prepare_pages(src))], TesseractEngine(), MemoryOcrCache(), 1)
    (page,) = pages
    assert page.source is TextSource.TESSERACT and page.rotation == rotation and n_read == 1
    daniel = [w for w in page.words if w.text == "Daniel"]
    assert len(daniel) == 1, page.text
    found = daniel[0].box
    truth = _truth_box()
    # the OCR box lies inside the word's text box (plus 3 pt) and its centre is within 3 pt
    assert truth.pad(3).x0 <= found.x0 and found.x1 <= truth.pad(3).x1
    assert truth.pad(3).y0 <= found.y0 and found.y1 <= truth.pad(3).y1
    assert abs((found.x0 + found.x1) / 2 - (truth.x0 + truth.x1) / 2) < 3
    assert abs((found.y0 + found.y1) / 2 - (truth.y0 + truth.y1) / 2) < 3


LETTER = [
    "Dear Mrs Hart, thank you for your letter about Amelia.",
    "Daniel Price collected her from nursery on Tuesday afternoon.",
    "The key worker noticed that she was quieter than usual today.",
    "We talked about the family arrangements and the new routine.",
    "Please telephone the office if anything changes at home soon.",
    "Yours sincerely, Joan Allen, Headteacher of the primary school.",
]


@needs_tesseract
@pytest.mark.slow
@pytest.mark.parametrize("turn", [180, 90])
def test_a_page_scanned_upside_down_or_turned_is_read_the_right_way_up(turn: int) -> None:
    tmp = pymupdf.open()
    pix = text_page(tmp, LETTER, fontsize=12).get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    upright = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    engine = TesseractEngine()
    want = {w.text: w for w in engine.read(upright)}
    turned = upright.rotate(turn, expand=True)  # as fed to the scanner: anticlockwise
    without = TesseractEngine(fix_orientation=False).read(turned)
    got = engine.read(turned)
    assert good_words(got) > 2 * good_words(without)  # the plain reading is mostly noise
    daniel = [w for w in got if w.text == "Daniel"]
    assert len(daniel) == 1
    # its box is where "Daniel" is on the turned image: the upright box turned the same way
    d, (width, height) = want["Daniel"], upright.size
    corners = [(d.left, d.top), (d.left + d.width, d.top + d.height)]
    turned_corners = [(width - x, height - y) if turn == 180 else (y, width - x) for x, y in corners]
    xs, ys = sorted(c[0] for c in turned_corners), sorted(c[1] for c in turned_corners)
    w = daniel[0]
    assert abs(w.left - xs[0]) <= 3 and abs(w.left + w.width - xs[1]) <= 3
    assert abs(w.top - ys[0]) <= 3 and abs(w.top + w.height - ys[1]) <= 3


def test_turned_back_boxes_land_in_the_original_pixels() -> None:
    w = PixelWord("x", left=10, top=20, width=30, height=5, conf=90)
    assert turn_back(w, 180, (100, 200)) == PixelWord("x", 60, 175, 30, 5, 90)
    # turned 90 clockwise, an image 100 wide and 200 high became 200 wide and 100 high
    assert turn_back(w, 90, (100, 200)) == PixelWord("x", 20, 200 - 10 - 30, 5, 30, 90)
    assert turn_back(w, 270, (100, 200)) == PixelWord("x", 100 - 20 - 5, 10, 5, 30, 90)
    assert turn_back(w, 0, (100, 200)) == w


@pytest.mark.slow
@needs_tesseract
def test_a_png_handed_over_encoded_reads_as_the_decoded_image() -> None:
    """The pool hands tesseract the page's PNG file as it is (no decoding and encoding
    again): the words, lines read again and boxes are those of reading the decoded image."""
    pdf = pymupdf.open()
    text_page(pdf, ["Daniel Price lives at 14 Elm Road", "Call Mr Prlce on O77OO 9OO123"], fontsize=12)
    pix = pdf[0].get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    pix.set_dpi(150, 150)
    png = pix.tobytes("png")
    engine = TesseractEngine()
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        decoded = engine.read(im)
    encoded = engine.read_encoded(png)
    assert encoded == decoded and any(w.text == "Daniel" for w in encoded)
