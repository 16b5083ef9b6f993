"""The review desk: a FastAPI app with server-rendered pages and a little JavaScript.

Nothing but the login page and /static is served without a session. Every POST must
carry the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``).
HTML is never cached; page images are cached by the browser only (``private``).

A reviewer sees only the cases assigned to them (heads see all): any other case's
address answers 404, as an unknown case does. Path parameters are bounded (a page
number past any case's answers 404). Every answer, errors and crashes included,
carries the security headers. Behind TLS the cookies are ``Secure`` (the session's
named ``__Host-cc_session``), on by default when the desk listens beyond loopback.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import logging
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from redaction import pipeline, release
from redaction.case import CASE_ID_RE
from redaction.errors import CleanCopyError, NotAllowedError, NotFoundError, NotReadyError, VerificationError
from redaction.pipeline import Context
from redaction.review import audit, auth, manual, pages, runs
from redaction.review.routes import procedure as procedure_routes
from redaction.review.runs import ReleaseRuns

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
SESSION_COOKIE = "cc_session"
SECURE_SESSION_COOKIE = "__Host-cc_session"  # the prefix: Secure, Path=/, no Domain (ASVS 3.4.4)
LOGIN_CSRF_COOKIE = "cc_login_csrf"
IMAGE_MAX_AGE = 3600
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_PATHS = ("/login", "/favicon.ico")
ORCHESTRATOR_TIMEOUT = 10.0  # seconds the desk waits for the Prefect server before saying it is away
MAX_ID = 2**31 - 1  # database ids are 32-bit integers
MAX_PAGE = 100_000
CaseId = Annotated[str, PathParam(min_length=1, max_length=64, pattern=CASE_ID_RE.pattern)]
DocId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
PageNo = Annotated[int, PathParam(ge=1, le=MAX_PAGE)]
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}
HSTS = "max-age=31536000"

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


class _Forbidden(Exception):
    """A logged-in reviewer asked for something their role or session does not allow."""


class _BadForm(Exception):
    """A POST whose fields make no sense."""


def releases_dir(ctx: Context, case_id: str) -> Path:
    return ctx.settings.home / "releases" / case_id


def _html(template: str, status: int = 200, **kw: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**kw), status_code=status)


def _local(url: str | None, default: str) -> str:
    """Only same-site paths are followed after a POST (no open redirects)."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return default


def _status_for(e: CleanCopyError) -> int:
    if isinstance(e, NotFoundError):
        return 404
    if isinstance(e, NotAllowedError):
        return 403
    if isinstance(e, NotReadyError | VerificationError):
        return 409
    return 400


