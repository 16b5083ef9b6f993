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

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from redaction import pipeline
from redaction.context import Context
from redaction.procedure import consents
from redaction.store import repository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentSummary:
    document_id: int
    file_name: str
    pages: int
    proposals: int
    problem: str | None  # a message about the file (never its contents)


@dataclass(frozen=True)
class CaseRunSummary:
    """What a case run shows: the process-case flow's answer, or the store's when a run
    had nothing to do."""

    case_id: str
    documents: tuple[DocumentSummary, ...]
    warnings: tuple[str, ...] = ()  # e.g. case.yaml lists a file that files/ does not hold (names only)

    @property
    def held_back(self) -> int:
        return sum(d.problem is not None for d in self.documents)


def needs_work(ctx: Context, imported: pipeline.ImportResult) -> list[int]:
    """The imported documents that a run would read or detect again."""
    stale: list[int] = []
    for doc_id in imported.to_process:
        dk = pipeline.detect_key(ctx, doc_id)
        if dk is not None and not dk.current:  # unread documents have no stored key either
            stale.append(doc_id)
    return stale


def case_lines(ctx: Context, imported: pipeline.ImportResult) -> CaseRunSummary:
    ids = [d.id for d in imported.documents]
    with ctx.store.session() as s:
        pages = repository.pages_by_document(s, ids)
        live = repository.live_counts_by_document(s, ids)
        problems = repository.problems(s, ids)
    docs = tuple(DocumentSummary(d.id, d.file_name, pages.get(d.id, 0), live.get(d.id, 0),
                              d.problem or problems.get(d.id)) for d in imported.documents)
    return CaseRunSummary(imported.case_id, docs, imported.warnings)


def inputs_key(ctx: Context, case_id: str) -> str:
    """A hash of what a case run starts from: case.yaml, the consent answers, the detection
    code and model, and each current document's bytes, state and pages."""
    h = hashlib.sha256()
    with ctx.store.session() as s:
        row = repository.find_case(s, case_id)
        h.update(f"{case_id}|{row.manifest_sha256 if row else ''}|{consents.key(ctx, case_id)}|"
                 f"{pipeline.DETECTOR_VERSION}|{ctx.settings.ner_model}".encode())
        for doc in sorted(repository.current_document_rows(s, case_id), key=lambda d: d.id):
            words = "|".join(p.words_sha256 for p in doc.pages)
            h.update(f"\n{doc.id}|{doc.original_sha256}|{doc.status}|{words}".encode())
    return h.hexdigest()


def _key_file(ctx: Context, case_id: str) -> Path:
    return ctx.settings.home / "runs" / f"{hashlib.sha256(case_id.encode()).hexdigest()[:32]}.key"


def record_run(ctx: Context, case_id: str) -> None:
    """Note, after a case run finished, what it started from (:func:`inputs_key`)."""
    path = _key_file(ctx, case_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(inputs_key(ctx, case_id), encoding="ascii")
    os.replace(tmp, path)


def _last_run(ctx: Context, case_id: str) -> str | None:
    try:
        return _key_file(ctx, case_id).read_text(encoding="ascii").strip()
    except OSError:
        return None


def import_unless_current(ctx: Context, case_dir: Path | str) -> CaseRunSummary | None:
    """Import the case folder; when no document needs reading or detecting, what the
    store holds for it, else None (the case is to be run).

    Nothing needs doing when the case starts from what the last finished run started from
    (:func:`record_run`), or when every document's detect key is current. (A run proposes
    every document twice, the second time knowing the people found in the others; a
    document whose case names moved in that second pass is not proposed a third time by
    running the same folder again.)"""
    imported = pipeline.import_case(ctx, case_dir)
    if _last_run(ctx, imported.case_id) == inputs_key(ctx, imported.case_id):
        log.info("case %s: as at its last run (%d document(s))", imported.case_id, len(imported.documents))
        return case_lines(ctx, imported)
    stale = needs_work(ctx, imported)
    if stale:
        log.info("case %s: %d document(s) to read or detect", imported.case_id, len(stale))
        return None
    log.info("case %s: unchanged since its last run (%d document(s))", imported.case_id, len(imported.documents))
    return case_lines(ctx, imported)
