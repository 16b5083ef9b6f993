"""Which accepted proposals cover a page's truth words, and what the OCR read of them:
each rule's counts (its precision and recall), the proposals behind an over-redaction,
and whether a miss was the OCR's."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pymupdf
from rapidfuzz import fuzz

from redaction.evaluation.mentions import norm
from redaction.models import Box, OcrPage


@dataclass(frozen=True)
class _Derot:
    cache: dict[tuple[float, float, int], pymupdf.Matrix] = field(default_factory=dict)

    def matrix(self, width: float, height: float, rotation: int) -> pymupdf.Matrix:
        k = (round(width, 2), round(height, 2), rotation % 360)
        if k not in self.cache:
            doc = pymupdf.open()
            page = doc.new_page(width=width, height=height)
            page.set_rotation(rotation)
            self.cache[k] = pymupdf.Matrix(page.derotation_matrix)
            doc.close()
        return self.cache[k]


_DEROT = _Derot()


def ocr_status(words: Sequence[dict[str, Any]], ocr: OcrPage | None) -> str:
    """How the OCR read the words of a missed mention: ``read`` (every word found under
    its box, close in spelling), ``unread`` (some word has no OCR word under it) or
    ``misread``."""
    if ocr is None:
        return "n/a"
    worst = "read"
    for w in words:
        target = norm(w["text"])
        if not target:
            continue
        found = [ocr.words[i] for i in ocr_words_under(w["box"], ocr)]
        if not found:
            return "unread"
        got = norm("".join(o.text for o in found))
        if target not in got and fuzz.ratio(target, got) < 85:
            worst = "misread"
    return worst


def ocr_words_under(box: Sequence[float], ocr: OcrPage) -> list[int]:
    """The indices of the OCR words that lie under a truth word's ``box`` (working page
    points, as the truth gives them; OCR's boxes are on the unrotated page): those sharing more
    than :data:`UNDER_SHARE` of the smaller box's area with it."""
    r = pymupdf.Rect(box) * _DEROT.matrix(ocr.width, ocr.height, ocr.rotation)
    r.normalize()
    out = []
    for i, o in enumerate(ocr.words):
        ob = pymupdf.Rect(o.box.as_tuple())
        if ob.intersects(r) and (ob & r).get_area() > UNDER_SHARE * min(r.get_area(), ob.get_area()):
            out.append(i)
    return out


UNDER_SHARE = 0.3


def page_rotation(ftruth: Mapping[str, Any], pi: int) -> int:
    return int(ftruth["pages"][pi].get("rotation", 0) or 0)


# an accepted proposal as the scorer sees it: (boxes, "reason/detector"), and optionally the
# rules behind it (the parts of its explanation; see :func:`rule_id`)
Accepted = tuple[Sequence[Box], str] | tuple[Sequence[Box], str, Sequence[str]]


def _derot(ocr: OcrPage | None, rotation: int) -> pymupdf.Matrix | None:
    if ocr is not None:
        return _DEROT.matrix(ocr.width, ocr.height, ocr.rotation)
    return pymupdf.Identity if rotation == 0 else None


def covered_by(
    words: Sequence[dict[str, Any]], props: Sequence[Accepted], ocr: OcrPage | None, rotation: int
) -> str:
    """The labels of the proposals whose boxes cover any of the words ("?" if unknown)."""
    if not props:
        return ""
    derot = _derot(ocr, rotation)
    if derot is None:
        return "?"
    labels: set[str] = set()
    for w in words:
        r = _core_rect(pymupdf.Rect(w["box"]) * derot)
        for p in props:
            if any(pymupdf.Rect(b.as_tuple()).intersects(r) for b in p[0]):
                labels.add(p[1])
    return "+".join(sorted(labels)) or "?"


_DIGITS = re.compile(r"\d+")


_RULE_TAG = re.compile(r"\[([a-z0-9]+\.[a-z0-9.-]+)\]$")


def rule_id(part: str) -> str:
    """A rule's name as the evaluation counts it, from one part of a proposal's explanation (a
    merged proposal lists every rule that found it, parted by "; "): the rule id it ends in
    ("full name [manifest.full-name]"); a part naming none (a reviewer's box, an older
    proposal) counts as its words, numbers folded ("OCR could not read 41% ..." and
    "... 38% ..." are one)."""
    if (m := _RULE_TAG.search(part.strip())) is not None:
        return m.group(1)
    return _DIGITS.sub("#", part.strip())


def rules_of(explanation: str) -> tuple[str, ...]:
    """The rules behind a proposal, from its explanation."""
    return tuple(dict.fromkeys(rule_id(p) for p in explanation.split("; ") if p.strip()))


def rule_counts(c: Counter[str], words: Sequence[dict[str, Any]], must: Sequence[bool],
                 mentions: Sequence[Sequence[int]], props: Sequence[Accepted], ocr: OcrPage | None,
                 rotation: int) -> None:
    """Per rule: truth words under its accepted boxes and how many of them must go (its
    precision), proposals, and the mentions (index lists into ``words``) its boxes cover
    wholly, alone or with other rules (its recall)."""
    ruled = [p for p in props if len(p) > 2 and p[2]]
    if not ruled:
        return
    derot = _derot(ocr, rotation)
    if derot is None:
        return
    cores = [_core_rect(pymupdf.Rect(w["box"]) * derot) for w in words]
    under: dict[str, set[int]] = {}
    for p in ruled:
        rects = [pymupdf.Rect(b.as_tuple()) for b in p[0]]
        hit = {i for i, r in enumerate(cores) if any(b.intersects(r) for b in rects)}
        for rule in p[2]:
            c[f"rule|{rule}|proposals"] += 1
            under.setdefault(rule, set()).update(hit)
    for rule, idx in under.items():
        c[f"rule|{rule}|words"] += len(idx)
        c[f"rule|{rule}|must_go"] += sum(must[i] for i in idx)
    for m in mentions:
        by = [rule for rule, idx in under.items() if all(i in idx for i in m)]
        for rule in by:
            c[f"rule|{rule}|mentions"] += 1
            c[f"rule|{rule}|only"] += len(by) == 1


def _core_rect(r: pymupdf.Rect) -> pymupdf.Rect:
    r.normalize()
    dx, dy = r.width * 0.2, r.height * 0.2
    return pymupdf.Rect(r.x0 + dx, r.y0 + dy, r.x1 - dx, r.y1 - dy)
