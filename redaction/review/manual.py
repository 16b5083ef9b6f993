"""What a reviewer adds by hand: a box drawn on the page, a box on every hit of a search
of the OCR text, a whole page. Each becomes a proposal of detector ``reviewer``, accepted
at once when a head, deputy or centre manager adds it, pending (for one of them to decide)
when a member of staff does, and is recorded in the case's audit log in the same
transaction. A reason code is required; ``SG`` (safeguarding) also needs a note. Boxes
arrive in displayed page points (as the page image is drawn) and are stored in unrotated
page coordinates, like every other proposal. Search terms and notes are never logged."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pymupdf
from sqlalchemy.orm import Session

from redaction import render
from redaction.context import Context
from redaction.detect.align import build_page_text
from redaction.detect.tokens import alnum
from redaction.errors import InputError, NotFoundError
from redaction.models import REVIEWER_DETECTOR, Box, DocumentStatus, OcrPage, ProposalStatus, Reason, Redaction
from redaction.procedure import consents
from redaction.review import audit
from redaction.review.auth import Reviewer
from redaction.review.pages import page_row
from redaction.store import repository
from redaction.store.db import ProposalRow
from redaction.store.retry import retry_on_conflict
from redaction.store.serial import boxes_from_json, boxes_to_json

log = logging.getLogger(__name__)

# what a reviewer may give as the reason for a box of their own
MANUAL_REASONS: dict[str, str] = {
    Reason.REVIEWER.value: "other information the reviewer withholds",
    Reason.THIRD_PARTY.value: "a withheld third party's name",
    Reason.THIRD_PARTY_CONTACT.value: "a withheld third party's contact details",
    Reason.OTHER_CHILD.value: "another child",
    Reason.UNLISTED_PERSON.value: "a person the manifest does not list",
    Reason.AUTHORED.value: "written by a withheld third party",
    Reason.SAFEGUARDING.value: "safeguarding: disclosure would put the child at risk (note required)",
}
MAX_NOTE = 500
PREVIEW_DPI = 110


@dataclass(frozen=True)
class ManualRequest:
    reason: str
    party_id: str | None
    note: str

    @classmethod
    def from_form(cls, fields: dict[str, str]) -> ManualRequest:
        return cls(fields.get("reason", ""), fields.get("party_id") or None, fields.get("note", ""))

    def checked(self, ctx: Context, case_id: str) -> ManualRequest:
        if self.reason not in MANUAL_REASONS:
            raise InputError("choose a reason code for the redaction: " + ", ".join(MANUAL_REASONS))
        note = " ".join(self.note.split())[:MAX_NOTE]
        if self.reason == Reason.SAFEGUARDING.value and not note:
            raise InputError("a safeguarding redaction needs a note saying why (it is never shown to the parent)")
        party = self.party_id or None
        if party is not None:
            known = {p.id for p in consents.case_manifest(ctx, case_id).third_parties}
            if party not in known:
                raise InputError(f"third party '{party}' is not in the case's manifest")
        return ManualRequest(self.reason, party, note)


def to_page_coords(rect: tuple[float, float, float, float], w: float, h: float, rotation: int) -> Box:
    """A displayed-page rectangle in unrotated page coordinates (the inverse of the page
    view's mapping)."""
    x0, y0, x1, y1 = rect

    def pt(dx: float, dy: float) -> tuple[float, float]:
        if rotation == 90:
            return dy, h - dx
        if rotation == 180:
            return w - dx, h - dy
        if rotation == 270:
            return w - dy, dx
        return dx, dy

    (ax, ay), (bx, by) = pt(x0, y0), pt(x1, y1)
    box = Box(max(0.0, min(ax, bx)), max(0.0, min(ay, by)), min(w, max(ax, bx)), min(h, max(ay, by)))
    if box.width < 1 or box.height < 1:
        raise InputError("the box drawn is too small: drag across the words to redact")
    return box


def words_under(page: OcrPage, boxes: Sequence[Box]) -> str:
    """The OCR words whose centre lies in one of ``boxes``: kept with the proposal so that
    release can prove they are gone."""
    out = []
    for w in page.words:
        cx, cy = (w.box.x0 + w.box.x1) / 2, (w.box.y0 + w.box.y1) / 2
        if any(b.x0 <= cx <= b.x1 and b.y0 <= cy <= b.y1 for b in boxes):
            out.append(w.text)
    return " ".join(out)


def _key(doc_id: int, page_index: int, reason: str, boxes: list[list[float]], whole: bool) -> str:
    raw = f"{REVIEWER_DETECTOR}|{doc_id}|{page_index}|{reason}|{boxes}|{whole}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _add(s: Session, case_id: str, doc_id: int, page_index: int, boxes: Sequence[Box], text: str,
         req: ManualRequest, reviewer: Reviewer, *, whole: bool, how: str) -> int | None:
    bj = boxes_to_json(tuple(boxes))
    key = _key(doc_id, page_index, req.reason, bj, whole)
    existing = repository.proposal_with_key(s, doc_id, key)
    if existing is not None and existing.status != ProposalStatus.WITHDRAWN:
        return None
    status = (ProposalStatus.ACCEPTED if reviewer.can_decide else ProposalStatus.PENDING).value
    row = ProposalRow(
        document_id=doc_id, page_index=page_index, boxes=bj, reason=req.reason, detector=REVIEWER_DETECTOR,
        score=1.0, party_id=req.party_id, text=text, explanation=f"{how} by a reviewer ({reviewer.role})",
        whole_page=whole, status=status, key=key,
    )
    s.add(row)
    s.flush()
    detail = f"{how}; reason:{req.reason}" + (f"; party:{req.party_id}" if req.party_id else "")
    if req.note:
        detail += f"; note: {req.note}"
    audit.append(s, case_id, reviewer.name, "added-" + status, row.id, detail)
    return row.id


