"""TesseractEngine: parsing tesseract's data, failures translated, and real OCR whose
boxes land on the words (unrotated and /Rotate 90 scans)."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable

import pymupdf
import pytest
from PIL import Image

from redaction.errors import MissingToolError
from redaction.models import Box, SourceDocument, TextSource
from redaction.ocr import MemoryOcrCache, TesseractEngine, ocr_many, prepare_pages
from redaction.ocr.tesseract import words_from_data
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
