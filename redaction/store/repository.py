"""Every query of cases, documents, pages, proposals, decisions and releases: the stages,
the procedure and the desk read and write these rows through the functions here, not
through queries of their own.

Functions taking a :class:`~sqlalchemy.orm.Session` work inside the caller's transaction;
those taking a :class:`~redaction.store.Store` open a session of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redaction.case import Case, parse_manifest
from redaction.errors import NotFoundError
from redaction.models import OcrPage, ProposalStatus, Reason
from redaction.store import Store
from redaction.store.db import (
    CaseRow,
    CaseStateRow,
    DecisionRow,
    DocumentRow,
    PageImageRow,
    PageRow,
    ProposalRow,
    ReleaseRow,
)
from redaction.store.serial import ocr_page_from_bytes

# --- cases -------------------------------------------------------------------------


def case_row(s: Session, case_id: str) -> CaseRow:
    """The case's row; NotFoundError when the case was never imported here."""
    row = s.get(CaseRow, case_id)
    if row is None:
        raise NotFoundError(f"case {case_id} is not known here: run 'cleancopy run CASE_DIR' first")
    return row


def find_case(s: Session, case_id: str) -> CaseRow | None:
    return s.get(CaseRow, case_id)


def case_state(s: Session, case_id: str) -> CaseStateRow | None:
    return s.get(CaseStateRow, case_id)


def case_ids(store: Store) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(CaseRow.case_id).order_by(CaseRow.case_id)))


_MANIFESTS: dict[str, Case] = {}  # parsed case.yaml by blob id (content-addressed: never stale)


def case_imported_from(s: Session, case_dir: str, source_listing: str) -> CaseRow | None:
    """The case last imported from this folder with this listing (names, sizes, ETags)."""
    return s.scalars(select(CaseRow).where(CaseRow.case_dir == case_dir,
                                           CaseRow.source_listing == source_listing)).first()


def all_cases(s: Session) -> list[CaseRow]:
    return list(s.scalars(select(CaseRow)))


def case_states(s: Session) -> dict[str, str]:
    """Every case's procedure state, by case id (cases never moved have none)."""
    return {r.case_id: r.state for r in s.scalars(select(CaseStateRow))}


def released_case_ids(s: Session) -> set[str]:
    return set(s.scalars(select(ReleaseRow.case_id)))


def stored_manifest(store: Store, case_id: str) -> Case:
    """The case.yaml stored with the case (consent values as the file gave them), parsed
    once per process (Case is immutable)."""
    with store.session() as s:
        blob = case_row(s, case_id).manifest_blob
    if blob not in _MANIFESTS:
        if len(_MANIFESTS) >= 64:
            _MANIFESTS.clear()
        _MANIFESTS[blob] = parse_manifest(store.blobs.get(blob).decode("utf-8"), f"{case_id}/case.yaml")
    return _MANIFESTS[blob]


def is_released(s: Session, case_id: str) -> bool:
    return s.scalars(select(ReleaseRow.id).where(ReleaseRow.case_id == case_id)).first() is not None


# --- documents and pages -----------------------------------------------------------


def find_document(s: Session, doc_id: int) -> DocumentRow | None:
    return s.get(DocumentRow, doc_id)


def document(s: Session, doc_id: int) -> DocumentRow:
    row = s.get(DocumentRow, doc_id)
    if row is None:
        raise NotFoundError(f"document {doc_id} does not exist")
    return row


def current_document(s: Session, case_id: str, file_name: str) -> DocumentRow | None:
    """The current version of the case's file ``file_name``."""
    return s.scalars(
        select(DocumentRow).where(
            DocumentRow.case_id == case_id, DocumentRow.file_name == file_name, DocumentRow.current.is_(True))
    ).first()


def current_document_rows(s: Session, case_id: str) -> list[DocumentRow]:
    """The current version of each of the case's files, by file name."""
    return list(s.scalars(
        select(DocumentRow)
        .where(DocumentRow.case_id == case_id, DocumentRow.current.is_(True))
        .order_by(DocumentRow.file_name)
    ))


def current_documents(store: Store, case_id: str) -> list[DocumentRow]:
    """As :func:`current_document_rows`, in a session of its own (the rows detached);
    NotFoundError for an unknown case."""
    with store.session() as s:
        case_row(s, case_id)
        return current_document_rows(s, case_id)


def page_counts(s: Session, doc_ids: Iterable[int]) -> dict[int, int]:
    """Each document's page count (from triage) by id; unknown ids are left out."""
    return dict(s.execute(select(DocumentRow.id, DocumentRow.page_count)
                          .where(DocumentRow.id.in_(list(doc_ids)))).tuples().all())