def is_loopback(host: str) -> bool:
    """Whether the desk listening on ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secure_cookies_for(ctx: Context, host: str) -> bool:
    """The setting when given; else Secure cookies unless the desk listens on loopback."""
    setting = ctx.settings.review_secure_cookies
    return (not is_loopback(host)) if setting is None else setting


def create_app(ctx: Context, *, secure_cookies: bool | None = None,
               release_runs: ReleaseRuns | None = None) -> FastAPI:
    """The review app over one store. ``secure_cookies`` adds the Secure flag and the
    ``__Host-`` session cookie and HSTS (serve it behind HTTPS); None takes the setting
    (CLEANCOPY_REVIEW_SECURE_COOKIES), off when unset (``serve`` decides by the host).

    ``release_runs``: the orchestrator holding release runs (``cleancopy review`` wires
    flows.signoff's when a Prefect server is configured). A sign-off is handed to the
    case's release run waiting for it, and the case page follows that run; with none
    waiting (or no orchestrator) the desk releases itself."""
    if secure_cookies is None:
        secure_cookies = bool(ctx.settings.review_secure_cookies)
    session_cookie = SECURE_SESSION_COOKIE if secure_cookies else SESSION_COOKIE
    auth.prepare()  # the dummy password hash, before the first login
    app = FastAPI(title="cleancopy review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ctx = ctx
    app.state.session_cookie = session_cookie
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(procedure_routes.router)

    def _not_found(request: Request, case_id: str) -> Response:
        # the same answer as for a case that does not exist: ids cannot be probed
        return _secure(_html("error.html", 404, login=request.state.login,
                             message=f"case {case_id} is not known here: run 'cleancopy run CASE_DIR' first"))

    class Guard(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
            path = request.url.path
            request.state.login = None
            if not (path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)):
                login = auth.find_session(ctx, request.cookies.get(session_cookie))
                if login is None:
                    if request.method == "GET":
                        resp: Response = RedirectResponse(f"/login?next={quote(path)}", status_code=303)
                    else:
                        resp = Response("log in first", status_code=401)
                    return _secure(resp)
                request.state.login = login
                parts = path.split("/")
                if len(parts) > 2 and parts[1] == "cases" and not auth.may_see(ctx, login.reviewer, parts[2]):
                    log.info("reviewer %d refused a case not assigned to them", login.reviewer.id)
                    return _not_found(request, parts[2][:64])
            return _secure(await call_next(request))

    def _secure(resp: Response) -> Response:
        h = resp.headers
        h.setdefault("Cache-Control", "no-store")
        h.update(SECURITY_HEADERS)
        if secure_cookies:
            h["Strict-Transport-Security"] = HSTS
        return resp

    app.add_middleware(Guard)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        """A path parameter out of its bounds names nothing that exists: 404; a bad query: 400."""
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        status, message = (404, "there is nothing at this address") if in_path else (400, "this address's "
                                                                                     "parameters make no sense")
        return _secure(_html("error.html", status, login=getattr(request.state, "login", None), message=message))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        """An unexpected failure: a plain page with the headers (no trace, no document text)."""
        log.error("review desk: %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return _secure(_html("error.html", 500, login=None,
                             message="something went wrong on the review desk: try again, and if it happens "
                             "again, tell whoever runs cleancopy (the time is in its log)"))

    def login_of(request: Request) -> auth.LoginSession:
        login = request.state.login
        assert isinstance(login, auth.LoginSession)
        return login

    async def checked_form(request: Request) -> dict[str, str]:
        """The POSTed form, after the CSRF check (raises a 403 response otherwise)."""
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        sent = request.headers.get("x-csrf-token") or fields.get("csrf_token")
        if not auth.csrf_ok(login_of(request), sent):
            raise _Forbidden("the form expired or did not come from this site: reload the page and try again")
        return fields

    @app.exception_handler(_Forbidden)
    async def _forbidden(request: Request, exc: _Forbidden) -> Response:
        return _secure(_html("error.html", 403, login=request.state.login, message=str(exc)))

    @app.exception_handler(CleanCopyError)
    async def _cc_error(request: Request, exc: CleanCopyError) -> Response:
        return _secure(_html("error.html", _status_for(exc), login=request.state.login, message=exc.message))

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    # --- login -----------------------------------------------------------------

    @app.get("/login")
    def login_page(request: Request, next: str = "/") -> Response:
        # keep the browser's token: a second tab (or the favicon's redirect) must not void the first form
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
        resp = _html("login.html", csrf=token, next=_local(next, "/"), message="", login=None)
        resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure_cookies,
                        path="/login")
        return resp

    @app.post("/login")
    async def login_submit(request: Request) -> Response:
        form = await request.form()
        f = {k: v for k, v in form.items() if isinstance(v, str)}
        nxt = _local(f.get("next"), "/")
        cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
        if not cookie or not secrets.compare_digest(cookie, f.get("csrf_token", "")):
            return _html("error.html", 403, login=None,
                         message="the login form expired: open the login page again")
        try:  # argon2 in a worker thread: one login does not hold up everyone's pages
            reviewer = await run_in_threadpool(auth.authenticate, ctx, f.get("name", "")[:128],
                                               f.get("password", "")[:1024])
        except auth.LoginError as e:
            token = secrets.token_urlsafe(24)
            resp = _html("login.html", 401, csrf=token, next=nxt, message=e.message, login=None)
            resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure_cookies,
                            path="/login")
            return resp
        token, _ = auth.start_session(ctx, reviewer)
        log.info("reviewer %d logged in", reviewer.id)
        ok: Response = RedirectResponse(nxt, status_code=303)
        ok.set_cookie(session_cookie, token, httponly=True, samesite="strict", secure=secure_cookies,
                      max_age=int(auth.SESSION_LIFETIME.total_seconds()), path="/")
        ok.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return ok

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        await checked_form(request)
        auth.end_session(ctx, request.cookies.get(session_cookie))
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(session_cookie, path="/", secure=secure_cookies, httponly=True, samesite="strict")
        return resp

    # --- screens ---------------------------------------------------------------

    @app.get("/")
    def case_list(request: Request) -> Response:
        login = login_of(request)
        allowed = auth.visible_cases(ctx, login.reviewer)
        cases = [c for c in pages.case_list(ctx) if allowed is None or c.case_id in allowed]
        return _html("cases.html", login=login, cases=cases)

    @app.get("/cases/{case_id}")
    def case_page(request: Request, case_id: CaseId) -> Response:
        from redaction.procedure import states

        st = pipeline.case_status(ctx, case_id)
        refs = pages.case_pages(ctx, case_id)
        first_pending = next((r for r in refs if r.pending), refs[0] if refs else None)
        return _html("case.html", login=login_of(request), st=st, refs=refs, groups=pages.groups(ctx, case_id),
                     first=first_pending, docs=pipeline.current_documents(ctx, case_id),
                     chain=audit.verify_chain(ctx, case_id), release=runs.view(ctx, case_id, None),
                     state=states.get(ctx, case_id).state.value)

    async def release_view(case_id: str) -> runs.ReleaseView:
        """The release as cleancopy recorded it, and as the latest release run stands."""
        run = None
        if release_runs is not None:
            try:
                run = await asyncio.wait_for(release_runs.latest(case_id), ORCHESTRATOR_TIMEOUT)
            except Exception as e:  # noqa: BLE001 - the desk still says what cleancopy knows
                log.warning("could not read the release runs of case %s from Prefect (%s)", case_id,
                            type(e).__name__)
                v = runs.view(ctx, case_id, None)
                if v.state == "none":
                    return dataclasses.replace(v, message="the Prefect server could not be reached: "
                                               "the state of a release run is not known")
                return v
        return runs.view(ctx, case_id, run)

    @app.get("/cases/{case_id}/release.json")
    async def release_state(request: Request, case_id: CaseId) -> Response:
        """Where the case's release stands (the case page polls it while a run is busy)."""
        pipeline.current_documents(ctx, case_id)  # 404 for unknown cases
        v = await release_view(case_id)
        return JSONResponse({
            "state": v.state, "message": v.message, "run_id": v.run_id, "settled": v.settled,
            "out_dir": v.out_dir,
            "files": [{"name": f.name, "size": f.size, "url": f"/cases/{case_id}/released/{quote(f.name)}"}
                      for f in v.files],
        })

    @app.get("/cases/{case_id}/released/{name}")
    def released_file(request: Request, case_id: CaseId, name: str) -> Response:
        path = runs.released_file(ctx, case_id, name)
        if path is None:
            raise NotFoundError(f"case {case_id} has no released file called {name}")
        return FileResponse(path, filename=name, headers={"Cache-Control": "private, no-store"})

    @app.get("/cases/{case_id}/docs/{doc_id}/pages/{page_no}")
    def page_screen(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo) -> Response:
        view = pages.page_view(ctx, case_id, doc_id, page_no - 1)
        return _html("page.html", login=login_of(request), v=view, here=request.url.path,
                     reasons=manual.reason_choices(), parties=pipeline.case_manifest(ctx, case_id).third_parties)

    @app.get("/cases/{case_id}/docs/{doc_id}/pages/{page_no}/image.png")
    def page_png(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo) -> Response:
        png = pages.page_image(ctx, case_id, doc_id, page_no - 1)
        return Response(png, media_type="image/png",
                        headers={"Cache-Control": f"private, max-age={IMAGE_MAX_AGE}"})

    @app.get("/cases/{case_id}/audit")
    def audit_page(request: Request, case_id: CaseId) -> Response:
        pipeline.current_documents(ctx, case_id)  # 404 for unknown cases
        return _html("audit.html", login=login_of(request), case_id=case_id,
                     entries=audit.entries(ctx, case_id), chain=audit.verify_chain(ctx, case_id))

    # --- changes ---------------------------------------------------------------

    @app.post("/cases/{case_id}/decide")
    async def decide(request: Request, case_id: CaseId) -> Response:
        f = await checked_form(request)
        login = login_of(request)
        if not login.reviewer.can_decide:
            raise _Forbidden("staff accounts can view cases but not decide proposals: ask the headteacher, "
                             "a deputy or the centre manager")
        decision = f.get("decision", "")
        if decision not in ("accept", "reject"):
            raise _BadForm("decision must be accept or reject")
        reason = f.get("reason", "").strip()[:500]
        if f.get("proposal_id"):
            try:
                ids: tuple[int, ...] = (int(f["proposal_id"]),)
            except ValueError as e:
                raise _BadForm("proposal_id must be a number") from e
            scope = "one"
        elif f.get("scope") in ("party", "detector"):
            scope = f["scope"]
            ids = pages.matching_pending(ctx, case_id, scope, f.get("value", ""))
        else:
            raise _BadForm("say which proposal (proposal_id) or which group (scope and value)")
        if ids:
            action = "accepted" if decision == "accept" else "rejected"
            detail = f"{scope}:{f.get('value', '')}" if scope != "one" else ""
            # a reject without a reason is logged as such, never with a reason made up for it
            reason = reason or ("as proposed" if decision == "accept" else "none given")
            detail = f"{detail} reason: {reason}".strip()
            name = login.reviewer.name
            # each decision and its audit entry in one transaction: both or neither
            if decision == "accept":
                pipeline.decide(ctx, case_id, name, accept=ids, detail=detail)
            else:
                pipeline.decide(ctx, case_id, name, reject=ids, detail=detail)
            log.info("reviewer %d %s %d proposal(s) of case %s", login.reviewer.id, action, len(ids), case_id)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"decided": len(ids)})
        return RedirectResponse(_local(f.get("next"), f"/cases/{case_id}"), status_code=303)

    # --- what a reviewer adds by hand (staff too: theirs wait for a decision) -------------

    def _manual(f: dict[str, str]) -> manual.ManualRequest:
        return manual.ManualRequest(f.get("reason", ""), f.get("party_id") or None, f.get("note", ""))

    def _done(request: Request, f: dict[str, str], default: str, **payload: Any) -> Response:
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse(payload)
        return RedirectResponse(_local(f.get("next"), default), status_code=303)

    @app.post("/cases/{case_id}/docs/{doc_id}/pages/{page_no}/boxes")
    async def draw_box(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo) -> Response:
        f = await checked_form(request)
        try:
            rect = tuple(float(f[k]) for k in ("x0", "y0", "x1", "y1"))
        except (KeyError, ValueError) as e:
            raise _BadForm("the box needs x0, y0, x1, y1 in page points") from e
        pid = manual.add_box(ctx, case_id, doc_id, page_no - 1, [rect],  # type: ignore[list-item]
                             _manual(f), login_of(request).reviewer)
        return _done(request, f, f"/cases/{case_id}/docs/{doc_id}/pages/{page_no}", proposal_id=pid)

    @app.post("/cases/{case_id}/docs/{doc_id}/pages/{page_no}/whole")
    async def whole_page(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo) -> Response:
        f = await checked_form(request)
        pid = manual.add_whole_page(ctx, case_id, doc_id, page_no - 1, _manual(f), login_of(request).reviewer)
        return _done(request, f, f"/cases/{case_id}/docs/{doc_id}/pages/{page_no}", proposal_id=pid)

    @app.post("/cases/{case_id}/search")
    async def search(request: Request, case_id: CaseId) -> Response:
        """Search the OCR text (POST: the term stays out of URLs and access logs)."""
        f = await checked_form(request)
        term = f.get("term", "").strip()[:200]
        if f.get("add") == "all":
            added = manual.add_search_hits(ctx, case_id, term, _manual(f), login_of(request).reviewer)
            return _done(request, f, f"/cases/{case_id}", added=added)
        hits = manual.search(ctx, case_id, term)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"hits": len(hits)})
        return _html("search.html", login=login_of(request), case_id=case_id, term=term, hits=hits,
                     reasons=manual.reason_choices(), parties=pipeline.case_manifest(ctx, case_id).third_parties)

    @app.get("/cases/{case_id}/docs/{doc_id}/pages/{page_no}/preview.png")
    def preview(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo, pending: int = 0) -> Response:
        png = manual.preview_png(ctx, case_id, doc_id, page_no - 1, with_pending=bool(pending))
        # decisions change it: never stored by any cache
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-store"})

    @app.get("/cases/{case_id}/docs/{doc_id}/pages/{page_no}/preview")
    def preview_page(request: Request, case_id: CaseId, doc_id: DocId, page_no: PageNo, pending: int = 0) -> Response:
        view = pages.page_view(ctx, case_id, doc_id, page_no - 1)
        return _html("preview.html", login=login_of(request), v=view, pending=bool(pending),
                     page_url=f"/cases/{case_id}/docs/{doc_id}/pages/{page_no}")

    @app.exception_handler(_BadForm)
    async def _bad_form(request: Request, exc: _BadForm) -> Response:
        return _secure(_html("error.html", 400, login=request.state.login, message=str(exc)))

    @app.post("/cases/{case_id}/signoff")
    async def sign_off(request: Request, case_id: CaseId) -> Response:
        await checked_form(request)
        login = login_of(request)
        if not login.reviewer.can_sign_off:
            raise _Forbidden("only the headteacher, a deputy or the centre manager can sign off a case")
        st = pipeline.case_status(ctx, case_id)
        if st.pending:
            raise NotReadyError(f"case {case_id} still has {st.pending} undecided proposal(s): decide them first")
        from redaction.procedure import states

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
                return _html("release_sent.html", login=login, case_id=case_id, runs=resumed,
                             release=runs.view(ctx, case_id, resumed[-1]))
        try:
            result = await run_in_threadpool(release.release_case, ctx, case_id, out, actor=login.reviewer.name)
        except VerificationError as e:
            audit.record(ctx, case_id, login.reviewer.name, [("release-refused", None, f"{len(e.leaks)} leak(s)")])
            return _html("released.html", 409, login=login, case_id=case_id, result=None, error=e.message,
                         out_dir=str(out))
        audit.record(ctx, case_id, login.reviewer.name,
                     [("released", None, f"bundle:{result.bundle_sha256} documents:{len(result.documents)}")])
        log.info("case %s signed off by reviewer %d and released", case_id, login.reviewer.id)
        return _html("released.html", login=login, case_id=case_id, result=result, error="", out_dir=str(out),
                     release=runs.view(ctx, case_id, None))

    return app


def serve(ctx: Context, host: str = "127.0.0.1", port: int = 8750, release_runs: ReleaseRuns | None = None) -> None:
    import uvicorn

    app = create_app(ctx, secure_cookies=secure_cookies_for(ctx, host), release_runs=release_runs)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