@retry_on_conflict
def add_to_page(ctx: Context, case_id: str, doc_id: int, page_index: int, boxes: Sequence[Box] | None,
                req: ManualRequest, reviewer: Reviewer, how: str) -> int | None:
    """One reviewer proposal on a page: ``boxes`` (unrotated page points), or the whole
    page when None; audited in the same transaction. None when the same one is there."""
    req = req.checked(ctx, case_id)
    with ctx.store.session() as s:
        _doc, page = page_row(s, case_id, doc_id, page_index)
        full = Box(0.0, 0.0, page.width, page.height)
    ocr = repository.load_pages(ctx.store, doc_id)[page_index]
    whole = boxes is None
    chosen = [full] if boxes is None else list(boxes)
    text = " ".join(w.text for w in ocr.words) if whole else words_under(ocr, chosen)
    with ctx.store.session() as s, s.begin():
        return _add(s, case_id, doc_id, page_index, chosen, text, req, reviewer, whole=whole, how=how)


def add_box(ctx: Context, case_id: str, doc_id: int, page_index: int,
            rects: Sequence[tuple[float, float, float, float]], req: ManualRequest, reviewer: Reviewer) -> int:
    """Boxes drawn on one page (displayed points): one proposal; returns its id."""
    if not rects:
        raise InputError("draw a box on the page first")
    with ctx.store.session() as s:
        _doc, page = page_row(s, case_id, doc_id, page_index)
        w, h, rot = page.width, page.height, page.rotation % 360
    pid = add_to_page(ctx, case_id, doc_id, page_index, [to_page_coords(r, w, h, rot) for r in rects], req,
                      reviewer, "drawn")
    if pid is None:
        raise InputError("that box is already there")
    log.info("reviewer %d drew a box on document %d page %d of case %s", reviewer.id, doc_id, page_index + 1,
             case_id)
    return pid


def add_whole_page(ctx: Context, case_id: str, doc_id: int, page_index: int, req: ManualRequest,
                   reviewer: Reviewer) -> int:
    pid = add_to_page(ctx, case_id, doc_id, page_index, None, req, reviewer, "whole page")
    if pid is None:
        raise InputError("that page is already withheld whole")
    log.info("reviewer %d withheld document %d page %d of case %s whole", reviewer.id, doc_id, page_index + 1,
             case_id)
    return pid


# --- search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    document_id: int
    file_name: str
    page_index: int
    boxes: tuple[Box, ...]
    text: str
    before: str = ""  # the rest of the hit's line, for context (shown, never logged)
    after: str = ""
    covered: bool = False  # an undecided or accepted proposal already covers it

    @property
    def key(self) -> str:
        """Names the hit across requests (a tick on the results page)."""
        raw = f"{self.document_id}|{self.page_index}|{boxes_to_json(self.boxes)}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


CONTEXT_WORDS = 10  # words of the line shown either side of a hit
COVERED = 0.8  # a hit box at least this much inside live proposals is covered already


def search(ctx: Context, case_id: str, term: str, limit: int = 500) -> list[Hit]:
    """Every place the OCR text of the case's current documents holds ``term`` (words in
    order, case, accents and punctuation ignored), in either reading of a line OCR read
    twice (redaction.ocr.reread): a name garbled in one reading is found in the other.
    Each hit carries the rest of its line and whether a live (undecided or accepted)
    proposal covers it already."""
    want = [alnum(t) for t in term.split() if alnum(t)]
    if not want or sum(len(t) for t in want) < 2:
        raise InputError("search for at least two letters or digits")
    hits: list[Hit] = []
    for doc in repository.current_documents(ctx.store, case_id):
        if doc.status == DocumentStatus.HELD:
            continue
        cover = _live_boxes(ctx, doc.id)
        for page in repository.load_pages(ctx.store, doc.id):
            on_page: list[Hit] = []
            for view in (page, page.reread_view()) if page.reread else (page,):
                for h in _hits(view, want, doc.id, doc.file_name):
                    if not any(a.intersects(b) for o in on_page for a in o.boxes for b in h.boxes):
                        on_page.append(h)
            hits += [dataclasses.replace(h, covered=_covered(h.boxes, cover.get(page.page_index, [])))
                     for h in on_page]
            if len(hits) >= limit:
                return hits[:limit]
    return hits


