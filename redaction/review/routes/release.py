"""Sign-off and release: the head's sign-off hands the case to the release run waiting
for it (or, with none, the desk releases it), and the case page follows the release."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from redaction import pipeline, release
from redaction.errors import CleanCopyError, NotFoundError, NotReadyError, VerificationError
from redaction.pipeline import Context
from redaction.procedure import states
from redaction.review import audit, runs
from redaction.review.deps import CaseId, Ctx, Forbidden, Form, Login, Runs, html
from redaction.review.runs import ReleaseRuns

log = logging.getLogger(__name__)
router = APIRouter()
ORCHESTRATOR_TIMEOUT = 10.0  # seconds the desk waits for the Prefect server before saying it is away


def releases_dir(ctx: Context, case_id: str) -> Path:
    return ctx.settings.home / "releases" / case_id


async def release_view(ctx: Context, release_runs: ReleaseRuns | None, case_id: str) -> runs.ReleaseView:
    """The release as cleancopy recorded it, and as the latest release run stands."""
    run = None
    if release_runs is not None:
        try:
            run = await asyncio.wait_for(release_runs.latest(case_id), ORCHESTRATOR_TIMEOUT)
        except Exception as e:  # noqa: BLE001 - the desk still says what cleancopy knows
            log.warning("could not read the release runs of case %s from Prefect (%s)", case_id, type(e).__name__)
            v = runs.view(ctx, case_id, None)
            if v.state == "none":
                return dataclasses.replace(v, message="the Prefect server could not be reached: "
                                           "the state of a release run is not known")
            return v
    return runs.view(ctx, case_id, run)


@router.get("/cases/{case_id}/release.json")
async def release_state(request: Request, case_id: CaseId, ctx: Ctx, release_runs: Runs) -> Response:
    """Where the case's release stands (the case page polls it while a run is busy)."""
    pipeline.current_documents(ctx, case_id)  # 404 for unknown cases
    v = await release_view(ctx, release_runs, case_id)
    return JSONResponse({
        "state": v.state, "message": v.message, "run_id": v.run_id, "settled": v.settled,
        "out_dir": v.out_dir,
        "files": [{"name": f.name, "size": f.size, "url": f"/cases/{case_id}/released/{quote(f.name)}"}
                  for f in v.files],
    })


@router.get("/cases/{case_id}/released/{name}")
def released_file(request: Request, case_id: CaseId, name: str, ctx: Ctx) -> Response:
    path = runs.released_file(ctx, case_id, name)
    if path is None:
        raise NotFoundError(f"case {case_id} has no released file called {name}")
    return FileResponse(path, filename=name, headers={"Cache-Control": "private, no-store"})


@router.post("/cases/{case_id}/signoff")
async def sign_off(request: Request, case_id: CaseId, ctx: Ctx, f: Form, login: Login,
                   release_runs: Runs) -> Response:
    if not login.reviewer.can_sign_off:
        raise Forbidden("only the headteacher, a deputy or the centre manager can sign off a case")
    st = pipeline.case_status(ctx, case_id)
    if st.pending:
        raise NotReadyError(f"case {case_id} still has {st.pending} undecided proposal(s): decide them first")
    states.approve(ctx, case_id, login.reviewer.name)  # refused while the case is on hold
    audit.record(ctx, case_id, login.reviewer.name, [("signed-off", None, f"role:{login.reviewer.role}")])
    out = releases_dir(ctx, case_id)
    if release_runs is not None:
        seq = audit.entries(ctx, case_id)[-1].seq
        try:
            resumed = await asyncio.wait_for(release_runs.resume(case_id, True, seq), ORCHESTRATOR_TIMEOUT)
        except CleanCopyError:
            raise  # a run was sent the sign-off and did not take it: say so, release nothing here
        except Exception as e:  # noqa: BLE001 - Prefect away: the desk releases itself
            log.warning("could not reach the Prefect server to resume a release of case %s (%s): "
                        "the desk releases it", case_id, type(e).__name__)
            resumed = []
        if resumed:
            log.info("case %s signed off by reviewer %d; %d waiting release run(s) resumed (%s)", case_id,
                     login.reviewer.id, len(resumed), ", ".join(r.name or r.type for r in resumed))
            return html("release_sent.html", login=login, case_id=case_id, runs=resumed,
                        release=runs.view(ctx, case_id, resumed[-1]))
    try:
        result = await run_in_threadpool(release.release_case, ctx, case_id, out, actor=login.reviewer.name)
    except VerificationError as e:
        audit.record(ctx, case_id, login.reviewer.name, [("release-refused", None, f"{len(e.leaks)} leak(s)")])
        return html("released.html", 409, login=login, case_id=case_id, result=None, error=e.message,
                    out_dir=str(out))
    audit.record(ctx, case_id, login.reviewer.name,
                 [("released", None, f"bundle:{result.bundle_sha256} documents:{len(result.documents)}")])
    log.info("case %s signed off by reviewer %d and released", case_id, login.reviewer.id)
    return html("released.html", login=login, case_id=case_id, result=result, error="", out_dir=str(out),
                release=runs.view(ctx, case_id, None))
