"""Triage of one source file: what it is, whether it can be used, and its working PDF.

The file is only read, never changed or moved. Its type comes from its first bytes
(PDF, PNG, JPEG, TIFF); the extension is only a hint for the message when the bytes
match nothing. Every limit is checked from headers before anything is decoded, so a
decompression bomb is refused without being expanded. Images become a "working PDF"
with one page per image (per frame for TIFF), sized from the image's dpi, with the
image inserted losslessly (a JPEG goes in as the same JPEG bytes).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from PIL import Image, ImageOps

from redaction.errors import SourceFileError
from redaction.models import DocKind, SourceDocument

log = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_PAGE_POINTS = 14_400.0  # the largest page side a PDF reader must support
_EXT_HINTS = {
    ".pdf": DocKind.PDF,
    ".png": DocKind.PNG,
    ".jpg": DocKind.JPEG,
    ".jpeg": DocKind.JPEG,
    ".jpe": DocKind.JPEG,
    ".tif": DocKind.TIFF,
    ".tiff": DocKind.TIFF,
}
_PIL_FORMAT = {DocKind.PNG: "PNG", DocKind.JPEG: "JPEG", DocKind.TIFF: "TIFF"}
_ORIENTATION_TAG = 0x0112
_EXIF_ROTATION = {3: 180, 6: 90, 8: 270}  # orientation -> the page /Rotate that shows it upright

RESCAN = "scan it again or ask the sender for a new copy"


@dataclass(frozen=True)
class IngestLimits:
    max_file_bytes: int = 200 * MB
    max_pages: int = 500
    max_image_pixels: int = 100_000_000  # per page image
    default_dpi: int = 200  # for images that do not state a usable dpi


def detect_kind(head: bytes) -> DocKind | None:
    """The file type from its first bytes (give at least the first 1 KiB)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return DocKind.JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return DocKind.TIFF
    if b"%PDF-" in head[:1024]:  # readers accept a little junk before the header
        return DocKind.PDF
    return None


def triage(path: Path, limits: IngestLimits) -> SourceDocument:
    """Check one source file and normalise it to a working PDF.

    Raises :class:`SourceFileError` with code ``empty``, ``too-large``, ``encrypted``,
    ``corrupt``, ``unknown-type`` or ``special`` (a link or not a regular file: never
    read); the message names the file and says what to do. The size is checked before a
    byte is read, and no more than the limit (and one byte) is ever read.
    A case folder's files are read by :mod:`redaction.casefolder` and given to
    :func:`triage_bytes`.
    """
    path = Path(path)
    name = path.name
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError as e:
        raise SourceFileError(name, "the file cannot be opened: check it is still in the case folder",
                              "corrupt") from e
    if not stat.S_ISREG(st.st_mode):
        raise SourceFileError(name, "this is a link or not a regular file: it is not read; use the document "
                              "itself", "special")
    _check_size(name, st.st_size, limits)
    try:
        data = _read_bounded(path, limits.max_file_bytes)
    except OSError as e:
        raise SourceFileError(name, "the file cannot be opened: check it is still in the case folder",
                              "corrupt") from e
    return triage_bytes(name, data, limits)


