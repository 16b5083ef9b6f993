"""Judge released PDFs from the outside, the way a reader could recover text.

For every truth word (box in displayed-page PDF points, top-left origin) of every
page of every source file, look at the released ``<stem>.pdf``:

- *redacted*: the word's box (shrunk to its core) is solid dark in the rendered page;
- *text leak*: a character of the released text layer sits inside the word's box, or
  the word itself is still in the page's text layer;
- *image leak*: an embedded image placed under the box still holds ink there.

Nothing here reads the project's database: only released files and the truth.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf

DARK = 80  # gray level below which a rendered pixel counts as black
SOLID = 0.9  # share of dark pixels that makes a box "solid dark"
RENDER_DPI = 100


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s.casefold() if c.isalnum())


@dataclass
class WordVerdict:
    file: str
    page_index: int
    text: str = field(repr=False)
    cls: str
    role: str | None
    party_id: str | None
    redacted: bool
    text_leak: bool
    image_leak: bool
    truth_cls: str = ""  # the word's own truth class, also on an authored page
    author_party: str | None = None  # the page's author (third-party id), if a third party wrote it
    text_under: bool = False  # the part of text_leak that is text under the word's own box


@dataclass
class PageView:
    """A released page, rendered once, with its text and image placements."""

    page: pymupdf.Page
    gray: np.ndarray
    scale: float
    chars: list[tuple[pymupdf.Rect, str]]
    words: list[str]
    images: list[tuple[pymupdf.Matrix, np.ndarray]]  # page->pixel matrix, pixels (gray)


def _page_view(doc: pymupdf.Document, index: int) -> PageView:
    page = doc[index]
    scale = RENDER_DPI / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), colorspace=pymupdf.csGRAY, alpha=False)
    gray = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width)
    chars: list[tuple[pymupdf.Rect, str]] = []
    raw: dict[str, Any] = page.get_text("rawdict")
    for block in raw.get("blocks", []):
        for line in block.get("lines", []):
            for span in line.get("spans", []):
                for ch in span.get("chars", []):
                    if ch["c"].strip():
                        chars.append((pymupdf.Rect(ch["bbox"]), ch["c"]))
    words = [_norm(w[4]) for w in page.get_text("words")]
    images: list[tuple[pymupdf.Matrix, np.ndarray]] = []
    for info in page.get_image_info(xrefs=True):
        xref = info.get("xref") or 0
        if not xref:
            continue
        try:
            ipix = pymupdf.Pixmap(doc, xref)
            if ipix.n - ipix.alpha != 1:
                ipix = pymupdf.Pixmap(pymupdf.csGRAY, ipix)
            if ipix.alpha:
                ipix = pymupdf.Pixmap(ipix, 0)
        except Exception:  # an image we cannot decode cannot be read by a reader either
            continue
        arr = np.frombuffer(ipix.samples, dtype=np.uint8).reshape(ipix.height, ipix.width)
        # transform maps the image's unit square onto the page (unrotated page coords,
        # y down); invert it and scale by the pixel size
        m = ~pymupdf.Matrix(info["transform"]) * pymupdf.Matrix(ipix.width, ipix.height)
        images.append((m, arr))
    return PageView(page, gray, scale, chars, words, images)


def _core(r: pymupdf.Rect, frac: float = 0.2) -> pymupdf.Rect:
    dx, dy = r.width * frac / 2, r.height * frac / 2
    return pymupdf.Rect(r.x0 + dx, r.y0 + dy, r.x1 - dx, r.y1 - dy)


def _rendered_dark(view: PageView, displayed: pymupdf.Rect) -> bool:
    c = _core(displayed) * view.scale
    x0, y0 = max(int(c.x0), 0), max(int(c.y0), 0)
    x1, y1 = min(int(np.ceil(c.x1)), view.gray.shape[1]), min(int(np.ceil(c.y1)), view.gray.shape[0])
    if x1 <= x0 or y1 <= y0:
        return False
    region = view.gray[y0:y1, x0:x1]
    return bool((region < DARK).mean() >= SOLID)


def _text_under(view: PageView, box: pymupdf.Rect) -> bool:
    """A character of the released text layer sits inside the box."""
    core = _core(box, 0.3)
    for r, _c in view.chars:
        centre = pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)
        if core.contains(centre):
            return True
    return False


def _text_leak(view: PageView, box: pymupdf.Rect, text: str, allowed: int) -> bool:
    """Text under the box, or the word more often in the page's text layer than the
    words of the same text that may stay (``allowed``)."""
    if _text_under(view, box):
        return True
    t = _norm(text)
    return len(t) >= 3 and view.words.count(t) > allowed


def _image_leak(view: PageView, box: pymupdf.Rect) -> bool:
    core = _core(box, 0.2)
    for m, arr in view.images:
        r = core * m
        r.normalize()
        x0, y0 = max(int(r.x0), 0), max(int(r.y0), 0)
        x1, y1 = min(int(np.ceil(r.x1)), arr.shape[1]), min(int(np.ceil(r.y1)), arr.shape[0])
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        if _ink_beside_the_bar(arr[y0:y1, x0:x1].astype(np.int16)):
            return True
    return False


BAR_DARK = 60  # an image pixel this dark may be a burnt-in bar's
BAR_FULL = 0.95  # share of a row or column of the word's core that is dark where a bar crosses it
_EDGE_BLUR = 2  # pixels next to a bar that scaling blurs to grey
INK_CONTRAST = 60  # an ink pixel is this much darker than the paper around it
INK_SHARE = 0.02  # of the pixels beside the bar, this share of ink (at least _INK_MIN) is writing
_INK_MIN = 3


def _ink_beside_the_bar(region: np.ndarray) -> bool:
    """The image pixels of a word's core hold writing beside the bar burnt into them. A bar
    that covers the word reaches past its core, so where it is only partly inside it, it is a
    band of dark rows or columns from the core's edge; the rest (past a blurred edge) must be
    plain paper: a pixel much darker than the paper's median is ink. A word only covered by a
    box drawn over the image has no bar in its pixels, and its letters are that ink."""
    dark = region < BAR_DARK
    cols, rows = _edge_bands(dark.mean(axis=0) >= BAR_FULL), _edge_bands(dark.mean(axis=1) >= BAR_FULL)
    bar = cols[None, :] | rows[:, None]
    rest: np.ndarray = region[~bar]
    if rest.size < _INK_MIN:
        return False
    ink = rest < float(np.median(rest)) - INK_CONTRAST
    return int(ink.sum()) >= max(_INK_MIN, INK_SHARE * rest.size)


def _edge_bands(full: np.ndarray) -> np.ndarray:
    """Along one axis of a core: the run of full (dark) lines from each end, and the
    :data:`_EDGE_BLUR` lines past each run's inner edge."""
    n = len(full)
    band = np.zeros(n, dtype=bool)
    if full.all():
        band[:] = True
        return band
    lo, hi = int(np.argmin(full)), int(np.argmin(full[::-1]))  # full lines from the start, from the end
    if lo:
        band[:lo + _EDGE_BLUR] = True
    if hi:
        band[max(0, n - hi - _EDGE_BLUR):] = True
    return band


