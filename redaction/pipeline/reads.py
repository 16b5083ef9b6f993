"""The pipeline's reads of a case, by context, for the orchestration (CLI, flows, the desk's
routes, the evaluation): each is the repository's (redaction/store/repository.py) or the
procedure's own function, which the stages below the pipeline call directly."""

from __future__ import annotations

from redaction.case import Case
from redaction.context import Context
from redaction.models import OcrPage
from redaction.procedure import consents
from redaction.store import repository
from redaction.store.db import DocumentRow, ProposalRow


def case_manifest(ctx: Context, case_id: str) -> Case:
    """The case as it stands (case.yaml with the consent answers recorded since)."""
    return consents.case_manifest(ctx, case_id)


def current_documents(ctx: Context, case_id: str) -> list[DocumentRow]:
    return repository.current_documents(ctx.store, case_id)


def list_proposals(ctx: Context, case_id: str) -> list[tuple[ProposalRow, str]]:
    """Live proposals of the case's current documents, with each one's file name."""
    return repository.live_proposals(ctx.store, case_id)


def load_pages(ctx: Context, doc_id: int) -> list[OcrPage]:
    return repository.load_pages(ctx.store, doc_id)
