"""What the review screens show: the case list, a case's pages, one page with its
proposals in displayed-page coordinates, and page images (from the store, or drawn
from the working PDF once and cached in the blob store)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pymupdf
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redaction.context import Context
from redaction.errors import NotFoundError
from redaction.models import ProposalStatus
from redaction.procedure import clocks, consents
from redaction.procedure.clocks import Clock
from redaction.review import explain
from redaction.store import repository
from redaction.store.db import DocumentRow, PageImageRow, PageRow

log = logging.getLogger(__name__)

RENDER_DPI = 110  # born-digital pages: enough to read on screen, small to send
PALETTE = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
NO_PARTY_COLOUR = "#555555"


@dataclass(frozen=True)
class CaseSummary:
    case_id: str
    received: dt.date
    deadline: dt.date
    days_left: int
    documents: int
    proposals: int
    pending: int
    released: bool
    procedure: str = ""  # the procedure's state (awaiting-consents, on-hold ...)
    hold_reason: str | None = None
    clocks: tuple[Clock, ...] = ()  # the school's 14 days and the statutory month

    @property
    def state(self) -> str:
        if self.procedure == "on-hold":
            return f"on hold: {self.hold_reason}"
        if self.released:
            return "released"
        if self.procedure == "awaiting-consents":
            return (f"{self.pending} to decide; " if self.pending else "") + "awaiting consents"
        if self.proposals and not self.pending:
            return "ready to sign off"
        return f"{self.pending} to decide" if self.pending else "no proposals"


def case_list(ctx: Context, today: dt.date | None = None) -> list[CaseSummary]:
    """Every case with its two clocks, the most urgent first (past the statutory date,
    past the school's, due soon), released cases last."""
    today = today or dt.date.today()
    out: list[CaseSummary] = []
    with ctx.store.session() as s:
        for c in repository.cases_by_deadline(s):
            doc_ids = repository.current_document_ids(s, c.case_id)
            counts = repository.live_counts_by_status(s, doc_ids)
            first_release = repository.first_release_at(s, c.case_id)
            released = first_release is not None
            st = repository.case_state(s, c.case_id)
            out.append(CaseSummary(
                case_id=c.case_id, received=c.received, deadline=c.deadline,
                days_left=(c.deadline - today).days, documents=len(doc_ids),
                proposals=sum(counts.values()), pending=counts.get(ProposalStatus.PENDING, 0), released=released,
                procedure=st.state if st else "", hold_reason=st.hold_reason if st else None,
                clocks=clocks.stored_clocks(c.received, c.deadline, today,
                                            first_release.date() if first_release is not None else None),
            ))
    return sorted(out, key=lambda c: (clocks.priority(c.clocks), c.case_id))


@dataclass(frozen=True)
class PageRef:
    document_id: int
    file_name: str
    page_index: int
    pending: int
    proposals: int


def case_pages(ctx: Context, case_id: str) -> list[PageRef]:
    """Every page of the case's current documents, in order, with its proposal counts."""
    docs = repository.current_documents(ctx.store, case_id)
    names = {d.id: d.file_name for d in docs}
    with ctx.store.session() as s:
        pages = repository.page_keys(s, names)
        counts = repository.live_counts_by_page(s, names)
    pend: dict[tuple[int, int], int] = {}
    total: dict[tuple[int, int], int] = {}
    for d, p, st, n in counts:
        total[(d, p)] = total.get((d, p), 0) + n
        if st == ProposalStatus.PENDING:
            pend[(d, p)] = pend.get((d, p), 0) + n
    order = {d.id: i for i, d in enumerate(docs)}
    pages = sorted(pages, key=lambda t: (order[t[0]], t[1]))
    return [PageRef(d, names[d], p, pend.get((d, p), 0), total.get((d, p), 0)) for d, p in pages]


def party_colours(ctx: Context, case_id: str) -> dict[str | None, str]:
    case = consents.case_manifest(ctx, case_id)
    colours: dict[str | None, str] = {None: NO_PARTY_COLOUR}
    for i, p in enumerate(case.third_parties):
        colours[p.id] = PALETTE[i % len(PALETTE)]
    return colours


def to_displayed(b: list[float], w: float, h: float, rotation: int) -> tuple[float, float, float, float]:
    """An unrotated page box (see redaction.models) on the page as displayed (and as the
    page images are drawn)."""
    x0, y0, x1, y1 = b

    def pt(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            return h - y, x
        if rotation == 180:
            return w - x, h - y
        if rotation == 270:
            return y, w - x
        return x, y

    (ax, ay), (bx, by) = pt(x0, y0), pt(x1, y1)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


@dataclass(frozen=True)
class DrawnProposal:
    id: int
    status: str
    reason: str
    detector: str
    score: float
    party_id: str | None
    explanation: str
    whole_page: bool
    colour: str
    rects: tuple[tuple[float, float, float, float], ...]  # displayed page points
    party: explain.Party | None = None
    text: str = ""  # the words covered, as OCR read them (shown to the reviewer, never logged)

    @property
    def who(self) -> str:
        return self.party.described if self.party else "no listed party"

    @property
    def reason_words(self) -> str:
        return explain.reason_words(self.reason)

    @property
    def label(self) -> str:
        return explain.label(self.reason, self.party)

    @property
    def title(self) -> str:
        return (f"#{self.id} {self.reason}: {self.reason_words}; {self.who}; by {self.detector}, "
                f"score {self.score:.2f}: {self.status}")


@dataclass(frozen=True)
class PageView:
    case_id: str
    document_id: int
    file_name: str
    page_index: int
    page_count: int
    width: float  # displayed page size in points
    height: float
    proposals: tuple[DrawnProposal, ...]
    prev: PageRef | None
    next: PageRef | None
    position: int  # 1-based among all the case's pages
    total_pages: int
    pending_in_case: int


def page_row(s: Session, case_id: str, doc_id: int, page_index: int) -> tuple[DocumentRow, PageRow]:
    doc = repository.find_document(s, doc_id)
    if doc is None or doc.case_id != case_id or not doc.current:
        raise NotFoundError(f"document {doc_id} is not a current document of case {case_id}")
    page = repository.page(s, doc_id, page_index)
    if page is None:
        raise NotFoundError(f"{doc.file_name} has no page {page_index + 1}")
    return doc, page


def page_view(ctx: Context, case_id: str, doc_id: int, page_index: int) -> PageView:
    colours = party_colours(ctx, case_id)
    who = explain.parties(consents.case_manifest(ctx, case_id))
    refs = case_pages(ctx, case_id)
    with ctx.store.session() as s:
        doc, page = page_row(s, case_id, doc_id, page_index)
        rows = repository.live_proposals_on_page(s, doc_id, page_index)
        file_name, page_count = doc.file_name, doc.page_count
        w, h, rot = page.width, page.height, page.rotation % 360
    drawn = tuple(
        DrawnProposal(
            id=r.id, status=r.status, reason=r.reason, detector=r.detector, score=r.score, party_id=r.party_id,
            explanation=r.explanation, whole_page=r.whole_page,
            colour=colours.get(r.party_id, NO_PARTY_COLOUR),
            rects=tuple(to_displayed(b, w, h, rot) for b in r.boxes),
            party=who.get(r.party_id) if r.party_id else None, text=r.text,
        )
        for r in rows
    )
    pos = next(i for i, ref in enumerate(refs) if ref.document_id == doc_id and ref.page_index == page_index)
    dw, dh = (h, w) if rot in (90, 270) else (w, h)
    return PageView(
        case_id=case_id, document_id=doc_id, file_name=file_name, page_index=page_index, page_count=page_count,
        width=dw, height=dh, proposals=drawn,
        prev=refs[pos - 1] if pos > 0 else None, next=refs[pos + 1] if pos + 1 < len(refs) else None,
        position=pos + 1, total_pages=len(refs), pending_in_case=sum(r.pending for r in refs),
    )


def page_image(ctx: Context, case_id: str, doc_id: int, page_index: int) -> bytes:
    """The page as displayed, PNG: the scan kept at OCR time, or the working PDF's page
    drawn at RENDER_DPI (cached in the blob store after the first time)."""
    with ctx.store.session() as s:
        doc, page = page_row(s, case_id, doc_id, page_index)
        if page.image_sha256:
            return ctx.store.blobs.get(page.image_sha256)
        cached = repository.drawn_page_image(s, page.id, RENDER_DPI)
        if cached:
            return ctx.store.blobs.get(cached)
        working, page_id = doc.working_sha256, page.id
    if working is None:
        raise NotFoundError(f"document {doc_id} has no working PDF to draw")
    with pymupdf.open(stream=ctx.store.blobs.get(working), filetype="pdf") as pdf:
        pix = pdf.load_page(page_index).get_pixmap(dpi=RENDER_DPI, alpha=False)
        png: bytes = pix.tobytes("png")
    sha = ctx.store.blobs.put(png)
    try:
        with ctx.store.session() as s, s.begin():
            s.add(PageImageRow(page_id=page_id, dpi=RENDER_DPI, image_sha256=sha))
    except IntegrityError:  # another request drew it at the same time
        pass
    log.debug("drew page %d of document %d (%d bytes)", page_index + 1, doc_id, len(png))
    return png


@dataclass(frozen=True)
class Group:
    kind: str  # party | detector
    value: str  # party id ("" for none) or detector name
    colour: str
    pending: int
    accepted: int
    rejected: int


def groups(ctx: Context, case_id: str) -> list[Group]:
    """Proposal counts by party and by detector, for the accept/reject-all buttons."""
    colours = party_colours(ctx, case_id)
    by: dict[tuple[str, str], list[int]] = {}
    for r, _ in repository.live_proposals(ctx.store, case_id):
        for key in (("party", r.party_id or ""), ("detector", r.detector)):
            c = by.setdefault(key, [0, 0, 0])
            c[(ProposalStatus.PENDING, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED).index(
                ProposalStatus(r.status))] += 1
    out = [
        Group(k, v, colours.get(v or None, NO_PARTY_COLOUR) if k == "party" else "#333333", *c)
        for (k, v), c in by.items()
    ]
    return sorted(out, key=lambda g: (g.kind != "party", g.value))


def matching_pending(ctx: Context, case_id: str, kind: str, value: str) -> tuple[int, ...]:
    """Ids of the case's pending proposals of one party ("" = no party) or one detector."""
    out = []
    for r, _ in repository.live_proposals(ctx.store, case_id):
        if r.status != ProposalStatus.PENDING:
            continue
        if (kind == "party" and (r.party_id or "") == value) or (kind == "detector" and r.detector == value):
            out.append(r.id)
    return tuple(out)
