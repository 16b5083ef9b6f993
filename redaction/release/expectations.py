"""What each released page must be, read from the source file itself with qpdf (pikepdf):
its displayed size, the accepted boxes and the places a reviewer kept, mapped to the page
as displayed (:mod:`redaction.release.verifier`)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import pikepdf

from redaction.models import Box, Redaction

Rect4 = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageExpectation:
    """What one released page must be: its displayed size (points), the accepted
    boxes and the places a reviewer kept, both in displayed coordinates."""

    width: float
    height: float
    covered: tuple[Rect4, ...] = ()
    kept: tuple[Rect4, ...] = ()
    whole: bool = False


def _inherited(page: pikepdf.Dictionary, key: str) -> object:
    node: object = page
    for _ in range(64):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def rect_of(value: object) -> Rect4 | None:
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    a, b, c, d = (float(Decimal(str(v))) for v in value)
    return min(a, c), min(b, d), max(a, c), max(b, d)


def _source_geometry(page: pikepdf.Dictionary) -> tuple[int, float, float]:
    """Rotation and the unrotated visible size (CropBox within MediaBox) of a page."""
    media = rect_of(_inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
    crop = rect_of(_inherited(page, "/CropBox")) or media
    x0, y0 = max(media[0], crop[0]), max(media[1], crop[1])
    x1, y1 = min(media[2], crop[2]), min(media[3], crop[3])
    rot = _inherited(page, "/Rotate")
    rotation = int(rot) % 360 if isinstance(rot, int | pikepdf.Object) and str(rot).lstrip("-").isdigit() else 0
    return rotation - rotation % 90, max(0.0, x1 - x0), max(0.0, y1 - y0)


def displayed(box: Box, rotation: int, width: float, height: float) -> Rect4:
    """``box`` (unrotated page coordinates, y down, CropBox origin) on the page as
    displayed, turned by ``rotation`` degrees clockwise."""
    corners = [(box.x0, box.y0), (box.x1, box.y1)]
    if rotation == 90:
        pts = [(height - y, x) for x, y in corners]
    elif rotation == 180:
        pts = [(width - x, height - y) for x, y in corners]
    elif rotation == 270:
        pts = [(y, width - x) for x, y in corners]
    else:
        pts = corners
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def expectations(source_pdf: bytes, redactions: Sequence[Redaction],
                 kept: Mapping[int, Sequence[Box]] | None = None) -> list[PageExpectation]:
    """One :class:`PageExpectation` per source page, from the source file itself."""
    kept = kept or {}
    with pikepdf.open(io.BytesIO(source_pdf)) as src:
        geometry = [_source_geometry(p.obj) for p in src.pages]
    out = []
    for pno, (rotation, w, h) in enumerate(geometry):
        reds = [r for r in redactions if r.page_index == pno]
        size = (h, w) if rotation in (90, 270) else (w, h)
        out.append(PageExpectation(
            size[0], size[1],
            covered=tuple(displayed(b, rotation, w, h) for r in reds if not r.whole_page for b in r.boxes),
            kept=tuple(displayed(b, rotation, w, h) for b in kept.get(pno, ())),
            whole=any(r.whole_page for r in reds),
        ))
    return out
