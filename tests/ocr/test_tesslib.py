"""Tesseract's library kept loaded reads as the tesseract program does, and falls back to it."""

from __future__ import annotations

import io
import shutil
from concurrent.futures import ThreadPoolExecutor

import pymupdf
import pytesseract
import pytest
from PIL import Image

from redaction.errors import OcrError
from redaction.ocr import TesseractEngine
from redaction.ocr.tesslib import TessLibError, library_for, parse_tsv
from tests.ocr.ocr_fixtures import text_page

LINES = [
    "Dear Mrs Hart, thank you for your letter about Amelia.",
    "Daniel Price collected her from nursery on Tuesday afternoon.",
    "Call Mr Prlce on O77OO 9OO123 or daniel.price@example.org",
]


def _version() -> str:
    return TesseractEngine().config_key.split("-")[0]


def _library_or_skip() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract not installed")
    if library_for("eng", 1, _version()) is None:
        pytest.skip("tesseract's library is not loadable here or is not the program's version")


def _png(dpi: int = 150, alpha: bool = False) -> bytes:
    pdf = pymupdf.open()
    text_page(pdf, LINES, fontsize=11)
    pix = pdf[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB if alpha else pymupdf.csGRAY, alpha=alpha)
    pix.set_dpi(dpi, dpi)
    return pix.tobytes("png")


def test_the_library_reads_the_table_the_program_writes() -> None:
    _library_or_skip()
    png = _png()
    lib = library_for("eng", 1, _version())
    assert lib is not None
    ours = parse_tsv(lib.tsv(png, 3, 150, 60))
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        theirs = pytesseract.image_to_data(im, lang="eng", config="--psm 3 --oem 1 --dpi 150",
                                           output_type=pytesseract.Output.DICT)
    assert ours == theirs
    assert "Daniel" in ours["text"]


@pytest.mark.parametrize("alpha", [False, True])
def test_an_engine_through_the_library_reads_as_through_the_program(alpha: bool) -> None:
    _library_or_skip()
    png = _png(alpha=alpha)
    with Image.open(io.BytesIO(png)) as im:
        im.load()
        by_library = TesseractEngine(use_library=True).read(im)
        by_program = TesseractEngine(use_library=False).read(im)
    assert by_library == by_program and any(w.text == "Daniel" for w in by_library)
    assert TesseractEngine(use_library=True).read_encoded(png) == TesseractEngine(use_library=False).read_encoded(png)


def test_another_version_of_the_library_is_not_used() -> None:
    _library_or_skip()
    assert library_for("eng", 1, "4.1.1") is None
    assert library_for("eng", 1, _version()) is not None  # the answer for one version is not kept for another


def test_an_undecodable_image_or_a_page_past_its_time_is_an_ocr_error() -> None:
    _library_or_skip()
    lib = library_for("eng", 1, _version())
    assert lib is not None
    with pytest.raises(TessLibError, match="decoded"):
        lib.tsv(b"not an image", 3, None, 60)
    with pytest.raises(TessLibError, match="timeout"):
        lib.tsv(_png(dpi=300), 3, 300, 0.001)
    engine = TesseractEngine(timeout=0.001)
    with pytest.raises(OcrError, match="did not finish"):
        engine.read_encoded(_png(dpi=300))
    assert "Daniel" in parse_tsv(lib.tsv(_png(), 3, 150, 60))["text"]  # the engine reads on after either


def test_threads_reading_at_once_each_get_a_handle_and_read_as_one_alone() -> None:
    _library_or_skip()
    lib = library_for("eng", 1, _version())
    assert lib is not None
    png = _png()
    alone = lib.tsv(png, 3, 150, 60)
    with ThreadPoolExecutor(max_workers=3) as pool:
        tables = list(pool.map(lambda _: lib.tsv(png, 3, 150, 60), range(6)))
    assert tables == [alone] * 6
    assert 1 <= lib.handles <= 4  # the handles of the threads that read at once, kept for the next reads
