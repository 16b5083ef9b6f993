"""Read the words of every page of many documents, with one process pool for all.

All scanned pages of all documents go into ONE pool (a case of many one-page letters
still uses every core). Each worker runs one tesseract at a time with
``OMP_THREAD_LIMIT=1``: tesseract's own threading helps little and fights the pool.
The parent checks the cache before anything is submitted, reads born-digital pages'
text layers itself, and turns pixel words into page coordinates.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pymupdf

from redaction import progress
from redaction.errors import CleanCopyError, MissingToolError, OcrError
from redaction.models import OcrPage, SourceDocument, TextSource, Word
from redaction.ocr.base import OcrCache, OcrEngine, PixelWord
from redaction.ocr.cache import NoOcrCache, cache_key
from redaction.ocr.coords import words_to_page
from redaction.ocr.null import CountingEngine, text_source_of
from redaction.ocr.pages import PageImage
from redaction.ocr.pdf_text import merge_text_layer, text_layer_words
from redaction.ocr.reread import REREAD_BLOCK_OFFSET, is_reread
from redaction.ocr.worker import OMP_ENV, init_worker, read_png

log = logging.getLogger(__name__)

# text-layer blocks of a mixed page are numbered after the OCR blocks
TEXT_LAYER_BLOCK_OFFSET = 10_000

_env_lock = threading.Lock()


@contextmanager
def single_threaded_tesseract() -> Iterator[None]:
    """Set OMP_THREAD_LIMIT=1 for tesseract subprocesses started inside the block,
    and restore the parent's environment afterwards."""
    with _env_lock:
        old = os.environ.get(OMP_ENV)
        os.environ[OMP_ENV] = "1"
        try:
            yield
        finally:
            if old is None:
                os.environ.pop(OMP_ENV, None)
            else:
                os.environ[OMP_ENV] = old


