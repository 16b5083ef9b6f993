"""Triage of source files: type by content, limits before decoding, the working PDF.

Every fixture is made here, in code (no downloads): text drawn with PyMuPDF,
rendered to pixels, saved by Pillow or PyMuPDF.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pymupdf
import pytest
from PIL import Image

from redaction.errors import SourceFileError
from redaction.ingest import IngestLimits, detect_kind, triage
from redaction.models import DocKind

LIMITS = IngestLimits()
AES_256: int = pymupdf.PDF_ENCRYPT_AES_256  # type: ignore[attr-defined]


# --- fixtures ------------------------------------------------------------------------


def born_digital_pdf(pages: int = 1, text: str = "Daniel Price visited on Monday") -> bytes:
    doc = pymupdf.open()
    for i in range(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 100), f"{text} ({i + 1})", fontsize=14)
    return bytes(doc.tobytes())


def rendered_text(dpi: int = 200, text: str = "Daniel Price") -> Image.Image:
    """A small 'scan': text rendered to grey pixels."""
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=120)
    page.insert_text((20, 60), text, fontsize=20)
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return Image.open(io.BytesIO(pix.tobytes("png"))).copy()


def scanned_pdf(dpi: int = 200) -> bytes:
    img = rendered_text(dpi)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    doc = pymupdf.open()
    page = doc.new_page(width=img.width * 72 / dpi, height=img.height * 72 / dpi)
    page.insert_image(page.rect, stream=buf.getvalue())
    return bytes(doc.tobytes())


def image_bytes(fmt: str, dpi: int | None = 200, **kw: object) -> bytes:
    img = rendered_text(200)
    buf = io.BytesIO()
    if dpi is not None:
        kw["dpi"] = (dpi, dpi)
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def png_header_only(w: int, h: int) -> bytes:
    """A PNG whose header claims w x h pixels, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def triage_unchanged(path: Path, limits: IngestLimits = LIMITS):
    """Triage, and prove the source file was not touched (bytes and mtime)."""
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    try:
        return triage(path, limits)
    finally:
        assert path.read_bytes() == before
        assert path.stat().st_mtime_ns == mtime


def problem(path: Path, limits: IngestLimits = LIMITS) -> SourceFileError:
    with pytest.raises(SourceFileError) as ei:
        triage_unchanged(path, limits)
    err = ei.value
    assert err.file_name == path.name
    assert str(err).startswith(f"{path.name}: ")
    return err


def page_images(pdf_bytes: bytes) -> list[tuple[float, float, list[tuple]]]:
    doc = pymupdf.open(stream=pdf_bytes, filetype="pdf")
    pages = [doc[i] for i in range(doc.page_count)]
    return [(p.rect.width, p.rect.height, p.get_images(full=True)) for p in pages]


# --- usable files ------------------------------------------------------------------------


def test_pdf_working_copy_is_the_original_bytes(tmp_path: Path) -> None:
    data = born_digital_pdf(pages=3)
    src = triage_unchanged(write(tmp_path, "01-referral.pdf", data))
    assert src.kind is DocKind.PDF
    assert src.working_pdf == data
    assert src.page_count == 3
    assert src.original_sha256 == hashlib.sha256(data).hexdigest()
    assert src.file_name == "01-referral.pdf"


def test_scanned_pdf_is_accepted(tmp_path: Path) -> None:
    src = triage_unchanged(write(tmp_path, "scan.pdf", scanned_pdf()))
    assert src.kind is DocKind.PDF and src.page_count == 1


def test_type_comes_from_content_not_extension(tmp_path: Path) -> None:
    src = triage_unchanged(write(tmp_path, "letter.pdf", image_bytes("PNG")))
    assert src.kind is DocKind.PNG
    src = triage_unchanged(write(tmp_path, "no-extension", born_digital_pdf()))
    assert src.kind is DocKind.PDF


def test_png_becomes_one_page_sized_by_its_dpi(tmp_path: Path) -> None:
    data = image_bytes("PNG", dpi=200)
    w, h = Image.open(io.BytesIO(data)).size
    src = triage_unchanged(write(tmp_path, "02-contact.png", data))
    assert src.kind is DocKind.PNG and src.page_count == 1
    [(pw, ph, imgs)] = page_images(src.working_pdf)
    assert pw == pytest.approx(w * 72 / 200, abs=0.01)
    assert ph == pytest.approx(h * 72 / 200, abs=0.01)
    assert len(imgs) == 1 and (imgs[0][2], imgs[0][3]) == (w, h)


