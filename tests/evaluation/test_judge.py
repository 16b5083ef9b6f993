"""The judge's image-leak test on image pixels made by hand: a bar burnt into the pixels that
covers only part of a word's core is no leak by itself; writing beside it, or under a box only
drawn over the image, is."""

from __future__ import annotations

import numpy as np

from redaction.evaluation.judge import _ink_beside_the_bar

PAPER, INK, BAR = 240, 40, 0


def _paper(h: int = 30, w: int = 90) -> np.ndarray:
    rng = np.random.default_rng(7)
    return (PAPER + rng.integers(-6, 7, size=(h, w))).astype(np.int16)  # a scan's grain


def _writing(region: np.ndarray, x0: int, x1: int) -> np.ndarray:
    out = region.copy()
    for x in range(x0, x1, 7):  # strokes of letters: short verticals and a bar across
        out[5:25, x:x + 2] = INK
        out[14:16, x:x + 5] = INK
    return out


def test_a_bar_covering_part_of_the_core_over_plain_paper_is_no_leak() -> None:
    left = _paper()
    left[:, :75] = BAR  # the bar's right edge inside the core; paper past it
    assert not _ink_beside_the_bar(left)
    top = _paper()
    top[:22, :] = BAR  # the bar's foot inside the core
    assert not _ink_beside_the_bar(top)
    blurred = _paper()
    blurred[:, :60] = BAR
    blurred[:, 60:62] = 120  # the edge blurred by scaling
    assert not _ink_beside_the_bar(blurred)


def test_writing_under_a_box_drawn_over_the_image_is_a_leak() -> None:
    assert _ink_beside_the_bar(_writing(_paper(), 3, 85))
    assert not _ink_beside_the_bar(_paper())  # plain paper: nothing written


def test_writing_beside_a_bar_that_covers_only_part_of_the_word_is_a_leak() -> None:
    region = _writing(_paper(), 3, 85)
    region[:, :55] = BAR
    assert _ink_beside_the_bar(region)


def test_a_core_wholly_burnt_is_no_leak() -> None:
    assert not _ink_beside_the_bar(np.zeros((30, 90), dtype=np.int16))
