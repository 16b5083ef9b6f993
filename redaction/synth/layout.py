"""Typesetting synthetic pages with PyMuPDF, keeping the truth of every word.

Text arrives as *runs*: ``(text, Tag)`` pairs. Runs are split into words on spaces
(a word made of several runs, e.g. a name followed by a comma, takes the strongest tag
of its letters). Each line is written with ``page.insert_text`` in a Base14 font on an
A4 page (595 x 842 pt), then the page's words are read back with
``page.get_text("words")`` and matched to the words we wrote, so every truth box is
exactly the box PyMuPDF reports: PDF points, origin top-left, y down.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import pymupdf

A4 = (595.0, 842.0)

CLASSES = ("keep", "refused_ref", "other_child", "relationship_ref")
_PRIORITY = {"keep": 0, "relationship_ref": 1, "other_child": 2, "refused_ref": 3}


@dataclass(frozen=True)
class Tag:
    """The truth of a word: its class, the third party it points at, the protected
    role of a kept name (child_name, requester_name, staff_name)."""

    cls: str = "keep"
    party_id: str | None = None
    role: str | None = None

    def rank(self) -> tuple[int, int]:
        return (_PRIORITY[self.cls], int(self.party_id is not None or self.role is not None))


KEEP = Tag()
Run = tuple[str, Tag]


@dataclass(frozen=True)
class TruthWord:
    text: str
    box: tuple[float, float, float, float]
    tag: Tag


@dataclass
class Style:
    font: str = "helv"  # helv | tiro | cour
    size: float = 10.0
    margin: float = 56.0
    leading: float = 1.35

    @property
    def bold(self) -> str:
        return {"helv": "hebo", "tiro": "tibo", "cour": "cobo"}[self.font]


_ADVANCE: dict[str, dict[str, float]] = {}


def text_length(text: str, font: str, size: float) -> float:
    """Width of text in a Base14 font, in points. (``pymupdf.get_text_length`` counts
    non-ASCII letters as zero width; ``Font.text_length`` is right but slow.)"""
    table = _ADVANCE.get(font)
    if table is None:
        f = pymupdf.Font(font)
        table = _ADVANCE[font] = {chr(c): f.glyph_advance(c) for c in range(32, 256)}
    return sum(table.get(ch, 0.5) for ch in text) * size


def words_of(runs: list[Run]) -> list[tuple[str, Tag]]:
    """Split runs into space-separated words, each with the strongest tag of its letters."""
    out: list[tuple[str, Tag]] = []
    cur = ""
    tag: Tag | None = None
    for text, t in runs:
        for ch in text:
            if ch.isspace():
                if cur:
                    out.append((cur, tag or KEEP))
                cur, tag = "", None
                continue
            cur += ch
            if ch.isalnum() and (tag is None or t.rank() > tag.rank()):
                tag = t
    if cur:
        out.append((cur, tag or KEEP))
    return out


@dataclass
class _Planned:
    text: str
    tag: Tag
    x0: float
    baseline: float


@dataclass
class _PageState:
    planned: list[_Planned] = field(default_factory=list)


class PageWriter:
    """Writes flowing text, fields and tables onto A4 pages, breaking pages as needed."""

    def __init__(self, style: Style, rng: random.Random, footer: list[Run] | None = None) -> None:
        self.style = style
        self.rng = rng
        self.doc = pymupdf.open()
        self.pages: list[_PageState] = []
        self.footer = footer
        self.y = 0.0
        self._new_page()

    # --- geometry ----------------------------------------------------------------
    @property
    def page(self) -> pymupdf.Page:
        return self.doc[len(self.pages) - 1]

    @property
    def left(self) -> float:
        return self.style.margin

    @property
    def right(self) -> float:
        return A4[0] - self.style.margin

    @property
    def bottom(self) -> float:
        return A4[1] - self.style.margin - 14

    def _new_page(self) -> None:
        self.doc.new_page(width=A4[0], height=A4[1])
        self.pages.append(_PageState())
        self.y = self.style.margin
        if self.footer:
            n = len(self.pages)
            runs = [*self.footer, (f"   Page {n}", KEEP)]
            self._write(words_of(runs), self.left, A4[1] - self.style.margin + 10, self.style.font, 7.5)

    def new_page(self) -> None:
        self._new_page()

    def ensure(self, height: float) -> None:
        if self.y + height > self.bottom:
            self._new_page()

    def space(self, h: float = 6) -> None:
        self.y += h

    # --- primitives --------------------------------------------------------------
    def _write(self, words: list[tuple[str, Tag]], x: float, baseline: float, font: str, size: float) -> float:
        """Write words on one line starting at x; returns the x after the last word."""
        if not words:
            return x
        text = " ".join(w for w, _ in words)
        self.page.insert_text((x, baseline), text, fontname=font, fontsize=size)
        if x + text_length(text, font, size) > A4[0] - 8:
            raise RuntimeError("synth layout: a line runs off the page")
        cx = x
        space = text_length(" ", font, size)
        for w, t in words:
            self.pages[-1].planned.append(_Planned(w, t, cx, baseline))
            cx += text_length(w, font, size) + space
        return cx - space

    def _wrap(self, words: list[tuple[str, Tag]], width: float, font: str, size: float) -> list[list[tuple[str, Tag]]]:
        lines: list[list[tuple[str, Tag]]] = []
        cur: list[tuple[str, Tag]] = []
        for w in words:
            trial = " ".join(x for x, _ in [*cur, w])
            if cur and text_length(trial, font, size) > width:
                lines.append(cur)
                cur = [w]
            else:
                cur.append(w)
        if cur:
            lines.append(cur)
        return lines

    def _font(self, bold: bool, font: str | None) -> str:
        if font:
            return font
        return self.style.bold if bold else self.style.font

    # --- blocks ------------------------------------------------------------------
    def para(
        self,
        runs: list[Run],
        *,
        x: float | None = None,
        width: float | None = None,
        size: float | None = None,
        bold: bool = False,
        font: str | None = None,
        gap: float = 5,
        align: str = "left",
    ) -> None:
        size = size or self.style.size
        fnt = self._font(bold, font)
        x0 = self.left if x is None else x
        w = (self.right - x0) if width is None else width
        lead = size * self.style.leading
        for line in self._wrap(words_of(runs), w, fnt, size):
            self.ensure(lead)
            self.y += lead
            lx = x0
            if align != "left":
                lw = text_length(" ".join(t for t, _ in line), fnt, size)
                lx = x0 + (w - lw) if align == "right" else x0 + (w - lw) / 2
            self._write(line, lx, self.y - size * 0.25, fnt, size)
        self.y += gap

    def heading(self, text: str | list[Run], size: float | None = None, gap: float = 6) -> None:
        runs = [(text, KEEP)] if isinstance(text, str) else text
        self.ensure((size or self.style.size + 3) * 3)
        self.para(runs, size=size or self.style.size + 3, bold=True, gap=gap)

    def field(
        self,
        label: str,
        value: list[Run],
        *,
        label_w: float = 140,
        x: float | None = None,
        width: float | None = None,
        boxed: bool = False,
    ) -> None:
        """ "Label:   value" with the value wrapped in its column."""
        size = self.style.size
        x0 = self.left if x is None else x
        w = (self.right - x0) if width is None else width
        lead = size * self.style.leading
        label_w = max(label_w, text_length(label, self.style.bold, size) + 8)
        lines = self._wrap(words_of(value), w - label_w - 4, self.style.font, size) or [[]]
        self.ensure(lead * len(lines) + 4)
        top = self.y
        self.y += lead
        self._write(words_of([(label, KEEP)]), x0, self.y - size * 0.25, self.style.bold, size)
        for i, line in enumerate(lines):
            if i:
                self.y += lead
            self._write(line, x0 + label_w, self.y - size * 0.25, self.style.font, size)
        if boxed:
            self.page.draw_rect(pymupdf.Rect(x0 + label_w - 3, top + 2, x0 + w, self.y + 3), color=(0, 0, 0), width=0.5)
        self.y += 4

    def fields_row(self, items: list[tuple[str, list[Run]]], *, label_w: float = 70) -> None:
        """Several short fields side by side on one line."""
        size = self.style.size
        lead = size * self.style.leading
        col = (self.right - self.left) / len(items)
        for label, value in items:
            lw = max(label_w, text_length(label, self.style.bold, size) + 6)
            if lw + text_length(" ".join(t for t, _ in words_of(value)), self.style.font, size) > col - 6:
                for lab, val in items:  # too wide for columns: one field per line
                    self.field(lab, val, label_w=max(label_w, 110))
                return
        self.ensure(lead + 4)
        self.y += lead
        for i, (label, value) in enumerate(items):
            x = self.left + i * col
            end = self._write(words_of([(label, KEEP)]), x, self.y - size * 0.25, self.style.bold, size)
            self._write(words_of(value), max(x + label_w, end + 6), self.y - size * 0.25, self.style.font, size)
        self.y += 4

    def table(
        self,
        headers: list[str],
        rows: list[list[list[Run]]],
        widths: list[float],
        *,
        size: float | None = None,
    ) -> None:
        """A ruled table; cells wrap. widths are fractions of the text width."""
        size = size or self.style.size - 0.5
        lead = size * self.style.leading
        total = self.right - self.left
        cols = [w * total for w in widths]
        xs = [self.left + sum(cols[:i]) for i in range(len(cols))]

        def draw_row(cells: list[list[Run]], bold: bool) -> None:
            fnt = self.style.bold if bold else self.style.font
            wrapped = [self._wrap(words_of(c), cols[i] - 8, fnt, size) for i, c in enumerate(cells)]
            n = max(1, *(len(w) for w in wrapped))
            h = n * lead + 5
            self.ensure(h)
            top = self.y
            for i, lines in enumerate(wrapped):
                for j, line in enumerate(lines):
                    self._write(line, xs[i] + 4, top + (j + 1) * lead - size * 0.2, fnt, size)
            self.y = top + h
            r = pymupdf.Rect(self.left, top, self.right, self.y)
            self.page.draw_rect(r, color=(0, 0, 0), width=0.6)
            for x in xs[1:]:
                self.page.draw_line((x, top), (x, self.y), color=(0, 0, 0), width=0.6)

        draw_row([[(h, KEEP)] for h in headers], True)
        for row in rows:
            draw_row(row, False)
        self.y += 8

    def rule(self, width: float = 0.8, gap: float = 6) -> None:
        self.ensure(gap * 2)
        self.y += gap
        self.page.draw_line((self.left, self.y), (self.right, self.y), color=(0, 0, 0), width=width)
        self.y += gap

    def signature(self, x: float | None = None) -> None:
        """A pen squiggle: ink that is not a word."""
        self.ensure(34)
        x0 = (self.left if x is None else x) + 4
        base = self.y + 22
        pts = []
        n = self.rng.randint(9, 14)
        for i in range(n):
            pts.append((x0 + i * self.rng.uniform(6, 11), base - self.rng.uniform(-9, 9)))
        self.page.draw_polyline(pts, color=(0.05, 0.05, 0.25), width=1.1)
        self.y += 30

    def checkbox_line(self, items: list[tuple[str, bool]]) -> None:
        runs: list[Run] = []
        for label, ticked in items:
            runs.append((f"[{'X' if ticked else ' '}] {label}    ", KEEP))
        self.para(runs, gap=3)

    # --- reading back ------------------------------------------------------------
    def finish(self) -> tuple[pymupdf.Document, list[list[TruthWord]]]:
        """The document and, per page, every word PyMuPDF finds with its truth."""
        result: list[list[TruthWord]] = []
        for i, state in enumerate(self.pages):
            page = self.doc[i]
            found = page.get_text("words")
            pending = list(state.planned)
            words: list[TruthWord] = []
            for x0, y0, x1, y1, text, *_ in found:
                k = next(
                    (
                        j
                        for j, p in enumerate(pending)
                        if p.text == text and abs(p.x0 - x0) < 1.5 and y0 - 1 <= p.baseline <= y1 + 1
                    ),
                    None,
                )
                if k is None:
                    near = [
                        (p.text, round(p.x0, 1), round(p.baseline, 1)) for p in pending if abs(p.baseline - y1) < 20
                    ][:6]
                    raise RuntimeError(
                        f"synth layout: page {i + 1}: word {text!r} at {x0:.1f},{y0:.1f}-{y1:.1f}"
                        f" was not planned; near: {near}"
                    )
                p = pending.pop(k)
                words.append(TruthWord(text, (x0, y0, x1, y1), p.tag))
            if pending:
                raise RuntimeError(f"synth layout: page {i + 1}: {len(pending)} planned words not found")
            result.append(words)
        return self.doc, result
