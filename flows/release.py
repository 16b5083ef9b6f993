"""The release flow: wait for the reviewer, then render, verify and write the clean copy.

Run from a deployment, the flow *suspends* until the reviewer's decision arrives as a
:class:`ReviewerDecision` (from the review desk, ``cleancopy decide --sign-off`` or the
Prefect UI). A suspended run leaves its process; when the decision arrives Prefect runs
the flow again from the top, so every step before the suspension only reads and is
safe to run twice. The wait survives a restart of the serving process or the server.

A decision the case does not allow yet (a Resume pressed in the Prefect UI while
proposals are undecided or the case is on hold) does not fail the run: it notes why
and suspends again (:func:`_wait_for_decision`).

Without a deployment (the CLI's ephemeral mode) a run cannot suspend: the person who
ran ``cleancopy release`` after deciding every proposal has made the decision, and the
flow releases at once. A sign-off already recorded in the case's audit log (and not
voided by a later decision) also releases at once.
"""

from __future__ import annotations

import itertools
import logging

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.flow_runs import suspend_flow_run
from prefect.input import create_flow_run_input, read_flow_run_input
from pydantic import BaseModel

from flows import tasks
from flows.params import CaseId, OutDir, ReviewerDecision, audit_entry_of
from redaction.errors import ExitCode

PAUSE_KEY = "reviewer-decision"
# a decision the flow could not use is noted under this key (+ the attempt), so that the
# run, started again from the top when the next decision arrives, passes over it again
REFUSED_KEY = "early-resume-refused-"


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


def _pause_key(attempt: int) -> str:
    return PAUSE_KEY if attempt == 1 else f"{PAUSE_KEY}-{attempt}"


def _wait_for_decision(case_id: str, logger: logging.Logger | logging.LoggerAdapter) -> (
        tuple[int, bool, str]):
    """Suspend until a decision the case allows arrives; returns its audit entry, whether
    it approves, and who made it.

    A decision that cannot be used — a Resume pressed in the Prefect UI while proposals
    are still undecided or the case is on hold, a refusal without a reason, a desk
    sign-off voided by a later decision — is not an error of the run: the run notes why
    and suspends again, the note shown above the form the next Resume opens."""
    note = ""
    for attempt in itertools.count(1):
        form = ReviewerDecision.with_initial_data(description=note) if note else ReviewerDecision
        decision = suspend_flow_run(wait_for_input=form, key=_pause_key(attempt), timeout=None)
        earlier = read_flow_run_input(f"{REFUSED_KEY}{attempt}")
        if earlier is not None:  # refused on an earlier pass of this run: wait for the next one
            note = str(earlier)
            continue
        try:
            return _take(case_id, decision)
        except tasks.StepFailed as e:
            if e.exit_code not in (ExitCode.NOT_READY, ExitCode.BAD_INPUT):
                raise
            note = (f"The decision sent to this run could not be used: {e.message.removeprefix('record-sign-off: ')}. "
                    f"The release is waiting again: sign the case off from the review desk "
                    f"(or 'cleancopy decide {case_id} --reviewer NAME --sign-off') when it is ready.")
            logger.warning("case %s: a decision could not be used (%s); the release waits again", case_id,
                           e.message)
            create_flow_run_input(f"{REFUSED_KEY}{attempt}", note)
    raise AssertionError("unreachable")  # pragma: no cover


def _take(case_id: str, decision: ReviewerDecision) -> tuple[int, bool, str]:
    """Record the decision (from the Prefect UI's form), or find the one the desk or the
    CLI recorded before resuming the run."""
    seq = audit_entry_of(decision)
    if seq is None:
        problem = tasks.sign_off_problem(case_id, decision.reviewer, decision.approved, decision.comment)
        if problem:
            raise tasks.StepFailed(problem, ExitCode.NOT_READY)
        seq = tasks.record_sign_off(case_id, decision.reviewer, decision.approved, decision.comment)
        return seq, decision.approved, decision.reviewer
    standing = tasks.standing_sign_off(case_id)
    if standing is None or standing.seq != seq:
        raise tasks.StepFailed(f"the sign-off of case {case_id} in audit entry {seq} no longer stands "
                               "(a decision was made after it)", ExitCode.NOT_READY)
    return seq, standing.approved, standing.reviewer


@flow(name="release-case", persist_result=True, result_serializer="json", log_prints=False)
def release_case(case_id: CaseId, out_dir: OutDir = "") -> ReleaseOutcome:
    """Release the verified clean copy of a case once the reviewer signs it off.

    ``out_dir``: where to write it (empty: ``releases/<case_id>`` in cleancopy's home
    on the machine running the flow)."""
    logger = get_run_logger()
    run_ref, deployed = _run_ref()
    out = out_dir or tasks.releases_dir(case_id)
    status = tasks.case_status(case_id)  # an unknown case fails here, before any wait
    standing = tasks.standing_sign_off(case_id)
    if standing is not None:
        decided_by, approved, actor = f"audit:{standing.seq}", standing.approved, standing.reviewer
        logger.info("case %s: decision on record (audit entry %d)", case_id, standing.seq)
    elif not deployed:
        decided_by, approved, actor = "cli", True, "cleancopy release"
    else:
        logger.info("case %s: %d proposal(s) still to decide; waiting for the reviewer's sign-off",
                    case_id, status.pending)
        seq, approved, actor = _wait_for_decision(case_id, logger)
        decided_by = f"audit:{seq}"
    if not approved:
        logger.info("case %s: release refused by the reviewer (%s); nothing written", case_id, decided_by)
        return ReleaseOutcome(case_id=case_id, status="refused", decided_by=decided_by)
    res = tasks.release_case(case_id, out, actor, run_ref)
    ids = tasks.document_ids(case_id)
    docs = [ReleasedDocumentOut(document_id=ids[d.file_name], pages=d.pages, redactions=d.redactions)
            for d in res.documents]
    logger.info("case %s released: %d document(s), %d redaction(s), %d held back, bundle %s", case_id,
                len(docs), sum(d.redactions for d in docs), len(res.held_back), res.bundle_sha256[:16])
    return ReleaseOutcome(case_id=case_id, status="released", decided_by=decided_by, out_dir=out,
                          documents=docs, held_back=len(res.held_back), bundle_sha256=res.bundle_sha256)
