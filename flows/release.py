"""The release flow: wait for the reviewer, then render, verify and write the clean copy.

Run from a deployment, the flow *suspends* until the reviewer's decision arrives as a
:class:`ReviewerDecision` (from the review desk, ``cleancopy decide --sign-off`` or the
Prefect UI). A suspended run leaves its process; when the decision arrives Prefect runs
the flow again from the top, so every step before the suspension only reads and is
safe to run twice. The wait survives a restart of the serving process or the server.

Without a deployment (the CLI's ephemeral mode) a run cannot suspend: the person who
ran ``cleancopy release`` after deciding every proposal has made the decision, and the
flow releases at once. A sign-off already recorded in the case's audit log (and not
voided by a later decision) also releases at once.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run
from pydantic import BaseModel

from flows import tasks
from flows.params import CaseId, ReviewerDecision

PAUSE_KEY = "reviewer-decision"


class ReleasedDocumentOut(BaseModel):
    document_id: int
    pages: int
    redactions: int


class ReleaseOutcome(BaseModel):
    """What the release flow returns (and Prefect stores): ids, counts, a hash."""

    case_id: str
    status: str  # released | refused
    decided_by: str  # "audit:<seq>" (desk, CLI, UI) or "cli" (ephemeral release)
    out_dir: str = ""
    documents: list[ReleasedDocumentOut] = []
    held_back: int = 0
    bundle_sha256: str = ""


def _run_ref() -> tuple[str, bool]:
    ctx = FlowRunContext.get()
    run = ctx.flow_run if ctx else None
    if run is None:
        return "", False
    return str(run.id), run.deployment_id is not None


@flow(name="release-case", persist_result=True, result_serializer="json", log_prints=False)
def release_case(case_id: CaseId, home: str | None = None, out_dir: str | None = None) -> ReleaseOutcome:
    """Release the verified clean copy of a case once the reviewer signs it off.

    ``out_dir``: where to write it (empty: ``home/releases/<case_id>``)."""
    logger = get_run_logger()
    run_ref, deployed = _run_ref()
    out = out_dir or tasks.releases_dir(home, case_id)
    status = tasks.case_status(home, case_id)  # an unknown case fails here, before any wait
    standing = tasks.standing_sign_off(home, case_id)
    if standing is not None:
        decided_by, approved, actor = f"audit:{standing.seq}", standing.approved, standing.reviewer
        logger.info("case %s: decision on record (audit entry %d)", case_id, standing.seq)
    elif not deployed:
        decided_by, approved, actor = "cli", True, "cleancopy release"
    else:
        logger.info("case %s: %d proposal(s) still to decide; waiting for the reviewer's sign-off",
                    case_id, status.pending)
        decision = suspend_flow_run(wait_for_input=ReviewerDecision, key=PAUSE_KEY, timeout=None)
        seq = tasks.record_sign_off(home, case_id, decision.reviewer, decision.approved, decision.comment)
        decided_by, approved, actor = f"audit:{seq}", decision.approved, decision.reviewer
    if not approved:
        logger.info("case %s: release refused by the reviewer (%s); nothing written", case_id, decided_by)
        return ReleaseOutcome(case_id=case_id, status="refused", decided_by=decided_by)
    res = tasks.release_case(home, case_id, out, actor, run_ref)
    ids = tasks.document_ids(home, case_id)
    docs = [ReleasedDocumentOut(document_id=ids[d.file_name], pages=d.pages, redactions=d.redactions)
            for d in res.documents]
    logger.info("case %s released: %d document(s), %d redaction(s), %d held back, bundle %s", case_id,
                len(docs), sum(d.redactions for d in docs), len(res.held_back), res.bundle_sha256[:16])
    return ReleaseOutcome(case_id=case_id, status="released", decided_by=decided_by, out_dir=out,
                          documents=docs, held_back=len(res.held_back), bundle_sha256=res.bundle_sha256)
