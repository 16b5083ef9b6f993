"""Family C's page furniture on top of :class:`~redaction.synth.layout.PageWriter`
(which keeps the truth of every word): a protective marking in the footer, letterheads
with a drawn emblem and the address in a column of its own, two-column key/value boxes
with a shaded label column, row-per-person tables with banded rows, printed e-mail
headers, signature blocks, and handwriting (an oblique hand on ruled paper, each line a
little off the last)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pymupdf

from redaction.synth.layout import A4, KEEP, PageWriter, Run, Style, text_length, words_of

_BOLD = {"helv": "hebo", "heit": "hebi", "tiro": "tibo", "tiit": "tibi", "cour": "cobo", "coit": "cobi"}


@dataclass
class StyleC(Style):
    @property
    def bold(self) -> str:
        return _BOLD[self.font]


class Leaf(PageWriter):
    """A PageWriter with family C's blocks."""

    # --- headings -------------------------------------------------------------------
    def letterhead(self, name: list[Run], lines: list[list[Run]]) -> None:
        """An emblem (a ring with a bar), the organisation's name beside it and its
        address and phone in a right-hand column of small lines, then a double rule."""
        size = self.style.size
        top = self.y
        cx, cy = self.left + 14, top + 16
        self.page.draw_circle((cx, cy), 12, color=(0.2, 0.2, 0.2), width=1.6)
        self.page.draw_line((cx - 8, cy), (cx + 8, cy), color=(0.2, 0.2, 0.2), width=2.2)
        col = 190.0
        self.para(name, x=self.left + 34, width=self.right - self.left - 34 - col - 10, size=size + 3, bold=True,
                  gap=0)
        left_end = self.y
        self.y = top
        for ln in lines:
            self.para(ln, x=self.right - col, width=col, size=size - 1.5, gap=0, align="right")
        self.y = max(self.y, left_end, top + 30) + 4
        self.page.draw_line((self.left, self.y), (self.right, self.y), color=(0, 0, 0), width=1.2)
        self.page.draw_line((self.left, self.y + 2.5), (self.right, self.y + 2.5), color=(0, 0, 0), width=0.4)
        self.y += 14

    def banner(self, text: str) -> None:
        """A title in capitals between a thick rule and a thin one."""
        size = self.style.size + 2
        self.ensure(size * 4)
        self.page.draw_line((self.left, self.y + 2), (self.right, self.y + 2), color=(0, 0, 0), width=2.5)
        self.y += 4
        self.para([(text.upper(), KEEP)], size=size, bold=True, gap=3)
        self.page.draw_line((self.left, self.y), (self.right, self.y), color=(0, 0, 0), width=0.5)
        self.y += 10

    # --- tables ---------------------------------------------------------------------
    def keyvalue(self, pairs: list[tuple[str, list[Run]]], label_w: float = 150) -> None:
        """Label / value pairs in a ruled two-column box, the label column shaded."""
        size = self.style.size
        lead = size * self.style.leading
        for label, value in pairs:
            llines = self._wrap(words_of([(label, KEEP)]), label_w - 8, self.style.bold, size - 0.5)
            vlines = self._wrap(words_of(value), self.right - self.left - label_w - 10, self.style.font, size) or [[]]
            h = max(len(llines), len(vlines)) * lead + 6
            self.ensure(h)
            top = self.y
            self.page.draw_rect(pymupdf.Rect(self.left, top, self.left + label_w, top + h), color=None,
                                fill=(0.88, 0.88, 0.88))
            for j, ln in enumerate(llines):
                self._write(ln, self.left + 4, top + (j + 1) * lead - size * 0.1, self.style.bold, size - 0.5)
            for j, ln in enumerate(vlines):
                self._write(ln, self.left + label_w + 5, top + (j + 1) * lead - size * 0.1, self.style.font, size)
            self.y = top + h
            self.page.draw_rect(pymupdf.Rect(self.left, top, self.right, self.y), color=(0.3, 0.3, 0.3), width=0.5)
        self.y += 10

    def rows(self, headers: list[str], body: list[list[list[Run]]], widths: list[float],
             size: float | None = None) -> None:
        """A row-per-person table: a bold header over a thick rule, banded rows, no
        vertical rules; cells wrap (a long detail runs onto a second line)."""
        size = size or self.style.size - 1
        total = self.right - self.left
        cols = [w * total for w in widths]
        xs = [self.left + sum(cols[:i]) for i in range(len(cols))]

        def fit(cell: list[Run], i: int, fnt: str) -> float:
            widest = max((text_length(t, fnt, size) for t, _ in words_of(cell)), default=0.0)
            return size if widest <= cols[i] - 6 else max(6.0, size * (cols[i] - 6) / widest)

        def row(cells: list[list[Run]], head: bool, band: bool) -> None:
            fnt = self.style.bold if head else self.style.font
            sizes = [fit(c, i, fnt) for i, c in enumerate(cells)]
            wrapped = [self._wrap(words_of(c), cols[i] - 6, fnt, sizes[i]) for i, c in enumerate(cells)]
            h = max(max(len(w), 1) * sizes[i] * self.style.leading for i, w in enumerate(wrapped)) + 5
            self.ensure(h)
            top = self.y
            if band:
                self.page.draw_rect(pymupdf.Rect(self.left, top, self.right, top + h), color=None,
                                    fill=(0.93, 0.93, 0.93))
            for i, lines in enumerate(wrapped):
                for j, ln in enumerate(lines):
                    self._write(ln, xs[i] + 3, top + (j + 1) * sizes[i] * self.style.leading - 1, fnt, sizes[i])
            self.y = top + h
            if head:
                self.page.draw_line((self.left, self.y), (self.right, self.y), color=(0, 0, 0), width=1.4)

        row([[(h, KEEP)] for h in headers], True, False)
        for k, r in enumerate(body):
            row(r, False, k % 2 == 1)
        self.page.draw_line((self.left, self.y), (self.right, self.y), color=(0, 0, 0), width=0.6)
        self.y += 10

    # --- correspondence ---------------------------------------------------------------
    def mail_header(self, fields: list[tuple[str, list[Run]]]) -> None:
        """A printed e-mail's header lines ("From:", "To:", "Cc:" ...) in a grey box."""
        size = self.style.size - 0.5
        lead = size * 1.3
        top = self.y + 2
        self.y = top + 4
        for label, value in fields:
            lines = self._wrap(words_of(value), self.right - self.left - 70, self.style.font, size) or [[]]
            self.ensure(lead * len(lines))
            self.y += lead
            self._write(words_of([(label, KEEP)]), self.left + 6, self.y - size * 0.25, self.style.bold, size)
            for j, ln in enumerate(lines):
                if j:
                    self.y += lead
                self._write(ln, self.left + 64, self.y - size * 0.25, self.style.font, size)
        self.y += 6
        self.page.draw_rect(pymupdf.Rect(self.left, top, self.right, self.y), color=(0.5, 0.5, 0.5), width=0.6)
        self.y += 10

    def sign_off(self, closing: str, lines: list[list[Run]]) -> None:
        """"Yours sincerely", a pen squiggle, then the signatory's lines."""
        self.ensure(60 + 14 * len(lines))
        self.para([(closing, KEEP)], gap=0)
        self.signature()
        for i, ln in enumerate(lines):
            self.para(ln, bold=i == 0, gap=0)
        self.space(8)

    # --- handwriting ----------------------------------------------------------------
    def hand(self, runs: list[Run], *, ruled: bool = True) -> None:
        """Handwritten text: an oblique hand a size larger, each line starting a little
        off the margin and sitting a little off its rule."""
        fnt = {"helv": "heit", "tiro": "tiit", "cour": "coit"}.get(self.style.font, self.style.font)
        size = self.style.size + 1.5
        lead = size * 1.6
        for line in self._wrap(words_of(runs), self.right - self.left - 24, fnt, size):
            self.ensure(lead)
            self.y += lead
            if ruled:
                self.page.draw_line((self.left - 10, self.y + 2), (self.right + 10, self.y + 2),
                                    color=(0.6, 0.7, 0.85), width=0.4)
            dx = self.rng.uniform(0, 14)
            dy = self.rng.uniform(-1.5, 1.0)
            self._write(line, self.left + dx, self.y + dy, fnt, size)
        self.y += 6


def leaf(
    rng: random.Random,
    footer: list[Run] | None,
    *,
    font: str | None = None,
    size: float | None = None,
) -> Leaf:
    style = StyleC(
        font=font or rng.choice(["helv", "tiro", "helv", "cour", "heit"]),
        size=size or rng.choice([8.5, 9.5, 10.0, 11.5]),
        margin=rng.choice([42.0, 54.0, 70.0]),
        leading=rng.choice([1.25, 1.4, 1.5]),
    )
    return Leaf(style, rng, footer)


__all__ = ["A4", "Leaf", "StyleC", "leaf"]
