from __future__ import annotations

import random

import pytest

from redaction.detect.align import build_page_text
from redaction.models import Box, OcrPage, TextSource, Word
from tests.detect.pages import make_page, padded, word_box


def _inside(inner: Box, outer: Box) -> bool:
    return (inner.x0 >= outer.x0 and inner.y0 >= outer.y0 and inner.x1 <= outer.x1 and inner.y1 <= outer.y1)


def test_page_text_matches_ocr_page_text_and_spans_point_at_words() -> None:
    page = make_page(["Dear Mrs Hart,", "Daniel Price's car", "was outside."])
    pt = build_page_text(page)
    assert pt.text == page.text == "Dear Mrs Hart,\nDaniel Price's car\nwas outside."
    for w, (s, e) in zip(pt.words, pt.spans, strict=True):
        assert pt.text[s:e] == w.text


def test_match_inside_a_token_redacts_the_whole_token() -> None:
    page = make_page(["the Price's, car"])
    pt = build_page_text(page)
    s = pt.text.index("Price")
    boxes = pt.spans_to_boxes(s, s + len("Price"), pad=0)
    assert boxes == (word_box(page, "Price's,"),)


def test_span_touching_only_the_last_letter_still_takes_the_word() -> None:
    page = make_page(["Daniel Price"])
    pt = build_page_text(page)
    end = pt.text.index("Price") + len("Price")
    assert pt.spans_to_boxes(end - 1, end, pad=0) == (word_box(page, "Price"),)


def test_adjacent_words_on_one_line_merge_into_one_box() -> None:
    page = make_page(["Mr Daniel Price came"])
    pt = build_page_text(page)
    s = pt.text.index("Daniel")
    (box,) = pt.spans_to_boxes(s, pt.text.index(" came"), pad=0)
    assert box == word_box(page, "Daniel").union(word_box(page, "Price"))


def test_name_split_across_lines_gets_two_boxes() -> None:
    page = make_page(["report by Daniel", "Price on Monday"])
    pt = build_page_text(page)
    s = pt.text.index("Daniel")
    e = pt.text.index("Price") + 5
    boxes = pt.spans_to_boxes(s, e, pad=0)
    assert boxes == (word_box(page, "Daniel"), word_box(page, "Price"))


def test_boxes_are_padded_and_clipped_to_the_page() -> None:
    w = Word("Edge", Box(0.5, 10, 30, 22), 0, 0, 0)
    page = OcrPage(0, 30.5, 100, 0, TextSource.TESSERACT, (w,))
    pt = build_page_text(page)
    (box,) = pt.spans_to_boxes(0, 4, pad=1.0)
    assert box == Box(0.0, 6.4, 30.5, 25.6)


def test_empty_span_or_a_space_gives_no_box() -> None:
    pt = build_page_text(make_page(["Daniel Price"]))
    assert pt.spans_to_boxes(3, 3) == ()
    space = pt.text.index(" ")
    assert pt.spans_to_boxes(space, space + 1) == ()


def test_words_far_apart_on_a_line_are_separate_boxes() -> None:
    a = Word("Daniel", Box(50, 100, 86, 112), 0, 0, 0)
    b = Word("Price", Box(400, 100, 430, 112), 0, 0, 1)  # across a table gap
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, (a, b)))
    assert len(pt.spans_to_boxes(0, len(pt.text), pad=0)) == 2


def test_empty_words_are_skipped_and_reading_order_is_restored() -> None:
    words = (
        Word("Price", Box(90, 10, 120, 22), 0, 0, 1),
        Word("  ", Box(60, 10, 80, 22), 0, 0, 2),
        Word("Daniel", Box(50, 10, 86, 22), 0, 0, 0),
    )
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, words))
    assert pt.text == "Daniel Price"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_word_span_maps_back_to_exactly_its_own_box(seed: int) -> None:
    rnd = random.Random(seed)
    # (punctuation-only words are left out: a word takes those beside it, see the fragment test)
    vocab = ["Daniel", "Price's", "N11", "2AB", "a", "(0)7700", "Mrs", "O'Connor-Smith"]
    lines = [" ".join(rnd.choice(vocab) for _ in range(rnd.randint(1, 9))) for _ in range(12)]
    page = make_page(lines)
    pt = build_page_text(page)
    for w, (s, e) in zip(pt.words, pt.spans, strict=True):
        boxes = pt.spans_to_boxes(s, e, pad=1.0)
        assert len(boxes) == 1
        assert _inside(w.box, boxes[0])
        assert boxes[0] == padded(w.box, page=page)


