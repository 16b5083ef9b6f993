"""Third parties' answers, recorded as they arrive. The latest recorded answer overrides
the consent value in case.yaml, for detection as for the release pack; the evidence (the
reply itself) is kept in the blob store with the request."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from redaction.case import Case, Consent
from redaction.context import Context
from redaction.errors import InputError, NotFoundError
from redaction.procedure import states
from redaction.review import audit
from redaction.store import casework, repository
from redaction.store.db import ConsentRow, utcnow
from redaction.store.retry import retry_on_conflict

log = logging.getLogger(__name__)
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


def answers(ctx: Context, case_id: str) -> dict[str, ConsentRow]:
    """The latest recorded answer of each party."""
    with ctx.store.session() as s:
        rows = casework.consent_answers(s, case_id)
    return {r.party_id: r for r in rows}


def effective(ctx: Context, case: Case) -> Case:
    """``case`` with every recorded answer in place of case.yaml's consent value."""
    got = answers(ctx, case.case_id)
    if not got:
        return case
    parties = tuple(dataclasses.replace(p, consent=Consent(got[p.id].answer)) if p.id in got else p
                    for p in case.third_parties)
    return dataclasses.replace(case, third_parties=parties)


def case_manifest(ctx: Context, case_id: str) -> Case:
    """The case as it stands: its stored case.yaml with the answers recorded since the
    request arrived in place of its consent values."""
    return effective(ctx, repository.stored_manifest(ctx.store, case_id))


def key(ctx: Context, case_id: str) -> str:
    """A hash of the recorded answers: detection runs again when they change."""
    got = answers(ctx, case_id)
    raw = "|".join(f"{k}={v.answer}" for k, v in sorted(got.items()))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Evidence:
    """A reply kept as evidence of an answer: its file name and bytes (a scan, an email
    saved as PDF), read from a file by the CLI or uploaded at the desk."""

    name: str
    data: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not self.data or len(self.data) > MAX_EVIDENCE_BYTES:
            raise InputError(f"the evidence file {self.name} is empty or larger than 50 MB")

    @classmethod
    def from_file(cls, path: Path) -> Evidence:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise InputError(f"cannot read the evidence file {path}: {e.strerror}") from e
        return cls(path.name, data)


@dataclass(frozen=True)
class Answer:
    """A recorded answer, as the desk lists it."""

    id: int
    party_id: str
    answer: str
    answered_on: dt.date
    recorded_by: str
    evidence_name: str | None
    evidence_sha256: str | None


def history(ctx: Context, case_id: str) -> list[Answer]:
    """Every answer recorded for the case, oldest first (the latest of a party counts)."""
    with ctx.store.session() as s:
        rows = casework.consent_answers(s, case_id)
        return [Answer(r.id, r.party_id, r.answer, r.answered_on, r.recorded_by, r.evidence_name, r.evidence_sha256)
                for r in rows]


def evidence_of(ctx: Context, case_id: str, answer_id: int) -> Evidence:
    """The evidence kept with one recorded answer of the case."""
    with ctx.store.session() as s:
        row = casework.consent_answer(s, case_id, answer_id)
        if row is None or not row.evidence_sha256:
            raise NotFoundError(f"case {case_id} has no evidence kept with answer {answer_id}")
        sha, name = row.evidence_sha256, row.evidence_name or "evidence"
    return Evidence(name, ctx.store.blobs.get(sha))


def pending_parties(case: Case) -> list[str]:
    return [p.id for p in case.third_parties if p.consent is Consent.PENDING]


@retry_on_conflict
def _save_answer(ctx: Context, case_id: str, party_id: str, answer: str, actor: str, on: dt.date,
                 ev_sha: str | None, ev_name: str | None) -> None:
    """The answer and its audit entry, in one transaction (run again if it lost a race)."""
    with ctx.store.session() as s, s.begin():
        s.add(ConsentRow(case_id=case_id, party_id=party_id, answer=answer, answered_on=on,
                         evidence_sha256=ev_sha, evidence_name=ev_name, recorded_by=actor, recorded_at=utcnow()))
        audit.append(s, case_id, actor, "consent", None,
                     f"{party_id} {answer} on {on.isoformat()}" + (f"; evidence {ev_sha[:12]}" if ev_sha else ""))


def save_answer(ctx: Context, case: Case, party_id: str, answer: str, actor: str, *,
                evidence: Evidence | None = None, on: dt.date | None = None) -> None:
    """Check and keep ``party_id``'s answer (granted | refused) to ``case`` (the case as it
    stands, answers so far included) with its evidence, audited. Bringing the proposals up
    to date afterwards is the pipeline's part (``redaction.pipeline.consent.record_consent``)."""
    case_id = case.case_id
    if answer not in (Consent.GRANTED.value, Consent.REFUSED.value):
        raise InputError(f"the answer must be granted or refused, not '{answer}'")
    if case.party(party_id) is None:
        raise InputError(f"case {case_id} has no third party '{party_id}' "
                         f"(its parties: {', '.join(p.id for p in case.third_parties)})")
    on = on or dt.date.today()
    if on < case.received:
        raise InputError(f"the answer's date {on} is before the request arrived ({case.received})")
    if on > dt.date.today():
        raise InputError(f"the answer's date {on} is in the future")
    if states.get(ctx, case_id).state is states.State.RELEASED:
        raise states.ProcedureError(f"case {case_id} has been released: record the answer on a new request")
    ev_sha = ev_name = None
    if evidence is not None:
        ev_sha, ev_name = ctx.store.blobs.put(evidence.data), Path(evidence.name).name[:255] or "evidence"
    _save_answer(ctx, case_id, party_id, answer, actor, on, ev_sha, ev_name)
    log.info("case %s: party %s answered %s", case_id, party_id, answer)


def settle(ctx: Context, case: Case, actor: str) -> None:
    """Move a case waiting for consents on once nobody is left to answer."""
    if not pending_parties(case) and states.get(ctx, case.case_id).state is states.State.AWAITING_CONSENTS:
        states.move(ctx, case.case_id, states.State.READY, actor, "every third party has answered")
