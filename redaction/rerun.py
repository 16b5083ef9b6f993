"""Whether a case run again has anything to do.

A case folder run again after nothing changed (same case.yaml, the same bytes in every
file, no consent answer since, the same detection code and model) would read no page and
detect nothing: every document keeps its pages and its detect key
(:func:`redaction.pipeline.detect_key`). :func:`import_unless_current` imports the folder
(which checks each file's hash and retries held-back files, as every run does) and says
whether any document still needs reading or detecting; when none does, the command that
ran the case shows what the store holds instead of starting a flow run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from redaction import pipeline
from redaction.store.db import DocumentRow, PageRow, ProposalRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentLine:
    document_id: int
    file_name: str
    pages: int
    proposals: int
    problem: str | None  # a message about the file (never its contents)


@dataclass(frozen=True)
class CaseLines:
    """What a case run shows, from the store (the shape of the flow's summary)."""

    case_id: str
    documents: tuple[DocumentLine, ...]
    warnings: tuple[str, ...] = ()

    @property
    def held_back(self) -> int:
        return sum(d.problem is not None for d in self.documents)


def needs_work(ctx: pipeline.Context, imported: pipeline.ImportResult) -> list[int]:
    """The imported documents that a run would read or detect again."""
    stale: list[int] = []
    for doc_id in imported.to_process:
        dk = pipeline.detect_key(ctx, doc_id)
        if dk is not None and not dk.current:  # unread documents have no stored key either
            stale.append(doc_id)
    return stale


def case_lines(ctx: pipeline.Context, imported: pipeline.ImportResult) -> CaseLines:
    ids = [d.id for d in imported.documents]
    with ctx.store.session() as s:
        pages = dict(s.execute(select(PageRow.document_id, func.count(PageRow.id))
                               .where(PageRow.document_id.in_(ids)).group_by(PageRow.document_id)).tuples().all())
        live = dict(s.execute(select(ProposalRow.document_id, func.count(ProposalRow.id))
                              .where(ProposalRow.document_id.in_(ids), ProposalRow.status != "withdrawn")
                              .group_by(ProposalRow.document_id)).tuples().all())
        problems = dict(s.execute(select(DocumentRow.id, DocumentRow.problem)
                                  .where(DocumentRow.id.in_(ids))).tuples().all())
    docs = tuple(DocumentLine(d.id, d.file_name, pages.get(d.id, 0), live.get(d.id, 0),
                              d.problem or problems.get(d.id)) for d in imported.documents)
    return CaseLines(imported.case_id, docs, imported.warnings)


def import_unless_current(ctx: pipeline.Context, case_dir: Path | str) -> CaseLines | None:
    """Import the case folder; when no document needs reading or detecting, what the
    store holds for it, else None (the case is to be run)."""
    imported = pipeline.import_case(ctx, case_dir)
    stale = needs_work(ctx, imported)
    if stale:
        log.info("case %s: %d document(s) to read or detect", imported.case_id, len(stale))
        return None
    log.info("case %s: unchanged since its last run (%d document(s))", imported.case_id, len(imported.documents))
    return case_lines(ctx, imported)
