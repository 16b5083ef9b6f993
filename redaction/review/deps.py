"""What every route of the desk is handed: the context, the logged-in reviewer, the
POSTed form after its CSRF check, the bounded path parameters, and the answers they
give (a page from a template, a redirect to a same-site address, JSON for scripts).

The session itself is found by the app's guard (``redaction.review.app``) before any
route runs; a route only reads it from ``request.state``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from redaction.case import CASE_ID_RE
from redaction.pipeline import Context
from redaction.review import auth
from redaction.review.runs import ReleaseRuns

HERE = Path(__file__).parent
MAX_ID = 2**31 - 1  # database ids are 32-bit integers
MAX_PAGE = 100_000

CaseId = Annotated[str, PathParam(min_length=1, max_length=64, pattern=CASE_ID_RE.pattern)]
DocId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
PageNo = Annotated[int, PathParam(ge=1, le=MAX_PAGE)]
ProposalId = Annotated[int, PathParam(ge=1, le=MAX_ID)]

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


class Forbidden(Exception):
    """A logged-in reviewer asked for something their role or session does not allow."""


class BadForm(Exception):
    """A POST whose fields make no sense."""


def html(template: str, status: int = 200, **kw: Any) -> HTMLResponse:
    return HTMLResponse(env.get_template(template).render(**kw), status_code=status)


def local(url: str | None, default: str) -> str:
    """Only same-site paths are followed after a POST (no open redirects)."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return default


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def done(request: Request, form: dict[str, str], default: str, **payload: Any) -> Response:
    """The answer to a change: JSON for the page's scripts, else back where it came from."""
    if wants_json(request):
        return JSONResponse(payload)
    return RedirectResponse(local(form.get("next"), default), status_code=303)


def get_ctx(request: Request) -> Context:
    ctx = request.app.state.ctx
    assert isinstance(ctx, Context)
    return ctx


def get_release_runs(request: Request) -> ReleaseRuns | None:
    runs: ReleaseRuns | None = request.app.state.release_runs
    return runs


def get_login(request: Request) -> auth.LoginSession:
    login = request.state.login
    assert isinstance(login, auth.LoginSession)
    return login


async def checked_form(request: Request) -> dict[str, str]:
    """The POSTed form, after the CSRF check (raises Forbidden otherwise)."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    sent = request.headers.get("x-csrf-token") or fields.get("csrf_token")
    if not auth.csrf_ok(get_login(request), sent):
        raise Forbidden("the form expired or did not come from this site: reload the page and try again")
    return fields


def decider(request: Request) -> auth.LoginSession:
    """The logged-in reviewer, when they may decide proposals."""
    login = get_login(request)
    if not login.reviewer.can_decide:
        raise Forbidden("staff accounts can view cases but not decide proposals: ask the headteacher, "
                        "a deputy or the centre manager")
    return login


Ctx = Annotated[Context, Depends(get_ctx)]
Login = Annotated[auth.LoginSession, Depends(get_login)]
Decider = Annotated[auth.LoginSession, Depends(decider)]
Form = Annotated[dict[str, str], Depends(checked_form)]
Runs = Annotated[ReleaseRuns | None, Depends(get_release_runs)]
