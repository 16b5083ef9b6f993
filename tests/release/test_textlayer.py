"""The text layer holds what OCR reads on the released picture, never on its boxes."""

from __future__ import annotations

import io

import pikepdf
import pymupdf

from redaction.release import photocopy
from redaction.release.textlayer import LaidWord, content, visible_words

BOX = (100.0, 100.0, 160.0, 114.0)


def test_words_on_a_box_are_left_out_and_words_beside_it_held_off() -> None:
    words = [LaidWord("|||", 101, 101, 159, 113), LaidWord("said", 150, 101, 190, 113),
             LaidWord("Amelia", 20, 101, 90, 113), LaidWord("under", 100, 130, 160, 142)]
    kept = visible_words(words, [BOX])
    assert [w.text for w in kept] == ["said", "Amelia", "under"]
    assert kept[0].x0 == 160  # held off the box it overlapped
    assert [w.text for w in visible_words(words, [])] == ["|||", "said", "Amelia", "under"]


def test_a_word_ocr_read_across_a_box_and_around_it_is_left_out() -> None:
    # tesseract read a box and the lines above and below it as one tall, wide word ("ae"):
    # too little of it lies on the box to leave it out by that, but it holds the whole box
    across = LaidWord("ae", 60, 86, 300, 128)
    assert [w.text for w in visible_words([across], [BOX])] == []
    # a word that holds less than half of a box (a box's edge slipped under it) is laid, held off
    beside = LaidWord("said", 150, 101, 190, 113)
    assert [w.text for w in visible_words([beside], [BOX])] == ["said"]


def test_the_layer_is_invisible_text_in_its_own_graphics_state() -> None:
    data = content([LaidWord("Amelia", 20, 101, 90, 113)], 842).decode()
    assert data.startswith("q\nBT\n3 Tr") and data.rstrip().endswith("ET\nQ")
    assert "<0041006D0065006C006900610020>" in data.replace("\n", "")


def test_a_released_page_can_be_searched_for_what_it_shows() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "Amelia Hart painted a rainbow today", fontsize=14)
    src = doc.tobytes()
    out = photocopy.photocopy(src, src, "x.pdf", photocopy.Options(workers=1))
    with pymupdf.open(stream=out, filetype="pdf") as copy:
        assert "Amelia Hart painted a rainbow" in " ".join(copy[0].get_text().split())
        assert copy[0].search_for("rainbow")
    with pikepdf.open(io.BytesIO(out)) as pdf:
        assert list(pdf.pages[0].Resources.Font.keys()) == ["/GlyphLess"]
    off = photocopy.photocopy(src, src, "x.pdf", photocopy.Options(workers=1, text_layer=False))
    with pymupdf.open(stream=off, filetype="pdf") as copy:
        assert copy[0].get_text().strip() == ""