def _start_method() -> str:
    """"spawn" (no fork: the parent may run threads, e.g. under Prefect), unless the
    main module is not a file spawn can re-import (``python -``, some REPLs)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is not None and not os.path.exists(path):
        return "fork"
    return "spawn"


@dataclass
class _Pending:
    png: bytes
    users: list[tuple[int, int]] = field(default_factory=list)  # (job index, page position)


def _where(jobs: list[tuple[SourceDocument, list[PageImage]]], ji: int, pi: int) -> str:
    src, pages = jobs[ji]
    return f"{src.file_name} page {pages[pi].page_index + 1}"


def _wrap(err: BaseException, where: str) -> CleanCopyError:
    if isinstance(err, MissingToolError):
        return err
    if isinstance(err, CleanCopyError):
        return OcrError(f"{where}: {err.message}")
    return OcrError(f"{where}: OCR failed ({type(err).__name__}); run the case again")


class _Reader:
    """Reads page images as they are handed in: with several workers, each one goes to
    the pool the moment it is drawn (the pool reads page n while page n+1 is drawn);
    with one, they are read in turn at :meth:`finish`."""

    def __init__(self, engine: OcrEngine, workers: int, cache: OcrCache,
                 where: Callable[[_Pending], str]) -> None:
        self.counting = engine if isinstance(engine, CountingEngine) else None
        # the inner engine goes to the workers; reads are counted here, in the parent
        self.sendable: OcrEngine = self.counting.inner if self.counting is not None else engine
        self.engine = engine
        self.workers = workers
        self.cache = cache
        self.where = where
        self.pending: dict[str, _Pending] = {}
        self.futures: dict[Future[list[PixelWord]], str] = {}
        self._ex: ProcessPoolExecutor | None = None

    def add(self, key: str, p: _Pending) -> None:
        """Take one page to read; the pool starts with the second (one page alone is read
        here, without starting workers)."""
        self.pending[key] = p
        if self.workers <= 1 or len(self.pending) < 2:
            return
        if self._ex is None:
            ctx = multiprocessing.get_context(_start_method())
            # the workers die with this process (PR_SET_PDEATHSIG: the thread that starts them, this
            # one, outlives the pool, which is shut down in finish or close)
            self._ex = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=init_worker,
                                           initargs=(os.getpid(),))
        for k, q in self.pending.items() if not self.futures else [(key, p)]:
            self.futures[self._ex.submit(read_png, self.sendable, q.png)] = k

    def finish(self, on_done: dict[str, list[PixelWord]], label: Callable[[str], str]) -> None:
        total = len(self.pending)
        if not total:
            return
        progress.report("read", 0, total)
        if self._ex is None:
            with single_threaded_tesseract():
                for done, (key, p) in enumerate(self.pending.items(), 1):
                    try:
                        words = read_png(self.engine, p.png)
                    except Exception as e:
                        raise _wrap(e, self.where(p)) from e
                    self.cache.put(key, words)
                    on_done[key] = words
                    progress.report("read", done, total, where=label(key))
            return
        for fut in as_completed(self.futures):
            key = self.futures[fut]
            try:
                words = fut.result()
            except Exception as e:
                raise _wrap(e, self.where(self.pending[key])) from e
            if self.counting is not None:
                self.counting.reads += 1
            self.cache.put(key, words)
            on_done[key] = words
            progress.report("read", len(on_done), total, where=label(key))
        self._ex.shutdown(wait=True)
        self._ex = None

    def close(self) -> None:
        """Stop the pool (after a failure: pages not started are not read)."""
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)
            self._ex = None


def ocr_many(
    jobs: Iterable[tuple[SourceDocument, Iterable[PageImage]]],
    engine: OcrEngine,
    cache: OcrCache | None,
    workers: int,
) -> list[tuple[list[OcrPage], int]]:
    """For each job (document, its prepared pages): its OcrPages, in page order, and
    how many of its pages the engine read in this call (not cache hits, not text
    layers). Identical page images are read once.

    ``jobs`` and each job's pages may be generators (:func:`redaction.ocr.pages.iter_pages`):
    each page is handed to the pool as soon as it is drawn, so drawing the next pages and
    reading this one overlap."""
    cache = cache if cache is not None else NoOcrCache()
    source = text_source_of(engine)
    keys: dict[tuple[int, int], str] = {}
    hits: dict[str, list[PixelWord]] = {}
    done_jobs: list[tuple[SourceDocument, list[PageImage]]] = []
    n_scanned = 0

    def where(p: _Pending) -> str:
        return _where(done_jobs, *p.users[0])

    reader = _Reader(engine, workers, cache, where)
    pending = reader.pending
    read: dict[str, list[PixelWord]] = {}
    try:
        for ji, (src, page_iter) in enumerate(jobs):
            pages: list[PageImage] = []
            done_jobs.append((src, pages))
            for pi, img in enumerate(page_iter):
                pages.append(img)
                if not img.scanned:
                    continue
                n_scanned += 1
                key = cache_key(engine.name, engine.config_key, img.sha256)
                keys[(ji, pi)] = key
                if key in hits:
                    continue
                if key in pending:
                    pending[key].users.append((ji, pi))
                    continue
                cached = cache.get(key)
                if cached is not None:
                    hits[key] = cached
                else:
                    reader.add(key, _Pending(img.png, [(ji, pi)]))
        log.info(
            "OCR: %d document(s), %d scanned page(s), %d cache hit(s), %d to read, %d worker(s)",
            len(done_jobs), n_scanned, n_scanned - sum(len(p.users) for p in pending.values()), len(pending),
            workers,
        )

        def label(key: str) -> str:
            ji, pi = pending[key].users[0]
            return f"document {ji + 1} of {len(done_jobs)}, page {done_jobs[ji][1][pi].page_index + 1}"

        reader.finish(read, label)
    finally:
        reader.close()
    first_reader = {p.users[0]: key for key, p in pending.items()}

    results: list[tuple[list[OcrPage], int]] = []
    for ji, (src, pages) in enumerate(done_jobs):
        out: list[OcrPage] = []
        n_read = 0
        with pymupdf.open(stream=src.working_pdf, filetype="pdf") as pdf:
            for pi, img in enumerate(pages):
                page = pdf.load_page(img.page_index)
                if not img.scanned:
                    out.append(OcrPage(
                        img.page_index, img.width, img.height, img.rotation, TextSource.PDF_TEXT,
                        text_layer_words(page),
                    ))
                    continue
                key = keys[(ji, pi)]
                if (ji, pi) in first_reader:
                    n_read += 1
                pixel_words = read[key] if key in read else hits[key]
                words = words_to_page([w for w in pixel_words if not is_reread(w)], img, page)
                again = words_to_page([w for w in pixel_words if is_reread(w)], img, page)
                layer = text_layer_words(page, block_offset=TEXT_LAYER_BLOCK_OFFSET)
                if layer:
                    words = merge_text_layer(words, layer)
                out.append(OcrPage(img.page_index, img.width, img.height, img.rotation, source, words,
                                   _line_ids(again)))
        results.append((out, n_read))
    return results


def _line_ids(again: tuple[Word, ...]) -> tuple[Word, ...]:
    """Second-reading words with the (block, line) of the line they read again."""
    return tuple(replace(w, block=w.block - REREAD_BLOCK_OFFSET) for w in again)


def ocr_document(
    doc: SourceDocument,
    pages: list[PageImage],
    engine: OcrEngine,
    cache: OcrCache | None = None,
    workers: int = 1,
) -> list[OcrPage]:
    """The OcrPages of one document (see :func:`ocr_many`)."""
    return ocr_many([(doc, pages)], engine, cache, workers)[0][0]