def test_png_pixels_survive_losslessly(tmp_path: Path) -> None:
    data = image_bytes("PNG")
    original = Image.open(io.BytesIO(data)).convert("L")
    src = triage_unchanged(write(tmp_path, "a.png", data))
    doc = pymupdf.open(stream=src.working_pdf, filetype="pdf")
    xref = doc[0].get_images(full=True)[0][0]
    pix = pymupdf.Pixmap(doc, xref)
    back = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    assert back.tobytes() == original.tobytes()


def test_jpeg_is_inserted_as_the_same_jpeg_bytes(tmp_path: Path) -> None:
    data = image_bytes("JPEG", dpi=300, quality=85)
    src = triage_unchanged(write(tmp_path, "03.jpg", data))
    assert src.kind is DocKind.JPEG
    doc = pymupdf.open(stream=src.working_pdf, filetype="pdf")
    xref = doc[0].get_images(full=True)[0][0]
    extracted = doc.extract_image(xref)
    assert extracted["ext"] == "jpeg" and extracted["image"] == data
    w, _ = Image.open(io.BytesIO(data)).size
    assert doc[0].rect.width == pytest.approx(w * 72 / 300, abs=0.01)


def test_image_without_dpi_uses_the_default_dpi(tmp_path: Path) -> None:
    data = image_bytes("PNG", dpi=None)
    assert "dpi" not in Image.open(io.BytesIO(data)).info
    w, _ = Image.open(io.BytesIO(data)).size
    src = triage_unchanged(write(tmp_path, "nodpi.png", data), IngestLimits(default_dpi=150))
    [(pw, _ph, _)] = page_images(src.working_pdf)
    assert pw == pytest.approx(w * 72 / 150, abs=0.01)


def test_multi_page_tiff_gives_one_page_per_frame(tmp_path: Path) -> None:
    frames = [rendered_text(200, f"Page {i}") for i in range(3)]
    frames[1] = frames[1].convert("1")  # fax-style bilevel frame
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200),
                   compression="tiff_lzw")
    src = triage_unchanged(write(tmp_path, "04-notes.tiff", buf.getvalue()))
    assert src.kind is DocKind.TIFF and src.page_count == 3
    pages = page_images(src.working_pdf)
    assert len(pages) == 3
    for (pw, ph, imgs), frame in zip(pages, frames, strict=True):
        assert pw == pytest.approx(frame.width * 72 / 200, abs=0.01)
        assert ph == pytest.approx(frame.height * 72 / 200, abs=0.01)
        assert len(imgs) == 1


def test_exif_rotated_jpeg_gets_a_page_rotation_not_a_recompression(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to view"
    img = rendered_text(200)
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes(), dpi=(200, 200))
    src = triage_unchanged(write(tmp_path, "phone.jpg", buf.getvalue()))
    doc = pymupdf.open(stream=src.working_pdf, filetype="pdf")
    page = doc[0]
    assert page.rotation == 90
    assert doc.extract_image(page.get_images()[0][0])["image"] == buf.getvalue()
    # displayed upright: taller than wide, as the viewer shows the photo
    assert page.rect.height > page.rect.width


def test_working_pdf_of_an_image_is_deterministic(tmp_path: Path) -> None:
    p = write(tmp_path, "a.png", image_bytes("PNG"))
    assert triage(p, LIMITS).working_pdf == triage(p, LIMITS).working_pdf


def test_detect_kind_by_magic_bytes() -> None:
    assert detect_kind(b"%PDF-1.7\n") is DocKind.PDF
    assert detect_kind(b"\n\n%PDF-1.4") is DocKind.PDF
    assert detect_kind(b"\x89PNG\r\n\x1a\n....") is DocKind.PNG
    assert detect_kind(b"\xff\xd8\xff\xe0") is DocKind.JPEG
    assert detect_kind(b"II*\x00") is DocKind.TIFF
    assert detect_kind(b"MM\x00*") is DocKind.TIFF
    assert detect_kind(b"PK\x03\x04") is None


# --- held back --------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    assert problem(write(tmp_path, "05.pdf", b"")).code == "empty"


def test_unknown_type(tmp_path: Path) -> None:
    err = problem(write(tmp_path, "notes.txt", b"Dear Mrs Hart, ..."))
    assert err.code == "unknown-type"
    assert "PDF" in err.problem
    err = problem(write(tmp_path, "report.docx", b"PK\x03\x04" + b"\0" * 100))
    assert err.code == "unknown-type" and "save it as PDF" in err.problem


def test_garbage_named_pdf_is_corrupt(tmp_path: Path) -> None:
    assert problem(write(tmp_path, "x.pdf", b"\x00\x01 this is not a pdf")).code == "corrupt"


