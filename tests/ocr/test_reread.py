"""The second reading of poorly read lines: which lines, the stack and the way back to the
page's pixels, the page view detection uses, and a name found only in the second reading."""

from __future__ import annotations

import dataclasses
import shutil

import pymupdf
import pytest
from PIL import Image

from redaction.detect import detect_document
from redaction.detect.manifest import ManifestDetector
from redaction.models import Box, OcrPage, Reason, TextSource, Word
from redaction.ocr import TesseractEngine
from redaction.ocr.base import PixelWord
from redaction.ocr.reread import REREAD_BLOCK_OFFSET, is_reread, lines_to_reread, stack_lines, unstack_words
from redaction.ocr.tesseract import REREAD_VERSION
from redaction.store.serial import ocr_page_from_bytes, ocr_page_to_bytes
from tests.detect.pages import CASE_YAML, make_case, make_page
from tests.ocr.ocr_fixtures import text_page

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


def pw(text: str, conf: float, block: int = 1, line: int = 0, left: int = 0) -> PixelWord:
    return PixelWord(text, left=left, top=10 + 40 * line, width=30, height=20, conf=conf, block=block, line=line)


def test_lines_with_a_poorly_read_word_are_read_again_punctuation_does_not_count() -> None:
    words = [
        pw("Daniel", 95, line=0), pw("Price", 96, line=0, left=40),
        pw("with", 96, line=1), pw("6mer", 12, line=1, left=40),
        pw("Signed", 95, line=2), pw("—", 5, line=2, left=40),
        pw("Omer", 20, block=REREAD_BLOCK_OFFSET + 1, line=1),  # a second reading is not read a third time
    ]
    lines = lines_to_reread(words)
    assert [[w.text for w in ws] for ws in lines] == [["with", "6mer"]]


LINES = [
    "Dear Mrs Hart, thank you for your letter about Amelia.",
    "Daniel Price collected her from nursery on Tuesday afternoon.",
    "The key worker noticed that she was quieter than usual today.",
]


@needs_tesseract
def test_lines_cut_out_stacked_and_read_come_back_to_their_line_and_place() -> None:
    tmp = pymupdf.open()
    pix = text_page(tmp, LINES, fontsize=12).get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    image.info["dpi"] = (150, 150)
    engine = TesseractEngine(reread_lines=False)
    words = engine.read(image)
    assert not any(is_reread(w) for w in words)
    lines: dict[tuple[int, int], list[PixelWord]] = {}
    for w in words:
        lines.setdefault((w.block, w.line), []).append(w)
    daniel = next(w for w in words if w.text == "Daniel")
    chosen = [ws for k, ws in lines.items() if k == (daniel.block, daniel.line)]
    stack, cuts = stack_lines(image, chosen, words)
    assert stack.width > image.width // 2 and len(cuts) == 1
    again = unstack_words(TesseractEngine(psm=6, reread_lines=False).read(stack), cuts)
    assert again and all(is_reread(w) for w in again)
    assert {(w.block - REREAD_BLOCK_OFFSET, w.line) for w in again} == {(daniel.block, daniel.line)}
    # only that line: its neighbours above and below do not mix in
    assert " ".join(w.text for w in again) == LINES[1]
    second = next(w for w in again if w.text == "Daniel")
    for a, b in ((second.left, daniel.left), (second.top, daniel.top),
                 (second.left + second.width, daniel.left + daniel.width),
                 (second.top + second.height, daniel.top + daniel.height)):
        assert abs(a - b) <= 3


def test_a_line_with_marks_read_beside_its_words_keeps_its_words_height_on_the_way_back() -> None:
    # "about-Nan's parter. ‘ : :": three specks OCR took for words, low on the line, are not its height
    from redaction.ocr.reread import _PAD

    image = Image.new("L", (600, 200), 255)
    words = [PixelWord("about-Nan's", left=20, top=50, width=90, height=30, conf=54, block=6, line=0),
             PixelWord("parter.", left=120, top=52, width=120, height=34, conf=79, block=6, line=0),
             PixelWord("\u2018", left=300, top=78, width=4, height=4, conf=30, block=6, line=0),
             PixelWord(":", left=400, top=76, width=4, height=4, conf=63, block=6, line=0),
             PixelWord(":", left=500, top=80, width=8, height=8, conf=0, block=6, line=0)]
    _, cuts = stack_lines(image, [words], words)
    (c,) = cuts
    # the second reading finds the two words where the cut put them on the stack
    read = [PixelWord(w.text, left=_PAD + (w.left - c.x0) * 2, top=c.top + (w.top - c.y0) * 2, width=w.width * 2,
                      height=w.height * 2, conf=96, block=1, line=0) for w in words[:2]]
    again = unstack_words(read, cuts)
    assert [w.text for w in again] == ["about-Nan's", "parter."]
    for a, b in zip(again, words[:2], strict=True):
        assert abs(a.top - b.top) <= 3 and abs((a.top + a.height) - (b.top + b.height)) <= 3


