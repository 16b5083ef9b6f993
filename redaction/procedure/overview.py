"""Where one case stands in the procedure, in one value: its state, its two clocks, each
third party with their answer, evidence and letters, and the documents a safeguarding
withholding may name. The review desk shows it; it reads what the procedure's own
modules wrote and changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from redaction.case import Consent
from redaction.context import Context
from redaction.models import DocumentStatus
from redaction.procedure import clocks, consents, letters, states
from redaction.store import repository
from redaction.store.db import CaseRow


@dataclass(frozen=True)
class PartyStanding:
    id: str
    name: str
    relationship: str
    kind: str
    consent: str  # as it stands: case.yaml's value, or the latest answer recorded
    answer: consents.Answer | None  # the latest recorded answer
    letters: tuple[letters.WrittenLetter, ...]
    can_be_written_to: bool  # has an address or an email

    @property
    def pending(self) -> bool:
        return self.consent == Consent.PENDING.value


@dataclass(frozen=True)
class DocumentChoice:
    id: int
    file_name: str
    pages: int


@dataclass(frozen=True)
class Overview:
    case_id: str
    received: dt.date
    state: states.CaseState
    clocks: tuple[clocks.Clock, clocks.Clock]
    extension_limit: dt.date
    released_on: dt.date | None
    parties: tuple[PartyStanding, ...]
    answers: tuple[consents.Answer, ...]  # every answer recorded, oldest first
    documents: tuple[DocumentChoice, ...]

    @property
    def on_hold(self) -> bool:
        return self.state.state is states.State.ON_HOLD

    @property
    def released(self) -> bool:
        return self.state.state is states.State.RELEASED


def _first_release(ctx: Context, case_id: str) -> tuple[CaseRow, dt.date | None]:
    with ctx.store.session() as s:
        row = repository.case_row(s, case_id)  # NotFoundError when the case was never imported here
        first = repository.first_release_at(s, case_id)
        return row, first.date() if first is not None else None


def case_clocks(ctx: Context, case_id: str, today: dt.date | None = None) -> tuple[clocks.Clock, clocks.Clock]:
    """The case's two clocks today, stopped by its first release."""
    row, released_on = _first_release(ctx, case_id)
    return clocks.stored_clocks(row.received, row.deadline, today or dt.date.today(), released_on)


def overview(ctx: Context, case_id: str, today: dt.date | None = None) -> Overview:
    row, released_on = _first_release(ctx, case_id)
    case = consents.case_manifest(ctx, case_id)
    history = consents.history(ctx, case_id)
    latest = {a.party_id: a for a in history}
    written = letters.written(ctx, case_id)
    parties = tuple(
        PartyStanding(p.id, p.name, p.relationship, p.kind.value, p.consent.value, latest.get(p.id),
                      tuple(w for w in written if w.party_id == p.id), bool(p.addresses or p.emails))
        for p in case.third_parties
    )
    docs = tuple(DocumentChoice(d.id, d.file_name, d.page_count)
                 for d in repository.current_documents(ctx.store, case_id) if d.status != DocumentStatus.HELD)
    two = clocks.stored_clocks(row.received, row.deadline, today or dt.date.today(), released_on)
    return Overview(case_id, row.received, states.get(ctx, case_id), two, clocks.statutory_limit(row.received),
                    released_on, parties, tuple(history), docs)
