"""Read the words of every page of many documents, with one process pool for all.

All scanned pages of all documents go into ONE pool (a case of many one-page letters
still uses every core), streamed: a few pages per worker in flight, each document handed
out as soon as its pages are read (:func:`iter_ocr`). Each worker runs one tesseract at a time with
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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
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
# pages handed to the pool and not yet read, per worker: enough to keep each worker busy
# while the parent draws the next page or detects in a document, few enough to hold little
PAGES_IN_FLIGHT_PER_WORKER = 2

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


def _wrap(err: BaseException, where: str) -> CleanCopyError:
    if isinstance(err, MissingToolError):
        return err
    if isinstance(err, CleanCopyError):
        return OcrError(f"{where}: {err.message}")
    return OcrError(f"{where}: OCR failed ({type(err).__name__}); run the case again")


@dataclass
class _Job:
    """One document of the stream: its pages as drawn, the cache key of each scanned one,
    and the pages whose reading counts for it (it was the first to need that image)."""

    index: int
    src: SourceDocument
    pages: list[PageImage] = field(default_factory=list)
    keys: dict[int, str] = field(default_factory=dict)  # page position -> cache key
    first: set[int] = field(default_factory=set)
    drawn: bool = False

    def where(self, pi: int) -> str:
        return f"{self.src.file_name} page {self.pages[pi].page_index + 1}"


class _Stream:
    """The pages of many documents read through one pool, a bounded number in flight.

    With several workers, each page goes to the pool the moment it is drawn (the pool reads
    page n while page n+1 is drawn), except the first, held until a second one comes (one
    page alone is read here, without starting workers); with one worker, pages are read
    here as they are drawn. At most ``in_flight`` pages wait in the pool: drawing stops
    until one is read, so memory does not grow with the number of pages."""

    def __init__(self, engine: OcrEngine, cache: OcrCache, workers: int, in_flight: int,
                 total: int, documents: int) -> None:
        self.counting = engine if isinstance(engine, CountingEngine) else None
        # the inner engine goes to the workers; reads are counted here, in the parent
        self.sendable: OcrEngine = self.counting.inner if self.counting is not None else engine
        self.engine, self.cache, self.workers = engine, cache, workers
        self.in_flight = max(1, in_flight)
        self.total, self.documents, self.done = total, documents, 0
        self.words: dict[str, list[PixelWord]] = {}  # read or cached, for documents not yet handed out
        self.users: dict[str, int] = {}  # how many documents not yet handed out need each key
        self.wanted: dict[str, list[tuple[_Job, int]]] = {}  # keys being read: the pages that need each
        self.futures: dict[Future[list[PixelWord]], str] = {}
        self.held: tuple[str, bytes] | None = None
        self.queue: deque[_Job] = deque()
        self._ex: ProcessPoolExecutor | None = None

    def add(self, job: _Job, img: PageImage) -> None:
        pi = len(job.pages)
        job.pages.append(img)
        if not img.scanned:
            self._progress(job, pi)
            return
        key = cache_key(self.engine.name, self.engine.config_key, img.sha256)
        if key not in job.keys.values():
            self.users[key] = self.users.get(key, 0) + 1
        job.keys[pi] = key
        if key in self.wanted:
            self.wanted[key].append((job, pi))
            return
        if key in self.words:
            self._progress(job, pi)
            return
        cached = self.cache.get(key)
        if cached is not None:
            self.words[key] = cached
            self._progress(job, pi)
            return
        job.first.add(pi)
        self.wanted[key] = [(job, pi)]
        self._read(key, img.png)

    def _read(self, key: str, png: bytes) -> None:
        if self.workers <= 1:
            self._read_here(key, png)
            return
        if self._ex is None and self.held is None:
            self.held = (key, png)
            return
        if self._ex is None:
            ctx = multiprocessing.get_context(_start_method())
            # the workers die with this process (PR_SET_PDEATHSIG: the thread that starts them, this
            # one, outlives the pool, which is shut down in close)
            self._ex = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=init_worker,
                                           initargs=(os.getpid(),))
            assert self.held is not None
            self._submit(*self.held)
            self.held = None
        while len(self.futures) >= self.in_flight:
            self.collect(block=True)
        self._submit(key, png)

    def _read_here(self, key: str, png: bytes) -> None:
        """Read one page in this process (one worker, or the page held back)."""
        with single_threaded_tesseract():
            self._got(key, self._call(key, lambda: read_png(self.engine, png)), counted=True)

    def _submit(self, key: str, png: bytes) -> None:
        assert self._ex is not None
        self.futures[self._ex.submit(read_png, self.sendable, png)] = key

    def _call(self, key: str, read: Callable[[], list[PixelWord]]) -> list[PixelWord]:
        try:
            return read()
        except Exception as e:
            job, pi = self.wanted[key][0]
            raise _wrap(e, job.where(pi)) from e

    def _got(self, key: str, words: list[PixelWord], counted: bool = False) -> None:
        if self.counting is not None and not counted:
            self.counting.reads += 1
        self.cache.put(key, words)
        self.words[key] = words
        for job, pi in self.wanted.pop(key):
            self._progress(job, pi)

    def collect(self, block: bool) -> None:
        """Take the pages the pool has read (waiting for one when ``block``)."""
        if not self.futures:
            return
        done, _ = wait(self.futures, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for fut in done:
            key = self.futures.pop(fut)
            self._got(key, self._call(key, fut.result))

    def finish(self) -> None:
        """Every page drawn: read the one held back, wait for the pool."""
        if self.held is not None:
            key, png = self.held
            self.held = None
            self._read_here(key, png)
        while self.futures:
            self.collect(block=True)

    def ready(self) -> Iterator[tuple[list[OcrPage], int]]:
        """The documents at the front whose pages are all drawn and read, in order."""
        self.collect(block=False)
        while self.queue and self.queue[0].drawn and all(k in self.words for k in self.queue[0].keys.values()):
            job = self.queue.popleft()
            out = _ocr_pages(job, self.words, text_source_of(self.engine))
            for key in set(job.keys.values()):
                self.users[key] -= 1
                if not self.users[key]:
                    del self.users[key], self.words[key]
            yield out

    def _progress(self, job: _Job, pi: int) -> None:
        self.done += 1
        progress.report("read", self.done, self.total,
                        where=f"document {job.index + 1} of {self.documents}, page {job.pages[pi].page_index + 1}")

    def close(self) -> None:
        """Stop the pool (after a failure or when the reader stops early: pages not started
        are not read)."""
        if self._ex is not None:
            self._ex.shutdown(wait=True, cancel_futures=True)
            self._ex = None


def _ocr_pages(job: _Job, read: dict[str, list[PixelWord]], source: TextSource) -> tuple[list[OcrPage], int]:
    """A document's OcrPages from its page images and the words read off them."""
    out: list[OcrPage] = []
    with pymupdf.open(stream=job.src.working_pdf, filetype="pdf") as pdf:
        for pi, img in enumerate(job.pages):
            page = pdf.load_page(img.page_index)
            if not img.scanned:
                out.append(OcrPage(
                    img.page_index, img.width, img.height, img.rotation, TextSource.PDF_TEXT,
                    text_layer_words(page),
                ))
                continue
            pixel_words = read[job.keys[pi]]
            words = words_to_page([w for w in pixel_words if not is_reread(w)], img, page)
            again = words_to_page([w for w in pixel_words if is_reread(w)], img, page)
            layer = text_layer_words(page, block_offset=TEXT_LAYER_BLOCK_OFFSET)
            if layer:
                words = merge_text_layer(words, layer)
            out.append(OcrPage(img.page_index, img.width, img.height, img.rotation, source, words,
                               _line_ids(again)))
    return out, len(job.first)


