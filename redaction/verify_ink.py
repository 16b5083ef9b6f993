"""The ink checks of :mod:`redaction.verify`: embedded images, line art and the page as
rendered, each looking under the accepted boxes (see the kinds ``image``, ``vector``,
``rendered`` and ``hidden`` there)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pymupdf

from redaction.pagegeom import path_is_complex, path_touches

log = logging.getLogger(__name__)

RENDER_DPI = 100
DARK_LEVEL = 60  # a rendered pixel below this grey level counts as dark
DARK_SHARE = 0.98  # share of dark pixels a box must show
RENDER_SHRINK_PX = 1.0  # pixels trimmed from each box edge before rendering checks
IMAGE_INK_TOLERANCE = 8  # a redacted image area varies by 0; ink differs by far more


# --- geometry ---------------------------------------------------------------------


def same_rect(a: pymupdf.Rect, b: pymupdf.Rect, tol: float) -> bool:
    return all(abs(p - q) <= tol for p, q in ((a.x0, b.x0), (a.y0, b.y0), (a.x1, b.x1), (a.y1, b.y1)))


def overlaps(a: pymupdf.Rect, b: pymupdf.Rect, tol: float) -> bool:
    return bool((min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol))


# --- images ---------------------------------------------------------------------


def image_leaks(
    page: pymupdf.Page, boxes: Sequence[pymupdf.Rect], strips: Sequence[pymupdf.Rect]
) -> list[tuple[str, str]]:
    if not boxes and not strips:
        return []
    doc = page.parent
    leaks: list[tuple[str, str]] = []
    infos = page.get_image_info(xrefs=True)
    inline = None
    for n, info in enumerate(infos):
        bbox = pymupdf.Rect(info["bbox"])
        targets = [("image", b) for b in boxes if overlaps(bbox, b, 0)]
        targets += [("hidden", s) for s in strips if overlaps(bbox, s, 0)]
        if not targets:
            continue
        xref = info["xref"]
        if xref:
            layers = _xref_layers(doc, xref)
        else:
            if inline is None:
                inline = [b for b in page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_IMAGES)["blocks"]
                          if b["type"] == 1]
            layers = _inline_layers(inline, info)
        matrix = pymupdf.Matrix(info["transform"])
        for kind, target in targets:
            where = "under an accepted box" if kind == "image" else "outside the visible page"
            at = f"at ({target.x0:.0f},{target.y0:.0f})-({target.x1:.0f},{target.y1:.0f})"
            for label, arr in layers:
                if arr is None:
                    leaks.append((kind, f"image {n + 1} ({label}) cannot be decoded, so it cannot be "
                                        f"shown to hold no ink {where} {at}"))
                    break
                if _has_ink(arr, matrix, target):
                    leaks.append((kind, f"image {n + 1} ({label}) still holds ink {where} {at}"))
                    break
    return leaks


def _pixmap_array(pix: pymupdf.Pixmap) -> np.ndarray:
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)


def _xref_layers(doc: pymupdf.Document, xref: int) -> list[tuple[str, np.ndarray | None]]:
    """The image's own samples plus any soft mask or stencil mask, each as HxWxN."""
    layers: list[tuple[str, np.ndarray | None]] = [("pixels", _decoded(doc, xref))]
    for key in ("SMask", "Mask"):
        kind, value = doc.xref_get_key(xref, key)
        if kind == "xref":
            layers.append((key, _decoded(doc, int(value.split()[0]))))
    return layers


def _decoded(doc: pymupdf.Document, xref: int) -> np.ndarray | None:
    """The image's samples, or None if MuPDF cannot decode them (then nothing is proven)."""
    try:
        return _pixmap_array(pymupdf.Pixmap(doc, xref))
    except Exception:
        log.warning("image object %d cannot be decoded", xref)
        return None


def _inline_layers(blocks: list[dict[str, Any]], info: dict[str, Any]) -> list[tuple[str, np.ndarray | None]]:
    for b in blocks:
        if all(abs(p - q) < 0.01 for p, q in zip(b["transform"], info["transform"], strict=True)):
            layers: list[tuple[str, np.ndarray | None]] = []
            for label, key in (("inline pixels", "image"), ("inline mask", "mask")):
                if b.get(key):
                    try:
                        layers.append((label, _pixmap_array(pymupdf.Pixmap(b[key]))))
                    except Exception:
                        layers.append((label, None))
            return layers
    return [("inline image", None)]


