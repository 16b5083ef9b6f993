"""Scanned pages OCR could not read are proposed whole for the reviewer (reason UR)."""

from __future__ import annotations

from redaction.case import parse_manifest
from redaction.detect import detect_document
from redaction.detect.unreadable import good_share, unreadable
from redaction.models import Box, OcrPage, Reason, TextSource, Word
from tests.test_pipeline import CASE

NOISE = ["~~", "ii", "'l", "Ww", "-.", "ae", "oT", "|i", "rn", "Il", ";:", "eo", "xX", "a'", "uu", "nn"]


def _page(texts: list[str], conf: float, source: TextSource = TextSource.TESSERACT) -> OcrPage:
    words = tuple(Word(t, Box(50 + 30 * (i % 15), 100 + 20 * (i // 15), 75 + 30 * (i % 15), 112 + 20 * (i // 15)),
                       0, i // 15, i % 15, conf) for i, t in enumerate(texts))
    return OcrPage(0, 595, 842, 0, source, words)


def test_a_page_read_as_noise_is_proposed_whole_for_the_reviewer() -> None:
    page = _page(NOISE * 2, conf=30)
    assert unreadable(page) and good_share(page) == 0
    drafts = detect_document(parse_manifest(CASE, "case.yaml"), "scan.png", [page])
    (d,) = [x for x in drafts if x.reason is Reason.UNREADABLE]
    assert d.whole_page and d.boxes == (Box(0, 0, 595, 842),) and "read it by eye" in d.explanation
    assert d.text == ""  # nothing of the page in the proposal


def test_readable_pages_born_digital_pages_and_nearly_blank_pages_are_left_alone() -> None:
    words = "Daniel Price collected Amelia from nursery on Tuesday afternoon with her coat".split() * 2
    assert not unreadable(_page(words, conf=92))
    assert not unreadable(_page(NOISE * 2, conf=30, source=TextSource.PDF_TEXT))
    assert not unreadable(_page(NOISE[:5], conf=30))  # a few specks on an empty page
    # a noisy but readable scan: a third of its words good is enough
    mixed = _page(words[:10] + NOISE * 2, conf=75)
    assert 0.15 < good_share(mixed) < 0.5 and not unreadable(mixed)