def test_capitals_word_box_grows_to_its_line_slot() -> None:
    # "IP" in capitals has a shorter ink box than "waiting" (descender) on the same line
    ip = Word("IP", Box(100, 102, 112, 109), 0, 0, 0)
    waiting = Word("waiting", Box(116, 101, 150, 111.5), 0, 0, 1)
    page = OcrPage(0, 595, 842, 0, TextSource.TESSERACT, (ip, waiting))
    pt = build_page_text(page)
    (box,) = pt.spans_to_boxes(0, 2, pad=1.0)
    line_h = 10.5
    assert box.height >= line_h * 1.5  # the slot plus a share above and below
    assert box.y0 < 101 - 0.25 * line_h and box.y1 > 111.5 - 0.5  # covers the whole line's ink and more
    # along the line 15% of the slot on both sides (the gap to "waiting" has room for it)
    assert box.x0 == pytest.approx(100 - 0.15 * line_h, abs=0.01)
    assert box.x1 == pytest.approx(112 + 0.15 * line_h, abs=0.01)


def test_along_the_line_a_box_grows_at_most_half_way_to_the_next_word() -> None:
    name = Word("Sagal", Box(100, 100, 130, 112), 0, 0, 0)
    small = Word("is", Box(133, 100, 140, 112), 0, 0, 1)  # 3 points on: the box stops 1.5 points on
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, (name, small)))
    (box,) = pt.spans_to_boxes(0, 5, pad=1.0)
    assert box.x1 == pytest.approx(131.5, abs=0.01) and box.x0 == pytest.approx(100 - 0.15 * 12, abs=0.01)


def test_along_the_line_only_the_plain_pad_on_a_born_digital_page() -> None:
    ip = Word("IP", Box(100, 102, 112, 109), 0, 0, 0)
    waiting = Word("waiting", Box(116, 101, 150, 111.5), 0, 0, 1)
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.PDF_TEXT, (ip, waiting)))
    (box,) = pt.spans_to_boxes(0, 2, pad=1.0)
    assert box.x0 == 99 and box.x1 == 113  # exact glyph boxes: no more than the pad


def test_a_word_takes_the_ocr_fragments_touching_it() -> None:
    words = (
        Word("|", Box(191.2, 523.0, 197.0, 539.8), 0, 0, 0, 91.0),  # the left stroke of an accented capital
        Word("ANDRE", Box(200.8, 523.0, 231.8, 539.8), 0, 0, 1, 91.0),
        Word("FERREIRA", Box(236.1, 525.9, 288.1, 538.6), 0, 0, 2, 91.0),
        Word("Marlon\u2019", Box(140.8, 570.6, 170.6, 584.7), 0, 1, 0, 91.0),
        Word("'s", Box(170.3, 574.2, 175.3, 584.7), 0, 1, 1, 91.0),
        Word("|", Box(300.0, 570.6, 302.0, 584.7), 0, 1, 2, 91.0),  # a table rule far away: not a fragment
    )
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, words))
    s = pt.text.index("ANDRE")
    (box,) = pt.spans_to_boxes(s, s + 5, pad=0)
    assert box.x0 == 191.2 and box.x1 == 231.8
    s = pt.text.index("Marlon")
    (box,) = pt.spans_to_boxes(s, s + 7, pad=0)
    assert box.x0 == 140.8 and box.x1 == 175.3


def test_a_text_layers_own_punctuation_is_not_a_fragment() -> None:
    words = (Word("Name", Box(100, 100, 130, 112), 0, 0, 0), Word("-", Box(132, 100, 136, 112), 0, 0, 1),
             Word("Role", Box(138, 100, 160, 112), 0, 0, 2))
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.PDF_TEXT, words))
    (box,) = pt.spans_to_boxes(0, 4, pad=0)
    assert box.x1 == 130


