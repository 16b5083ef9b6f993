"""Deciding proposals: one at a time on the page, a whole group, or any selection of the
case-wide table; a page withheld whole takes its undecided inner boxes with it; and any
of these undone."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from redaction import pipeline
from redaction.review import pages, proposals
from redaction.review.deps import BadForm, CaseId, Ctx, Decider, Form, Login, html, local, wants_json
from redaction.review.explain import parties
from redaction.review.proposals import Filters

log = logging.getLogger(__name__)
router = APIRouter()
FILTER_FIELDS = ("party", "reason", "page", "status")


def _decide(ctx: pipeline.Context, case_id: str, reviewer: str, decision: str, ids: tuple[int, ...],
            detail: str, reason: str) -> tuple[int, ...]:
    """Record ``decision`` on ``ids`` (and, for an accepted page withheld whole, on its
    undecided inner boxes); returns every id decided."""
    if not ids:
        return ()
    reason = reason or ("as proposed" if decision == "accept" else "none given")
    detail = f"{detail} reason: {reason}".strip()
    if decision == "accept":
        inner = proposals.followers(ctx, case_id, ids)
        pipeline.decide(ctx, case_id, reviewer, accept=ids, detail=detail)
        if inner:
            pipeline.decide(ctx, case_id, reviewer, accept=inner, detail="covered by a page withheld whole")
        return ids + inner
    pipeline.decide(ctx, case_id, reviewer, reject=ids, detail=detail)
    return ids


def _filter_fields(filters: Filters) -> dict[str, str]:
    return {k: getattr(filters, k) for k in FILTER_FIELDS if getattr(filters, k)}


def _with_undo(url: str, ids: tuple[int, ...]) -> str:
    base, _, frag = url.partition("#")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}undo={','.join(map(str, ids))}" + (f"#{frag}" if frag else "")


@router.post("/cases/{case_id}/decide")
async def decide(request: Request, case_id: CaseId, ctx: Ctx, f: Form, login: Decider) -> Response:
    decision = f.get("decision", "")
    if decision not in ("accept", "reject"):
        raise BadForm("decision must be accept or reject")
    reason = f.get("reason", "").strip()[:500]
    if f.get("proposal_id"):
        try:
            ids: tuple[int, ...] = (int(f["proposal_id"]),)
        except ValueError as e:
            raise BadForm("proposal_id must be a number") from e
        detail = ""
    elif f.get("scope") in ("party", "detector"):
        ids = pages.matching_pending(ctx, case_id, f["scope"], f.get("value", ""))
        detail = f"{f['scope']}:{f.get('value', '')}"
    else:
        raise BadForm("say which proposal (proposal_id) or which group (scope and value)")
    # a reject without a reason is logged as such, never with a reason made up for it
    decided = _decide(ctx, case_id, login.reviewer.name, decision, ids, detail, reason)
    if decided:
        log.info("reviewer %d %sed %d proposal(s) of case %s", login.reviewer.id, decision, len(decided), case_id)
    if wants_json(request):
        return JSONResponse({"decided": len(ids), "ids": list(decided)})
    nxt = local(f.get("next"), f"/cases/{case_id}")
    return RedirectResponse(_with_undo(nxt, decided) if decided else nxt, status_code=303)


@router.get("/cases/{case_id}/proposals")
def table(request: Request, case_id: CaseId, ctx: Ctx, login: Login, party: str = "", reason: str = "",
          page: str = "", status: str = "", undo: str = "", done: int = 0) -> Response:
    """Every proposal of the case in one table, filtered by party, reason, page or status
    here, and by the words covered in the browser (static/review.js: words never go into
    an address)."""
    filters = Filters(party[:64], reason[:8], page[:300], status[:16])
    shown = proposals.rows(ctx, case_id, filters)
    every = proposals.rows(ctx, case_id)
    page_labels = list(dict.fromkeys(proposals.page_label(r.file_name, r.page_index) for r in every))
    return html("table.html", login=login, case_id=case_id, rows=shown, total=len(every), f=filters,
                parties=parties(pipeline.case_manifest(ctx, case_id)).values(),
                reasons=sorted({r.reason for r in every}), page_labels=page_labels,
                undo=",".join(u for u in undo.split(",") if u.isdigit()), done=done,
                here=f"{request.url.path}?{urlencode(_filter_fields(filters))}")


@router.post("/cases/{case_id}/proposals")
async def bulk(request: Request, case_id: CaseId, ctx: Ctx, f: Form, login: Decider) -> Response:
    """A decision on the ticked rows of the table (or on every row the filter shows)."""
    form = await request.form()
    decision = f.get("decision", "")
    if decision not in ("accept", "reject"):
        raise BadForm("decision must be accept or reject")
    ids = proposals.ids_of(ctx, case_id, [v for v in form.getlist("id") if isinstance(v, str)][:5000])
    decided = _decide(ctx, case_id, login.reviewer.name, decision, ids, "table", f.get("reason", "").strip()[:500])
    log.info("reviewer %d %sed %d proposal(s) of case %s from the table", login.reviewer.id, decision,
             len(decided), case_id)
    back = {k: f[k] for k in FILTER_FIELDS if f.get(k)}
    back.update({"undo": ",".join(map(str, decided)), "done": str(len(decided))})
    if wants_json(request):
        return JSONResponse({"decided": len(decided), "ids": list(decided)})
    return RedirectResponse(f"/cases/{case_id}/proposals?{urlencode(back)}", status_code=303)


@router.post("/cases/{case_id}/undo")
async def undo(request: Request, case_id: CaseId, ctx: Ctx, f: Form, login: Decider) -> Response:
    ids = proposals.ids_of(ctx, case_id, [v for v in f.get("ids", "").split(",") if v][:5000])
    n = proposals.undo(ctx, case_id, login.reviewer.name, ids)
    if wants_json(request):
        return JSONResponse({"undone": n})
    return RedirectResponse(local(f.get("next"), f"/cases/{case_id}/proposals"), status_code=303)
