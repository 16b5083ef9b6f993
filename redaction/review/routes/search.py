"""Search the case's OCR text; box the hits the reviewer ticks (never one a live
proposal covers already). POST only: the term stays out of addresses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from redaction import pipeline
from redaction.pipeline import Context
from redaction.review import manual, pages
from redaction.review.deps import CaseId, Ctx, Form, Login, html, wants_json

log = logging.getLogger(__name__)
router = APIRouter()


@dataclass(frozen=True)
class HitView:
    """A hit as the results page draws it: on its page's thumbnail, as displayed."""

    hit: manual.Hit
    width: float
    height: float
    shown: tuple[tuple[float, float, float, float], ...]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.hit, name)


def _views(ctx: Context, case_id: str, hits: list[manual.Hit]) -> list[HitView]:
    sizes: dict[tuple[int, int], tuple[float, float, int]] = {}
    out = []
    with ctx.store.session() as s:
        for h in hits:
            k = (h.document_id, h.page_index)
            if k not in sizes:
                _doc, page = pages.page_row(s, case_id, *k)
                sizes[k] = (page.width, page.height, page.rotation % 360)
            w, ht, rot = sizes[k]
            shown = tuple(pages.to_displayed([b.x0, b.y0, b.x1, b.y1], w, ht, rot) for b in h.boxes)
            dw, dh = (ht, w) if rot in (90, 270) else (w, ht)
            out.append(HitView(h, dw, dh, shown))
    return out


@router.post("/cases/{case_id}/search")
async def search(request: Request, case_id: CaseId, ctx: Ctx, f: Form, login: Login) -> Response:
    term = f.get("term", "").strip()[:200]
    added: manual.Added | None = None
    if f.get("add") in ("all", "picked"):
        picked = None
        if f["add"] == "picked":
            form = await request.form()
            picked = [v for v in form.getlist("hit") if isinstance(v, str)][:2000]
        added = manual.add_search_hits(ctx, case_id, term, manual.ManualRequest.from_form(f), login.reviewer, picked)
        if wants_json(request):
            return JSONResponse({"added": added.added, "covered": added.covered, "unknown": added.unknown})
    hits = manual.search(ctx, case_id, term)
    if wants_json(request):
        return JSONResponse({"hits": len(hits), "covered": sum(h.covered for h in hits)})
    return html("search.html", login=login, case_id=case_id, term=term, hits=_views(ctx, case_id, hits), added=added,
                reasons=manual.reason_choices(), parties=pipeline.case_manifest(ctx, case_id).third_parties)
