"""A withheld party's name wrapped inside a table cell, the next cells' words between its parts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from redaction.detect import detect_document
from redaction.detect.align import build_page_text
from redaction.detect.manifest import ManifestDetector
from redaction.detect.wrapped import _alike, _starts
from redaction.models import Box, OcrPage, Reason, TextSource, Word
from tests.detect.pages import CASE_YAML, make_case


def _page(cells: list[tuple[str, float, float, int, int]]) -> OcrPage:
    words = tuple(Word(t, Box(x, y, x + 6 * len(t), y + 12), b, ln, i, 95.0)
                  for i, (t, x, y, b, ln) in enumerate(cells))
    return OcrPage(0, 595.0, 842.0, 0, TextSource.TESSERACT, words)


ROW = [("Referral", 200, 100, 1, 0), ("to", 254, 100, 1, 0), ("Barnet", 270, 100, 1, 0),
       ("Family", 310, 100, 1, 0), ("EK", 420, 100, 1, 0),
       ("smacks", 60, 116, 1, 1), ("him", 104, 116, 1, 1)]


def test_an_agency_name_wrapped_in_a_cell_is_found_whole() -> None:
    page = _page([*ROW, ("Services", 200, 116, 1, 1), ("the", 254, 116, 1, 1), ("same", 276, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    wrapped = [d for d in drafts if "table cell" in d.explanation]
    assert [(d.text, d.reason, d.party_id) for d in wrapped] == [
        ("Barnet Family Services", Reason.THIRD_PARTY_ORG, "tp-2")]
    assert len(wrapped[0].boxes) == 2


def test_an_agency_name_wrapped_in_a_cell_is_found_whole_when_ocr_read_its_last_line_first() -> None:
    # OCR made the cell's second line a block of its own, read before the table
    page = _page([("Services", 200, 116, 0, 0), ("the", 254, 116, 0, 0), *ROW])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    wrapped = [d for d in drafts if "table cell" in d.explanation]
    assert [(d.text, d.party_id) for d in wrapped] == [("Barnet Family Services", "tp-2")]


def test_an_alias_starting_with_a_short_word_holding_a_digit_is_found_wrapped() -> None:
    # "0-19" is three characters, shorter than a wrapped name's first word is looked for from,
    # but no common word: "0-19" ending a cell's line, "Service" starting the next
    y = CASE_YAML.replace('name: "Barnet Family Services"', 'name: "Barnet 0-19 Public Health Nursing Service"\n'
                          '    aliases: ["0-19 Service"]')
    page = _page([("Email", 60, 100, 1, 0), ("from", 100, 100, 1, 0), ("0-19", 200, 100, 1, 0),
                  ("Saved", 420, 100, 1, 0), ("to", 460, 100, 1, 0),
                  ("wayne@leeds.example", 60, 116, 1, 1), ("Service", 200, 116, 1, 1), ("to", 420, 116, 1, 1)])
    drafts = detect_document(make_case(y), "x.pdf", [page], detectors=[ManifestDetector()])
    wrapped = [d for d in drafts if "table cell" in d.explanation]
    assert [(d.text, d.party_id, len(d.boxes)) for d in wrapped] == [("0-19 Service", "tp-2", 2)]


def test_an_agency_name_wrapped_in_a_cell_set_close_to_an_email_column_is_found_whole() -> None:
    # the email column starts a word gap after the name's first line: no column gap tells the
    # cell's edge, the address OCR split at its dot does
    page = _page([("Sarah", 60, 100, 1, 0), ("Okafor", 96, 100, 1, 0), ("Barnet", 200, 100, 1, 0),
                  ("Family", 240, 100, 1, 0), ("\u201csarah.", 280, 100, 1, 0),
                  ("okafor@barnet.example", 322, 100, 1, 0),
                  ("Worker", 60, 116, 1, 1), ("Services", 200, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    wrapped = [d for d in drafts if "table cell" in d.explanation]
    assert [(d.text, len(d.boxes)) for d in wrapped] == [("Barnet Family Services", 2)]
    # a capitalised word after the name's first words, though an address follows: the line goes on
    page = _page([("Barnet", 200, 100, 1, 0), ("Family", 240, 100, 1, 0), ("Said", 280, 100, 1, 0),
                  ("okafor@barnet.example", 310, 100, 1, 0), ("Services", 200, 116, 1, 1)])
    assert not [d for d in detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
                if "table cell" in d.explanation]


def test_an_agency_name_wrapped_mid_line_in_columns_a_word_gap_apart_is_found_whole() -> None:
    # a phone log's row: the agency's cell a word gap from the notes' cell, its last word under
    # its first
    row = [("PC", 60, 100, 1, 0), ("Okafor", 78, 100, 1, 0), ("Barnet", 200, 100, 1, 0),
           ("Family", 240, 100, 1, 0), ("Asked", 280, 100, 1, 0), ("for", 314, 100, 1, 0)]
    page = _page([*row, ("Services", 200, 116, 1, 1), ("meeting.", 280, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert [d.text for d in drafts if "table cell" in d.explanation] == ["Barnet Family Services"]
    # prose that starts a line with the words and goes on at the margin is no cell
    page = _page([("Barnet", 60, 100, 1, 0), ("Family", 100, 100, 1, 0), ("Asked", 140, 100, 1, 0),
                  ("Services", 60, 116, 1, 1)])
    assert not [d for d in detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
                if "table cell" in d.explanation]


def test_an_agency_name_wrapped_over_three_lines_of_a_cell_is_found_whole() -> None:
    page = _page([("Referral", 200, 100, 1, 0), ("to", 254, 100, 1, 0), ("Barnet", 270, 100, 1, 0),
                  ("EK", 420, 100, 1, 0), ("Family", 200, 116, 1, 1), ("smacks", 420, 116, 1, 1),
                  ("Services", 200, 132, 1, 2), ("the", 254, 132, 1, 2)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    wrapped = [d for d in drafts if "table cell" in d.explanation]
    assert [(d.text, len(d.boxes)) for d in wrapped] == [("Barnet Family Services", 3)]


def test_a_register_surname_first_wrapped_in_a_cell_is_found_with_its_comma_only() -> None:
    row = [("16.11.25", 60, 100, 1, 0), ("PRICE,", 200, 100, 1, 0), ("07700", 300, 100, 1, 0)]
    page = _page([*row, ("Daniel", 200, 116, 1, 1), ("asked", 300, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert [(d.text, d.party_id) for d in drafts if "table cell" in d.explanation] == [("PRICE, Daniel", "tp-1")]
    # without the comma, a surname over a first name is two rows' words
    page = _page([("PRICE", 200, 100, 1, 0), ("07700", 300, 100, 1, 0), ("Daniel", 200, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert not [d for d in drafts if "table cell" in d.explanation]


def _turned(cells: list[tuple[str, float, float, int, int]]) -> OcrPage:
    """A page scanned sideways: the text of ``cells`` (laid out upright) runs up the page."""
    h = 842.0
    words = tuple(Word(t, Box(y, h - x - 6 * len(t), y + 12, h - x), b, ln, i, 95.0)
                  for i, (t, x, y, b, ln) in enumerate(cells))
    return OcrPage(0, 595.0, h, 0, TextSource.TESSERACT, words)


def test_an_agency_name_wrapped_in_a_cell_of_a_page_scanned_sideways_is_found_whole() -> None:
    cells = [*ROW, ("Services", 200, 116, 1, 1), ("the", 254, 116, 1, 1), ("same", 276, 116, 1, 1)]
    drafts = detect_document(make_case(), "x.pdf", [_turned(cells)], detectors=[ManifestDetector()])
    assert [d.text for d in drafts if "table cell" in d.explanation] == ["Barnet Family Services"]
    # under another column, it is not the name's
    cells = [*ROW, ("Services", 420, 116, 1, 1)]
    drafts = detect_document(make_case(), "x.pdf", [_turned(cells)], detectors=[ManifestDetector()])
    assert not [d for d in drafts if "table cell" in d.explanation]


def test_a_word_under_another_column_is_not_the_rest_of_the_name() -> None:
    page = _page([*ROW, ("Services", 420, 116, 1, 1)])  # under "EK", another cell
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert not [d for d in drafts if "table cell" in d.explanation]


def test_a_phone_number_wrapped_in_a_cell_is_found_whole() -> None:
    from redaction.detect.contacts import ContactDetector

    page = _page([("Daniel", 60, 100, 1, 0), ("Price", 100, 100, 1, 0), ("+44", 200, 100, 1, 0),
                  ("Partner", 300, 100, 1, 0), ("(0)7700", 200, 116, 1, 1), ("900123", 248, 116, 1, 1),
                  ("asked", 300, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])
    hits = [d for d in drafts if "table cell" in d.explanation]
    assert [(d.text, d.party_id, len(d.boxes)) for d in hits] == [("+44 (0)7700 900123", "tp-1", 2)]
    # the name's cell set close to the number's, no gap between them: the rest under the number's start
    page = _page([("PRICE,", 60, 100, 1, 0), ("Daniel", 100, 100, 1, 0), ("+44", 142, 100, 1, 0),
                  ("(0)7700", 164, 100, 1, 0), ("Partner", 300, 100, 1, 0), ("900123", 142, 116, 1, 1),
                  ("asked", 300, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ContactDetector()])
    hits = [d for d in drafts if "table cell" in d.explanation]
    assert [(d.text, d.party_id) for d in hits] == [("+44 (0)7700 900123", "tp-1")]


def test_a_name_in_a_cell_of_its_own_set_close_to_the_one_before_is_found_whole() -> None:
    # "... was Barnet Family | He was spoken ..." / "'shouting' until late. Services teacher":
    # no column gap before "Barnet", so its cell starts at the name, and "Services" is under it
    page = _page([("Said", 60, 100, 1, 0), ("he", 92, 100, 1, 0), ("was", 110, 100, 1, 0),
                  ("Barnet", 134, 100, 1, 0), ("Family", 174, 100, 1, 0), ("He", 300, 100, 1, 0),
                  ("shouting", 60, 116, 1, 1), ("late.", 112, 116, 1, 1), ("Services", 136, 116, 1, 1),
                  ("teacher", 300, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert [d.text for d in drafts if "table cell" in d.explanation] == ["Barnet Family Services"]


def test_a_mark_ocr_made_of_a_cell_rule_ends_the_cell() -> None:
    page = _page([("Referral", 200, 100, 1, 0), ("to", 254, 100, 1, 0), ("Barnet", 270, 100, 1, 0),
                  ("Family", 310, 100, 1, 0), ("'", 350, 100, 1, 0), ("Agreed", 360, 100, 1, 0),
                  ("Services", 200, 116, 1, 1), ("the", 254, 116, 1, 1)])
    drafts = detect_document(make_case(), "x.pdf", [page], detectors=[ManifestDetector()])
    assert [d.text for d in drafts if "table cell" in d.explanation] == ["Barnet Family Services"]


def _edited(word: str, edits: list[tuple[int, int, str]]) -> str:
    """``word`` with each edit made: (0 insert, 1 delete, 2 replace, 3 append "'s"), at a position, a letter."""
    for kind, at, letter in edits:
        at %= len(word) + 1
        if kind == 0:
            word = word[:at] + letter + word[at:]
        elif kind == 1 and len(word) > 1:
            word = word[:at] + word[at + 1:]
        elif kind == 2:
            word = word[:at] + letter + word[at + 1:]
        elif kind == 3:
            word += "'s"
    return word


_EDITS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 20), st.sampled_from("abeilo0S'")), max_size=3)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeilnorst0", min_size=1, max_size=14),
       st.lists(st.one_of(_EDITS, st.text(alphabet="abcdeilnorstAEIO0'’ -", min_size=1, max_size=14)),
                min_size=1, max_size=40))
def test_the_words_a_wrapped_name_may_start_at_are_those_alike_its_first_word(
        first: str, words: list[list[tuple[int, int, str]] | str]) -> None:
    """The page's words looked up by length and folded text are every word ``_alike`` would
    take (words near the first word, a letter or two in or out, and others)."""
    texts = [w if isinstance(w, str) else _edited(first, w) for w in words]
    pt = build_page_text(_page([(t, 10.0 * i, 100.0, 1, 0) for i, t in enumerate(texts)]))
    assert _starts(pt, first) == [i for i, w in enumerate(pt.words) if _alike(w.text, first)]