_PIECES = re.compile(r"[^\W_]+")


def _may_stay(words: list[dict[str, Any]]) -> dict[str, int]:
    """How often each word that may stay is on the page, and each piece of it between
    punctuation: a text layer may hold a kept email or web address split where OCR saw
    spaces ("dan @ price .example"), its pieces as words of their own."""
    out: dict[str, int] = {}
    for w in words:
        if w["class"] in ("refused_ref", "other_child"):
            continue
        whole = _norm(w["text"])
        pieces = {_norm(p) for p in _PIECES.findall(w["text"])} - {whole, ""}
        for t in {whole} | pieces:
            out[t] = out.get(t, 0) + 1
    return out


def judge_file(
    released_pdf: Path,
    file_truth: dict[str, Any],
    file_name: str,
    *,
    withheld_authors: Collection[str] | None = None,
) -> list[WordVerdict]:
    """Verdicts of one released file. A page the truth marks ``authored`` counts as an
    ``authored_page`` (every word must go); with ``withheld_authors`` given, only when
    its author is one of them (a granted party's letter is judged word by word)."""
    out: list[WordVerdict] = []
    with pymupdf.open(released_pdf) as doc:
        for pi, ptruth in enumerate(file_truth["pages"]):
            if pi >= doc.page_count:
                raise ValueError(f"{released_pdf.name} has {doc.page_count} pages; the truth has more")
            view = _page_view(doc, pi)
            derot = view.page.derotation_matrix
            author = ptruth.get("page", {}).get("author_party")
            authored = bool(ptruth.get("page", {}).get("authored"))
            if authored and withheld_authors is not None:
                authored = author in withheld_authors
            may_stay = {} if authored else _may_stay(ptruth["words"])
            for w in ptruth["words"]:
                displayed = pymupdf.Rect(w["box"])
                unrot = displayed * derot
                unrot.normalize()
                out.append(
                    WordVerdict(
                        file=file_name,
                        page_index=pi,
                        text=w["text"],
                        cls="authored_page" if authored else w["class"],
                        role=w.get("role"),
                        party_id=w.get("party_id"),
                        redacted=_rendered_dark(view, displayed),
                        text_leak=_text_leak(view, unrot, w["text"], may_stay.get(_norm(w["text"]), 0)),
                        image_leak=_image_leak(view, unrot),
                        truth_cls=w["class"],
                        author_party=author,
                        text_under=_text_under(view, unrot),
                    )
                )
    return out


def must_go(v: WordVerdict) -> bool:
    return v.cls in ("refused_ref", "other_child", "authored_page")


def withheld_party_ids(truth: dict[str, Any]) -> frozenset[str]:
    """Ids of the truth's refused or pending parties (whose pages are withheld whole)."""
    return frozenset(p["id"] for p in truth.get("parties", []) if p.get("withheld"))


def judge_release(
    out_dir: Path, truth: dict[str, Any], *, withheld_authors: Collection[str] | None = None
) -> list[WordVerdict]:
    """Every truth word of every file, judged against ``out_dir/<stem>.pdf``
    (``withheld_authors``: see :func:`judge_file`; default: the truth's withheld parties)."""
    verdicts: list[WordVerdict] = []
    if withheld_authors is None:  # a page by a party who consented is judged word by word
        withheld_authors = withheld_party_ids(truth)
    for ftruth in truth["files"]:
        file_name = ftruth["file"]
        released = out_dir / (Path(file_name).stem + ".pdf")
        if not released.exists():
            continue
        verdicts.extend(judge_file(released, ftruth, file_name, withheld_authors=withheld_authors))
    return verdicts
