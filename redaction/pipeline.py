"""The stages wired together: the only module that knows their order.

Each stage is a plain function taking a :class:`Context` and ids, returning small
typed values (ids, counts, hashes, messages about files) — never document text — so
the Prefect tasks over them pass nothing sensitive to Prefect.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from redaction import casefolder, detect, faults, ingest, ocr, progress
from redaction.case import Case, manifest_from_bytes, parse_manifest
from redaction.context import Context
from redaction.context import open_context as open_context  # callers open a context through the pipeline too
from redaction.errors import (
    CleanCopyError,
    InputError,
    NotFoundError,
    OcrError,
    SourceFileError,
)
from redaction.models import DocKind, OcrPage, Reason, SourceDocument
from redaction.procedure import consents, states
from redaction.review import audit
from redaction.settings import Settings
from redaction.store import claims, sha256_bytes
from redaction.store.db import CaseRow, CaseStateRow, DecisionRow, DocumentRow, PageRow, ProposalRow, ReleaseRow, utcnow
from redaction.store.retry import retry_on_conflict
from redaction.store.serial import boxes_to_json, ocr_page_from_bytes, ocr_page_to_bytes

log = logging.getLogger(__name__)


def _detector_version() -> str:
    """A hash of the detection code: a new version re-detects stored documents."""
    h = hashlib.sha256()
    for f in sorted(Path(detect.__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


DETECTOR_VERSION = _detector_version()


# --- import ----------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRef:
    id: int
    file_name: str
    status: str
    problem: str | None = None
    version: int = 1


@dataclass(frozen=True)
class ImportResult:
    case_id: str
    documents: tuple[DocumentRef, ...]
    # things the office should know that hold nothing back: a documents: entry of case.yaml
    # naming no file, a folder inside files/ (file names only, never document text)
    warnings: tuple[str, ...] = ()

    @property
    def held_back(self) -> tuple[DocumentRef, ...]:
        return tuple(d for d in self.documents if d.status == "held")

    @property
    def to_process(self) -> tuple[int, ...]:
        return tuple(d.id for d in self.documents if d.status != "held")


def _limits(settings: Settings) -> ingest.IngestLimits:
    return ingest.IngestLimits(
        max_file_bytes=settings.max_file_bytes,
        max_pages=settings.max_pages,
        max_image_pixels=settings.max_image_pixels,
        default_dpi=settings.default_image_dpi,
    )


def import_case(ctx: Context, case_dir: Path | str) -> ImportResult:
    """Read the case folder (never changing it) into the store. A file whose bytes are
    unchanged keeps its document (and its OCR); changed bytes make a new version and
    the old one is kept. ``case_dir`` may be an S3 address (``s3://bucket/inbox/CASE_ID``):
    it is copied to a temporary folder and read from there; the case records the address."""
    from redaction.store import s3_cases

    if s3_cases.is_s3_url(case_dir):
        url = str(case_dir).rstrip("/")
        with tempfile.TemporaryDirectory(prefix="cleancopy-inbox-") as tmp:
            local = Path(tmp) / "case"
            listing = s3_cases.fetch_case(url, local, max_file_bytes=ctx.settings.max_file_bytes)
            try:
                return _import_folder(ctx, local, url, listing)
            except CleanCopyError as e:  # name the inbox address, not the temporary copy
                e.message = e.message.replace(str(local), url)
                e.args = (e.message,)
                raise
    return _import_folder(ctx, Path(case_dir), str(Path(case_dir).resolve()))


def _import_folder(ctx: Context, case_dir: Path, recorded_dir: str, listing: str | None = None) -> ImportResult:
    # read through redaction/casefolder.py: no link followed, no special file opened, sizes
    # checked before reading, any file name; the folder is only read
    with casefolder.CaseFolder(case_dir) as folder:
        return _import_open_folder(ctx, folder, recorded_dir, listing)


@retry_on_conflict  # two workers importing one case at once: the loser imports again, finding the winner's rows
def _import_open_folder(ctx: Context, folder: casefolder.CaseFolder, recorded_dir: str,
                        listing: str | None) -> ImportResult:
    manifest_bytes = folder.manifest_bytes()  # read once: what is parsed is what is stored
    case = manifest_from_bytes(manifest_bytes, str(folder.path / casefolder.MANIFEST))
    limit = ctx.settings.max_file_bytes
    files = folder.listing(limit)
    blobs = ctx.store.blobs
    refs: list[DocumentRef] = []
    with ctx.store.session() as s, s.begin():
        row = s.get(CaseRow, case.case_id)
        manifest_blob = blobs.put(manifest_bytes)
        if row is None:
            row = CaseRow(
                case_id=case.case_id,
                received=case.received,
                deadline=case.deadline,
                case_dir=recorded_dir,
                manifest_sha256=case.manifest_sha256,
                manifest_blob=manifest_blob,
                source_listing=listing,
            )
            s.add(row)
        else:
            extended = s.get(CaseStateRow, case.case_id)  # an extension recorded since outlasts the manifest's
            row.received = case.received
            row.deadline = extended.extended_to if extended is not None and extended.extended_to else case.deadline
            row.case_dir, row.source_listing = recorded_dir, listing
            row.manifest_sha256, row.manifest_blob = case.manifest_sha256, manifest_blob
            row.updated_at = utcnow()
        s.flush()
        present: set[str] = set()
        for entry in files.entries:
            present.add(entry.name)
            data: bytes | None = None
            refused = entry.refused
            if refused is None:
                try:
                    data = folder.read(entry, limit)
                except SourceFileError as e:
                    refused = e
            # a file refused unread has no content hash: a marker of why stands in (casefolder.py)
            sha = sha256_bytes(data) if data is not None else entry.marker
            current = s.scalars(
                select(DocumentRow).where(
                    DocumentRow.case_id == case.case_id,
                    DocumentRow.file_name == entry.name,
                    DocumentRow.current.is_(True),
                )
            ).first()
            if current is not None and current.original_sha256 == sha and current.status != "held":
                refs.append(DocumentRef(current.id, entry.name, current.status, None, current.version))
                continue
            version = 1
            if current is not None:
                current.current = False
                version = current.version + (0 if current.original_sha256 == sha else 1)
                if current.original_sha256 == sha:  # a held file retried: replace its row
                    s.delete(current)
                    s.flush()
            doc = DocumentRow(
                case_id=case.case_id,
                file_name=entry.name,
                version=version,
                current=True,
                # only bytes that were read are stored; nothing of a refused file is
                original_sha256=blobs.put(data) if data is not None else sha,
            )
            try:
                if refused is not None or data is None:
                    raise refused or SourceFileError(entry.name, "the file could not be read", "corrupt")
                src = ingest.triage_bytes(entry.name, data, _limits(ctx.settings))
            except SourceFileError as e:
                doc.status, doc.problem, doc.problem_code = "held", e.message, e.code
            else:
                doc.kind = src.kind.value
                doc.working_sha256 = blobs.put(src.working_pdf)
                doc.page_count = src.page_count
                doc.status = "new"
            s.add(doc)
            s.flush()
            faults.point("import.in-transaction")
            refs.append(DocumentRef(doc.id, entry.name, doc.status, doc.problem, doc.version))
        for gone in s.scalars(
            select(DocumentRow).where(
                DocumentRow.case_id == case.case_id, DocumentRow.current.is_(True)
            )
        ):
            if gone.file_name not in present:
                gone.current = False
    faults.point("import.committed")
    warnings = list(files.warnings)
    warnings += [f"case.yaml lists {note.file} under documents:, but files/ holds no file of that name: check "
                 "the name (what case.yaml says of it is not used)"
                 for note in case.documents if note.file not in present]
    log.info("case %s imported: %d documents, %d held back, %d warning(s)", case.case_id, len(refs),
             sum(r.status == "held" for r in refs), len(warnings))
    states.after_import(ctx, case.case_id, bool(consents.pending_parties(case_manifest(ctx, case.case_id))))
    return ImportResult(case.case_id, tuple(refs), tuple(warnings))


# --- OCR ---------------------------------------------------------------------------


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
        sizes = dict(s.execute(select(DocumentRow.id, DocumentRow.page_count)
                               .where(DocumentRow.id.in_(wanted))).tuples().all())
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


def _ocr_claimed(ctx: Context, document_ids: list[int]) -> list[OcrResult]:
    engine = _engine(ctx.settings)
    cache = ocr.DirOcrCache(ctx.settings.ocr_cache_dir)
    results: list[OcrResult] = []
    docs: list[tuple[int, SourceDocument]] = []
    faults.point("ocr.claimed")
    with ctx.store.session() as s:
        for doc_id in document_ids:
            doc = s.get(DocumentRow, doc_id)
            if doc is None:
                raise NotFoundError(f"document {doc_id} does not exist")
            if doc.status == "held":
                results.append(OcrResult(doc.id, 0, 0, doc.problem))
                continue
            if doc.pages:
                results.append(OcrResult(doc.id, len(doc.pages), 0))
                continue
            docs.append((doc.id, _source_document(ctx, doc)))
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

    counting = ocr.CountingEngine(engine) if hasattr(ocr, "CountingEngine") else engine
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
                n = len(s.scalars(select(PageRow.id).where(PageRow.document_id == doc_id)).all())
            results.append(OcrResult(doc_id, n, 0))
    faults.point("ocr.committed")
    return results


def _save_pages(ctx: Context, doc_id: int, images: list[ocr.PageImage],
                item: tuple[list[OcrPage], int] | OcrError) -> OcrResult:
    with ctx.store.session() as s, s.begin():
        row = s.get(DocumentRow, doc_id)
        assert row is not None
        if isinstance(item, OcrError):
            row.status, row.problem, row.problem_code = "held", item.message, "ocr-failed"
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
        row.status = "ocr"
        return OcrResult(row.id, len(pages), n_ocr)


def _hold(ctx: Context, doc_id: int, err: SourceFileError) -> None:
    with ctx.store.session() as s, s.begin():
        row = s.get(DocumentRow, doc_id)
        assert row is not None
        row.status, row.problem, row.problem_code = "held", err.message, err.code


# --- detection ---------------------------------------------------------------------


def case_manifest(ctx: Context, case_id: str) -> Case:
    with ctx.store.session() as s:
        row = s.get(CaseRow, case_id)
        if row is None:
            raise NotFoundError(f"case {case_id} is not known here: run 'cleancopy run CASE_DIR' first")
        blob = row.manifest_blob
    # the answers recorded since the request arrived stand in for case.yaml's consent values
    return consents.effective(ctx, _stored_manifest(ctx, blob, case_id))


def record_consent(ctx: Context, case_id: str, party_id: str, answer: str, actor: str, *,
                   evidence: consents.Evidence | None = None, on: dt.date | None = None) -> Case:
    """Record a third party's answer (granted | refused) with its evidence, propose again
    for every document (a refusal adds redactions, a grant takes them back), and move the
    case on when nobody is left to answer. The case as it now stands is returned."""
    consents.save_answer(ctx, case_manifest(ctx, case_id), party_id, answer, actor, evidence=evidence, on=on)
    propose_case_again(ctx, case_id)
    now = case_manifest(ctx, case_id)
    consents.settle(ctx, now, actor)
    return now


_MANIFESTS: dict[str, Case] = {}  # parsed case.yaml by blob id (content-addressed: never stale)


def _stored_manifest(ctx: Context, blob: str, case_id: str) -> Case:
    """The case.yaml stored as ``blob``, parsed once per process (Case is immutable)."""
    if blob not in _MANIFESTS:
        if len(_MANIFESTS) >= 64:
            _MANIFESTS.clear()
        _MANIFESTS[blob] = parse_manifest(ctx.store.blobs.get(blob).decode("utf-8"), f"{case_id}/case.yaml")
    return _MANIFESTS[blob]


REVIEWER_DETECTOR = "reviewer"  # proposals a person drew, searched for or made whole-page


def _proposal_key(p: detect.ProposalDraft | ProposalRow, boxes: list[list[float]]) -> str:
    reason = p.reason.value if isinstance(p.reason, Reason) else p.reason
    raw = f"{p.page_index}|{reason}|{p.party_id}|{boxes}"
    return hashlib.sha256(raw.encode()).hexdigest()


def load_pages(ctx: Context, doc_id: int) -> list[OcrPage]:
    with ctx.store.session() as s:
        shas = [p.words_sha256 for p in s.scalars(
            select(PageRow).where(PageRow.document_id == doc_id).order_by(PageRow.page_index)
        )]
    return [ocr_page_from_bytes(ctx.store.blobs.get(sha)) for sha in shas]


@dataclass(frozen=True)
class ProposeResult:
    document_id: int
    proposals: int  # live proposals for the document after this run
    new: int
    busy: bool = False  # another worker was proposing it: left to that worker (see propose_document)


def case_names(ctx: Context, case_id: str, exclude_document: int | None = None) -> dict[str, Reason]:
    """Name words of the people (other children, unlisted people) the NER model and the child
    cues found in the case's current documents, ``exclude_document`` left out: each document's
    detection looks for them too. Kept in the store; never logged."""
    # imported here, not above: detect.people loads spaCy (2 s), which commands that never
    # detect (status, decide, release) should not pay for
    from redaction.detect.people import AGAIN, NAME, name_words

    with ctx.store.session() as s:
        rows = s.execute(
            select(ProposalRow.text, ProposalRow.reason)
            .join(DocumentRow, DocumentRow.id == ProposalRow.document_id)
            .where(DocumentRow.case_id == case_id, DocumentRow.current.is_(True),
                   DocumentRow.id != (exclude_document if exclude_document is not None else -1),
                   ProposalRow.detector == NAME, ProposalRow.status != "withdrawn",
                   ProposalRow.explanation != AGAIN,
                   ProposalRow.reason.in_([Reason.OTHER_CHILD.value, Reason.UNLISTED_PERSON.value]))
            .order_by(ProposalRow.id)
        ).all()
    return name_words((text, Reason(reason)) for text, reason in rows)


def propose_case_again(ctx: Context, case_id: str) -> list[ProposeResult]:
    """After every document is proposed: each one again, now knowing the people found in the
    others (a document whose case names did not change is skipped by its detect key)."""
    docs = [d for d in current_documents(ctx, case_id) if d.status != "held"]
    out = []
    for i, d in enumerate(docs, 1):
        out.append(propose_document(ctx, d.id, wait=True))
        progress.report("propose-again", i, len(docs), "document")
    return out


def propose_document(ctx: Context, doc_id: int, *, wait: bool = False) -> ProposeResult:
    """Run the detectors over one document and merge their proposals with what is
    stored: decisions on proposals found again are kept; proposals no longer found are
    withdrawn (pending ones deleted).

    One worker at a time proposes a document (a claim). When another worker is proposing
    it now, this one leaves it to them (``busy=True``) unless ``wait``: then it waits and
    runs after them (usually finding the detect key unchanged: nothing to do).
    :func:`propose_case_again` waits, so a case run ends with every document proposed."""
    lease = ctx.settings.worker_lease_seconds
    if not wait and claims.try_claim(ctx.store.sessions, doc_id, lease) is False:
        log.info("document %d is being proposed by another worker: left to it", doc_id)
        return ProposeResult(doc_id, _live_proposals(ctx, doc_id), 0, busy=True)
    with claims.claimed(ctx.store.sessions, doc_id, lease):
        return _propose_document(ctx, doc_id)


def _live_proposals(ctx: Context, doc_id: int) -> int:
    with ctx.store.session() as s:
        return len(s.scalars(select(ProposalRow.id).where(
            ProposalRow.document_id == doc_id, ProposalRow.status != "withdrawn")).all())


@dataclass(frozen=True)
class DetectKey:
    """What a document's proposals were made from: detection runs again when ``key`` is
    not ``stored`` (new code, model, case.yaml, consent answer, pages or case names)."""

    key: str
    stored: str | None
    case_id: str
    file_name: str
    names: dict[str, Reason]

    @property
    def current(self) -> bool:
        return self.key == self.stored


def detect_key(ctx: Context, doc_id: int) -> DetectKey | None:
    """The detect key of a document (None for a held one)."""
    with ctx.store.session() as s:
        doc = s.get(DocumentRow, doc_id)
        if doc is None:
            raise NotFoundError(f"document {doc_id} does not exist")
        if doc.status == "held":
            return None
        case_id, file_name = doc.case_id, doc.file_name
        words_key = "|".join(p.words_sha256 for p in doc.pages)
        manifest_sha = doc.case.manifest_sha256
        old_key = doc.detect_key
    model = f"{ctx.settings.ner_model}|{detect.config_fingerprint(detect.config_for(ctx.settings))}"
    names = case_names(ctx, case_id, exclude_document=doc_id)

    manifest_sha = f"{manifest_sha}+{consents.key(ctx, case_id)}"
    names_key = hashlib.sha256(json.dumps(sorted(names.items())).encode()).hexdigest()[:16]
    key = hashlib.sha256(
        f"{DETECTOR_VERSION}|{model}|{manifest_sha}|{words_key}|{names_key}".encode()).hexdigest()
    return DetectKey(key, old_key, case_id, file_name, names)


def _propose_document(ctx: Context, doc_id: int) -> ProposeResult:
    dk = detect_key(ctx, doc_id)
    if dk is None:
        return ProposeResult(doc_id, 0, 0)
    if dk.current:
        return ProposeResult(doc_id, _live_proposals(ctx, doc_id), 0)
    case_id, file_name, names, detect_key_ = dk.case_id, dk.file_name, dk.names, dk.key
    case = case_manifest(ctx, case_id)
    pages = load_pages(ctx, doc_id)
    drafts = detect.detect_document(case, file_name, pages, detect.config_for(ctx.settings), case_names=names)
    for attempt in (1, 2):
        new = 0
        try:
            with ctx.store.session() as s, s.begin():
                existing = {
                    p.key: p for p in s.scalars(select(ProposalRow).where(ProposalRow.document_id == doc_id))
                }
                seen: set[str] = set()
                for d in drafts:
                    boxes = boxes_to_json(d.boxes)
                    key = _proposal_key(d, boxes)
                    if key in seen:
                        continue
                    seen.add(key)
                    row = existing.get(key)
                    if row is not None:
                        row.score, row.detector, row.explanation, row.text = d.score, d.detector, d.explanation, d.text
                        if row.status == "withdrawn":
                            row.status = "pending"
                        continue
                    s.add(
                        ProposalRow(
                            document_id=doc_id,
                            page_index=d.page_index,
                            boxes=boxes,
                            reason=d.reason.value,
                            detector=d.detector,
                            score=float(d.score),
                            party_id=d.party_id,
                            text=d.text,
                            explanation=d.explanation,
                            whole_page=d.whole_page,
                            status="pending",
                            key=key,
                        )
                    )
                    new += 1
                for key, row in existing.items():
                    if key not in seen and row.detector != REVIEWER_DETECTOR:  # a reviewer's own boxes stay
                        if row.status == "pending":
                            s.delete(row)
                        else:
                            row.status = "withdrawn"
                doc2 = s.get(DocumentRow, doc_id)
                assert doc2 is not None
                doc2.detect_key = detect_key_
                doc2.status = "proposed"
                faults.point("propose.in-transaction")
            faults.point("propose.committed")
            break
        except IntegrityError:
            # another worker stored this document's proposals first: their rows stand,
            # and the second pass updates them instead of adding duplicates
            if attempt == 2:
                raise
    return ProposeResult(doc_id, len(seen), new)


# --- review ------------------------------------------------------------------------


def current_documents(ctx: Context, case_id: str) -> list[DocumentRow]:
    with ctx.store.session() as s:
        if s.get(CaseRow, case_id) is None:
            raise NotFoundError(f"case {case_id} is not known here: run 'cleancopy run CASE_DIR' first")
        return list(s.scalars(
            select(DocumentRow)
            .where(DocumentRow.case_id == case_id, DocumentRow.current.is_(True))
            .order_by(DocumentRow.file_name)
        ))


def list_proposals(ctx: Context, case_id: str) -> list[tuple[ProposalRow, str]]:
    """Live proposals of the case's current documents, with each one's file name."""
    docs = {d.id: d.file_name for d in current_documents(ctx, case_id)}
    with ctx.store.session() as s:
        rows = s.scalars(
            select(ProposalRow)
            .where(ProposalRow.document_id.in_(docs), ProposalRow.status != "withdrawn")
            .order_by(ProposalRow.document_id, ProposalRow.page_index, ProposalRow.id)
        ).all()
    return [(r, docs[r.document_id]) for r in rows]


def decide(
    ctx: Context,
    case_id: str,
    reviewer: str,
    *,
    accept_all: bool = False,
    accept: tuple[int, ...] = (),
    reject: tuple[int, ...] = (),
    detail: str = "",
) -> int:
    """Record decisions; returns how many proposals were decided. Every decision is
    kept twice in one transaction (both or neither): in the decisions table and as an
    entry of the case's audit log (action accepted/rejected, the proposal, ``reviewer``,
    ``detail``). The CLI and the desk pass a reviewer account's name (checked there)."""
    if not reviewer.strip():
        raise InputError("--reviewer must name the person deciding")
    live = {r.id: r for r, _ in list_proposals(ctx, case_id)}
    wanted: dict[int, str] = {}
    if accept_all:
        wanted = {pid: "accepted" for pid, r in live.items() if r.status == "pending"}
    for pid in accept:
        wanted[pid] = "accepted"
    for pid in reject:
        if pid in accept:
            raise InputError(f"proposal {pid} is both accepted and rejected: choose one")
        wanted[pid] = "rejected"
    unknown = sorted(set(wanted) - set(live))
    if unknown:
        raise NotFoundError(f"proposal(s) {', '.join(map(str, unknown))} are not live proposals of case {case_id}")
    _record_decisions(ctx, case_id, reviewer.strip(), wanted, detail)
    faults.point("decide.committed")
    if wanted:
        states.after_decision(ctx, case_id, reviewer.strip())
    return len(wanted)


