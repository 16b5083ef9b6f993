"""The procedure at the review desk: a case's two clocks, third parties' answers with
their evidence, consent-request letters (written, downloaded, marked sent), hold and
unhold, an extension with its reason, and a safeguarding withholding.

Every change calls the procedure function the CLI calls (``redaction.procedure``), so it
is checked and audited exactly as there, under the logged-in reviewer's name. Anyone who
may see the case sees its procedure (the desk's guard answers 404 for other cases);
changing it takes an account that may decide (head, deputy, centre manager), as the
CLI's ``--reviewer`` does; every POST carries the session's CSRF token. Uploaded evidence
and letters are only ever sent back as downloads, never shown inline.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from redaction import pipeline
from redaction.errors import InputError, NotAllowedError
from redaction.models import Reason
from redaction.procedure import consents, letters, overview, safeguarding, states
from redaction.review import auth
from redaction.review.deps import MAX_ID, CaseId, env, get_ctx, get_login

log = logging.getLogger(__name__)

router = APIRouter()
RowId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
MAX_TEXT = 500
WITHHOLD_REASONS = {"safeguarding": Reason.SAFEGUARDING.value, "reviewer": Reason.REVIEWER.value}
DONE = {  # what a redirect after a change says (never anything the form sent)
    "consent": "The answer was recorded and the proposals brought up to date.",
    "letters": "The letters were written: download them, send them, then mark them sent.",
    "no-letters": "No third party is waiting to be asked (pending, with an address or an email).",
    "sent": "The letter was marked sent.",
    "hold": "The case is on hold: nothing is released until it is taken off hold.",
    "unhold": "The case is off hold.",
    "extended": "The extension was recorded.",
    "withheld": "The information was withheld; the note stays in the audit log.",
}


@dataclass(frozen=True)
class Change:
    """A POST allowed to change the procedure: who sends it and its fields."""

    reviewer: auth.Reviewer
    fields: dict[str, str]
    files: dict[str, UploadFile]


async def _change(request: Request) -> Change:
    """The POSTed form after the CSRF check, from an account that may decide."""
    form = await request.form(max_files=1, max_fields=30)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    files = {k: v for k, v in form.items() if isinstance(v, UploadFile)}
    login = get_login(request)
    if not auth.csrf_ok(login, request.headers.get("x-csrf-token") or fields.get("csrf_token")):
        raise NotAllowedError("the form expired or did not come from this site: reload the page and try again")
    if not login.reviewer.can_decide:
        raise NotAllowedError(f"{login.reviewer.name} has a staff account, which can view the procedure but not "
                              "change it: ask the headteacher, a deputy or the centre manager")
    return Change(login.reviewer, fields, files)


Changed = Annotated[Change, Depends(_change)]


def _text(f: dict[str, str], name: str) -> str:
    return " ".join(f.get(name, "").split())[:MAX_TEXT]


def _day(f: dict[str, str], name: str, what: str) -> dt.date | None:
    raw = f.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{what} must be a date like 2026-12-01") from None


def _done(request: Request, case_id: str, what: str, **payload: Any) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"done": what, **payload})
    return RedirectResponse(f"/cases/{case_id}/procedure?done={what}", status_code=303)


def _download(data: bytes, name: str, media_type: str) -> Response:
    ascii_name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)[:120] or "download"
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name[:120])}",
        "Cache-Control": "private, no-store",
    })


# --- the screen ------------------------------------------------------------------


@router.get("/cases/{case_id}/procedure")
def procedure_page(request: Request, case_id: CaseId, done: str = "") -> Response:
    ctx = get_ctx(request)
    view = overview.overview(ctx, case_id)
    html = env.get_template("procedure_case.html").render(
        login=get_login(request), v=view, done=DONE.get(done, ""), today=dt.date.today(),
        withhold_reasons=WITHHOLD_REASONS,
    )
    return HTMLResponse(html)


@router.get("/cases/{case_id}/procedure/clocks.json")
def clocks_json(request: Request, case_id: CaseId) -> Response:
    two = overview.case_clocks(get_ctx(request), case_id)
    return JSONResponse({"clocks": [{"name": c.name, "due": c.due.isoformat(), "base_due": c.base_due.isoformat(),
                                     "status": c.status.value, "days_left": c.days_left, "extended": c.extended}
                                    for c in two]})


# --- consents ----------------------------------------------------------------------


@router.post("/cases/{case_id}/procedure/consents")
async def record_consent(request: Request, case_id: CaseId, change: Changed) -> Response:
    f = change.fields
    evidence = None
    upload = change.files.get("evidence")
    if upload is not None and upload.filename:
        data = await upload.read(consents.MAX_EVIDENCE_BYTES + 1)
        evidence = consents.Evidence(upload.filename, data)  # refuses an empty or too large file
    answer, party = f.get("answer", ""), f.get("party_id", "")[:64]
    on = _day(f, "on", "the date of the answer")
    await run_in_threadpool(consents.record, get_ctx(request), case_id, party, answer, change.reviewer.name,
                            evidence=evidence, on=on)
    log.info("reviewer %d recorded an answer for a party of case %s", change.reviewer.id, case_id)
    return _done(request, case_id, "consent")


@router.get("/cases/{case_id}/procedure/consents/{answer_id}/evidence")
def consent_evidence(request: Request, case_id: CaseId, answer_id: RowId) -> Response:
    ev = consents.evidence_of(get_ctx(request), case_id, answer_id)
    # whatever was uploaded goes back as a download, never rendered by the desk's origin
    return _download(ev.data, ev.name, "application/octet-stream")


# --- letters ----------------------------------------------------------------------------


@router.post("/cases/{case_id}/procedure/letters")
async def write_letters(request: Request, case_id: CaseId, change: Changed) -> Response:
    ctx = get_ctx(request)
    out = ctx.settings.home / "letters" / case_id  # where `cleancopy letters` writes them
    sent = await run_in_threadpool(letters.write_letters, ctx, case_id, out, change.reviewer.name)
    log.info("reviewer %d wrote %d letter(s) for case %s", change.reviewer.id, len(sent), case_id)
    return _done(request, case_id, "letters" if sent else "no-letters", letters=[w.id for w in sent])


@router.get("/cases/{case_id}/procedure/letters/{letter_id}.pdf")
def letter_pdf(request: Request, case_id: CaseId, letter_id: RowId) -> Response:
    ctx = get_ctx(request)
    pdf = letters.pdf_of(ctx, case_id, letter_id)
    party = next((w.party_id for w in letters.written(ctx, case_id) if w.id == letter_id), "party")
    return _download(pdf, f"{case_id}-consent-{party}-{letter_id}.pdf", "application/pdf")


@router.post("/cases/{case_id}/procedure/letters/{letter_id}/sent")
async def letter_sent(request: Request, case_id: CaseId, letter_id: RowId, change: Changed) -> Response:
    on = _day(change.fields, "on", "the date sent")
    letters.mark_sent(get_ctx(request), case_id, letter_id, change.reviewer.name, on)
    return _done(request, case_id, "sent")


# --- hold, extension -------------------------------------------------------------------


@router.post("/cases/{case_id}/procedure/hold")
async def hold(request: Request, case_id: CaseId, change: Changed) -> Response:
    states.hold(get_ctx(request), case_id, change.reviewer.name, _text(change.fields, "reason"))
    return _done(request, case_id, "hold")


@router.post("/cases/{case_id}/procedure/unhold")
async def unhold(request: Request, case_id: CaseId, change: Changed) -> Response:
    states.unhold(get_ctx(request), case_id, change.reviewer.name)
    return _done(request, case_id, "unhold")


@router.post("/cases/{case_id}/procedure/extension")
async def extend(request: Request, case_id: CaseId, change: Changed) -> Response:
    to = _day(change.fields, "to", "the new deadline")
    if to is None:
        raise InputError("give the new deadline")
    states.extend(get_ctx(request), case_id, to, _text(change.fields, "reason"), change.reviewer.name)
    return _done(request, case_id, "extended")


# --- safeguarding --------------------------------------------------------------------------


@router.post("/cases/{case_id}/procedure/withhold")
async def withhold(request: Request, case_id: CaseId, change: Changed) -> Response:
    f = change.fields
    reason = WITHHOLD_REASONS.get(f.get("reason", "safeguarding"))
    if reason is None:
        raise InputError("the reason must be safeguarding or reviewer")
    note = _text(f, "note")
    if not note:
        raise InputError("say why the information is withheld (the note stays in the audit log)")
    try:
        document_id, page_no = int(f.get("document_id", "")), int(f.get("page", ""))
    except ValueError:
        raise InputError("choose the document and give the page number") from None
    if not any(d.id == document_id and 1 <= page_no <= d.page_count
               for d in pipeline.current_documents(get_ctx(request), case_id)):
        raise InputError("that document of the case has no such page")
    box = None
    if f.get("whole_page") != "1":
        try:
            x0, y0, x1, y1 = (float(f[k]) for k in ("x0", "y0", "x1", "y1"))
        except (KeyError, ValueError):
            raise InputError("give the box as x0, y0, x1, y1 in page points, or withhold the whole page") from None
        box = (x0, y0, x1, y1)
    pid = await run_in_threadpool(safeguarding.withhold, get_ctx(request), case_id, document_id, page_no - 1,
                                  change.reviewer.name, note, box, reason)
    log.info("reviewer %d withheld information on case %s (proposal %d)", change.reviewer.id, case_id, pid)
    return _done(request, case_id, "withheld", proposal_id=pid)
