"""Family B's page furniture on top of :class:`~redaction.synth.layout.PageWriter`
(which keeps the truth of every word): italic and Courier bodies, a running header
with the child's name, letterheads in four places (right block, centred, boxed,
footer band), shaded-header and open tables, diary entries."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pymupdf

from redaction.synth.layout import A4, KEEP, PageWriter, Run, Style, text_length, words_of

_BOLD = {"helv": "hebo", "heit": "hebo", "tiro": "tibo", "tiit": "tibo", "cour": "cobo", "coit": "cobo"}


@dataclass
class StyleB(Style):
    @property
    def bold(self) -> str:
        return _BOLD[self.font]


class Sheet(PageWriter):
    """A PageWriter with a running header line (``header`` runs) on every page."""

    def __init__(
        self, style: Style, rng: random.Random, header: list[Run] | None = None, footer: list[Run] | None = None
    ) -> None:
        self.header = header
        super().__init__(style, rng, footer)

    def _new_page(self) -> None:
        super()._new_page()
        if self.header:
            size = self.style.size - 1.5
            self._write(words_of(self.header), self.left, self.style.margin - 14, self.style.font, size)
            self.page.draw_line(
                (self.left, self.style.margin - 9),
                (self.right, self.style.margin - 9),
                color=(0.3, 0.3, 0.3),
                width=0.4,
            )

    # --- letterheads --------------------------------------------------------------
    def letterhead(self, name: list[Run], lines: list[list[Run]], where: str) -> None:
        """An organisation's heading: ``right`` (block at the top right), ``centre``,
        ``boxed`` (name in a ruled box, lines under it, left) or ``band`` (name large,
        the address and phone in one small line under a rule)."""
        size = self.style.size
        if where == "right":
            w = 230.0
            x = self.right - w
            self.para(name, x=x, width=w, size=size + 2.5, bold=True, gap=1, align="right")
            for ln in lines:
                self.para(ln, x=x, width=w, size=size - 1, gap=0, align="right")
            self.space(14)
        elif where == "centre":
            self.para(name, size=size + 4, bold=True, gap=2, align="center")
            for ln in lines:
                self.para(ln, size=size - 1.5, gap=0, align="center")
            self.rule(width=1.2, gap=8)
        elif where == "boxed":
            top = self.y + 2
            self.para(name, x=self.left + 8, width=260, size=size + 2, bold=True, gap=2)
            for ln in lines:
                self.para(ln, x=self.left + 8, width=260, size=size - 1, gap=0)
            self.page.draw_rect(pymupdf.Rect(self.left, top, self.left + 276, self.y + 6), color=(0, 0, 0), width=1)
            self.space(18)
        else:  # band
            self.para(name, size=size + 5, bold=True, gap=0)
            self.rule(width=2, gap=3)
            joined: list[Run] = []
            for i, ln in enumerate(lines):
                if i:
                    joined.append(("  |  ", KEEP))
                joined += ln
            self.para(joined, size=size - 2, gap=10)

    # --- tables -------------------------------------------------------------------
    def grid(
        self,
        headers: list[str],
        rows: list[list[list[Run]]],
        widths: list[float],
        *,
        look: str = "shaded",
        size: float | None = None,
    ) -> None:
        """A table: ``shaded`` (grey header band, horizontal rules), ``open`` (bold
        header underlined, no rules) or ``boxed`` (every cell ruled, header in
        capitals)."""
        size = size or self.style.size - 1
        lead = size * self.style.leading
        total = self.right - self.left
        cols = [w * total for w in widths]
        xs = [self.left + sum(cols[:i]) for i in range(len(cols))]

        def fit(cell: list[Run], i: int, fnt: str) -> float:
            """The cell's font size: the table's, smaller when one word is wider than the column."""
            widest = max((text_length(t, fnt, size) for t, _ in words_of(cell)), default=0.0)
            return size if widest <= cols[i] - 7 else max(6.0, size * (cols[i] - 7) / widest)

        def row(cells: list[list[Run]], head: bool) -> None:
            fnt = self.style.bold if head else self.style.font
            sizes = [fit(c, i, fnt) for i, c in enumerate(cells)]
            wrapped = [self._wrap(words_of(c), cols[i] - 7, fnt, sizes[i]) for i, c in enumerate(cells)]
            h = max(len(w) * sizes[i] * self.style.leading for i, w in enumerate(wrapped))
            h = max(h, lead) + 6
            self.ensure(h)
            top = self.y
            if head and look == "shaded":
                self.page.draw_rect(
                    pymupdf.Rect(self.left, top, self.right, top + h), color=None, fill=(0.82, 0.82, 0.82), width=0
                )
            for i, lines in enumerate(wrapped):
                sz = sizes[i]
                for j, line in enumerate(lines):
                    self._write(line, xs[i] + 3.5, top + (j + 1) * sz * self.style.leading - sz * 0.15, fnt, sz)
            self.y = top + h
            if look == "shaded":
                self.page.draw_line((self.left, self.y), (self.right, self.y), color=(0.35, 0.35, 0.35), width=0.5)
            elif look == "open" and head:
                self.page.draw_line((self.left, self.y - 1), (self.right, self.y - 1), color=(0, 0, 0), width=1)
            elif look == "boxed":
                self.page.draw_rect(pymupdf.Rect(self.left, top, self.right, self.y), color=(0, 0, 0), width=0.8)
                for x in xs[1:]:
                    self.page.draw_line((x, top), (x, self.y), color=(0, 0, 0), width=0.8)

        heads = [h.upper() for h in headers] if look == "boxed" else headers
        row([[(h, KEEP)] for h in heads], True)
        for r in rows:
            row(r, False)
        self.y += 10

    def kv(self, pairs: list[tuple[str, list[Run]]], label_w: float = 150) -> None:
        """Label / value pairs as a two-column ruled block."""
        size = self.style.size
        lead = size * self.style.leading
        for label, value in pairs:
            lines = self._wrap(words_of(value), self.right - self.left - label_w - 10, self.style.font, size) or [[]]
            h = len(lines) * lead + 5
            self.ensure(h)
            top = self.y
            self._write(words_of([(label, KEEP)]), self.left + 3, top + lead - size * 0.2, self.style.bold, size)
            for j, ln in enumerate(lines):
                self._write(ln, self.left + label_w + 5, top + (j + 1) * lead - size * 0.2, self.style.font, size)
            self.y = top + h
            self.page.draw_line((self.left, self.y), (self.right, self.y), color=(0.5, 0.5, 0.5), width=0.4)
        self.y += 8

    def entry(self, when: str, who: list[Run], body: list[Run]) -> None:
        """A diary or log entry: a bold date line, the writer on the right, the text."""
        size = self.style.size
        self.ensure(size * 4)
        self.y += size * 1.4
        self._write(words_of([(when, KEEP)]), self.left, self.y - size * 0.25, self.style.bold, size)
        wl = text_length(" ".join(t for t, _ in words_of(who)), self.style.font, size - 1)
        self._write(words_of(who), self.right - wl, self.y - size * 0.25, self.style.font, size - 1)
        self.para(body, x=self.left + 14, gap=4)

    def stamp(self, text: str) -> None:
        """A rubber stamp: capitals in a rectangle at the right margin."""
        size = self.style.size + 1
        w = text_length(text, "hebo", size) + 12
        self.ensure(size * 3)
        x = self.right - w
        top = self.y + 4
        self._write(words_of([(text, KEEP)]), x + 6, top + size + 2, "hebo", size)
        self.page.draw_rect(pymupdf.Rect(x, top, self.right, top + size + 8), color=(0.2, 0.2, 0.2), width=1.4)
        self.y = top + size + 12


def sheet(
    rng: random.Random,
    header: list[Run] | None,
    footer: list[Run] | None,
    *,
    font: str | None = None,
    size: float | None = None,
) -> Sheet:
    style = StyleB(
        font=font or rng.choice(["tiro", "tiit", "heit", "helv", "cour"]),
        size=size or rng.choice([9.0, 9.5, 10.5, 11.0]),
        margin=rng.choice([50.0, 58.0, 64.0]),
        leading=rng.choice([1.3, 1.45]),
    )
    return Sheet(style, rng, header, footer)


__all__ = ["A4", "Sheet", "StyleB", "sheet"]
