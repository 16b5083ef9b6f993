"""Page geometry and line art in page coordinates: where the MediaBox lies beyond the
CropBox, and whether a drawn path can carry a shape and reaches into a box."""

from __future__ import annotations

from typing import Any

import pymupdf


def mediabox_in_page_coords(page: pymupdf.Page) -> pymupdf.Rect:
    """The page's MediaBox in page coordinates (unrotated, origin top-left of the
    CropBox): it starts left of / above (0, 0) when the CropBox is inset."""
    mb, cb = page.mediabox, page.cropbox
    return pymupdf.Rect(mb.x0 - cb.x0, -cb.y0, mb.x1 - cb.x0, mb.height - cb.y0)


def outside_strips(outer: pymupdf.Rect, inner: pymupdf.Rect) -> list[pymupdf.Rect]:
    """Up to four rectangles covering ``outer`` minus ``inner``."""
    inner = pymupdf.Rect(inner) & outer
    strips = [
        pymupdf.Rect(outer.x0, outer.y0, outer.x1, inner.y0),
        pymupdf.Rect(outer.x0, inner.y1, outer.x1, outer.y1),
        pymupdf.Rect(outer.x0, inner.y0, inner.x0, inner.y1),
        pymupdf.Rect(inner.x1, inner.y0, outer.x1, inner.y1),
    ]
    return [s for s in strips if s.width > 0.01 and s.height > 0.01]


def path_is_complex(d: dict[str, Any]) -> bool:
    """A path that can draw a shape (curves, or more than one straight segment) rather
    than a single straight line or rectangles."""
    ops = [item[0] for item in d["items"]]
    return any(op in ("c", "qu") for op in ops) or ops.count("l") > 1


def path_touches(d: dict[str, Any], box: pymupdf.Rect) -> bool:
    """Does any segment of the path reach into ``box`` (0.5 pt in from its edges)?"""
    inner = box + (0.5, 0.5, -0.5, -0.5)
    return not inner.is_empty and any(_item_touches(item, inner) for item in d["items"])


def _item_touches(item: tuple[Any, ...], inner: pymupdf.Rect) -> bool:
    op = item[0]
    if op == "l":
        return _segment_hits(pymupdf.Point(item[1]), pymupdf.Point(item[2]), inner)
    if op == "re":
        r = pymupdf.Rect(item[1])
    elif op == "qu":
        r = pymupdf.Quad(item[1]).rect
    else:  # "c": a curve lies within its control polygon
        pts = [pymupdf.Point(p) for p in item[1:5]]
        r = pymupdf.Rect(min(p.x for p in pts), min(p.y for p in pts), max(p.x for p in pts),
                         max(p.y for p in pts))
    return bool(r.x0 <= inner.x1 and r.x1 >= inner.x0 and r.y0 <= inner.y1 and r.y1 >= inner.y0)


def _segment_hits(p: pymupdf.Point, q: pymupdf.Point, r: pymupdf.Rect) -> bool:
    """Liang-Barsky: does the segment p-q meet rectangle r?"""
    t0, t1 = 0.0, 1.0
    dx, dy = q.x - p.x, q.y - p.y
    for edge_p, edge_q in ((-dx, p.x - r.x0), (dx, r.x1 - p.x), (-dy, p.y - r.y0), (dy, r.y1 - p.y)):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True
