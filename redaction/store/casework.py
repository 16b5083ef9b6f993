"""Every query of the procedure's rows: the consent answers recorded for a case, the
letters written to its parties and the safeguarding notes
its audit log holds. :mod:`redaction.procedure` holds the rules and reads these rows
through the functions here, inside the caller's session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from redaction.store.db import AuditRow, ConsentRow, LetterRow

SAFEGUARDING_TAG = "reason:SG"  # what a safeguarding redaction's audit entry carries in its detail


def consent_answers(s: Session, case_id: str) -> list[ConsentRow]:
    """Every answer recorded for the case, oldest first."""
    return list(s.scalars(select(ConsentRow).where(ConsentRow.case_id == case_id).order_by(ConsentRow.id)))


def consent_answer(s: Session, case_id: str, answer_id: int) -> ConsentRow | None:
    """One recorded answer, if it belongs to the case."""
    row = s.get(ConsentRow, answer_id)
    return row if row is not None and row.case_id == case_id else None


def letters(s: Session, case_id: str) -> list[LetterRow]:
    """The case's letters on record, oldest first."""
    return list(s.scalars(select(LetterRow).where(LetterRow.case_id == case_id).order_by(LetterRow.id)))


def letter(s: Session, case_id: str, letter_id: int) -> LetterRow | None:
    """One letter, if it belongs to the case."""
    row = s.get(LetterRow, letter_id)
    return row if row is not None and row.case_id == case_id else None


def safeguarding_details(s: Session, case_id: str) -> list[str]:
    """The audit details of the case's safeguarding redactions."""
    return list(s.scalars(select(AuditRow.detail).where(AuditRow.case_id == case_id,
                                                        AuditRow.detail.like(f"%{SAFEGUARDING_TAG}%"))))
