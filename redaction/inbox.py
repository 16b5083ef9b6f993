"""The inbox seen from the night shift: which case folders are new or changed since the
store last read them, and which cases are overdue or due soon.

Everything here returns ids, folder names, dates, hashes and counts — never document text
— because the nightly flow hands these values to Prefect.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from redaction.case import manifest_from_bytes
from redaction.casefolder import MANIFEST, CaseFolder
from redaction.context import Context
from redaction.errors import CleanCopyError, InputError, NotFoundError
from redaction.procedure import clocks
from redaction.store import repository, s3_cases

log = logging.getLogger(__name__)

DUE_SOON_DAYS = clocks.DUE_SOON_DAYS  # the desk and the nightly report agree on "due soon"


class FolderState(enum.StrEnum):
    """A case folder against what the store last read of it."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    INVALID = "invalid"

    @property
    def to_import(self) -> bool:
        return self in (FolderState.NEW, FolderState.CHANGED)


@dataclass(frozen=True)
class InboxEntry:
    folder: str  # the case folder's path
    case_id: str | None  # None when case.yaml cannot be read
    state: FolderState
    files: int
    fingerprint: str  # sha256 over the manifest's and every file's sha256
    problem: str | None = None  # why the folder is invalid (an error class and code, never its text)


def _files(folder: CaseFolder, max_file_bytes: int) -> dict[str, str]:
    """file name -> sha256, streamed; a file the import refuses unread (a link, a special
    file, over the size limit ...) is not read here either: its marker stands in."""
    try:
        listing = folder.listing(max_file_bytes)
    except InputError:
        return {}
    return {e.name: folder.sha256(e, max_file_bytes) for e in listing.entries}


def _fingerprint(manifest_sha256: str, files: dict[str, str]) -> str:
    raw = manifest_sha256 + "".join(f"|{name}:{sha}" for name, sha in sorted(files.items()))
    return hashlib.sha256(raw.encode()).hexdigest()


def scan_inbox(ctx: Context, inbox: Path | str | None = None) -> list[InboxEntry]:
    """Every case folder (a folder holding case.yaml) directly under the inbox, compared
    with what the store holds: ``new`` (case id never imported), ``changed`` (manifest or
    any file's bytes differ from the case's current documents, or a file was added or
    removed), ``unchanged``, or ``invalid`` (case.yaml does not parse). Held-back files
    count as stored: a broken scan does not make the case run every night; replacing
    it (new bytes) does. Reads the inbox only; changes nothing.

    The inbox may be an S3 prefix (``CLEANCOPY_INBOX=s3://bucket/inbox``): each case
    folder there is copied to a temporary folder to be compared, and its entry names
    its S3 address."""
    where = str(inbox) if inbox is not None else ctx.settings.inbox_location
    out: list[InboxEntry] = []
    if s3_cases.is_s3_url(where):
        for url, listing in s3_cases.case_listings(where).items():
            seen = _unchanged_s3_entry(ctx, url, listing)
            if seen is not None:  # the folder's listing is as it was when read: nothing to download
                out.append(seen)
                continue
            with tempfile.TemporaryDirectory(prefix="cleancopy-scan-") as tmp:
                s3_cases.fetch_case(url, Path(tmp) / "case", max_file_bytes=ctx.settings.max_file_bytes)
                out.append(_entry(ctx, Path(tmp) / "case", url))
    elif Path(where).is_dir():
        root = Path(where)
        for case_dir in sorted(p for p in root.iterdir() if (p / MANIFEST).is_file() or (p / MANIFEST).is_symlink()):
            if case_dir.is_symlink():  # a link to a folder elsewhere: not followed
                out.append(InboxEntry(str(case_dir), None, FolderState.INVALID, 0, "",
                                      "a symbolic link (not followed)"))
                continue
            out.append(_entry(ctx, case_dir, str(case_dir)))
    log.info("inbox scanned: %d folder(s), %d new, %d changed, %d invalid", len(out),
             sum(e.state is FolderState.NEW for e in out), sum(e.state is FolderState.CHANGED for e in out),
             sum(e.state is FolderState.INVALID for e in out))
    return out


def _unchanged_s3_entry(ctx: Context, url: str, listing: str) -> InboxEntry | None:
    """The entry of an S3 case folder whose listing (names, sizes, ETags) is the one the
    case was last imported from, made from the store without downloading; else None."""
    with ctx.store.session() as s:
        row = repository.case_imported_from(s, url, listing)
        if row is None:
            return None
        files = _stored_files(s, row.case_id)
        return InboxEntry(url, row.case_id, FolderState.UNCHANGED, len(files), _fingerprint(row.manifest_sha256, files))


def _stored_files(s: Session, case_id: str) -> dict[str, str]:
    """The case's current documents as the store holds them: file name -> original's sha256."""
    return {d.file_name: d.original_sha256 for d in repository.current_document_rows(s, case_id)}


