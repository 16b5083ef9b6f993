"""Proposals as a reviewer recognises them: whom each protects (the party's name,
relationship and consent, never a bare id), the words it covers as OCR read them, the
rule in plain words, the score, and a short label for its box on the page; the case's
proposals as one filterable table; what a decision on a page withheld whole carries
with it; undoing a decision; moving or resizing a box.

The covered words are shown to the reviewer (they need them to decide) and kept in the
store; they never go to a log line or an audit entry: those hold ids, codes, counts
and coordinates."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from redaction.context import Context
from redaction.errors import InputError, NotFoundError
from redaction.models import Box, ProposalStatus
from redaction.procedure import consents, states
from redaction.review import audit
from redaction.review.explain import Party, parties, reason_words
from redaction.review.manual import to_page_coords, words_under
from redaction.review.pages import page_row
from redaction.store import repository
from redaction.store.db import DecisionRow
from redaction.store.retry import retry_on_conflict
from redaction.store.serial import boxes_from_json, boxes_to_json

log = logging.getLogger(__name__)

# --- the case-wide table --------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    document_id: int
    file_name: str
    page_index: int
    reason: str
    reason_words: str
    party: Party | None
    text: str
    status: str
    detector: str
    score: float
    whole_page: bool


@dataclass(frozen=True)
class Filters:
    party: str = ""  # a party id, "-" for none, "" for any
    reason: str = ""
    page: str = ""  # "file p.N" as the table shows it, "" for any
    status: str = ""
    text: str = ""  # words the covered text contains (case ignored)

    def keeps(self, r: Row) -> bool:
        if self.party and (r.party.id if r.party else "-") != self.party:
            return False
        if self.reason and r.reason != self.reason:
            return False
        if self.page and page_label(r.file_name, r.page_index) != self.page:
            return False
        if self.status and r.status != self.status:
            return False
        return not self.text or self.text.casefold() in r.text.casefold()


def page_label(file_name: str, page_index: int) -> str:
    return f"{file_name} p.{page_index + 1}"


def rows(ctx: Context, case_id: str, filters: Filters | None = None) -> list[Row]:
    """The case's live proposals in page order, those ``filters`` keeps."""
    who = parties(consents.case_manifest(ctx, case_id))
    out = [
        Row(r.id, r.document_id, name, r.page_index, r.reason, reason_words(r.reason),
            who.get(r.party_id) if r.party_id else None, r.text, r.status, r.detector, r.score, r.whole_page)
        for r, name in repository.live_proposals(ctx.store, case_id)
    ]
    return [r for r in out if filters is None or filters.keeps(r)]


def ids_of(ctx: Context, case_id: str, values: Iterable[str]) -> tuple[int, ...]:
    """Proposal ids from form values, each a live proposal of the case (else NotFound)."""
    try:
        wanted = tuple(dict.fromkeys(int(v) for v in values))
    except ValueError as e:
        raise InputError("proposal ids must be numbers") from e
    live = {r.id for r, _ in repository.live_proposals(ctx.store, case_id)}
    unknown = [i for i in wanted if i not in live]
    if unknown:
        raise NotFoundError(f"proposal(s) {', '.join(map(str, unknown))} are not live proposals of case {case_id}")
    return wanted


# --- decisions that carry others ------------------------------------------------------


def followers(ctx: Context, case_id: str, accepted: Sequence[int]) -> tuple[int, ...]:
    """Undecided proposals on pages withheld whole by the ``accepted`` ones: accepting
    the whole page decides its inner boxes too (they are covered by it)."""
    live = [r for r, _ in repository.live_proposals(ctx.store, case_id)]
    pages = {(r.document_id, r.page_index) for r in live if r.id in set(accepted) and r.whole_page}
    return tuple(r.id for r in live if (r.document_id, r.page_index) in pages and r.status == ProposalStatus.PENDING
                 and not r.whole_page and r.id not in set(accepted))


# --- undo ---------------------------------------------------------------------------


@retry_on_conflict
def undo(ctx: Context, case_id: str, reviewer: str, ids: Sequence[int]) -> int:
    """Put each proposal back as it was before its latest decision (undecided, or the
    earlier decision); recorded like any decision, in one transaction with its audit
    entries. Returns how many changed."""
    changed = 0
    with ctx.store.session() as s, s.begin():
        for pid in ids:
            row = repository.find_proposal(s, pid)
            if row is None or row.status == ProposalStatus.WITHDRAWN:
                continue
            history = repository.decision_history(s, pid, 2)
            if not history or history[0] != row.status:
                continue  # never decided, or changed since: nothing of ours to undo
            before = history[1] if len(history) > 1 else ProposalStatus.PENDING.value
            if before == row.status:
                continue
            row.status = before
            s.add(DecisionRow(proposal_id=pid, reviewer=reviewer, status=before))
            audit.append(s, case_id, reviewer, "undone", pid, f"back to {before}")
            changed += 1
    if changed:
        states.after_decision(ctx, case_id, reviewer)
    log.info("%d decision(s) of case %s undone", changed, case_id)
    return changed


# --- move and resize --------------------------------------------------------------------


@retry_on_conflict
def reshape(ctx: Context, case_id: str, proposal_id: int, index: int,
            rect: tuple[float, float, float, float], reviewer: str) -> Box:
    """Move or resize box ``index`` of a proposal to ``rect`` (displayed page points).
    The words it covers are read again from the page's OCR; the audit entry records the
    old and new coordinates (never the words)."""
    with ctx.store.session() as s:
        row = repository.find_proposal(s, proposal_id)
        if row is None or row.status == ProposalStatus.WITHDRAWN:
            raise NotFoundError(f"proposal {proposal_id} is not a live proposal of case {case_id}")
        if row.whole_page:
            raise InputError("a page withheld whole has no box to move: reject it and draw a box instead")
        _doc, page = page_row(s, case_id, row.document_id, row.page_index)
        w, h, rot = page.width, page.height, page.rotation % 360
        doc_id, page_index = row.document_id, row.page_index
    new = to_page_coords(rect, w, h, rot)
    ocr = repository.load_pages(ctx.store, doc_id)[page_index]
    with ctx.store.session() as s, s.begin():
        row = repository.proposal(s, proposal_id)
        boxes = list(boxes_from_json(row.boxes))
        if not 0 <= index < len(boxes):
            raise InputError(f"proposal {proposal_id} has no box {index + 1}")
        old = boxes[index]
        boxes[index] = new
        row.boxes = boxes_to_json(tuple(boxes))
        row.text = words_under(ocr, boxes)
        audit.append(s, case_id, reviewer, "reshaped", proposal_id,
                     f"box {index + 1}: {_coords(old)} -> {_coords(new)}")
    states.after_decision(ctx, case_id, reviewer)  # what would be released changed
    log.info("proposal %d of case %s: box %d moved or resized", proposal_id, case_id, index + 1)
    return new


def _coords(b: Box) -> str:
    return f"({b.x0:.1f},{b.y0:.1f},{b.x1:.1f},{b.y1:.1f})"