def test_pdf_header_with_garbage_is_corrupt(tmp_path: Path) -> None:
    assert problem(write(tmp_path, "x.pdf", b"%PDF-1.4\ngarbage garbage\n")).code == "corrupt"


@pytest.mark.parametrize("keep", [0.5, 0.97])
def test_truncated_pdf_is_corrupt(tmp_path: Path, keep: float) -> None:
    data = born_digital_pdf(pages=3)
    err = problem(write(tmp_path, "cut.pdf", data[: int(len(data) * keep)]))
    assert err.code == "corrupt"


def test_pdf_with_no_pages_is_corrupt(tmp_path: Path) -> None:
    data = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    err = problem(write(tmp_path, "blank.pdf", data))
    assert err.code == "corrupt" and "no pages" in err.problem


def test_password_protected_pdf(tmp_path: Path) -> None:
    doc = pymupdf.open(stream=born_digital_pdf(), filetype="pdf")
    data = doc.tobytes(encryption=AES_256, user_pw="secret", owner_pw="owner")
    err = problem(write(tmp_path, "01-referral.pdf", data))
    assert err.code == "encrypted"
    assert str(err).startswith("01-referral.pdf: ")
    assert "password-protected" in err.problem and "remove the password" in err.problem


def test_owner_password_only_pdf_opens(tmp_path: Path) -> None:
    doc = pymupdf.open(stream=born_digital_pdf(), filetype="pdf")
    data = doc.tobytes(encryption=AES_256, owner_pw="owner")
    assert triage_unchanged(write(tmp_path, "perm.pdf", data)).page_count == 1


def test_file_over_the_byte_limit_is_refused_before_reading(tmp_path: Path) -> None:
    p = write(tmp_path, "big.pdf", born_digital_pdf())
    err = problem(p, IngestLimits(max_file_bytes=100))
    assert err.code == "too-large" and "MB" in err.problem


def test_pdf_over_the_page_limit(tmp_path: Path) -> None:
    err = problem(write(tmp_path, "long.pdf", born_digital_pdf(pages=4)), IngestLimits(max_pages=3))
    assert err.code == "too-large" and "4 pages" in err.problem


def test_tiff_over_the_page_limit(tmp_path: Path) -> None:
    frames = [rendered_text(100) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    err = problem(write(tmp_path, "long.tif", buf.getvalue()), IngestLimits(max_pages=2))
    assert err.code == "too-large"


def test_png_decompression_bomb_is_refused_without_decoding(tmp_path: Path, monkeypatch) -> None:
    def no_decoding(self: Image.Image) -> None:
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    from PIL import PngImagePlugin
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_decoding, raising=False)
    err = problem(write(tmp_path, "bomb.png", png_header_only(50_000, 50_000)))
    assert err.code == "too-large"


def test_image_over_our_pixel_limit_but_under_pils(tmp_path: Path, monkeypatch) -> None:
    def no_decoding(self: Image.Image) -> None:
        raise AssertionError("the image was decoded")

    from PIL import ImageFile
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    err = problem(write(tmp_path, "big.png", png_header_only(4000, 3000)),
                  IngestLimits(max_image_pixels=10_000_000))
    assert err.code == "too-large" and "4000 x 3000" in err.problem


def test_pdf_with_a_huge_embedded_image_is_refused_without_rendering(tmp_path: Path) -> None:
    big = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 4000, 3000), False)
    big.clear_with(255)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "cover note")
    doc.new_page().insert_image(pymupdf.Rect(0, 0, 100, 75), pixmap=big)
    err = problem(write(tmp_path, "scan.pdf", doc.tobytes(deflate=True)),
                  IngestLimits(max_image_pixels=10_000_000))
    assert err.code == "too-large" and "page 2" in err.problem


def test_truncated_png_is_corrupt(tmp_path: Path) -> None:
    data = image_bytes("PNG")
    assert problem(write(tmp_path, "cut.png", data[: len(data) // 2])).code == "corrupt"


def test_truncated_jpeg_is_corrupt(tmp_path: Path) -> None:
    data = image_bytes("JPEG")
    assert problem(write(tmp_path, "cut.jpg", data[: len(data) // 2])).code == "corrupt"


def test_png_header_without_image_data_is_corrupt(tmp_path: Path) -> None:
    assert problem(write(tmp_path, "hollow.png", png_header_only(200, 100))).code == "corrupt"


def test_missing_file_is_reported_not_raised_raw(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError) as ei:
        triage(tmp_path / "gone.pdf", LIMITS)
    assert ei.value.code == "corrupt"