def _entry(ctx: Context, case_dir: Path, where: str) -> InboxEntry:
    try:
        with CaseFolder(case_dir) as folder:
            files = _files(folder, ctx.settings.max_file_bytes)
            raw = b""
            try:
                raw = folder.manifest_bytes()
                case = manifest_from_bytes(raw, str(case_dir / MANIFEST))
            except CleanCopyError as e:
                # the manifest's error message may quote its lines: keep only the kind of error
                fp = _fingerprint(hashlib.sha256(raw).hexdigest(), files)
                return InboxEntry(where, None, FolderState.INVALID, len(files), fp,
                                  f"{type(e).__name__} (exit code {int(e.exit_code)})")
    except InputError as e:  # the folder itself cannot be opened
        return InboxEntry(where, None, FolderState.INVALID, 0, "", f"{type(e).__name__} (exit code {int(e.exit_code)})")
    fp = _fingerprint(case.manifest_sha256, files)
    with ctx.store.session() as s:
        row = repository.find_case(s, case.case_id)
        stored = _stored_files(s, case.case_id) if row is not None else {}
        stored_manifest = row.manifest_sha256 if row is not None else None
    if row is None:
        state = FolderState.NEW
    elif stored_manifest != case.manifest_sha256 or stored != files:
        state = FolderState.CHANGED
    else:
        state = FolderState.UNCHANGED
    return InboxEntry(where, case.case_id, state, len(files), fp)


@dataclass(frozen=True)
class DueCase:
    case_id: str
    received: dt.date
    deadline: dt.date
    days_left: int  # negative: overdue by that many days
    status: str  # overdue | due-soon
    state: str = ""  # where the case is in the procedure (on-hold, awaiting-consents ...)
    statutory_due: dt.date | None = None  # the statutory month (or its extension): see procedure.clocks
    statutory_days_left: int = 0


def due_cases(ctx: Context, today: dt.date, within_days: int = DUE_SOON_DAYS) -> list[DueCase]:
    """Cases not yet released whose deadline has passed (overdue) or falls within
    ``within_days`` of ``today`` (due-soon), most urgent first.

    The deadline is the one held with each case (received + 14 days, or the recorded
    extension: ``cleancopy extend``), the earlier of the case's two clocks; each row says
    where the case is in the procedure and how its statutory month stands."""
    with ctx.store.session() as s:
        released = repository.released_case_ids(s)
        rows = [(c.case_id, c.received, c.deadline) for c in repository.all_cases(s)]
        where = repository.case_states(s)
    out: list[DueCase] = []
    for case_id, received, deadline in rows:
        if case_id in released:
            continue
        days = (deadline - today).days
        state = where.get(case_id, "")
        _school, statutory = clocks.stored_clocks(received, deadline, today)
        status = "overdue" if days < 0 else "due-soon" if days <= within_days else None
        if status is not None:
            out.append(DueCase(case_id, received, deadline, days, status, state, statutory.due,
                               statutory.days_left))
    return sorted(out, key=lambda d: (d.days_left, d.case_id))


def write_due_report(ctx: Context, today: dt.date, within_days: int = DUE_SOON_DAYS) -> tuple[Path, list[DueCase]]:
    """Write ``home/reports/due-YYYY-MM-DD.csv`` (case id, dates, days left, status,
    document and page counts; nothing else) and return its path and rows. Written
    whole into a temporary file and moved in, so a reader never sees half a report."""
    cases = due_cases(ctx, today, within_days)
    counts: dict[str, tuple[int, int]] = {}
    with ctx.store.session() as s:
        for d in cases:
            docs = repository.current_document_rows(s, d.case_id)
            counts[d.case_id] = (len(docs), sum(x.page_count for x in docs))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["case_id", "received", "deadline", "days_left", "status", "state", "documents", "pages",
                "statutory_due", "statutory_days_left"])
    for d in cases:
        n_docs, n_pages = counts[d.case_id]
        w.writerow([d.case_id, d.received.isoformat(), d.deadline.isoformat(), d.days_left, d.status,
                    d.state, n_docs, n_pages, d.statutory_due.isoformat() if d.statutory_due else "",
                    d.statutory_days_left])
    folder = ctx.settings.home / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"due-{today.isoformat()}.csv"
    tmp = path.with_suffix(".csv.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(path)
    return path, cases


def find_case_folder(ctx: Context, case_id: str) -> str:
    """The folder of a case named by id: ``inbox/<case_id>`` if it holds a case.yaml,
    else the folder the case was last read from. A local folder's absolute path, or an
    S3 address when the inbox is in S3."""
    inbox = ctx.settings.inbox_location
    if s3_cases.is_s3_url(inbox):
        candidate = f"{inbox.rstrip('/')}/{case_id}"
        if s3_cases.is_case_folder(candidate):
            return candidate
    elif (Path(inbox) / case_id / MANIFEST).is_file() and not (Path(inbox) / case_id).is_symlink():
        return str((Path(inbox) / case_id).resolve())
    else:
        candidate = str(Path(inbox) / case_id)
    with ctx.store.session() as s:
        row = repository.find_case(s, case_id)
        recorded = row.case_dir if row is not None else None
    if recorded and s3_cases.is_s3_url(recorded):
        return recorded  # the import says so if it is gone
    if recorded and (Path(recorded) / "case.yaml").is_file():
        return recorded
    raise NotFoundError(
        f"case {case_id}: no folder {candidate} in the inbox and no earlier folder on record: "
        "put the case folder in the inbox or give its path as case_folder"
    )
