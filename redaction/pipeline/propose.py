"""The detection stage: the detectors run over a document's pages (redaction/detect/) and
their drafts merged with the proposals stored: decisions on proposals found again kept,
those no longer found withdrawn."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redaction import detect, faults, progress
from redaction.context import Context
from redaction.models import REVIEWER_DETECTOR, DocumentStatus, ProposalStatus, Reason
from redaction.procedure import consents
from redaction.store import claims, repository
from redaction.store.db import ProposalRow
from redaction.store.serial import boxes_to_json

log = logging.getLogger(__name__)


def _detector_version() -> str:
    """A hash of the detection code: a new version re-detects stored documents."""
    h = hashlib.sha256()
    for f in sorted(Path(detect.__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


DETECTOR_VERSION = _detector_version()


def _proposal_key(p: detect.ProposalDraft | ProposalRow, boxes: list[list[float]]) -> str:
    reason = p.reason.value if isinstance(p.reason, Reason) else p.reason
    raw = f"{p.page_index}|{reason}|{p.party_id}|{boxes}"
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class ProposeResult:
    document_id: int
    proposals: int  # live proposals for the document after this run
    new: int
    busy: bool = False  # another worker was proposing it: left to that worker (see propose_document)


def case_names(ctx: Context, case_id: str, exclude_document: int | None = None) -> dict[str, Reason]:
    """Name words of the people (other children, unlisted people) the NER model and the child
    cues found in the case's current documents, ``exclude_document`` left out: each document's
    detection looks for them too. Kept in the store; never logged."""
    # imported here, not above, for start-up cost: detection loads spaCy (2 s), which
    # commands that never detect (status, decide, release) should not pay for
    from redaction.detect.person_words import CASE_NAME_RULE, NAME, name_words

    rows = repository.found_names(ctx.store, case_id, NAME, (Reason.OTHER_CHILD, Reason.UNLISTED_PERSON),
                                  exclude_document=exclude_document, exclude_rule=CASE_NAME_RULE)
    return name_words(rows)


def propose_case_again(ctx: Context, case_id: str) -> list[ProposeResult]:
    """After every document is proposed: each one again, now knowing the people found in the
    others (a document whose case names did not change is skipped by its detect key)."""
    docs = [d for d in repository.current_documents(ctx.store, case_id) if d.status != DocumentStatus.HELD]
    out = []
    for i, d in enumerate(docs, 1):
        out.append(propose_document(ctx, d.id, wait=True))
        progress.report("propose-again", i, len(docs), "document")
    return out


def propose_document(ctx: Context, doc_id: int, *, wait: bool = False) -> ProposeResult:
    """Run the detectors over one document and merge their proposals with what is
    stored: decisions on proposals found again are kept; proposals no longer found are
    withdrawn (pending ones deleted).

    One worker at a time proposes a document (a claim). When another worker is proposing
    it now, this one leaves it to them (``busy=True``) unless ``wait``: then it waits and
    runs after them (usually finding the detect key unchanged: nothing to do).
    :func:`propose_case_again` waits, so a case run ends with every document proposed."""
    lease = ctx.settings.worker_lease_seconds
    if not wait and claims.try_claim(ctx.store.sessions, doc_id, lease) is False:
        log.info("document %d is being proposed by another worker: left to it", doc_id)
        return ProposeResult(doc_id, repository.live_proposal_count(ctx.store, doc_id), 0, busy=True)
    with claims.claimed(ctx.store.sessions, doc_id, lease):
        return _propose_document(ctx, doc_id)


@dataclass(frozen=True)
class DetectKey:
    """What a document's proposals were made from: detection runs again when ``key`` is
    not ``stored`` (new code, model, case.yaml, consent answer, pages or case names)."""

    key: str
    stored: str | None
    case_id: str
    file_name: str
    names: dict[str, Reason]

    @property
    def current(self) -> bool:
        return self.key == self.stored


def detect_key(ctx: Context, doc_id: int) -> DetectKey | None:
    """The detect key of a document (None for a held one)."""
    with ctx.store.session() as s:
        doc = repository.document(s, doc_id)
        if doc.status == DocumentStatus.HELD:
            return None
        case_id, file_name = doc.case_id, doc.file_name
        words_key = "|".join(p.words_sha256 for p in doc.pages)
        manifest_sha = doc.case.manifest_sha256
        old_key = doc.detect_key
    model = f"{ctx.settings.ner_model}|{detect.config_fingerprint(detect.config_for(ctx.settings))}"
    names = case_names(ctx, case_id, exclude_document=doc_id)

    manifest_sha = f"{manifest_sha}+{consents.key(ctx, case_id)}"
    names_key = hashlib.sha256(json.dumps(sorted(names.items())).encode()).hexdigest()[:16]
    key = hashlib.sha256(
        f"{DETECTOR_VERSION}|{model}|{manifest_sha}|{words_key}|{names_key}".encode()).hexdigest()
    return DetectKey(key, old_key, case_id, file_name, names)


def _propose_document(ctx: Context, doc_id: int) -> ProposeResult:
    dk = detect_key(ctx, doc_id)
    if dk is None:
        return ProposeResult(doc_id, 0, 0)
    if dk.current:
        return ProposeResult(doc_id, repository.live_proposal_count(ctx.store, doc_id), 0)
    case = consents.case_manifest(ctx, dk.case_id)
    pages = repository.load_pages(ctx.store, doc_id)
    drafts = detect.detect_document(case, dk.file_name, pages, detect.config_for(ctx.settings),
                                    case_names=dk.names)
    for attempt in (1, 2):
        try:
            with ctx.store.session() as s, s.begin():
                seen, new = _merge(s, doc_id, drafts)
                doc = repository.document(s, doc_id)
                doc.detect_key = dk.key
                doc.status = DocumentStatus.PROPOSED
                faults.point("propose.in-transaction")
            faults.point("propose.committed")
            break
        except IntegrityError:
            # another worker stored this document's proposals first: their rows stand,
            # and the second pass updates them instead of adding duplicates
            if attempt == 2:
                raise
    return ProposeResult(doc_id, seen, new)


def _merge(s: Session, doc_id: int, drafts: list[detect.ProposalDraft]) -> tuple[int, int]:
    """Store the drafts beside the document's proposals: a draft found again updates its
    proposal (a withdrawn one pending again), a new one is added, a proposal not found
    again is deleted when pending and withdrawn when decided (a reviewer's own stay).
    Returns how many proposals were found and how many of them are new."""
    existing = repository.proposals_by_key(s, doc_id)
    seen: set[str] = set()
    new = 0
    for d in drafts:
        boxes = boxes_to_json(d.boxes)
        key = _proposal_key(d, boxes)
        if key in seen:
            continue
        seen.add(key)
        row = existing.get(key)
        if row is not None:
            row.score, row.detector, row.explanation, row.text = d.score, d.detector, d.explanation, d.text
            row.rule = d.rule
            if row.status == ProposalStatus.WITHDRAWN:
                row.status = ProposalStatus.PENDING
            continue
        s.add(ProposalRow(
            document_id=doc_id,
            page_index=d.page_index,
            boxes=boxes,
            reason=d.reason.value,
            detector=d.detector,
            score=float(d.score),
            party_id=d.party_id,
            text=d.text,
            explanation=d.explanation,
            rule=d.rule,
            whole_page=d.whole_page,
            status=ProposalStatus.PENDING,
            key=key,
        ))
        new += 1
    for key, row in existing.items():
        if key not in seen and row.detector != REVIEWER_DETECTOR:  # a reviewer's own boxes stay
            if row.status == ProposalStatus.PENDING:
                s.delete(row)
            else:
                row.status = ProposalStatus.WITHDRAWN
    return len(seen), new
