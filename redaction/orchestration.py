"""The one seam between the commands and whatever runs the stages.

An :class:`Orchestrator` processes a case (import, read and propose), releases one, and
hands a reviewer's sign-off to a release waiting for it. Two implement it:

- :class:`InProcess` (here): the same stages called in this process, in the order the
  process-case and release-case flows call them; nothing waits for a sign-off.
- ``flows.orchestrator:Prefect`` (production): the Prefect flows of ``flows/``.

The command line picks one by name from :attr:`Settings.orchestrator` (``prefect``,
``in-process``, or ``package.module:Class``) and loads it with importlib, so this package
never imports ``flows`` (nor Prefect).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from redaction import pipeline, progress, signoff
from redaction.detect import ner_cache
from redaction.errors import ConfigError
from redaction.rerun import CaseRunSummary, DocumentSummary
from redaction.settings import Settings

if TYPE_CHECKING:
    from redaction.review.runs import ReleaseRuns, RunState

NAMED = {
    "prefect": "flows.orchestrator:Prefect",
    "in-process": "redaction.orchestration:InProcess",
}


@dataclass(frozen=True)
class ReleasedDocumentCount:
    document_id: int
    pages: int
    redactions: int


@dataclass(frozen=True)
class ReleaseSummary:
    """What a release run answers: ids, counts and a hash, never text."""

    case_id: str
    status: str  # released | refused
    decided_by: str  # "audit:<seq>" or "cli" (released at once by whoever ran the command)
    out_dir: str = ""
    documents: tuple[ReleasedDocumentCount, ...] = ()
    held_back: int = 0
    bundle_sha256: str = ""


class Orchestrator(Protocol):
    def prepare(self) -> None:
        """Start in the background what running a flow will need (a server), so that its
        start overlaps the command's own; nothing to do for what needs nothing."""
        ...

    def process_case(self, case_folder: str) -> CaseRunSummary:
        """Import the case folder (a path or an s3:// address), read every page, propose."""
        ...

    def release_case(self, case_id: str, out_dir: str) -> ReleaseSummary:
        """Release the verified clean copy once the case is signed off (or at once when
        nothing can wait for a sign-off)."""
        ...

    def send_decision(self, case_id: str, approved: bool, audit_seq: int) -> list[RunState] | None:
        """Hand the sign-off recorded as audit entry ``audit_seq`` to the release runs
        waiting for it; the runs resumed, or None when nothing can be waiting."""
        ...

    def release_runs(self) -> ReleaseRuns | None:
        """The release runs the review desk may resume, or None."""
        ...

    def serve(self, port: int) -> int:
        """Serve what later commands reuse (a local Prefect server) until stopped."""
        ...


def load(settings: Settings) -> Orchestrator:
    """The orchestrator named by ``settings.orchestrator``."""
    where = NAMED.get(settings.orchestrator, settings.orchestrator)
    module, _, name = where.partition(":")
    try:
        cls = getattr(importlib.import_module(module), name or "Orchestrator")
    except (ImportError, AttributeError) as e:
        raise ConfigError(f"orchestrator '{settings.orchestrator}' cannot be loaded ({type(e).__name__}); "
                          f"use one of {', '.join(NAMED)} or package.module:Class") from None
    orchestrator: Orchestrator = cls(settings)
    return orchestrator


def open_context(settings: Settings) -> pipeline.Context:
    """The library's context for a command or a flow step: the people finder keeps its
    answers under the settings' folder for them."""
    ner_cache.use(settings.ner_cache_dir)
    return pipeline.open_context(settings)