def iter_ocr(
    jobs: Iterable[tuple[SourceDocument, Iterable[PageImage]]],
    engine: OcrEngine,
    cache: OcrCache | None,
    workers: int,
    *,
    in_flight: int | None = None,
) -> Iterator[tuple[list[OcrPage], int]]:
    """For each job (document, its pages), in order, as soon as its pages are read: its
    OcrPages, in page order, and how many of its pages the engine read in this call (not
    cache hits, not text layers). Identical page images are read once.

    Each job's pages may be a generator (:func:`redaction.ocr.pages.iter_pages`): each page
    is handed to the pool as it is drawn, and at most ``in_flight`` pages (default
    :data:`PAGES_IN_FLIGHT_PER_WORKER` per worker) wait in the pool, so the pages of a long
    case are never all held at once, and whoever takes a document (detection) works while
    the pool reads the next ones. A page the engine fails on raises :class:`OcrError`
    naming its file and page; documents handed out before it stand."""
    todo = list(jobs)
    cache = cache if cache is not None else NoOcrCache()
    stream = _Stream(engine, cache, workers, in_flight or PAGES_IN_FLIGHT_PER_WORKER * workers,
                     sum(src.page_count for src, _ in todo), len(todo))
    progress.report("read", 0, stream.total)
    try:
        for ji, (src, pages) in enumerate(todo):
            job = _Job(ji, src)
            stream.queue.append(job)
            for img in pages:
                stream.add(job, img)
                yield from stream.ready()
            job.drawn = True
            yield from stream.ready()
        stream.finish()
        yield from stream.ready()
    finally:
        stream.close()
    log.info("OCR: %d document(s), %d page(s), %d worker(s)", len(todo), stream.done, workers)


def _line_ids(again: tuple[Word, ...]) -> tuple[Word, ...]:
    """Second-reading words with the (block, line) of the line they read again."""
    return tuple(replace(w, block=w.block - REREAD_BLOCK_OFFSET) for w in again)


def ocr_many(
    jobs: Iterable[tuple[SourceDocument, Iterable[PageImage]]],
    engine: OcrEngine,
    cache: OcrCache | None,
    workers: int,
) -> list[tuple[list[OcrPage], int]]:
    """Every job's result of :func:`iter_ocr`, at once."""
    return list(iter_ocr(jobs, engine, cache, workers))


def ocr_document(
    doc: SourceDocument,
    pages: list[PageImage],
    engine: OcrEngine,
    cache: OcrCache | None = None,
    workers: int = 1,
) -> list[OcrPage]:
    """The OcrPages of one document (see :func:`iter_ocr`)."""
    return ocr_many([(doc, pages)], engine, cache, workers)[0][0]
