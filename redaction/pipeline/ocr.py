"""The OCR stage: every page of a batch of documents read (redaction/ocr/), one process
pool for the batch, each document claimed by one worker; pages saved with their words,
each document as soon as its pages are read."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from redaction import faults, ocr
from redaction.context import Context
from redaction.errors import NotFoundError, OcrError, SourceFileError
from redaction.models import DocKind, DocumentStatus, OcrPage, SourceDocument
from redaction.settings import Settings
from redaction.store import claims, repository
from redaction.store.db import DocumentRow, PageRow
from redaction.store.serial import ocr_page_to_bytes


def _engine(settings: Settings) -> ocr.OcrEngine:
    if settings.ocr_engine == "null":
        return ocr.NullEngine()
    return ocr.TesseractEngine(psm=settings.tesseract_psm, reread_lines=settings.ocr_reread_lines,
                               use_library=settings.tesseract_library)


def _source_document(ctx: Context, doc: DocumentRow) -> SourceDocument:
    assert doc.working_sha256 is not None and doc.kind is not None
    return SourceDocument(
        file_name=doc.file_name,
        kind=DocKind(doc.kind),
        original_sha256=doc.original_sha256,
        working_pdf=ctx.store.blobs.get(doc.working_sha256),
        page_count=doc.page_count,
    )


@dataclass(frozen=True)
class OcrResult:
    document_id: int
    pages: int
    ocr_pages: int  # pages read by the OCR engine (not from cache or text layer)
    problem: str | None = None


def ocr_documents(ctx: Context, document_ids: list[int] | tuple[int, ...]) -> list[OcrResult]:
    """Every result of :func:`iter_ocr_documents`, in the order of ``document_ids``."""
    wanted = list(dict.fromkeys(document_ids))
    results = {r.document_id: r for r in iter_ocr_documents(ctx, wanted)}
    return [results[d] for d in wanted]


def iter_ocr_documents(ctx: Context, document_ids: list[int] | tuple[int, ...]) -> Iterator[OcrResult]:
    """Read every page of the given documents (all pages of a batch share one process
    pool, a few in flight) and yield each document's result as soon as its pages are
    saved, so its detection can run while the pool reads the next ones. Documents
    already read are skipped; OCR is cached by page-image hash.

    With several workers, each document is read by the worker that claims it (a lease,
    redaction/store/claims.py); a worker claims a batch of about ``ocr_batch_pages``
    pages at a time, so others take the rest, and waits for documents others hold, then
    finds them read. The claims of a batch are held until the batch is read."""
    lease = ctx.settings.worker_lease_seconds
    wanted = list(dict.fromkeys(document_ids))
    with ctx.store.session() as s:
        sizes = repository.page_counts(s, wanted)
    missing = [d for d in wanted if d not in sizes]
    if missing:
        raise NotFoundError(f"document {missing[0]} does not exist")
    done: set[int] = set()
    remaining = wanted
    while remaining:
        mine: list[int] = []
        for d in remaining:
            if mine and sum(sizes[m] for m in mine) + sizes[d] > ctx.settings.ocr_batch_pages:
                break
            if claims.try_claim(ctx.store.sessions, d, lease):
                mine.append(d)
        try:
            for r in _ocr_claimed(ctx, mine):
                done.add(r.document_id)
                yield r
        finally:
            for d in mine:
                claims.release(ctx.store.sessions, d)
        remaining = [d for d in remaining if d not in done]
        if remaining and not mine:
            time.sleep(claims.POLL_SECONDS)  # every one left is another worker's now


def _to_read(ctx: Context, document_ids: list[int]) -> tuple[list[OcrResult], list[tuple[int, SourceDocument]]]:
    """The results of documents held back or read already, and the documents left to read."""
    results: list[OcrResult] = []
    docs: list[tuple[int, SourceDocument]] = []
    with ctx.store.session() as s:
        for doc_id in document_ids:
            doc = repository.document(s, doc_id)
            if doc.status == DocumentStatus.HELD:
                results.append(OcrResult(doc.id, 0, 0, doc.problem))
            elif doc.pages:
                results.append(OcrResult(doc.id, len(doc.pages), 0))
            else:
                docs.append((doc.id, _source_document(ctx, doc)))
    return results, docs


class _Drawing:
    """The pages of a batch's documents, drawn as the pool asks for them (reading one while
    the next is drawn); a document whose page cannot be drawn stops there and is held back.
    A document's images are kept until its pages are saved, then dropped."""

    def __init__(self) -> None:
        self.drawn: dict[int, list[ocr.PageImage]] = {}
        self.broken: dict[int, SourceFileError] = {}

    def pages_of(self, doc_id: int, src: SourceDocument) -> Iterator[ocr.PageImage]:
        self.drawn[doc_id] = []
        try:
            for img in ocr.iter_pages(src):
                self.drawn[doc_id].append(img)
                yield img
        except SourceFileError as e:
            self.broken[doc_id] = e