def case_summary(imported: pipeline.ImportResult, ocr: Mapping[int, pipeline.OcrResult],
                 proposed: Mapping[int, pipeline.ProposeResult]) -> CaseRunSummary:
    """The answer of a case run, from what each stage returned."""
    docs = []
    for ref in imported.documents:
        o = ocr.get(ref.id)
        docs.append(DocumentSummary(
            document_id=ref.id,
            file_name=ref.file_name,
            pages=o.pages if o else 0,
            proposals=proposed[ref.id].proposals if ref.id in proposed else 0,
            problem=ref.problem or (o.problem if o else None),
        ))
    return CaseRunSummary(imported.case_id, tuple(docs), imported.warnings)


@dataclass(frozen=True)
class ReadAndProposed:
    """What reading and proposing a batch of documents answers: counts per document."""

    ocr: tuple[pipeline.OcrResult, ...]
    proposed: tuple[pipeline.ProposeResult, ...]


def read_and_propose(ctx: pipeline.Context, document_ids: list[int] | tuple[int, ...]) -> ReadAndProposed:
    """Read every page of the documents and propose redactions in each one as soon as its
    pages are saved, while the OCR pool reads the next ones (detection is CPU-bound Python:
    one document after another, in the order given, as when every page is read first)."""
    ocr: list[pipeline.OcrResult] = []
    proposed: list[pipeline.ProposeResult] = []
    total = len(document_ids)
    progress.report("propose", 0, total, "document")
    for r in pipeline.iter_ocr_documents(ctx, document_ids):
        ocr.append(r)
        if r.problem is None:
            proposed.append(pipeline.propose_document(ctx, r.document_id))
        progress.report("propose", len(ocr), total, "document", f"document {r.document_id}")
    return ReadAndProposed(tuple(ocr), tuple(proposed))


class InProcess:
    """The stages called in this process, one after another."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _ctx(self) -> pipeline.Context:
        return open_context(self.settings)

    def prepare(self) -> None:
        pass  # nothing to start: the stages run here

    def process_case(self, case_folder: str) -> CaseRunSummary:
        ctx = self._ctx()
        imported = pipeline.import_case(ctx, case_folder)
        done = read_and_propose(ctx, list(imported.to_process))
        ocr = {r.document_id: r for r in done.ocr}
        proposed = {r.document_id: r for r in done.proposed}
        proposed |= {r.document_id: r for r in pipeline.propose_case_again(ctx, imported.case_id)}
        return case_summary(imported, ocr, proposed)

    def release_case(self, case_id: str, out_dir: str) -> ReleaseSummary:
        # the renderer and verifier load here: the commands that only read the store never do
        from redaction import release

        ctx = self._ctx()
        out = out_dir or str((self.settings.home / "releases" / case_id).resolve())
        pipeline.case_status(ctx, case_id)  # an unknown case fails here
        standing = signoff.standing_sign_off(ctx, case_id)
        if standing is not None:
            decided_by, approved, actor = f"audit:{standing.seq}", standing.approved, standing.reviewer
        else:  # nothing here can wait: whoever asked for the release made the decision
            decided_by, approved, actor = "cli", True, "cleancopy release"
        if not approved:
            return ReleaseSummary(case_id=case_id, status="refused", decided_by=decided_by)
        res = release.release_case(ctx, case_id, out, actor=actor)
        signoff.record_released(ctx, case_id, actor, res.bundle_sha256, len(res.documents))
        ids = {d.file_name: d.id for d in pipeline.current_documents(ctx, case_id)}
        docs = tuple(ReleasedDocumentCount(ids[d.file_name], d.pages, d.redactions) for d in res.documents)
        return ReleaseSummary(case_id=case_id, status="released", decided_by=decided_by, out_dir=out,
                              documents=docs, held_back=len(res.held_back), bundle_sha256=res.bundle_sha256)

    def send_decision(self, case_id: str, approved: bool, audit_seq: int) -> list[RunState] | None:
        return None  # no release run waits in this process

    def release_runs(self) -> ReleaseRuns | None:
        return None

    def serve(self, port: int) -> int:
        raise ConfigError("the in-process orchestrator has no server to run (CLEANCOPY_ORCHESTRATOR=prefect has)")