def pages_read(s: Session, doc_ids: Sequence[int]) -> int:
    """How many pages of these documents are stored (read by OCR or the text layer)."""
    return len(s.scalars(select(PageRow.id).where(PageRow.document_id.in_(doc_ids))).all())


def load_pages(store: Store, doc_id: int) -> list[OcrPage]:
    """The document's pages as read, in page order."""
    with store.session() as s:
        shas = [p.words_sha256 for p in s.scalars(
            select(PageRow).where(PageRow.document_id == doc_id).order_by(PageRow.page_index)
        )]
    return [ocr_page_from_bytes(store.blobs.get(sha)) for sha in shas]


# --- proposals ---------------------------------------------------------------------


def proposal(s: Session, proposal_id: int) -> ProposalRow:
    row = s.get(ProposalRow, proposal_id)
    if row is None:
        raise NotFoundError(f"proposal {proposal_id} does not exist")
    return row


def find_proposal(s: Session, proposal_id: int) -> ProposalRow | None:
    return s.get(ProposalRow, proposal_id)


def proposal_with_key(s: Session, doc_id: int, key: str) -> ProposalRow | None:
    """The document's stored proposal (withdrawn ones too) with this key."""
    return s.scalars(select(ProposalRow).where(ProposalRow.document_id == doc_id, ProposalRow.key == key)).first()


def proposals_on_page(s: Session, doc_id: int, page_index: int,
                      statuses: Iterable[ProposalStatus]) -> list[ProposalRow]:
    """The page's proposals standing at one of ``statuses``."""
    return list(s.scalars(select(ProposalRow).where(
        ProposalRow.document_id == doc_id, ProposalRow.page_index == page_index,
        ProposalRow.status.in_([st.value for st in statuses]))))


def boxes_by_status(s: Session, doc_id: int, statuses: Iterable[ProposalStatus]) -> list[tuple[int, list[Any]]]:
    """(page index, stored boxes) of the document's proposals standing at one of ``statuses``."""
    return list(s.execute(select(ProposalRow.page_index, ProposalRow.boxes).where(
        ProposalRow.document_id == doc_id, ProposalRow.status.in_([st.value for st in statuses]))).tuples())


def decision_history(s: Session, proposal_id: int, limit: int) -> list[str]:
    """The statuses the proposal's latest ``limit`` decisions set, the latest first."""
    return list(s.scalars(select(DecisionRow.status).where(DecisionRow.proposal_id == proposal_id)
                          .order_by(DecisionRow.id.desc()).limit(limit)))


def proposals_by_key(s: Session, doc_id: int) -> dict[str, ProposalRow]:
    """Every stored proposal of the document (withdrawn ones too) by its key."""
    return {p.key: p for p in s.scalars(select(ProposalRow).where(ProposalRow.document_id == doc_id))}


def live_proposal_count(store: Store, doc_id: int) -> int:
    with store.session() as s:
        return len(s.scalars(select(ProposalRow.id).where(
            ProposalRow.document_id == doc_id, ProposalRow.status != ProposalStatus.WITHDRAWN)).all())


def live_proposals(store: Store, case_id: str) -> list[tuple[ProposalRow, str]]:
    """Live (not withdrawn) proposals of the case's current documents, with each one's file name."""
    docs = {d.id: d.file_name for d in current_documents(store, case_id)}
    with store.session() as s:
        rows = s.scalars(
            select(ProposalRow)
            .where(ProposalRow.document_id.in_(docs), ProposalRow.status != ProposalStatus.WITHDRAWN)
            .order_by(ProposalRow.document_id, ProposalRow.page_index, ProposalRow.id)
        ).all()
    return [(r, docs[r.document_id]) for r in rows]


def found_names(store: Store, case_id: str, detector: str, reasons: Iterable[Reason], *,
                exclude_document: int | None = None, exclude_rule: str) -> list[tuple[str, Reason]]:
    """The text and reason of the live proposals of ``detector`` with one of ``reasons`` in
    the case's current documents, ``exclude_document`` and the proposals of the rule
    ``exclude_rule`` left out, in the order they were stored."""
    with store.session() as s:
        rows = s.execute(
            select(ProposalRow.text, ProposalRow.reason)
            .join(DocumentRow, DocumentRow.id == ProposalRow.document_id)
            .where(DocumentRow.case_id == case_id, DocumentRow.current.is_(True),
                   DocumentRow.id != (exclude_document if exclude_document is not None else -1),
                   ProposalRow.detector == detector, ProposalRow.status != ProposalStatus.WITHDRAWN,
                   ProposalRow.rule != exclude_rule,
                   ProposalRow.reason.in_([r.value for r in reasons]))
            .order_by(ProposalRow.id)
        ).all()
    return [(text, Reason(reason)) for text, reason in rows]


