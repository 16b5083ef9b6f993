"""Every query of the audit log's rows: entries, each case's tip, the key's fingerprint
and the release rows' recorded heads. :mod:`redaction.review.audit` holds the chain's
rules (hashes, HMACs, what a verification reports) and reads and writes through these,
inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from redaction.store.db import AuditKeyRow, AuditRow, AuditTipRow, CaseRow, ReleaseRow

KEY_ROW_ID = 1  # the database holds one audit key fingerprint


def key_record(s: Session) -> AuditKeyRow | None:
    return s.get(AuditKeyRow, KEY_ROW_ID)


def take_turn(s: Session, case_id: str) -> None:
    """Wait for the case's chain: a write to its tip row first (on SQLite a write
    statement waits for the database's write lock, where a read first would race the other
    writer and lose), then the case's row locked (``SELECT ... FOR UPDATE`` on PostgreSQL)."""
    s.execute(update(AuditTipRow).where(AuditTipRow.case_id == case_id).values(seq=AuditTipRow.seq))
    s.execute(select(CaseRow.case_id).where(CaseRow.case_id == case_id).with_for_update())


def last_entry(s: Session, case_id: str) -> AuditRow | None:
    return s.scalars(
        select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq.desc()).limit(1)
    ).first()


def last_entry_of(s: Session, case_id: str, actions: Iterable[str]) -> AuditRow | None:
    """The case's latest entry whose action is one of ``actions``."""
    return s.scalars(
        select(AuditRow).where(AuditRow.case_id == case_id, AuditRow.action.in_(list(actions)))
        .order_by(AuditRow.seq.desc()).limit(1)
    ).first()


def case_entries(s: Session, case_id: str) -> list[AuditRow]:
    return list(s.scalars(select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq)))


def unsealed_entries(s: Session) -> list[AuditRow]:
    """Entries without an HMAC (written before the log was keyed), by case and order."""
    return list(s.scalars(select(AuditRow).where(AuditRow.entry_hmac.is_(None))
                          .order_by(AuditRow.case_id, AuditRow.seq)))


def tip(s: Session, case_id: str) -> AuditTipRow | None:
    return s.get(AuditTipRow, case_id)


def case_releases(s: Session, case_id: str) -> list[ReleaseRow]:
    return list(s.scalars(select(ReleaseRow).where(ReleaseRow.case_id == case_id).order_by(ReleaseRow.id)))
