"""Pieces of the generator: box transforms, word tagging, typesetting, name pools."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw

from redaction.synth import scan
from redaction.synth.cast import phone_variant
from redaction.synth.layout import KEEP, PageWriter, Style, Tag, text_length, words_of
from redaction.synth.names import all_strings


def _ink_bbox(img: Image.Image) -> tuple[int, int, int, int]:
    a = np.asarray(img) < 128
    ys, xs = np.nonzero(a)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.parametrize("angle", [-1.0, -0.4, 0.7, 1.0])
def test_turned_box_follows_its_ink(angle: float) -> None:
    img = Image.new("L", (1200, 1700), 255)
    box = (900.0, 150.0, 1100.0, 190.0)  # far from the centre, where a wrong turn shows most
    ImageDraw.Draw(img).rectangle((900, 150, 1099, 189), fill=0)
    d = scan.Degradation(angle=angle, shift=(4.0, -3.0), ink=0, paper=255)
    out, [got] = scan.degrade(img, [box], d, np.random.default_rng(0))
    ink = _ink_bbox(out)
    assert all(abs(g - i) <= 2.5 for g, i in zip(got, ink, strict=True)), (got, ink)


@pytest.mark.parametrize(("angle", "shift"), [(1.0, (5.0, -4.0)), (-1.0, (0.0, 0.0)), (0.3, (-6.0, 6.0))])
def test_rendered_turn_carries_boxes_onto_their_ink(angle: float, shift: tuple[float, float]) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    box = (450.0, 60.0, 550.0, 80.0)  # a corner: a wrong turn or offset shows most here
    page.draw_rect(pymupdf.Rect(box), color=None, fill=(0, 0, 0))
    img, [got] = scan.rasterise_turned(page, 200, [box], angle, shift)
    assert img.size == scan.rasterise(page, 200).size
    ink = _ink_bbox(img)
    assert all(abs(g - i) <= 1.5 for g, i in zip(got, ink, strict=True)), (got, ink)


def test_sideways_storage_carries_boxes() -> None:
    img = Image.new("L", (600, 900), 255)
    ImageDraw.Draw(img).rectangle((400, 100, 499, 139), fill=0)
    out, [got] = scan.store_sideways(img, [(400.0, 100.0, 500.0, 140.0)])
    assert out.size == (900, 600)
    ink = _ink_bbox(out)
    assert all(abs(g - i) <= 1 for g, i in zip(got, ink, strict=True)), (got, ink)


def test_image_files_state_their_dpi() -> None:
    import io

    img = Image.new("L", (100, 140), 255)
    for data in (scan.jpeg_bytes(img, 70, 240), scan.png_bytes(img, 240), scan.tiff_bytes([img, img], 240, True)):
        got = Image.open(io.BytesIO(data))
        assert abs(got.info["dpi"][0] - 240) < 0.01


def test_words_take_the_strongest_tag_of_their_letters() -> None:
    tp = Tag("refused_ref", "tp-1")
    child = Tag("keep", None, "child_name")
    words = words_of([("Said ", KEEP), ("Daniel", tp), ("'s, and ", KEEP), ("Amelia", child), (".", KEEP)])
    assert words == [("Said", KEEP), ("Daniel's,", tp), ("and", KEEP), ("Amelia.", child)]


def test_punctuation_alone_never_makes_a_word_sensitive() -> None:
    assert words_of([("(", KEEP), ("07700 900123", Tag("refused_ref", "tp-1")), (")", KEEP)]) == [
        ("(07700", Tag("refused_ref", "tp-1")),
        ("900123)", Tag("refused_ref", "tp-1")),
    ]
    assert words_of([("-- ", KEEP), (":", Tag("refused_ref", "tp-1"))]) == [("--", KEEP), (":", KEEP)]


def test_text_length_counts_accented_letters() -> None:
    assert text_length("Öztürk", "helv", 10) > text_length("Oztrk", "helv", 10)


def test_writer_reads_back_every_word_with_its_truth() -> None:
    w = PageWriter(Style(), random.Random(1), footer=[("Footer", KEEP)])
    tp = Tag("refused_ref", "tp-2")
    w.para([("Seen by ", KEEP), ("Mrs Çelik-O'Brien", tp), (" on Friday.", KEEP)] * 40)
    w.table(["Name", "Phone"], [[[("Zoë Price", tp)], [("+44 7700 900123", tp)]]], [0.5, 0.5])
    doc, pages = w.finish()
    assert len(pages) == len(doc) >= 1
    flat = [t for p in pages for t in p]
    assert sum(t.text == "Çelik-O'Brien" for t in flat) == 40
    assert all(t.tag == tp for t in flat if t.text in ("Mrs", "Çelik-O'Brien", "Zoë", "+44"))
    assert all(t.tag == KEEP for t in flat if t.text in ("Seen", "Friday.", "Footer"))


def test_a_line_off_the_page_is_an_error_not_a_lost_word() -> None:
    w = PageWriter(Style(), random.Random(1))
    with pytest.raises(RuntimeError, match="off the page"):
        w.fields_row([("A:", [("x" * 30, KEEP)])] * 2, label_w=400)


def test_phone_variants_keep_the_digits() -> None:
    rng = random.Random(3)
    seen = {phone_variant("07700 900123", rng) for _ in range(60)}
    assert {"07700 900123", "07700900123", "+44 7700 900123"} <= seen
    for v in seen:
        digits = "".join(ch for ch in v if ch.isdigit())
        assert digits in ("07700900123", "447700900123")
    land = {phone_variant("020 7946 0942", rng) for _ in range(60)}
    assert "(020) 7946 0942" in land


def test_every_pool_string_is_latin1_and_the_pools_are_diverse() -> None:
    strings = all_strings()
    for s in strings:
        s.encode("latin-1")
    joined = "".join(strings)
    for ch in "éüöçã'-":
        assert ch in joined