def _read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file opened without following a link."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        parts: list[bytes] = []
        total = 0
        while total <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - total))):
            parts.append(chunk)
            total += len(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def triage_bytes(name: str, data: bytes, limits: IngestLimits) -> SourceDocument:
    """:func:`triage` of bytes already read (at most the limit and one byte): ``name`` is
    the file's name as shown, its extension a hint for messages."""
    _check_size(name, len(data), limits)  # it may have changed since it was listed
    suffix = Path(name).suffix.lower()
    kind = detect_kind(data[:1024])
    if kind is None:
        raise _unknown(name, suffix, data[:8])
    hint = _EXT_HINTS.get(suffix)
    if hint is not None and hint != kind:
        log.info("source file extension says %s but its content is %s", hint.value, kind.value)

    if kind is DocKind.PDF:
        pages = _check_pdf(name, data, limits)
        working = data
    else:
        working, pages = _image_to_pdf(name, data, kind, limits)
    sha = hashlib.sha256(data).hexdigest()
    log.info("triaged source %s: %s, %d pages", sha[:12], kind.value, pages)
    return SourceDocument(file_name=name, kind=kind, original_sha256=sha, working_pdf=working,
                          page_count=pages)


def _check_size(name: str, size: int, limits: IngestLimits) -> None:
    if size == 0:
        raise SourceFileError(name, f"the file is empty (0 bytes): {RESCAN}", "empty")
    if size > limits.max_file_bytes:
        raise SourceFileError(
            name,
            f"the file is {size / MB:.1f} MB, over the limit of {limits.max_file_bytes / MB:.0f} MB: "
            "split it into smaller files or scan it at a lower resolution (300 dpi is enough)",
            "too-large",
        )


def _unknown(name: str, suffix: str, head: bytes) -> SourceFileError:
    hint = _EXT_HINTS.get(suffix)
    if hint is not None:
        return SourceFileError(
            name,
            f"the file is named as a {hint.value.upper()} but its content is not one: "
            f"it is damaged or mislabelled; {RESCAN}",
            "corrupt",
        )
    what = "a PDF, PNG, JPEG or TIFF file"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return SourceFileError(
            name, f"this looks like a Word or other Office file, not {what}: save it as PDF and add "
            "the PDF instead", "unknown-type")
    return SourceFileError(name, f"this is not {what}: save or scan it as PDF and add that instead",
                           "unknown-type")


def _corrupt(name: str, what: str = "the file") -> SourceFileError:
    return SourceFileError(name, f"{what} cannot be read: it is damaged or incomplete; {RESCAN}",
                           "corrupt")


def _too_many_pages(name: str, n: int, limits: IngestLimits) -> SourceFileError:
    return SourceFileError(
        name,
        f"it has {n} pages, over the limit of {limits.max_pages}: split it into parts of at most "
        f"{limits.max_pages} pages and add them as separate files",
        "too-large",
    )


def _too_many_pixels(name: str, page: int, w: int, h: int, limits: IngestLimits) -> SourceFileError:
    return SourceFileError(
        name,
        f"page {page}: an image of {w} x {h} pixels is over the limit of "
        f"{limits.max_image_pixels / 1e6:.0f} megapixels: scan it again at a lower resolution "
        "(300 dpi is enough)",
        "too-large",
    )


# --- PDF ---------------------------------------------------------------------------


def _check_pdf(name: str, data: bytes, limits: IngestLimits) -> int:
    """Page count, after every check that needs no rendering."""
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:
        raise _corrupt(name, "the PDF") from e
    try:
        if pdf.needs_pass:
            raise SourceFileError(
                name, "the PDF is password-protected: remove the password and scan it again", "encrypted")
        if b"%%EOF" not in data[-4096:]:
            raise SourceFileError(
                name, f"the PDF is incomplete (its end is missing, e.g. a copy or download cut short); "
                f"{RESCAN}", "corrupt")
        n: int = pdf.page_count
        if n == 0:
            raise SourceFileError(name, f"the PDF has no pages; {RESCAN}", "corrupt")
        if n > limits.max_pages:
            raise _too_many_pages(name, n, limits)
        if pdf.is_repaired:
            log.warning("source PDF needed repair to open (%d pages)", n)
        seen: set[int] = set()
        for i in range(n):
            try:
                page = pdf.load_page(i)
                images = page.get_images(full=True)
            except Exception as e:
                raise _corrupt(name, f"page {i + 1} of the PDF") from e
            for img in images:
                xref, smask, w, h = int(img[0]), int(img[1]), int(img[2]), int(img[3])
                if xref in seen:
                    continue
                seen.add(xref)
                if w * h > limits.max_image_pixels:
                    raise _too_many_pixels(name, i + 1, w, h, limits)
                if smask and smask not in seen:
                    seen.add(smask)
                    sw = _int_key(pdf, smask, "Width")
                    sh = _int_key(pdf, smask, "Height")
                    if sw * sh > limits.max_image_pixels:
                        raise _too_many_pixels(name, i + 1, sw, sh, limits)
        return n
    finally:
        pdf.close()


def _int_key(pdf: pymupdf.Document, xref: int, key: str) -> int:
    kind, value = pdf.xref_get_key(xref, key)
    try:
        return int(float(value)) if kind in ("int", "float") else 0
    except ValueError:
        return 0


# --- images ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    stream: bytes  # JPEG or PNG bytes to insert
    px_w: int
    px_h: int
    dpi_x: float
    dpi_y: float
    rotate: int  # page /Rotate


def _usable_dpi(dpi: object, default: int) -> tuple[float, float]:
    """The image's stated dpi, or ``default`` where it states none or an absurd one."""
    try:
        x, y = (float(v) for v in dpi)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return float(default), float(default)
    ok = [v if 50 <= v <= 2400 else None for v in (x, y)]
    if ok[0] is None and ok[1] is None:
        return float(default), float(default)
    return (ok[0] or ok[1] or float(default)), (ok[1] or ok[0] or float(default))


def _png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    try:
        image.save(buf, "PNG", optimize=False)
    except (OSError, ValueError, KeyError):
        buf = io.BytesIO()
        image.convert("RGB").save(buf, "PNG", optimize=False)
    return buf.getvalue()


def _open_image(name: str, data: bytes, kind: DocKind) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit decides
        try:
            return Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[kind]])
        except Image.DecompressionBombError as e:
            raise SourceFileError(
                name, "the image is far too large (a decompression bomb or a scan at an extreme "
                "resolution): scan it again at 300 dpi", "too-large") from e
        except Exception as e:
            raise _corrupt(name, f"the {kind.value.upper()} image") from e


