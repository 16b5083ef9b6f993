"""Where a case stands: documents, pages, proposals by status, who has not answered."""

from __future__ import annotations

from dataclasses import dataclass

from redaction.case import Consent
from redaction.context import Context
from redaction.models import DocumentStatus, ProposalStatus
from redaction.procedure import consents
from redaction.store import repository


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
    docs = repository.current_documents(ctx.store, case_id)
    props = [r for r, _ in repository.live_proposals(ctx.store, case_id)]
    case = consents.case_manifest(ctx, case_id)
    with ctx.store.session() as s:
        row = repository.case_row(s, case_id)
        return CaseStatus(
            case_id=case_id,
            received=row.received.isoformat(),
            deadline=row.deadline.isoformat(),
            documents=len(docs),
            held_back=sum(d.status == DocumentStatus.HELD for d in docs),
            pages=repository.pages_read(s, [d.id for d in docs]),
            proposals=len(props),
            pending=sum(p.status == ProposalStatus.PENDING for p in props),
            accepted=sum(p.status == ProposalStatus.ACCEPTED for p in props),
            rejected=sum(p.status == ProposalStatus.REJECTED for p in props),
            waiting_parties=tuple(p.id for p in case.third_parties if p.consent == Consent.PENDING),
            released=repository.is_released(s, case_id),
        )


def all_case_ids(ctx: Context) -> list[str]:
    return repository.case_ids(ctx.store)