@needs_tesseract
def test_a_well_read_page_is_not_read_again_and_the_cache_key_says_lines_are() -> None:
    tmp = pymupdf.open()
    pix = text_page(tmp, LINES, fontsize=14).get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    engine = TesseractEngine()
    assert engine.config_key.endswith(f"-rr{REREAD_VERSION}")
    assert "-rr" not in TesseractEngine(reread_lines=False).config_key
    assert not any(is_reread(w) for w in engine.read(image))


def word(text: str, x0: float, line: int = 0, block: int = 0) -> Word:
    return Word(text, Box(x0, 100 + 20 * line, x0 + 40, 112 + 20 * line), block=block, line=line)


def test_the_reread_view_puts_each_second_reading_in_its_lines_place() -> None:
    page = OcrPage(0, 595, 842, 0, TextSource.TESSERACT,
                   (word("Seen", 10), word("today.", 60), word("with", 10, 1), word("6mer", 60, 1),
                    word("Kaya", 110, 1), word("End.", 10, 2)),
                   (word("with", 10, 1), word("Omer", 60, 1), word("Kaya", 110, 1)))
    view = page.reread_view()
    assert view.text == "Seen today.\nwith Omer Kaya\nEnd."
    assert view.reread == ()
    assert page.text == "Seen today.\nwith 6mer Kaya\nEnd."
    plain = dataclasses.replace(page, reread=())
    assert plain.reread_view() is plain
    assert ocr_page_from_bytes(ocr_page_to_bytes(page)) == page
    assert ocr_page_from_bytes(ocr_page_to_bytes(plain)) == plain


def test_a_name_garbled_in_the_first_reading_is_found_in_the_second() -> None:
    y = CASE_YAML.replace('name: "Daniel Price"', 'name: "Ömer Kaya"')
    case = make_case(y)
    first = make_page(["Action taken: spoke with the Health Visitor. dmer advised school to monitor."])
    second = make_page(["Action taken: spoke with the Health Visitor. Omer advised school to monitor."])
    assert detect_document(case, "01.pdf", [first], detectors=[ManifestDetector()]) == []
    unsure = tuple(dataclasses.replace(w, conf=47.0) if w.text == "dmer" else w for w in first.words)
    page = dataclasses.replace(first, words=unsure, reread=second.words)
    found = detect_document(case, "01.pdf", [page], detectors=[ManifestDetector()])
    assert [(d.text, d.reason) for d in found] == [("Omer", Reason.THIRD_PARTY)]
    omer = next(w for w in second.words if w.text == "Omer")
    assert found[0].boxes[0].x0 <= omer.box.x0 and found[0].boxes[0].x1 >= omer.box.x1


def test_the_second_reading_counts_only_where_the_first_was_unsure() -> None:
    case = make_case(CASE_YAML)  # Daniel Price refused
    first = make_page(["Danielle came in today with her coat."])
    second = make_page(["Daniel came in today with her coat."])
    page = dataclasses.replace(first, reread=second.words)
    # read confidently the first time: the first reading is trusted
    assert detect_document(case, "01.pdf", [page], detectors=[ManifestDetector()]) == []
    unsure = dataclasses.replace(page, words=tuple(
        dataclasses.replace(w, conf=40.0) if w.text == "Danielle" else w for w in first.words))
    found = detect_document(case, "01.pdf", [unsure], detectors=[ManifestDetector()])
    assert [d.text for d in found] == ["Daniel"]


def test_a_strangers_name_guessed_on_a_word_the_second_reading_reads_as_the_child_is_dropped() -> None:
    from redaction.detect.people import PresidioDetector

    case = make_case(CASE_YAML)  # the child is Amelia Hart
    first = make_page(["Update: Rael is settled in class and plays mostly with Kwabena Mensah."])
    second = make_page(["Update: Amelia is settled in class and plays mostly with Kwabena Mensah."])
    unsure = tuple(dataclasses.replace(w, conf=0.0) if w.text == "Rael" else w for w in first.words)
    page = dataclasses.replace(first, words=unsure, reread=second.words)
    found = [d.text for d in detect_document(case, "01.pdf", [page], detectors=[PresidioDetector()])]
    assert "Rael" not in found
    assert any("Kwabena" in t for t in found)
    alone = [d.text for d in detect_document(case, "01.pdf", [dataclasses.replace(page, reread=())],
                                             detectors=[PresidioDetector()])]
    assert "Rael" in alone  # without the second reading the guess stands
