"""iter_ocr and ocr_many: text layer for born-digital pages, engine (through the cache) for scanned
ones, one pool for all pages of all documents, OMP_THREAD_LIMIT=1 for tesseract."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest

from redaction.errors import OcrError
from redaction.models import SourceDocument, TextSource
from redaction.ocr import (
    CountingEngine,
    DirOcrCache,
    FixedEngine,
    MemoryOcrCache,
    NullEngine,
    PageImage,
    PixelWord,
    iter_ocr,
    ocr_document,
    ocr_many,
    prepare_pages,
)
from tests.ocr.ocr_fixtures import make_source, scanned_copy, text_page
from tests.ocr.ocr_test_engines import EnvProbeEngine, FailingEngine


def _fixed(text: str = "Daniel") -> FixedEngine:
    # a word near the top-left of the rendered page: 100..200 px x, 50..80 px y
    return FixedEngine((PixelWord(text, 100, 50, 100, 30, 88.0, 1, 0, 0),))


def _jobs(*docs: SourceDocument) -> list[tuple[SourceDocument, list]]:  # type: ignore[type-arg]
    return [(d, prepare_pages(d)) for d in docs]


def test_born_digital_words_come_from_the_text_layer(born_digital: SourceDocument) -> None:
    engine = CountingEngine(NullEngine())
    [(pages, n_read)] = ocr_many(_jobs(born_digital), engine, MemoryOcrCache(), 1)
    (page,) = pages
    assert page.source is TextSource.PDF_TEXT
    assert page.text.splitlines()[0] == "Daniel Price lives at 14 Elm Road"
    assert n_read == 0 and engine.reads == 0


def test_scanned_words_are_mapped_to_page_points(scanned_factory: Callable[..., SourceDocument]) -> None:
    src = scanned_factory(dpi=200)
    [(pages, n_read)] = ocr_many(_jobs(src), _fixed(), MemoryOcrCache(), 1)
    (page,) = pages
    assert page.source is TextSource.TESSERACT and n_read == 1
    (w,) = page.words
    z = 200 / 72
    expected = (100 / z, 50 / z, 200 / z, 80 / z)
    assert (w.box.x0, w.box.y0, w.box.x1, w.box.y1) == pytest.approx(expected, abs=0.5)
    assert w.conf == 88.0


def test_null_engine_pages_are_marked_null(scanned_factory: Callable[..., SourceDocument]) -> None:
    (page,) = ocr_document(scanned_factory(), prepare_pages(scanned_factory()), NullEngine())
    assert page.source is TextSource.NULL and page.words == ()


def test_cache_hit_skips_the_engine(tmp_path: Path, scanned_factory: Callable[..., SourceDocument]) -> None:
    src = scanned_factory()
    jobs = _jobs(src)
    first = CountingEngine(_fixed())
    [(pages1, n1)] = ocr_many(jobs, first, DirOcrCache(tmp_path), 1)
    assert first.reads == 1 and n1 == 1
    again = CountingEngine(_fixed())
    [(pages2, n2)] = ocr_many(_jobs(src), again, DirOcrCache(tmp_path), 1)
    assert again.reads == 0 and n2 == 0
    assert pages2 == pages1


def test_cache_key_includes_engine_config(scanned_factory: Callable[..., SourceDocument]) -> None:
    cache = MemoryOcrCache()
    src = scanned_factory()
    ocr_many(_jobs(src), CountingEngine(_fixed()), cache, 1)
    other = CountingEngine(FixedEngine(_fixed().words, config_key="2"))
    ocr_many(_jobs(src), other, cache, 1)
    assert other.reads == 1


def test_identical_page_images_are_read_once(scanned_factory: Callable[..., SourceDocument]) -> None:
    engine = CountingEngine(_fixed())
    a, b = scanned_factory(), scanned_factory()
    results = ocr_many(_jobs(a, b), engine, MemoryOcrCache(), 1)
    assert engine.reads == 1
    assert [n for _, n in results] == [1, 0]
    assert results[0][0][0].words == results[1][0][0].words


def test_many_documents_share_one_pool_and_count_reads_in_the_parent(
    scanned_factory: Callable[..., SourceDocument],
) -> None:
    docs = [scanned_factory(lines=[f"Letter number {i}"]) for i in range(3)]
    engine = CountingEngine(_fixed())
    results = ocr_many(_jobs(*docs), engine, MemoryOcrCache(), 2)
    assert engine.reads == 3
    assert [n for _, n in results] == [1, 1, 1]
    assert all(r[0][0].words[0].text == "Daniel" for r in results)


def test_workers_run_tesseract_single_threaded(scanned_factory: Callable[..., SourceDocument]) -> None:
    docs = [scanned_factory(lines=[f"Page {i}"]) for i in range(2)]
    results = ocr_many(_jobs(*docs), EnvProbeEngine(), MemoryOcrCache(), 2)
    assert [r[0][0].words[0].text for r in results] == ["omp=1", "omp=1"]


def test_in_process_run_sets_thread_limit_without_leaking_it(
    monkeypatch: pytest.MonkeyPatch, scanned_factory: Callable[..., SourceDocument]
) -> None:
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    [(pages, _)] = ocr_many(_jobs(scanned_factory()), EnvProbeEngine(), MemoryOcrCache(), 1)
    assert pages[0].words[0].text == "omp=1"
    assert "OMP_THREAD_LIMIT" not in os.environ


def test_mixed_page_keeps_text_layer_words_that_ocr_did_not_cover() -> None:
    tmp = pymupdf.open()
    out = pymupdf.open()
    page = scanned_copy(text_page(tmp, ["Scanned body"]), out, dpi=200)
    page.insert_text((72, 820), "Footer typed Okafor", fontsize=10)  # text layer, under the image
    src = make_source(out)
    [(pages, _)] = ocr_many(_jobs(src), _fixed("Scanned"), MemoryOcrCache(), 1)
    texts = [w.text for w in pages[0].words]
    assert texts[0] == "Scanned"  # OCR first
    assert "Okafor" in texts  # text-layer word outside every OCR box kept
    assert len({(w.block, w.line) for w in pages[0].words if w.text in ("Footer", "Okafor")}) == 1


def test_engine_failure_names_file_and_page(scanned_factory: Callable[..., SourceDocument]) -> None:
    src = scanned_factory()
    with pytest.raises(OcrError) as ei:
        ocr_many(_jobs(src), FailingEngine(), MemoryOcrCache(), 1)
    assert "scan-r0.pdf page 1" in str(ei.value)


def test_engine_failure_in_a_worker_names_file_and_page(
    scanned_factory: Callable[..., SourceDocument],
) -> None:
    docs = [scanned_factory(lines=[f"Doc {i}"]) for i in range(2)]
    with pytest.raises(OcrError) as ei:
        ocr_many(_jobs(*docs), FailingEngine(), MemoryOcrCache(), 2)
    assert "page 1" in str(ei.value) and "engine crashed" in str(ei.value)


def _recorded(docs: list[SourceDocument], drawn: list[int]) -> list[tuple[SourceDocument, Iterator[PageImage]]]:
    """The documents' jobs, each page's document index put in ``drawn`` as the page is drawn."""
    def pages(i: int, src: SourceDocument) -> Iterator[PageImage]:
        for img in prepare_pages(src):
            drawn.append(i)
            yield img

    return [(d, pages(i, d)) for i, d in enumerate(docs)]


def test_pages_are_streamed_a_few_in_flight(scanned_factory: Callable[..., SourceDocument]) -> None:
    docs = [scanned_factory(lines=[f"Letter number {i}"]) for i in range(10)]
    drawn: list[int] = []
    ahead = []
    handed = 0
    for _pages, n_read in iter_ocr(_recorded(docs, drawn), CountingEngine(_fixed()), MemoryOcrCache(), 2,
                                   in_flight=2):
        handed += 1
        ahead.append(len(drawn) - handed)
        assert n_read == 1
    assert handed == 10
    # pages drawn and not handed out: those in flight, and those read before an earlier one
    assert max(ahead) <= 2 * 2
    assert ahead[0] < 9  # the first document came out before the last pages were drawn


def test_one_worker_hands_out_each_document_before_drawing_the_next(
    scanned_factory: Callable[..., SourceDocument],
) -> None:
    docs = [scanned_factory(lines=[f"Letter number {i}"]) for i in range(3)]
    drawn: list[int] = []
    seen = [list(drawn) for _ in iter_ocr(_recorded(docs, drawn), _fixed(), MemoryOcrCache(), 1)]
    assert seen == [[0], [0, 1], [0, 1, 2]]
