"""One page of a case: the page screen, its image, the preview as released, and what a
reviewer adds or changes on it by hand (a box drawn, moved or resized, the page withheld
whole). Staff may add boxes too: theirs wait for a head's decision."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from redaction import pipeline
from redaction.review import manual, pages, proposals
from redaction.review.deps import BadForm, CaseId, Ctx, Decider, DocId, Form, Login, PageNo, ProposalId, done, html

log = logging.getLogger(__name__)
router = APIRouter()
IMAGE_MAX_AGE = 3600
PAGE = "/cases/{case_id}/docs/{doc_id}/pages/{page_no}"


def _rect(f: dict[str, str]) -> tuple[float, float, float, float]:
    try:
        x0, y0, x1, y1 = (float(f[k]) for k in ("x0", "y0", "x1", "y1"))
    except (KeyError, ValueError) as e:
        raise BadForm("the box needs x0, y0, x1, y1 in page points") from e
    return x0, y0, x1, y1


@router.get(PAGE)
def page_screen(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo, ctx: Ctx, login: Login,
                undo: str = "") -> Response:
    view = pages.page_view(ctx, case_id, doc_id, page_no - 1)
    undo_ids = [u for u in undo.split(",") if u.isdigit()][:500]
    return html("page.html", login=login, v=view, here=request.url.path, reasons=manual.reason_choices(),
                parties=pipeline.case_manifest(ctx, case_id).third_parties, undo=",".join(undo_ids))


@router.get(PAGE + "/image.png")
def page_png(case_id: CaseId, doc_id: DocId, page_no: PageNo, ctx: Ctx) -> Response:
    png = pages.page_image(ctx, case_id, doc_id, page_no - 1)
    return Response(png, media_type="image/png", headers={"Cache-Control": f"private, max-age={IMAGE_MAX_AGE}"})


@router.get(PAGE + "/preview.png")
def preview(case_id: CaseId, doc_id: DocId, page_no: PageNo, ctx: Ctx, pending: int = 0) -> Response:
    png = manual.preview_png(ctx, case_id, doc_id, page_no - 1, with_pending=bool(pending))
    # decisions change it: never stored by any cache
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})


@router.get(PAGE + "/preview")
def preview_page(case_id: CaseId, doc_id: DocId, page_no: PageNo, ctx: Ctx, login: Login,
                 pending: int = 0) -> Response:
    view = pages.page_view(ctx, case_id, doc_id, page_no - 1)
    return html("preview.html", login=login, v=view, pending=bool(pending),
                page_url=f"/cases/{case_id}/docs/{doc_id}/pages/{page_no}")


@router.post(PAGE + "/boxes")
async def draw_box(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo, ctx: Ctx, f: Form,
                   login: Login) -> Response:
    req = manual.ManualRequest.from_form(f)
    pid = manual.add_box(ctx, case_id, doc_id, page_no - 1, [_rect(f)], req, login.reviewer)
    return done(request, f, f"/cases/{case_id}/docs/{doc_id}/pages/{page_no}", proposal_id=pid)


@router.post(PAGE + "/whole")
async def whole_page(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo, ctx: Ctx, f: Form,
                     login: Login) -> Response:
    pid = manual.add_whole_page(ctx, case_id, doc_id, page_no - 1, manual.ManualRequest.from_form(f), login.reviewer)
    return done(request, f, f"/cases/{case_id}/docs/{doc_id}/pages/{page_no}", proposal_id=pid)


@router.post("/cases/{case_id}/proposals/{proposal_id}/box")
async def reshape_box(request: Request, case_id: CaseId, proposal_id: ProposalId, ctx: Ctx, f: Form,
                      login: Decider) -> Response:
    """Move or resize one box of a proposal (displayed page points)."""
    proposals.ids_of(ctx, case_id, [str(proposal_id)])  # 404 unless a live proposal of this case
    try:
        index = int(f.get("index", "0"))
    except ValueError as e:
        raise BadForm("index must be a number") from e
    box = proposals.reshape(ctx, case_id, proposal_id, index, _rect(f), login.reviewer.name)
    return done(request, f, f"/cases/{case_id}", proposal_id=proposal_id,
                box=[round(v, 2) for v in (box.x0, box.y0, box.x1, box.y1)])
