"""The import stage: a case folder (or its S3 inbox address) read into the store, each
file triaged (redaction/ingest.py) and kept as a document; unchanged files keep theirs."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from redaction import casefolder, faults, ingest
from redaction.case import Case, manifest_from_bytes
from redaction.context import Context
from redaction.errors import CleanCopyError, SourceFileError
from redaction.models import DocumentStatus
from redaction.procedure import consents, states
from redaction.settings import Settings
from redaction.store import BlobStore, repository, s3_cases, sha256_bytes
from redaction.store.db import CaseRow, DocumentRow, utcnow
from redaction.store.retry import retry_on_conflict

log = logging.getLogger(__name__)


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
        return tuple(d for d in self.documents if d.status == DocumentStatus.HELD)

    @property
    def to_process(self) -> tuple[int, ...]:
        return tuple(d.id for d in self.documents if d.status != DocumentStatus.HELD)


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
    files = folder.listing(ctx.settings.max_file_bytes)
    refs: list[DocumentRef] = []
    with ctx.store.session() as s, s.begin():
        _save_case(s, case, ctx.store.blobs.put(manifest_bytes), recorded_dir, listing)
        s.flush()
        present: set[str] = set()
        for entry in files.entries:
            present.add(entry.name)
            refs.append(_import_file(ctx, s, case.case_id, folder, entry))
        for gone in repository.current_document_rows(s, case.case_id):
            if gone.file_name not in present:
                gone.current = False
    faults.point("import.committed")
    warnings = list(files.warnings)
    warnings += [f"case.yaml lists {note.file} under documents:, but files/ holds no file of that name: check "
                 "the name (what case.yaml says of it is not used)"
                 for note in case.documents if note.file not in present]
    log.info("case %s imported: %d documents, %d held back, %d warning(s)", case.case_id, len(refs),
             sum(r.status == DocumentStatus.HELD for r in refs), len(warnings))
    states.after_import(ctx, case.case_id, bool(consents.pending_parties(consents.case_manifest(ctx, case.case_id))))
    return ImportResult(case.case_id, tuple(refs), tuple(warnings))


def _save_case(s: Session, case: Case, manifest_blob: str, recorded_dir: str, listing: str | None) -> None:
    row = repository.find_case(s, case.case_id)
    if row is None:
        s.add(CaseRow(
            case_id=case.case_id,
            received=case.received,
            deadline=case.deadline,
            case_dir=recorded_dir,
            manifest_sha256=case.manifest_sha256,
            manifest_blob=manifest_blob,
            source_listing=listing,
        ))
        return
    extended = repository.case_state(s, case.case_id)  # an extension recorded since outlasts the manifest's
    row.received = case.received
    row.deadline = extended.extended_to if extended is not None and extended.extended_to else case.deadline
    row.case_dir, row.source_listing = recorded_dir, listing
    row.manifest_sha256, row.manifest_blob = case.manifest_sha256, manifest_blob
    row.updated_at = utcnow()


def _import_file(ctx: Context, s: Session, case_id: str, folder: casefolder.CaseFolder,
                 entry: casefolder.SourceEntry) -> DocumentRef:
    """One file of files/: its current document when its bytes are unchanged, else a new
    version (triaged, or held back saying why)."""
    limit = ctx.settings.max_file_bytes
    data: bytes | None = None
    refused = entry.refused
    if refused is None:
        try:
            data = folder.read(entry, limit)
        except SourceFileError as e:
            refused = e
    # a file refused unread has no content hash: a marker of why stands in (casefolder.py)
    sha = sha256_bytes(data) if data is not None else entry.marker
    current = repository.current_document(s, case_id, entry.name)
    if current is not None and current.original_sha256 == sha and current.status != DocumentStatus.HELD:
        return DocumentRef(current.id, entry.name, current.status, None, current.version)
    version = 1
    if current is not None:
        current.current = False
        version = current.version + (0 if current.original_sha256 == sha else 1)
        if current.original_sha256 == sha:  # a held file retried: replace its row
            s.delete(current)
            s.flush()
    doc = DocumentRow(
        case_id=case_id,
        file_name=entry.name,
        version=version,
        current=True,
        # only bytes that were read are stored; nothing of a refused file is
        original_sha256=ctx.store.blobs.put(data) if data is not None else sha,
    )
    _triage(doc, entry.name, data, refused, ctx.store.blobs, _limits(ctx.settings))
    s.add(doc)
    s.flush()
    faults.point("import.in-transaction")
    return DocumentRef(doc.id, entry.name, doc.status, doc.problem, doc.version)


def _triage(doc: DocumentRow, name: str, data: bytes | None, refused: SourceFileError | None,
            blobs: BlobStore, limits: ingest.IngestLimits) -> None:
    try:
        if refused is not None or data is None:
            raise refused or SourceFileError(name, "the file could not be read", "corrupt")
        src = ingest.triage_bytes(name, data, limits)
    except SourceFileError as e:
        doc.status, doc.problem, doc.problem_code = DocumentStatus.HELD, e.message, e.code
    else:
        doc.kind = src.kind.value
        doc.working_sha256 = blobs.put(src.working_pdf)
        doc.page_count = src.page_count
        doc.status = DocumentStatus.NEW