def cases_by_deadline(s: Session) -> list[CaseRow]:
    return list(s.scalars(select(CaseRow).order_by(CaseRow.deadline, CaseRow.case_id)))


def latest_release(s: Session, case_id: str) -> ReleaseRow | None:
    return s.scalars(select(ReleaseRow).where(ReleaseRow.case_id == case_id)
                     .order_by(ReleaseRow.id.desc()).limit(1)).first()


def first_release_at(s: Session, case_id: str) -> dt.datetime | None:
    """When the case was first released (None: never)."""
    return s.scalar(select(func.min(ReleaseRow.created_at)).where(ReleaseRow.case_id == case_id))


def current_document_ids(s: Session, case_id: str) -> list[int]:
    return list(s.scalars(select(DocumentRow.id).where(
        DocumentRow.case_id == case_id, DocumentRow.current.is_(True))))


def live_counts_by_status(s: Session, doc_ids: Sequence[int]) -> dict[str, int]:
    """How many live proposals of these documents stand at each status."""
    return dict(s.execute(
        select(ProposalRow.status, func.count()).where(
            ProposalRow.document_id.in_(doc_ids), ProposalRow.status != ProposalStatus.WITHDRAWN)
        .group_by(ProposalRow.status)).tuples().all())


def page_keys(s: Session, doc_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(document id, page index) of every stored page of these documents."""
    return list(s.execute(
        select(PageRow.document_id, PageRow.page_index).where(PageRow.document_id.in_(list(doc_ids)))
    ).tuples().all())


def live_counts_by_page(s: Session, doc_ids: Iterable[int]) -> list[tuple[int, int, str, int]]:
    """(document id, page index, status, how many) of the live proposals of these documents."""
    return list(s.execute(
        select(ProposalRow.document_id, ProposalRow.page_index, ProposalRow.status, func.count())
        .where(ProposalRow.document_id.in_(list(doc_ids)), ProposalRow.status != ProposalStatus.WITHDRAWN)
        .group_by(ProposalRow.document_id, ProposalRow.page_index, ProposalRow.status)
    ).tuples().all())


def page(s: Session, doc_id: int, page_index: int) -> PageRow | None:
    return s.scalars(select(PageRow).where(PageRow.document_id == doc_id, PageRow.page_index == page_index)).first()


def live_proposals_on_page(s: Session, doc_id: int, page_index: int) -> list[ProposalRow]:
    return list(s.scalars(
        select(ProposalRow).where(ProposalRow.document_id == doc_id, ProposalRow.page_index == page_index,
                                  ProposalRow.status != ProposalStatus.WITHDRAWN).order_by(ProposalRow.id)))


def drawn_page_image(s: Session, page_id: int, dpi: int) -> str | None:
    """The blob of the page drawn at ``dpi`` for the desk, when it was drawn before."""
    return s.scalars(select(PageImageRow.image_sha256).where(
        PageImageRow.page_id == page_id, PageImageRow.dpi == dpi)).first()


def pages_by_document(s: Session, doc_ids: Sequence[int]) -> dict[int, int]:
    """How many pages of each of these documents are stored (documents with none left out)."""
    return dict(s.execute(select(PageRow.document_id, func.count(PageRow.id))
                          .where(PageRow.document_id.in_(doc_ids)).group_by(PageRow.document_id)).tuples().all())


def live_counts_by_document(s: Session, doc_ids: Sequence[int]) -> dict[int, int]:
    """How many live proposals each of these documents has (documents with none left out)."""
    return dict(s.execute(select(ProposalRow.document_id, func.count(ProposalRow.id))
                          .where(ProposalRow.document_id.in_(doc_ids), ProposalRow.status != ProposalStatus.WITHDRAWN)
                          .group_by(ProposalRow.document_id)).tuples().all())


def problems(s: Session, doc_ids: Sequence[int]) -> dict[int, str | None]:
    """Why each of these documents is held back (None: it is not)."""
    return dict(s.execute(select(DocumentRow.id, DocumentRow.problem)
                          .where(DocumentRow.id.in_(doc_ids))).tuples().all())


def latest_decision_at(s: Session, doc_ids: Sequence[int]) -> dt.datetime | None:
    """When the latest decision on a proposal of these documents was recorded."""
    if not doc_ids:
        return None
    return s.scalar(
        select(func.max(DecisionRow.decided_at))
        .join(ProposalRow, ProposalRow.id == DecisionRow.proposal_id)
        .where(ProposalRow.document_id.in_(doc_ids)))
