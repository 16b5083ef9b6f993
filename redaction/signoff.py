"""The reviewer's sign-off of a case, kept in the case's audit log.

A sign-off stands until something changes the case's decisions (a later decision makes
the reviewer look again) or a release consumes it. The release flow reads it to know
whether to release at once or wait for the reviewer; the review desk and
``cleancopy decide --sign-off`` write it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from redaction import pipeline
from redaction.context import Context
from redaction.errors import InputError, NotReadyError
from redaction.procedure import states
from redaction.review import audit
from redaction.store import audit_log, repository
from redaction.store.retry import retry_on_conflict

SIGNED_OFF = "signed-off"
REFUSED = "release-refused"
RELEASED = "released"
MAX_COMMENT = 500


@dataclass(frozen=True)
class SignOff:
    case_id: str
    approved: bool
    reviewer: str
    seq: int  # the audit entry
    at: str


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def record_sign_off(ctx: Context, case_id: str, reviewer: str, approved: bool = True, comment: str = "") -> SignOff:
    """Record the reviewer's decision on releasing the case. Approval needs every
    proposal decided; a refusal may come at any time and should say why."""
    reviewer = reviewer.strip()
    if not reviewer:
        raise InputError("the sign-off must name the reviewer")
    comment = comment.strip()[:MAX_COMMENT]
    st = pipeline.case_status(ctx, case_id)
    if approved and st.pending:
        raise NotReadyError(f"case {case_id} still has {st.pending} undecided proposal(s): decide them first")
    if not approved and not comment:
        raise InputError("say why the release is refused (a comment), so the office knows what to fix")
    detail = f"comment: {comment}" if comment else ""
    if approved:
        states.approve(ctx, case_id, reviewer)  # refused while the case is on hold
    return _append_sign_off(ctx, case_id, reviewer, approved, detail)


def sign_off_problem(ctx: Context, case_id: str, reviewer: str, approved: bool = True, comment: str = "") -> str | None:
    """Why :func:`record_sign_off` would refuse this decision now (None: it would take
    it), without recording anything: for a release run that must not fail on a decision
    sent too early, but wait for the next."""
    if not reviewer.strip():
        return "the sign-off must name the reviewer"
    if not approved:
        return None if comment.strip() else (
            "say why the release is refused (a comment), so the office knows what to fix")
    st = pipeline.case_status(ctx, case_id)
    if st.pending:
        return f"case {case_id} still has {st.pending} undecided proposal(s): decide them first"
    cs = states.get(ctx, case_id)
    if cs.state is states.State.ON_HOLD:
        return f"case {case_id} is on hold ({cs.hold_reason}): nothing is released until it is taken off hold"
    if cs.state is states.State.RELEASED:
        return f"case {case_id} has been released and no decision has changed since"
    if cs.state is states.State.RECEIVED:
        return f"case {case_id} has not been read yet: process it first"
    return None


@retry_on_conflict
def _append_sign_off(ctx: Context, case_id: str, reviewer: str, approved: bool, detail: str) -> SignOff:
    with ctx.store.session() as s, s.begin():
        row = audit.append(s, case_id, reviewer, SIGNED_OFF if approved else REFUSED, None, detail)
        return SignOff(case_id, approved, reviewer, row.seq, row.at)


def standing_sign_off(ctx: Context, case_id: str) -> SignOff | None:
    """The case's latest sign-off or refusal, if nothing has happened since that voids
    it: no decision recorded after it and no release made on it."""
    doc_ids = [d.id for d in repository.current_documents(ctx.store, case_id)]
    with ctx.store.session() as s:
        last = audit_log.last_entry_of(s, case_id, (SIGNED_OFF, REFUSED, RELEASED))
        if last is None or last.action == RELEASED:
            return None
        latest_decision = repository.latest_decision_at(s, doc_ids)
    at = dt.datetime.fromisoformat(last.at)
    if latest_decision is not None and _aware(latest_decision) > _aware(at):
        return None
    return SignOff(case_id, last.action == SIGNED_OFF, last.actor, last.seq, last.at)


def record_released(ctx: Context, case_id: str, actor: str, bundle_sha256: str, documents: int,
                    run_ref: str = "") -> None:
    detail = f"bundle:{bundle_sha256} documents:{documents}" + (f" run:{run_ref}" if run_ref else "")
    audit.record(ctx, case_id, actor, [(RELEASED, None, detail)])
