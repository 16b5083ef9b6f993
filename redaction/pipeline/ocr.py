"""The OCR stage: every page of a batch of documents read (redaction/ocr/), one process
pool for the batch, each document claimed by one worker; pages saved with their words."""

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
    return ocr.TesseractEngine(psm=settings.tesseract_psm, reread_lines=settings.ocr_reread_lines)


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
    """Read every page of the given documents (all pages of a batch share one process
    pool). Documents already read are skipped; OCR is cached by page-image hash.

    With several workers, each document is read by the worker that claims it (a lease,
    redaction/store/claims.py); a worker claims a batch of about ``ocr_batch_pages``
    pages at a time, so others take the rest, and waits for documents others hold, then
    finds them read."""
    lease = ctx.settings.worker_lease_seconds
    wanted = list(dict.fromkeys(document_ids))
    with ctx.store.session() as s:
        sizes = repository.page_counts(s, wanted)
    missing = [d for d in wanted if d not in sizes]
    if missing:
        raise NotFoundError(f"document {missing[0]} does not exist")
    results: dict[int, OcrResult] = {}
    remaining = wanted
    while remaining:
        mine: list[int] = []
        for d in remaining:
            if mine and sum(sizes[m] for m in mine) + sizes[d] > ctx.settings.ocr_batch_pages:
                break
            if claims.try_claim(ctx.store.sessions, d, lease):
                mine.append(d)
        try:
            results.update((r.document_id, r) for r in _ocr_claimed(ctx, mine))
        finally:
            for d in mine:
                claims.release(ctx.store.sessions, d)
        remaining = [d for d in remaining if d not in results]
        if remaining and not mine:
            time.sleep(claims.POLL_SECONDS)  # every one left is another worker's now
    return [results[d] for d in wanted]


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


def _ocr_claimed(ctx: Context, document_ids: list[int]) -> list[OcrResult]:
    engine = _engine(ctx.settings)
    cache = ocr.DirOcrCache(ctx.settings.ocr_cache_dir)
    faults.point("ocr.claimed")
    results, docs = _to_read(ctx, document_ids)
    if not docs:
        return results
    # pages are drawn as the pool asks for them (reading one while the next is drawn); a
    # document whose page cannot be drawn stops there and is held back
    drawn: dict[int, list[ocr.PageImage]] = {}
    broken: dict[int, SourceFileError] = {}

    def pages_of(doc_id: int, src: SourceDocument) -> Iterator[ocr.PageImage]:
        drawn[doc_id] = []
        try:
            for img in ocr.iter_pages(src):
                drawn[doc_id].append(img)
                yield img
        except SourceFileError as e:
            broken[doc_id] = e

    counting = ocr.CountingEngine(engine)
    read: list[tuple[list[OcrPage], int] | OcrError]
    try:
        read = list(ocr.ocr_many(((src, pages_of(d, src)) for d, src in docs), counting, cache,
                                 ctx.settings.ocr_workers))
    except OcrError:
        # one document's pages failed: read them one document at a time (pages already
        # read come from the cache) and hold back only the documents that fail
        read = []
        for d, src in docs:
            try:
                read.extend(ocr.ocr_many([(src, pages_of(d, src))], counting, cache, ctx.settings.ocr_workers))
            except OcrError as e:
                read.append(e)
    faults.point("ocr.read")
    for (doc_id, _src), item in zip(docs, read, strict=True):
        if doc_id in broken:
            _hold(ctx, doc_id, broken[doc_id])
            results.append(OcrResult(doc_id, 0, 0, broken[doc_id].message))
            continue
        try:
            results.append(_save_pages(ctx, doc_id, drawn[doc_id], item))
        except IntegrityError:  # a worker whose lease ran out saved them first: theirs stand
            with ctx.store.session() as s:
                n = repository.pages_read(s, [doc_id])
            results.append(OcrResult(doc_id, n, 0))
    faults.point("ocr.committed")
    return results


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