def _live_boxes(ctx: Context, doc_id: int) -> dict[int, list[Box]]:
    """The boxes of the document's undecided and accepted proposals, by page."""
    out: dict[int, list[Box]] = {}
    with ctx.store.session() as s:
        live = (ProposalStatus.PENDING, ProposalStatus.ACCEPTED)
        for page_index, boxes in repository.boxes_by_status(s, doc_id, live):
            out.setdefault(page_index, []).extend(boxes_from_json(boxes))
    return out


def _covered(boxes: Sequence[Box], live: Sequence[Box]) -> bool:
    """Every box of a hit lies (by COVERED of its area) inside the live boxes."""
    def inside(b: Box) -> float:
        area = max(b.width * b.height, 1e-9)
        got = 0.0
        for c in live:
            w = min(b.x1, c.x1) - max(b.x0, c.x0)
            h = min(b.y1, c.y1) - max(b.y0, c.y0)
            if w > 0 and h > 0:
                got += w * h
        return min(1.0, got / area)

    return bool(live) and all(inside(b) >= COVERED for b in boxes)


def _hits(page: OcrPage, want: list[str], doc_id: int, file_name: str) -> list[Hit]:
    pt = build_page_text(page)
    norms = [alnum(w.text) for w in pt.words]
    n = len(want)
    out: list[Hit] = []
    for i in range(len(norms) - n + 1):
        if all(norms[i + k] == want[k] or (k == n - 1 and norms[i + k].startswith(want[k]) and len(want[k]) >= 3)
               for k in range(n)) and norms[i]:
            boxes = pt.words_to_boxes(list(range(i, i + n)))
            text = " ".join(w.text for w in pt.words[i:i + n])
            first, last = pt.lines[i], pt.lines[i + n - 1]
            before = [w.text for j, w in enumerate(pt.words[:i]) if pt.lines[j] == first][-CONTEXT_WORDS:]
            after = [w.text for j, w in enumerate(pt.words) if j >= i + n and pt.lines[j] == last][:CONTEXT_WORDS]
            out.append(Hit(doc_id, file_name, page.page_index, boxes, text, " ".join(before), " ".join(after)))
    return out


@dataclass(frozen=True)
class Added:
    added: int  # boxes added
    covered: int  # ticked hits left because a live proposal covers them already
    unknown: int  # ticked hits the search no longer finds (the text changed since)


@retry_on_conflict
def add_search_hits(ctx: Context, case_id: str, term: str, req: ManualRequest, reviewer: Reviewer,
                    picked: Collection[str] | None = None) -> Added:
    """A proposal on each hit of ``term`` whose key is in ``picked`` (every hit when
    None), never on one a live proposal already covers, nor twice on the same hit."""
    req = req.checked(ctx, case_id)
    hits = search(ctx, case_id, term)
    chosen = hits if picked is None else [h for h in hits if h.key in set(picked)]
    added = covered = 0
    with ctx.store.session() as s, s.begin():
        for h in chosen:
            if h.covered:
                covered += 1
            elif _add(s, case_id, h.document_id, h.page_index, h.boxes, h.text, req, reviewer, whole=False,
                      how="search hit") is not None:
                added += 1
            else:
                covered += 1
    unknown = 0 if picked is None else len(set(picked) - {h.key for h in hits})
    log.info("reviewer %d added %d box(es) from a search in case %s (%d covered already)", reviewer.id, added,
             case_id, covered)
    return Added(added, covered, unknown)


# --- preview --------------------------------------------------------------------------


def preview_png(ctx: Context, case_id: str, doc_id: int, page_index: int, *, with_pending: bool = False) -> bytes:
    """The page as it will be released: the real redaction (render.render_document) of this
    page with its accepted proposals (and the undecided ones too if ``with_pending``),
    drawn as a PNG."""
    statuses = [ProposalStatus.ACCEPTED] + ([ProposalStatus.PENDING] if with_pending else [])
    with ctx.store.session() as s:
        doc, _page = page_row(s, case_id, doc_id, page_index)
        working, name = doc.working_sha256, doc.file_name
        rows = repository.proposals_on_page(s, doc_id, page_index, statuses)
    if working is None:
        raise NotFoundError(f"document {doc_id} has no working PDF to draw")
    with pymupdf.open(stream=ctx.store.blobs.get(working), filetype="pdf") as src:
        src.select([page_index])
        one = src.tobytes()
    reds = [Redaction(proposal_id=r.id, page_index=0, boxes=boxes_from_json(r.boxes), reason=Reason(r.reason),
                      party_id=r.party_id, text=r.text, whole_page=r.whole_page) for r in rows]
    clean = render.render_document(one, reds, name)
    with pymupdf.open(stream=clean, filetype="pdf") as out:
        return bytes(out.load_page(0).get_pixmap(dpi=PREVIEW_DPI, alpha=False).tobytes("png"))


def reason_choices() -> list[tuple[str, str]]:
    return list(MANUAL_REASONS.items())