@retry_on_conflict
def _record_decisions(ctx: Context, case_id: str, reviewer: str, wanted: dict[int, str], detail: str) -> None:
    with ctx.store.session() as s, s.begin():
        for pid, status in wanted.items():
            row = s.get(ProposalRow, pid)
            assert row is not None
            row.status = status
            s.add(DecisionRow(proposal_id=pid, reviewer=reviewer, status=status))
            audit.append(s, case_id, reviewer, status, pid, detail)
            faults.point("decide.in-transaction")


# --- status ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseStatus:
    case_id: str
    received: str
    deadline: str
    documents: int
    held_back: int
    pages: int
    proposals: int
    pending: int
    accepted: int
    rejected: int
    waiting_parties: tuple[str, ...]
    released: bool


def case_status(ctx: Context, case_id: str) -> CaseStatus:
    docs = current_documents(ctx, case_id)
    props = [r for r, _ in list_proposals(ctx, case_id)]
    case = case_manifest(ctx, case_id)
    with ctx.store.session() as s:
        row = s.get(CaseRow, case_id)
        assert row is not None
        pages = sum(len(d.pages) for d in s.scalars(
            select(DocumentRow).where(DocumentRow.id.in_([d.id for d in docs]))))
        released = s.scalars(select(ReleaseRow.id).where(ReleaseRow.case_id == case_id)).first() is not None
        return CaseStatus(
            case_id=case_id,
            received=row.received.isoformat(),
            deadline=row.deadline.isoformat(),
            documents=len(docs),
            held_back=sum(d.status == "held" for d in docs),
            pages=pages,
            proposals=len(props),
            pending=sum(p.status == "pending" for p in props),
            accepted=sum(p.status == "accepted" for p in props),
            rejected=sum(p.status == "rejected" for p in props),
            waiting_parties=tuple(p.id for p in case.third_parties if p.consent.value == "pending"),
            released=released,
        )


def all_case_ids(ctx: Context) -> list[str]:
    with ctx.store.session() as s:
        return list(s.scalars(select(CaseRow.case_id).order_by(CaseRow.case_id)))
