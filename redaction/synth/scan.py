"""Make a typeset page look scanned, and write source files as a school office would.

Truth coordinates
-----------------
A typeset page is A4, 595 x 842 pt, word boxes in PDF points with the origin at the
top-left, y down (PyMuPDF page coordinates). Rasterising at ``dpi`` gives an image
``W x H`` pixels (``W = 595 * dpi / 72`` rounded up, as MuPDF sizes it).
:func:`rasterise_turned` renders it turned by a small angle (at most about 1 degree)
about the page centre and shifted a few pixels, and carries every word box through the
same matrix (the axis-aligned hull of its turned corners), so a box stays on its ink.
(:func:`degrade` can do the same to an image that is already raster, with an affine map.)

Finally boxes are expressed in the points of the page the pipeline will work on:

* scanned PDF: the image fills an A4 page, so ``pt = px * 595 / W`` (x) and
  ``pt = px * 842 / H`` (y);
* PNG / JPEG / TIFF: the image carries ``dpi`` in its metadata, so the working page
  is ``W * 72 / dpi`` by ``H * 72 / dpi`` points and ``pt = px * 72 / dpi``.

Sideways scans (``rotation: 90`` in the truth): the image is *stored* turned 90 degrees
anticlockwise (:func:`store_sideways`), on a landscape 842 x 595 page with ``/Rotate 90``
(scanned PDF) or with EXIF orientation 6 (JPEG), so it is shown upright. The truth keeps
the boxes of the upright, displayed page (see :mod:`redaction.synth.generate`).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
import pymupdf
from PIL import Image, ImageDraw, ImageFilter

BoxT = tuple[float, float, float, float]

# fixed document metadata so the same seed gives the same bytes
PDF_METADATA = {
    "producer": "cleancopy synth",
    "creator": "cleancopy synth",
    "creationDate": "D:20260101000000Z",
    "modDate": "D:20260101000000Z",
    "title": "",
    "author": "",
    "subject": "",
    "keywords": "",
}


@dataclass(frozen=True)
class Degradation:
    """How a page is spoiled, drawn per page from a profile."""

    angle: float = 0.0  # degrees, counter-clockwise as seen
    shift: tuple[float, float] = (0.0, 0.0)  # pixels
    blur: float = 0.0  # blur radius, pixels (a box blur: cheap, and a copier is no lens); 0 = none
    speckle: int = 0  # dark specks per page
    noise: int = 0  # +- amplitude of grain, grey levels
    ink: int = 20  # grey level of full ink
    paper: int = 250  # grey level of white paper
    jpeg_quality: int = 75
    edge_shadow: bool = False  # a dark band along one edge, like a photocopier lid


def rasterise(page: pymupdf.Page, dpi: int) -> Image.Image:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def rasterise_turned(
    page: pymupdf.Page, dpi: int, boxes_pt: list[BoxT], angle: float, shift: tuple[float, float]
) -> tuple[Image.Image, list[BoxT]]:
    """Render the page as a slightly crooked scan: turned by ``angle`` degrees about its
    centre and moved by ``shift`` pixels, on an image the size of a straight rendering.
    MuPDF draws the turned vector page directly (sharper and far faster than turning
    pixels); every box (page points) is carried through the very same matrix."""
    z = dpi / 72.0
    size = (page.rect * pymupdf.Matrix(z, z)).irect
    w, h = size.width, size.height
    m = pymupdf.Matrix(z, z) * pymupdf.Matrix(angle)
    pix = page.get_pixmap(matrix=m, colorspace=pymupdf.csGRAY, alpha=False)
    tl = (page.rect * m).irect.tl
    centre = (page.rect.tl + page.rect.br) / 2 * m - tl  # page centre within the turned pixmap
    off = (round(w / 2 + shift[0] - centre.x), round(h / 2 + shift[1] - centre.y))
    img = Image.new("L", (w, h), 255)
    img.paste(Image.frombytes("L", (pix.width, pix.height), pix.samples), off)
    out: list[BoxT] = []
    for x0, y0, x1, y1 in boxes_pt:
        r = pymupdf.Rect(x0, y0, x1, y1) * m  # hull of the turned corners
        out.append((r.x0 - tl.x + off[0], r.y0 - tl.y + off[1], r.x1 - tl.x + off[0], r.y1 - tl.y + off[1]))
    return img, out


def _forward(d: Degradation, size: tuple[int, int]) -> np.ndarray:
    """3x3 matrix taking an input pixel position to where it lands in the output."""
    w, h = size
    cx, cy = w / 2, h / 2
    a = math.radians(d.angle)
    cos, sin = math.cos(a), math.sin(a)
    # counter-clockwise as seen on screen (y down): x' = c*x + s*y, y' = -s*x + c*y
    rot = np.array([[cos, sin, 0.0], [-sin, cos, 0.0], [0.0, 0.0, 1.0]])
    to_c = np.array([[1.0, 0.0, -cx], [0.0, 1.0, -cy], [0.0, 0.0, 1.0]])
    back = np.array([[1.0, 0.0, cx + d.shift[0]], [0.0, 1.0, cy + d.shift[1]], [0.0, 0.0, 1.0]])
    m: np.ndarray = back @ rot @ to_c
    return m


def transform_box(m: np.ndarray, box: BoxT) -> BoxT:
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1.0], [x1, y0, 1.0], [x0, y1, 1.0], [x1, y1, 1.0]]).T
    out = m @ pts
    return (float(out[0].min()), float(out[1].min()), float(out[0].max()), float(out[1].max()))


def _grain(rng: np.random.Generator, shape: tuple[int, int], amp: int) -> np.ndarray:
    tile = rng.integers(-amp, amp + 1, size=(128, 128), dtype=np.int16)
    reps = (shape[0] // 128 + 1, shape[1] // 128 + 1)
    g: np.ndarray = np.tile(tile, reps)[: shape[0], : shape[1]]
    return g


def degrade(
    img: Image.Image, boxes_px: list[BoxT], d: Degradation, rng: np.random.Generator
) -> tuple[Image.Image, list[BoxT]]:
    """Turn, blur, tone, speckle and grain a page image; carry the word boxes along."""
    m = _forward(d, img.size)
    if d.angle or d.shift != (0.0, 0.0):
        inv = np.linalg.inv(m)
        coeffs = (inv[0, 0], inv[0, 1], inv[0, 2], inv[1, 0], inv[1, 1], inv[1, 2])
        img = img.transform(img.size, Image.Transform.AFFINE, coeffs, resample=Image.Resampling.BILINEAR, fillcolor=255)
    boxes = [transform_box(m, b) for b in boxes_px]
    if d.blur >= 0.3:
        img = img.filter(ImageFilter.BoxBlur(d.blur))
    # tone: white -> paper, black -> ink
    lut = [round(d.ink + (d.paper - d.ink) * v / 255) for v in range(256)]
    img = img.point(lut)
    if d.speckle or d.edge_shadow:
        draw = ImageDraw.Draw(img)
        w, h = img.size
        xs = rng.integers(0, w, d.speckle)
        ys = rng.integers(0, h, d.speckle)
        rs = rng.choice([0.6, 0.9, 1.3, 1.8], d.speckle)
        shades = rng.integers(40, 160, d.speckle)
        for x, y, r, s in zip(xs, ys, rs, shades, strict=True):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=int(s))
        if d.edge_shadow:
            band = max(4, w // 120)
            draw.rectangle((w - band, 0, w, h), fill=d.ink + 50)
    if d.noise:
        a = np.asarray(img, dtype=np.int16) + _grain(rng, (img.size[1], img.size[0]), d.noise)
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    return img, boxes


# --- writing files -------------------------------------------------------------------------


_EXIF_ORIENTATION = 0x0112


def store_sideways(img: Image.Image, boxes: list[BoxT]) -> tuple[Image.Image, list[BoxT]]:
    """The page as a sideways scan stores it: turned 90 degrees anticlockwise, so that a
    page /Rotate 90 (or EXIF orientation 6) shows it upright. A pixel (x, y) of the upright
    W-wide image lands at (y, W - x)."""
    w = img.size[0]
    out = img.transpose(Image.Transpose.ROTATE_90)
    return out, [(y0, w - x1, y1, w - x0) for (x0, y0, x1, y1) in boxes]


def jpeg_bytes(img: Image.Image, quality: int, dpi: int, exif_rotate: int = 0) -> bytes:
    """JPEG with its dpi; ``exif_rotate=90`` marks a sideways image (EXIF orientation 6)."""
    buf = io.BytesIO()
    if exif_rotate:
        exif = Image.Exif()
        exif[_EXIF_ORIENTATION] = {90: 6, 180: 3, 270: 8}[exif_rotate]
        img.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi), exif=exif.tobytes())
    else:
        img.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


def png_bytes(img: Image.Image, dpi: int, levels: int = 16) -> bytes:
    """Grey PNG posterised to a few levels, as office scanners often save."""
    step = 256 // levels
    img = img.point([min(255, (v // step) * step + step // 2) if v < 256 - step else 255 for v in range(256)])
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi), optimize=False, compress_level=6)
    return buf.getvalue()


def tiff_bytes(images: list[Image.Image], dpi: int, bilevel: bool) -> bytes:
    buf = io.BytesIO()
    if bilevel:
        pages = [im.point(lambda v: 255 if v > 150 else 0).convert("1") for im in images]
        compression = "group4"
    else:
        pages = images
        compression = "tiff_adobe_deflate"
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression=compression)
    return buf.getvalue()


def scanned_pdf_bytes(
    images: list[Image.Image],
    quality: int,
    dpi: int,
    rotations: list[int] | None = None,
    text_layers: list[list[tuple[str, BoxT]]] | None = None,
) -> bytes:
    """One A4 page per image, the image filling the page (as a scanner's PDF). A page
    with rotation 90 holds a sideways image on a landscape page shown upright by /Rotate.
    ``text_layers`` (words and boxes in page points) adds a scanner's invisible OCR text."""
    doc = pymupdf.open()
    rotations = rotations or [0] * len(images)
    for i, (im, rot) in enumerate(zip(images, rotations, strict=True)):
        w, h = (842, 595) if rot in (90, 270) else (595, 842)
        page = doc.new_page(width=w, height=h)
        page.insert_image(page.rect, stream=jpeg_bytes(im, quality, dpi), keep_proportion=False)
        if text_layers and not rot:
            add_text_layer(page, text_layers[i])
        if rot:
            page.set_rotation(rot)
    return pdf_bytes(doc)


def add_text_layer(page: pymupdf.Page, words: list[tuple[str, BoxT]]) -> None:
    """An invisible text layer over a scanned page, as a scanner's OCR writes one: each
    word in Helvetica (render mode 3) stretched to fill its box, so PyMuPDF reads it
    back with (about) the truth box."""
    from redaction.synth.layout import text_length

    for text, (x0, y0, x1, y1) in words:
        fs = (y1 - y0) / 1.374  # helv: a word box is 1.374 font sizes tall
        width = text_length(text, "helv", fs)
        if fs <= 0 or width <= 0:
            continue
        base = pymupdf.Point(x0, y1 - 0.299 * fs)  # baseline sits 0.299 sizes above the box bottom
        page.insert_text(
            base,
            text,
            fontname="helv",
            fontsize=fs,
            render_mode=3,
            morph=(base, pymupdf.Matrix((x1 - x0) / width, 1)),
        )


def pdf_bytes(doc: pymupdf.Document) -> bytes:
    doc.set_metadata(PDF_METADATA)
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    return data
