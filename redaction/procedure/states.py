"""Where a case is in the school's procedure, and the moves between.

    received -> awaiting consents -> ready -> in review -> approved -> released
    on hold (legal advice) from any state before release; unhold returns to that state.

A third party still pending does not stop the review (they are treated as refused), so a
case awaiting consents may go into review, be approved and be released: the release pack
says who never answered. Every move is appended to the case's hash-chained audit log with
who made it; an illegal move raises :class:`ProcedureError` naming the case, the state it
is in and what to do instead.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from redaction.context import Context
from redaction.errors import InputError
from redaction.procedure import clocks
from redaction.review import audit
from redaction.store import repository
from redaction.store.db import CaseStateRow, utcnow
from redaction.store.retry import retry_on_conflict

log = logging.getLogger(__name__)


class State(enum.StrEnum):
    RECEIVED = "received"
    AWAITING_CONSENTS = "awaiting-consents"
    READY = "ready"
    IN_REVIEW = "in-review"
    APPROVED = "approved"
    RELEASED = "released"
    ON_HOLD = "on-hold"


class ProcedureError(InputError):
    """A move the procedure does not allow (the message says what to do instead)."""


# the moves each state allows (hold and unhold are handled apart)
MOVES: dict[State, frozenset[State]] = {
    State.RECEIVED: frozenset({State.AWAITING_CONSENTS, State.READY}),
    State.AWAITING_CONSENTS: frozenset({State.READY, State.IN_REVIEW}),
    State.READY: frozenset({State.AWAITING_CONSENTS, State.IN_REVIEW}),
    State.IN_REVIEW: frozenset({State.APPROVED, State.AWAITING_CONSENTS}),
    State.APPROVED: frozenset({State.RELEASED, State.IN_REVIEW}),
    State.RELEASED: frozenset({State.IN_REVIEW}),  # the file changed after release: look again
    State.ON_HOLD: frozenset(),
}


@dataclass(frozen=True)
class CaseState:
    case_id: str
    state: State
    held_from: State | None
    hold_reason: str | None
    extended_to: dt.date | None
    extension_reason: str | None


def _row(ctx: Context, s: Session, case_id: str) -> CaseStateRow:
    if repository.find_case(s, case_id) is None:
        raise ProcedureError(f"case {case_id} is not known here: run 'cleancopy run CASE_DIR' first")
    row = repository.case_state(s, case_id)
    if row is None:
        row = CaseStateRow(case_id=case_id, state=State.RECEIVED.value, updated_at=utcnow())
        s.add(row)
        s.flush()
    return row


def get(ctx: Context, case_id: str) -> CaseState:
    with ctx.store.session() as s, s.begin():
        r = _row(ctx, s, case_id)
        return CaseState(case_id, State(r.state), State(r.held_from) if r.held_from else None, r.hold_reason,
                         r.extended_to, r.extension_reason)


@retry_on_conflict
def move(ctx: Context, case_id: str, to: State, actor: str, why: str = "") -> CaseState:
    """Move the case to ``to`` (audited); a move to the state it is in does nothing."""
    with ctx.store.session() as s, s.begin():
        r = _row(ctx, s, case_id)
        now = State(r.state)
        if now is to:
            return CaseState(case_id, now, None, r.hold_reason, r.extended_to, r.extension_reason)
        if now is State.ON_HOLD:
            raise ProcedureError(f"case {case_id} is on hold ({r.hold_reason}): "
                                 f"'cleancopy unhold {case_id}' when the legal advice allows it")
        if to not in MOVES[now]:
            raise ProcedureError(f"case {case_id} is {now.value}: it cannot become {to.value} from there")
        r.state, r.updated_at = to.value, utcnow()
        audit.append(s, case_id, actor, "state", None, f"{now.value} -> {to.value}" + (f"; {why}" if why else ""))
    log.info("case %s: %s -> %s", case_id, now.value, to.value)
    return get(ctx, case_id)


@retry_on_conflict
def hold(ctx: Context, case_id: str, actor: str, reason: str) -> CaseState:
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise ProcedureError("say why the case is on hold (--reason), e.g. 'legal advice sought'")
    with ctx.store.session() as s, s.begin():
        r = _row(ctx, s, case_id)
        now = State(r.state)
        if now is State.ON_HOLD:
            raise ProcedureError(f"case {case_id} is already on hold ({r.hold_reason})")
        if now is State.RELEASED:
            raise ProcedureError(f"case {case_id} has been released: a hold can no longer stop it")
        r.state, r.held_from, r.hold_reason, r.updated_at = State.ON_HOLD.value, now.value, reason, utcnow()
        audit.append(s, case_id, actor, "state", None, f"{now.value} -> on-hold; reason: {reason}")
    return get(ctx, case_id)


@retry_on_conflict
def unhold(ctx: Context, case_id: str, actor: str) -> CaseState:
    with ctx.store.session() as s, s.begin():
        r = _row(ctx, s, case_id)
        if State(r.state) is not State.ON_HOLD:
            raise ProcedureError(f"case {case_id} is not on hold (it is {r.state})")
        back = r.held_from or State.READY.value
        r.state, r.held_from, r.hold_reason, r.updated_at = back, None, None, utcnow()
        audit.append(s, case_id, actor, "state", None, f"on-hold -> {back}")
    return get(ctx, case_id)


@retry_on_conflict
def extend(ctx: Context, case_id: str, to: dt.date, reason: str, actor: str) -> CaseState:
    """Record an extension of the deadline (a later date, with its reason)."""
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise ProcedureError("an extension needs its reason (--reason)")
    with ctx.store.session() as s, s.begin():
        r = _row(ctx, s, case_id)
        case = repository.case_row(s, case_id)
        problem = clocks.extension_problem(case.received, to)
        if problem:
            raise ProcedureError(problem)
        r.extended_to, r.extension_reason, r.updated_at = to, reason, utcnow()
        case.deadline = to
        audit.append(s, case_id, actor, "extended", None, f"deadline {to.isoformat()}; reason: {reason}")
    return get(ctx, case_id)


def deadline(ctx: Context, case_id: str) -> dt.date:
    with ctx.store.session() as s:
        case = repository.find_case(s, case_id)
        if case is None:
            raise ProcedureError(f"case {case_id} is not known here")
        return case.deadline


# --- what the pipeline's events do to the state ------------------------------------------


def after_import(ctx: Context, case_id: str, any_pending: bool) -> None:
    st = get(ctx, case_id).state
    if st in (State.RECEIVED, State.READY, State.AWAITING_CONSENTS):
        move(ctx, case_id, State.AWAITING_CONSENTS if any_pending else State.READY, "cleancopy",
             "consents still awaited" if any_pending else "every third party has answered")


def after_decision(ctx: Context, case_id: str, actor: str) -> None:
    st = get(ctx, case_id).state
    if st in (State.READY, State.AWAITING_CONSENTS, State.APPROVED, State.RELEASED):
        move(ctx, case_id, State.IN_REVIEW, actor, "a decision was made")


def approve(ctx: Context, case_id: str, actor: str) -> None:
    """The reviewer's sign-off: the case is approved for release."""
    st = get(ctx, case_id).state
    if st in (State.READY, State.AWAITING_CONSENTS):
        move(ctx, case_id, State.IN_REVIEW, actor, "signed off without further decisions")
    move(ctx, case_id, State.APPROVED, actor, "signed off")


def before_release(ctx: Context, case_id: str, actor: str) -> None:
    """Refuse a release while the case is on hold; a case not yet approved is approved by
    whoever releases it (``cleancopy release --reviewer``), recorded as such."""
    st = get(ctx, case_id)
    if st.state is State.RELEASED:
        move(ctx, case_id, State.IN_REVIEW, actor, "released again")
        st = get(ctx, case_id)
    if st.state is State.ON_HOLD:
        raise ProcedureError(f"case {case_id} is on hold ({st.hold_reason}): nothing is released until "
                             f"'cleancopy unhold {case_id}'")
    if st.state is State.RECEIVED:
        raise ProcedureError(f"case {case_id} has not been read yet: run 'cleancopy run' on its folder first")
    if st.state is not State.APPROVED:
        approve(ctx, case_id, actor)


def after_release(ctx: Context, case_id: str, actor: str) -> None:
    move(ctx, case_id, State.RELEASED, actor, "clean copy verified and written")