def _frames(name: str, data: bytes, kind: DocKind, limits: IngestLimits) -> list[_Frame]:
    img = _open_image(name, data, kind)
    with img:
        try:
            n = getattr(img, "n_frames", 1) if kind is DocKind.TIFF else 1
        except Exception as e:  # a damaged later frame: Pillow raises TypeError, OSError... (found by fuzzing)
            raise _corrupt(name, "the TIFF image's list of pages") from e
        if n > limits.max_pages:
            raise _too_many_pages(name, n, limits)
        # headers first: no frame is decoded until every frame's size is known to be allowed
        for i in range(n):
            _seek(name, img, i)
            w, h = img.size
            if w <= 0 or h <= 0:
                raise _corrupt(name, f"image {i + 1}")
            if w * h > limits.max_image_pixels:
                raise _too_many_pixels(name, i + 1, w, h, limits)
        frames: list[_Frame] = []
        for i in range(n):
            _seek(name, img, i)
            frames.append(_frame(name, data, kind, img, i, limits))
        return frames


def _seek(name: str, img: Image.Image, i: int) -> None:
    try:
        img.seek(i)
    except Exception as e:
        raise _corrupt(name, f"page {i + 1} of the image") from e


def _frame(name: str, data: bytes, kind: DocKind, img: Image.Image, i: int,
           limits: IngestLimits) -> _Frame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img.load()  # decode fully: a truncated or damaged image fails here
            orientation = int(img.getexif().get(_ORIENTATION_TAG, 1) or 1)
        except Image.DecompressionBombError as e:
            raise _too_many_pixels(name, i + 1, img.size[0], img.size[1], limits) from e
        except Exception as e:
            raise _corrupt(name, f"page {i + 1} of the image" if i else "the image") from e
    dpi_x, dpi_y = _usable_dpi(img.info.get("dpi"), limits.default_dpi)
    w, h = img.size
    rotate = _EXIF_ROTATION.get(orientation, 0)
    if orientation in (2, 4, 5, 7):  # mirrored: no page rotation shows it right
        fixed = ImageOps.exif_transpose(img)
        if orientation in (5, 7):
            dpi_x, dpi_y = dpi_y, dpi_x
        return _Frame(_png_bytes(fixed), fixed.size[0], fixed.size[1], dpi_x, dpi_y, 0)
    if kind is DocKind.JPEG or kind is DocKind.PNG:
        stream = data  # inserted as is (MuPDF keeps JPEG bytes; PNG is re-deflated losslessly)
    else:
        stream = _png_bytes(img)
    return _Frame(stream, w, h, dpi_x, dpi_y, rotate)


def _image_to_pdf(name: str, data: bytes, kind: DocKind, limits: IngestLimits) -> tuple[bytes, int]:
    frames = _frames(name, data, kind, limits)
    pdf = pymupdf.open()
    try:
        for i, f in enumerate(frames):
            pw, ph = f.px_w * 72.0 / f.dpi_x, f.px_h * 72.0 / f.dpi_y
            scale = max(pw / MAX_PAGE_POINTS, ph / MAX_PAGE_POINTS, 1.0)
            pw, ph = pw / scale, ph / scale
            page = pdf.new_page(width=pw, height=ph)
            try:
                page.insert_image(page.rect, stream=f.stream, keep_proportion=False)
            except Exception as e:
                raise _corrupt(name, f"page {i + 1} of the image" if len(frames) > 1 else "the image") from e
            if f.rotate:
                page.set_rotation(f.rotate)
        pdf.set_metadata({})
        return bytes(pdf.tobytes(deflate=True, no_new_id=True)), len(frames)
    finally:
        pdf.close()
