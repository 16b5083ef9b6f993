"""Labelling OCR words from the printed words under them (no tesseract needed)."""

from __future__ import annotations

from ner_models.ocr_eval import label_ocr_words, page_sample
from redaction.ocr.base import PixelWord


def _pw(text: str, x: int, line: int, n: int, w: int = 50) -> PixelWord:
    return PixelWord(text, x, 10 + 30 * line, w, 20, 90.0, 1, line, n)


def test_ocr_words_take_the_label_of_the_printed_word_under_them() -> None:
    printed = [
        ("Mr", (0.0, 10.0, 30.0, 30.0), "IGNORE"),
        ("Price", (40.0, 10.0, 90.0, 30.0), "PERSON"),
        ("rang", (100.0, 10.0, 150.0, 30.0), "O"),
    ]
    ocr = [_pw("Mr", 0, 0, 0, 30), _pw("Prlce", 41, 0, 1, 48), _pw("rang", 100, 0, 2), _pw("|", 400, 0, 3, 4)]
    labels = label_ocr_words(ocr, printed)
    assert labels == ["IGNORE", "PERSON", "O", "O"]
    s = page_sample(ocr, labels, "ocr:test")
    assert s.text == "Mr Prlce rang |"
    assert [s.text[a:b] for a, b, _ in s.ents] == ["Prlce"]
    assert [s.text[a:b] for a, b in s.ignore] == ["Mr"]


def test_two_printed_words_read_as_one_keep_the_name() -> None:
    printed = [("Daniel", (0.0, 10.0, 60.0, 30.0), "PERSON"), ("said", (64.0, 10.0, 100.0, 30.0), "O")]
    assert label_ocr_words([_pw("Danielsaid", 0, 0, 0, 100)], printed) == ["PERSON"]
