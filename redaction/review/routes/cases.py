"""The case list, a case's page and its audit log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from redaction import pipeline
from redaction.procedure import states
from redaction.review import audit, auth, pages, runs
from redaction.review.deps import CaseId, Ctx, Login, html

router = APIRouter()


@router.get("/")
def case_list(request: Request, ctx: Ctx, login: Login) -> Response:
    allowed = auth.visible_cases(ctx, login.reviewer)
    cases = [c for c in pages.case_list(ctx) if allowed is None or c.case_id in allowed]
    return html("cases.html", login=login, cases=cases)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: CaseId, ctx: Ctx, login: Login) -> Response:
    st = pipeline.case_status(ctx, case_id)
    refs = pages.case_pages(ctx, case_id)
    first_pending = next((r for r in refs if r.pending), refs[0] if refs else None)
    who = {p.id: p for p in pipeline.case_manifest(ctx, case_id).third_parties}
    return html("case.html", login=login, st=st, refs=refs, groups=pages.groups(ctx, case_id),
                first=first_pending, docs=pipeline.current_documents(ctx, case_id),
                chain=audit.verify_chain(ctx, case_id), release=runs.view(ctx, case_id, None),
                state=states.get(ctx, case_id).state.value, who=who)


@router.get("/cases/{case_id}/audit")
def audit_page(request: Request, case_id: CaseId, ctx: Ctx, login: Login) -> Response:
    pipeline.current_documents(ctx, case_id)  # 404 for unknown cases
    return html("audit.html", login=login, case_id=case_id, entries=audit.entries(ctx, case_id),
                chain=audit.verify_chain(ctx, case_id))