def _ocr_claimed(ctx: Context, document_ids: list[int]) -> Iterator[OcrResult]:
    engine = _engine(ctx.settings)
    cache = ocr.DirOcrCache(ctx.settings.ocr_cache_dir)
    faults.point("ocr.claimed")
    results, docs = _to_read(ctx, document_ids)
    yield from results
    counting = ocr.CountingEngine(engine)
    drawing = _Drawing()
    workers = ctx.settings.ocr_workers
    left = list(docs)
    try:
        stream = ocr.iter_ocr([(src, drawing.pages_of(d, src)) for d, src in docs], counting, cache, workers)
        for item in stream:
            doc_id, _src = left.pop(0)
            yield _settle(ctx, doc_id, drawing, item)
    except OcrError:
        # one document's pages failed: read those not handed out yet one document at a time
        # (pages already read come from the cache) and hold back only the documents that fail
        for doc_id, src in left:
            one: tuple[list[OcrPage], int] | OcrError
            try:
                (one,) = ocr.iter_ocr([(src, drawing.pages_of(doc_id, src))], counting, cache, workers)
            except OcrError as e:
                one = e
            yield _settle(ctx, doc_id, drawing, one)


def _settle(ctx: Context, doc_id: int, drawing: _Drawing, item: tuple[list[OcrPage], int] | OcrError) -> OcrResult:
    """Save one document's pages (or hold it back) and forget its images."""
    faults.point("ocr.read")
    images = drawing.drawn.pop(doc_id, [])
    if doc_id in drawing.broken:
        err = drawing.broken.pop(doc_id)
        _hold(ctx, doc_id, err)
        return OcrResult(doc_id, 0, 0, err.message)
    try:
        result = _save_pages(ctx, doc_id, images, item)
    except IntegrityError:  # a worker whose lease ran out saved them first: theirs stand
        with ctx.store.session() as s:
            n = repository.pages_read(s, [doc_id])
        result = OcrResult(doc_id, n, 0)
    faults.point("ocr.committed")
    return result


def _save_pages(ctx: Context, doc_id: int, images: list[ocr.PageImage],
                item: tuple[list[OcrPage], int] | OcrError) -> OcrResult:
    with ctx.store.session() as s, s.begin():
        row = repository.document(s, doc_id)
        if isinstance(item, OcrError):
            row.status, row.problem, row.problem_code = DocumentStatus.HELD, item.message, "ocr-failed"
            return OcrResult(row.id, 0, 0, item.message)
        pages, n_ocr = item
        for img, page in zip(images, pages, strict=True):
            image_sha = ctx.store.blobs.put(img.png) if img.png else None
            words_sha = ctx.store.blobs.put(ocr_page_to_bytes(page))
            faults.point("ocr.saving")
            s.add(
                PageRow(
                    document_id=row.id,
                    page_index=page.page_index,
                    width=page.width,
                    height=page.height,
                    rotation=page.rotation,
                    source=page.source.value,
                    image_sha256=image_sha,
                    words_sha256=words_sha,
                    word_count=len(page.words),
                )
            )
        row.status = DocumentStatus.OCR
        return OcrResult(row.id, len(pages), n_ocr)


def _hold(ctx: Context, doc_id: int, err: SourceFileError) -> None:
    with ctx.store.session() as s, s.begin():
        row = repository.document(s, doc_id)
        row.status, row.problem, row.problem_code = DocumentStatus.HELD, err.message, err.code
