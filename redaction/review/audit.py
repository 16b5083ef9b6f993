"""The append-only audit log: one hash chain per case.

Each entry's ``entry_sha256`` is the sha256 of the previous entry's hash and of the
entry's own content (case, sequence number, actor, action, proposal id, detail, time).
Editing, inserting or deleting an entry in the middle breaks the chain, which
:func:`verify_chain` finds. (Deleting the *last* entries leaves a shorter valid chain:
keep the latest hash somewhere else — a release record, a printout — to catch that.)
Entries never hold document text.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from redaction.pipeline import Context
from redaction.store.db import AuditRow, CaseRow, utcnow
from redaction.store.retry import retry_on_conflict

log = logging.getLogger(__name__)

GENESIS = "0" * 64


def entry_hash(prev_sha256: str, case_id: str, seq: int, actor: str, action: str,
               proposal_id: int | None, detail: str, at: str) -> str:
    content = json.dumps(
        {"case": case_id, "seq": seq, "actor": actor, "action": action, "proposal": proposal_id,
         "detail": detail, "at": at},
        sort_keys=True, separators=(",", ":"), ensure_ascii=True,
    )
    return hashlib.sha256(f"{prev_sha256}\n{content}".encode()).hexdigest()


def append(s: Session, case_id: str, actor: str, action: str, proposal_id: int | None = None,
           detail: str = "") -> AuditRow:
    """Add one entry to the case's chain inside the caller's transaction.

    The case's row is locked first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
    serialises writers itself), so two workers or reviewers appending to one case at
    once take turns: each entry follows the one committed before it."""
    s.execute(select(CaseRow.case_id).where(CaseRow.case_id == case_id).with_for_update())
    last = s.scalars(
        select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    prev = last.entry_sha256 if last is not None else GENESIS
    seq = last.seq + 1 if last is not None else 1
    at = utcnow().isoformat(timespec="microseconds")
    row = AuditRow(
        case_id=case_id, seq=seq, actor=actor, action=action, proposal_id=proposal_id, detail=detail,
        at=at, prev_sha256=prev,
        entry_sha256=entry_hash(prev, case_id, seq, actor, action, proposal_id, detail, at),
    )
    s.add(row)
    s.flush()
    return row


@retry_on_conflict
def record(ctx: Context, case_id: str, actor: str, entries: list[tuple[str, int | None, str]]) -> int:
    """Append ``(action, proposal_id, detail)`` entries in one transaction; returns how many."""
    with ctx.store.session() as s, s.begin():
        for action, pid, detail in entries:
            append(s, case_id, actor, action, pid, detail)
    return len(entries)


@dataclass(frozen=True)
class ChainReport:
    case_id: str
    entries: int
    ok: bool
    first_bad_seq: int | None = None
    first_bad_id: int | None = None
    problem: str = ""
    last_sha256: str = GENESIS


def verify_chain(ctx: Context, case_id: str) -> ChainReport:
    """Recompute the case's chain; the report names the first entry that does not fit."""
    with ctx.store.session() as s:
        rows = list(s.scalars(select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq)))
    prev = GENESIS
    for i, r in enumerate(rows, start=1):
        problem = ""
        if r.seq != i:
            problem = f"entry {i} is missing (found number {r.seq} in its place): entries were deleted"
        elif r.prev_sha256 != prev:
            problem = f"entry {r.seq} does not follow the entry before it: entries were deleted or inserted"
        elif entry_hash(prev, r.case_id, r.seq, r.actor, r.action, r.proposal_id, r.detail, r.at) != r.entry_sha256:
            problem = f"entry {r.seq} was changed after it was written"
        if problem:
            log.warning("audit chain of case %s broken at entry %d", case_id, r.seq)
            return ChainReport(case_id, len(rows), False, r.seq, r.id, problem, prev)
        prev = r.entry_sha256
    return ChainReport(case_id, len(rows), True, last_sha256=prev)


def entries(ctx: Context, case_id: str) -> list[AuditRow]:
    with ctx.store.session() as s:
        return list(s.scalars(select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq)))
