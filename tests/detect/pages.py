"""Hand-built OCR pages and a case for the detection tests (no files, no OCR).

Each line of text becomes one OCR line; each word gets a box 6 pt per character wide,
12 pt high, 4 pt apart; lines are 16 pt apart.
"""

from __future__ import annotations

from redaction.case import Case, parse_manifest
from redaction.models import Box, OcrPage, TextSource, Word

CASE_YAML = """
case_id: SAR-2026-014
received: 2026-11-02
child:
  name: "Amelia Hart"
  aliases: ["Millie"]
requester:
  name: "Claire Hart"
  relationship: mother
third_parties:
  - id: tp-1
    kind: person
    name: "Daniel Price"
    relationship: "mother's partner"
    aliases: ["Big Dan"]
    addresses: ["14 Elm Road, London N11 2AB"]
    phones: ["07700 900123"]
    emails: ["dan.price@example.com"]
    consent: refused
  - id: tp-2
    kind: organisation
    name: "Barnet Family Services"
    staff: ["Sarah Okafor"]
    phones: ["020 7946 0942"]
    consent: refused
  - id: tp-3
    kind: person
    name: "Gloria Mendes"
    relationship: "childminder"
    phones: ["07700 900555"]
    consent: granted
staff:
  - "Mrs Joan Allen, Headteacher"
documents:
  - file: 03-health-visitor-report.pdf
    record_type: personal
    author: tp-2
"""

WORD_H = 12.0
LINE_STEP = 16.0
CHAR_W = 6.0
GAP = 4.0


def make_case(yaml_text: str = CASE_YAML) -> Case:
    return parse_manifest(yaml_text)


def make_page(
    lines: list[str],
    page_index: int = 0,
    width: float = 595.0,
    height: float = 842.0,
    top: float = 150.0,
    conf: float = 95.0,
) -> OcrPage:
    """One OcrPage; ``lines`` are the text lines in reading order."""
    words: list[Word] = []
    y = top
    for li, line in enumerate(lines):
        x = 50.0
        for wi, t in enumerate(line.split()):
            w = len(t) * CHAR_W
            words.append(Word(t, Box(x, y, x + w, y + WORD_H), 1, li, wi, conf))
            x += w + GAP
        y += LINE_STEP
    return OcrPage(page_index, width, height, 0, TextSource.TESSERACT, tuple(words))


def word_box(page: OcrPage, text: str, nth: int = 0) -> Box:
    """The box of the nth word whose text is exactly ``text``."""
    hits = [w.box for w in page.words if w.text == text]
    return hits[nth]


def padded(box: Box, pad: float = 1.0, page: OcrPage | None = None) -> Box:
    """The box a redaction of an upright OCR'd word gets: above and below the larger of
    ``pad`` and 30% of the word's height (the line slot); sideways 15% of its height,
    but no further than half-way to the next word on its line (the words of ``page``),
    and at least ``pad``."""
    v = max(pad, 0.3 * box.height)
    before = after = float("inf")
    for w in page.words if page is not None else ():
        if w.box.y0 == box.y0 and w.box.x1 <= box.x0:
            before = min(before, box.x0 - w.box.x1)
        elif w.box.y0 == box.y0 and w.box.x0 >= box.x1:
            after = min(after, w.box.x0 - box.x1)
    along = 0.15 * box.height
    b, a = max(pad, min(along, before / 2)), max(pad, min(along, after / 2))
    return Box(box.x0 - b, box.y0 - v, box.x1 + a, box.y1 + v)
