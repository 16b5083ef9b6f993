"""The review stage's record: a reviewer's accept and reject, each kept in the decisions
table and the case's audit log in one transaction."""

from __future__ import annotations

from redaction import faults
from redaction.context import Context
from redaction.errors import InputError, NotFoundError
from redaction.models import DecisionStatus, ProposalStatus
from redaction.procedure import states
from redaction.review import audit
from redaction.store import repository
from redaction.store.db import DecisionRow
from redaction.store.retry import retry_on_conflict


def decide(
    ctx: Context,
    case_id: str,
    reviewer: str,
    *,
    accept_all: bool = False,
    accept: tuple[int, ...] = (),
    reject: tuple[int, ...] = (),
    detail: str = "",
) -> int:
    """Record decisions; returns how many proposals were decided. Every decision is
    kept twice in one transaction (both or neither): in the decisions table and as an
    entry of the case's audit log (action accepted/rejected, the proposal, ``reviewer``,
    ``detail``). The CLI and the desk pass a reviewer account's name (checked there)."""
    if not reviewer.strip():
        raise InputError("--reviewer must name the person deciding")
    live = {r.id: r for r, _ in repository.live_proposals(ctx.store, case_id)}
    wanted: dict[int, DecisionStatus] = {}
    if accept_all:
        wanted = {pid: DecisionStatus.ACCEPTED for pid, r in live.items() if r.status == ProposalStatus.PENDING}
    for pid in accept:
        wanted[pid] = DecisionStatus.ACCEPTED
    for pid in reject:
        if pid in accept:
            raise InputError(f"proposal {pid} is both accepted and rejected: choose one")
        wanted[pid] = DecisionStatus.REJECTED
    unknown = sorted(set(wanted) - set(live))
    if unknown:
        raise NotFoundError(f"proposal(s) {', '.join(map(str, unknown))} are not live proposals of case {case_id}")
    _record_decisions(ctx, case_id, reviewer.strip(), wanted, detail)
    faults.point("decide.committed")
    if wanted:
        states.after_decision(ctx, case_id, reviewer.strip())
    return len(wanted)


@retry_on_conflict
def _record_decisions(ctx: Context, case_id: str, reviewer: str, wanted: dict[int, DecisionStatus],
                      detail: str) -> None:
    with ctx.store.session() as s, s.begin():
        for pid, status in wanted.items():
            repository.proposal(s, pid).status = status.value
            s.add(DecisionRow(proposal_id=pid, reviewer=reviewer, status=status.value))
            audit.append(s, case_id, reviewer, status.value, pid, detail)
            faults.point("decide.in-transaction")
