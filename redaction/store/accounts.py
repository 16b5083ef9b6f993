"""Every query of reviewer accounts, failed logins, login sessions and case assignments:
:mod:`redaction.review.auth` holds the rules (argon2, lockout, who sees what) and reads
and writes these rows through the functions here. Each works inside the caller's
transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from redaction.store.db import CaseReviewerRow, LoginFailureRow, ReviewerRow, SessionRow

# --- accounts ----------------------------------------------------------------------


def reviewer_named(s: Session, name: str) -> ReviewerRow | None:
    return s.scalars(select(ReviewerRow).where(ReviewerRow.name == name)).first()


def reviewer_by_id(s: Session, reviewer_id: int) -> ReviewerRow | None:
    return s.get(ReviewerRow, reviewer_id)


def reviewer_count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(ReviewerRow)) or 0


# --- failed logins (keyed by the sha256 of the name typed) ---------------------------


def failures_since(s: Session, name_key: str, since: dt.datetime) -> int:
    return s.scalar(select(func.count()).select_from(LoginFailureRow).where(
        LoginFailureRow.name_sha256 == name_key, LoginFailureRow.at > since)) or 0


def clear_failures(s: Session, name_key: str) -> None:
    s.execute(delete(LoginFailureRow).where(LoginFailureRow.name_sha256 == name_key))


def record_failure(s: Session, name_key: str, at: dt.datetime, forget_before: dt.datetime) -> None:
    """One more failure for the name; failures older than ``forget_before`` are dropped."""
    s.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= forget_before))
    s.add(LoginFailureRow(name_sha256=name_key, at=at))


# --- login sessions (the database keeps the token's sha256 only) ----------------------


def end_sessions_of(s: Session, reviewer_id: int) -> int:
    """End every session of the account; how many there were."""
    ended = s.scalars(select(SessionRow.id).where(SessionRow.reviewer_id == reviewer_id)).all()
    if ended:
        s.execute(delete(SessionRow).where(SessionRow.reviewer_id == reviewer_id))
    return len(ended)


def add_session(s: Session, token_sha256: str, reviewer_id: int, csrf_token: str, created_at: dt.datetime,
                expires_at: dt.datetime) -> None:
    """A new session; sessions expired by ``created_at`` are dropped first."""
    s.execute(delete(SessionRow).where(SessionRow.expires_at < created_at))
    s.add(SessionRow(token_sha256=token_sha256, reviewer_id=reviewer_id, csrf_token=csrf_token,
                     created_at=created_at, expires_at=expires_at))


def session_by_token(s: Session, token_sha256: str) -> SessionRow | None:
    return s.scalars(select(SessionRow).where(SessionRow.token_sha256 == token_sha256)).first()


def end_session(s: Session, token_sha256: str) -> None:
    s.execute(delete(SessionRow).where(SessionRow.token_sha256 == token_sha256))


# --- who sees which case -------------------------------------------------------------


def assignment(s: Session, case_id: str, reviewer_id: int) -> CaseReviewerRow | None:
    return s.scalars(select(CaseReviewerRow).where(CaseReviewerRow.case_id == case_id,
                                                   CaseReviewerRow.reviewer_id == reviewer_id)).first()


def set_assignment(s: Session, case_id: str, reviewer_id: int, assigned: bool) -> None:
    link = assignment(s, case_id, reviewer_id)
    if not assigned and link is not None:
        s.delete(link)
    elif assigned and link is None:
        s.add(CaseReviewerRow(case_id=case_id, reviewer_id=reviewer_id))


def assigned_cases(s: Session, reviewer_id: int) -> frozenset[str]:
    return frozenset(s.scalars(select(CaseReviewerRow.case_id).where(CaseReviewerRow.reviewer_id == reviewer_id)))