def test_a_page_scanned_sideways_without_rotate_is_padded_across_its_vertical_lines() -> None:
    # text running down an unrotated page: each word a tall, narrow box
    words = tuple(Word(t, Box(100, 100 + 60 * i, 112, 150 + 60 * i), 0, 0, i)
                  for i, t in enumerate(["Daniel", "Price", "came", "home", "late"]))
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, words))
    assert pt.sideways
    (box,) = pt.spans_to_boxes(0, 6, pad=1.0)
    assert box.x0 < 100 - 0.25 * 12 and box.x1 > 112 + 0.25 * 12  # across the line: the slot share
    assert box.y0 >= 100 - 0.15 * 12 - 0.01 and box.y1 <= 150 + 5  # along it: no more than the gap allows
    upright = build_page_text(make_page(["Daniel Price came home late"]))
    assert not upright.sideways


def test_a_box_on_a_scan_stays_off_the_ink_of_the_lines_above_and_below() -> None:
    # OCR read a blob on Daniel's line as a word three lines high: the line's height grows the
    # box, which would black out "Shouted" and "Amelia" whole
    words = (
        Word("Shouted", Box(50, 100, 92, 112), 0, 0, 0, 95.0),
        Word("Daniel", Box(50, 113, 86, 125), 0, 1, 0, 95.0),
        Word("~", Box(120, 104, 130, 134), 0, 1, 1, 5.0),
        Word("Amelia", Box(50, 126, 86, 138), 0, 2, 0, 95.0),
    )
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, words))
    (b,) = pt.spans_to_boxes(*pt.spans[1])
    # a quarter of the neighbours' 12 pt in at most (they stay readable), round its own ink still
    assert (b.y0, b.y1) == (109.0, 129.0)
    # on a text layer (exact boxes) nothing is held back
    layer = build_page_text(OcrPage(0, 595, 842, 0, TextSource.PDF_TEXT, words))
    (c,) = layer.spans_to_boxes(*layer.spans[1])
    assert c.y0 < 105 and c.y1 > 133


def test_a_box_is_held_off_the_next_line_also_when_their_ink_boxes_overlap() -> None:
    words = (
        Word("mum's", Box(246, 331, 269, 348), 0, 0, 0, 90.0),
        Word("boyfriend,", Box(274, 331, 314, 348), 0, 0, 1, 90.0),
        Word("Beatriz", Box(261, 343, 292, 366), 0, 1, 0, 96.0),  # OCR's box reaches 5 pt up
    )
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, words))
    (b,) = pt.spans_to_boxes(pt.spans[0][0], pt.spans[1][1])
    assert b.y1 == 350.0  # its own ink and 2 pt: not down over Beatriz


def test_a_line_of_small_letters_only_gets_a_box_as_high_as_a_line_slot() -> None:
    # "nan." alone on its line (the end of a wrapped cell): its ink is as high as an "n"
    # among the page's lines of 10 points
    lines = [Word(t, Box(50, y, 90, y + 10), 0, i, 0) for i, (t, y) in enumerate([("Holly", 250), ("Daniel", 266)])]
    nan = Word("nan.", Box(158, 282, 178, 288), 0, 2, 0)
    page = OcrPage(0, 595, 842, 0, TextSource.TESSERACT, (*lines, nan, Word("Amy", Box(50, 300, 70, 310), 0, 3, 0)))
    pt = build_page_text(page)
    (box,) = pt.words_to_boxes([2], pad=1.0)
    assert box.y0 <= 282 - 1.5 and box.y1 >= 288 + 1.5  # an ascender's and a descender's room
    # alone on a page there are no lines to go by: the plain share of its own height
    pt = build_page_text(OcrPage(0, 595, 842, 0, TextSource.TESSERACT, (nan,)))
    assert pt.words_to_boxes([0], pad=1.0)[0].y0 == pytest.approx(282 - 1.8, abs=0.01)
