"""Fuzzing ingestion (hypothesis): any bytes in a PDF, PNG, JPEG or TIFF file give either
a working PDF that opens, with as many pages as triage says, or a SourceFileError naming
the file with one of the known codes; never another exception, never a hang. Inputs:
random bytes behind each format's magic number, and small valid files of each format
mutated (bytes flipped, cut short, junk inserted, chunks repeated)."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from redaction.errors import SourceFileError
from redaction.ingest import IngestLimits, triage
from redaction.models import SourceDocument
from tests.fuzz_support import examples, only

pytestmark = pytest.mark.slow  # bounded: some seconds each (CLEANCOPY_FUZZ_EXAMPLES for longer)

# small limits keep every input quick to refuse or read; the checks are the same
LIMITS = IngestLimits(max_file_bytes=2 * 1024 * 1024, max_pages=20, max_image_pixels=4_000_000, default_dpi=200)
CODES = {"empty", "too-large", "encrypted", "corrupt", "unknown-type"}
SECONDS = 20.0
MAGIC = {
    "pdf": b"%PDF-1.7\n",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff\xe0",
    "tif": b"II*\x00",
}


def _pdf() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=200, height=100)
    page.insert_text((10, 50), "Daniel Price", fontsize=12)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 8, 8), False)
    page.insert_image(pymupdf.Rect(100, 10, 150, 60), pixmap=pix)
    return bytes(doc.tobytes())


def _image(fmt: str, frames: int = 1, **kw: object) -> bytes:
    imgs = [Image.new("L", (24, 16), color=40 * i) for i in range(frames)]
    buf = io.BytesIO()
    if frames > 1:
        imgs[0].save(buf, fmt, save_all=True, append_images=imgs[1:], **kw)
    else:
        imgs[0].save(buf, fmt, **kw)
    return buf.getvalue()


def _jpeg_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    Image.new("RGB", (24, 16), "white").save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


SEEDS = {
    "pdf": [_pdf()],
    "png": [_image("PNG", dpi=(300, 300))],
    "jpg": [_image("JPEG", quality=50), _jpeg_rotated()],
    "tif": [_image("TIFF", frames=3, compression="tiff_deflate"), _image("TIFF", dpi=(72, 72))],
}


def _check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    got = only(SourceFileError, lambda: triage(path, LIMITS), seconds=SECONDS)
    if isinstance(got, SourceFileError):
        assert got.code in CODES, got.code
        assert str(got).startswith(f"{path.name}: "), str(got)
        return
    assert isinstance(got, SourceDocument)
    assert 1 <= got.page_count <= LIMITS.max_pages
    with pymupdf.open(stream=got.working_pdf, filetype="pdf") as pdf:
        assert pdf.page_count == got.page_count


def test_the_seeds_are_usable_files(tmp_path: Path) -> None:
    for ext, seeds in SEEDS.items():
        for i, data in enumerate(seeds):
            path = tmp_path / f"seed{i}.{ext}"
            path.write_bytes(data)
            assert triage(path, LIMITS).page_count >= 1, path.name


@settings(max_examples=examples(120))
@given(st.sampled_from(sorted(MAGIC)), st.binary(max_size=4096))
def test_random_bytes_behind_a_magic_number(tmp_path_factory: pytest.TempPathFactory, ext: str,
                                            tail: bytes) -> None:
    _check(tmp_path_factory.mktemp("fuzz") / f"input.{ext}", MAGIC[ext] + tail)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    ext = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(draw(st.sampled_from(SEEDS[ext])))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "set", "cut", "insert", "repeat", "zero"]))
        n = len(data)
        if n == 0:
            break
        at = draw(st.integers(0, n - 1))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "repeat":
            size = draw(st.integers(1, min(256, n - at)))
            data[at:at] = data[at:at + size] * draw(st.integers(1, 8))
        else:
            data[at:at + draw(st.integers(1, 32))] = b"\x00" * 4
    return ext, bytes(data)


@settings(max_examples=examples(250))
@given(mutated())
def test_mutated_files_of_each_format(tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]) -> None:
    ext, data = case
    _check(tmp_path_factory.mktemp("fuzz") / f"input.{ext}", data)


@settings(max_examples=examples(60))
@given(st.sampled_from(sorted(SEEDS)), st.sampled_from(sorted(SEEDS)))
def test_a_file_of_one_format_named_as_another(tmp_path_factory: pytest.TempPathFactory, content: str,
                                               name: str) -> None:
    _check(tmp_path_factory.mktemp("fuzz") / f"input.{name}", SEEDS[content][0])