def _has_ink(arr: np.ndarray, matrix: pymupdf.Matrix, box: pymupdf.Rect) -> bool:
    """Do the image pixels that lie wholly inside ``box`` (page coordinates; the image
    maps its unit square to the page by ``matrix``) vary? One pixel of margin."""
    h, w = arr.shape[:2]
    if h < 2 and w < 2:
        return False
    pixel = max(math.hypot(matrix.a, matrix.b) / w, math.hypot(matrix.c, matrix.d) / h)  # in points
    inner = box + (pixel, pixel, -pixel, -pixel)
    if inner.is_empty or abs(matrix.a * matrix.d - matrix.b * matrix.c) < 1e-9:
        return False
    inv = ~matrix
    corners = [pymupdf.Point(p) * inv for p in (inner.tl, inner.tr, inner.bl, inner.br)]
    x0 = max(int(math.floor(min(c.x for c in corners) * w)), 0)
    x1 = min(int(math.ceil(max(c.x for c in corners) * w)), w)
    y0 = max(int(math.floor(min(c.y for c in corners) * h)), 0)
    y1 = min(int(math.ceil(max(c.y for c in corners) * h)), h)
    if x1 <= x0 or y1 <= y0:
        return False
    # pixel centres -> page coordinates; keep those inside the shrunk box
    u = (np.arange(x0, x1) + 0.5) / w
    v = (np.arange(y0, y1) + 0.5) / h
    uu, vv = np.meshgrid(u, v)
    px = uu * matrix.a + vv * matrix.c + matrix.e
    py = uu * matrix.b + vv * matrix.d + matrix.f
    inside = (px >= inner.x0) & (px <= inner.x1) & (py >= inner.y0) & (py <= inner.y1)
    region = arr[y0:y1, x0:x1][inside]
    if region.size == 0:
        return False
    spread = region.max(axis=0).astype(int) - region.min(axis=0).astype(int)
    return bool(spread.max() > IMAGE_INK_TOLERANCE)


# --- line art -------------------------------------------------------------------


def vector_leaks(page: pymupdf.Page, boxes: Sequence[pymupdf.Rect], whole: bool) -> list[str]:
    """Line art that could carry what a box hides: a curve or polyline (a signature,
    outlined text) reaching into a box. A single straight line or rectangles (a table
    border, an underline) carry nothing but their own position and are not counted."""
    if not boxes:
        return []
    found = 0
    for d in page.get_drawings():
        if _is_black_box(d, boxes):
            continue
        if whole or any(path_is_complex(d) and path_touches(d, b) for b in boxes):
            found += 1
    if not found:
        return []
    return [f"{found} drawing(s) besides the black box remain on a page withheld whole"] if whole else \
        [f"{found} drawing(s) (line art) lie under accepted boxes"]


def _is_black_box(d: dict[str, Any], boxes: Sequence[pymupdf.Rect]) -> bool:
    fill = d.get("fill")
    if not fill or max(fill) > 0.05 or len(d["items"]) != 1 or d["items"][0][0] != "re":
        return False
    rect = pymupdf.Rect(d["items"][0][1])
    return any(same_rect(rect, b, 1.0) for b in boxes)


# --- rendering ------------------------------------------------------------------


def rendered_leaks(page: pymupdf.Page, boxes: Sequence[pymupdf.Rect], labels: Sequence[pymupdf.Rect]) -> list[str]:
    if not boxes:
        return []
    zoom = RENDER_DPI / 72
    to_pixels = page.rotation_matrix * pymupdf.Matrix(zoom, zoom)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), colorspace=pymupdf.csGRAY, alpha=False)
    arr = _pixmap_array(pix)[:, :, 0]
    light = arr >= DARK_LEVEL
    label_mask = np.zeros_like(light)
    for lab in labels:
        lr = (lab * to_pixels).irect
        label_mask[max(lr.y0, 0):max(lr.y1, 0), max(lr.x0, 0):max(lr.x1, 0)] = True
    out = []
    for b in boxes:
        r = b * to_pixels
        x0, y0 = math.ceil(r.x0 + RENDER_SHRINK_PX), math.ceil(r.y0 + RENDER_SHRINK_PX)
        x1, y1 = math.floor(r.x1 - RENDER_SHRINK_PX), math.floor(r.y1 - RENDER_SHRINK_PX)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, arr.shape[1]), min(y1, arr.shape[0])
        if x1 <= x0 or y1 <= y0:
            continue
        considered = ~label_mask[y0:y1, x0:x1]
        total = int(considered.sum())
        if not total:
            continue
        share_dark = 1 - int((light[y0:y1, x0:x1] & considered).sum()) / total
        if share_dark < DARK_SHARE:
            out.append(f"box at ({b.x0:.0f},{b.y0:.0f})-({b.x1:.0f},{b.y1:.0f}) renders only "
                       f"{share_dark:.0%} dark")
    return out
