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

import ipaddress
import logging
from collections.abc import Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from redaction.context import Context
from redaction.errors import CleanCopyError, NotAllowedError, NotFoundError, NotReadyError, VerificationError
from redaction.review import auth, pages  # noqa: F401 - pages: the screens' data (patched by tests)
from redaction.review.deps import HERE, BadForm, Forbidden, html
from redaction.review.routes import cases, decisions, search, session
from redaction.review.routes import pages as pages_routes
from redaction.review.routes import procedure as procedure_routes
from redaction.review.routes import release as release_routes
from redaction.review.runs import ReleaseRuns

log = logging.getLogger(__name__)

SESSION_COOKIE = "cc_session"
SECURE_SESSION_COOKIE = "__Host-cc_session"  # the prefix: Secure, Path=/, no Domain (ASVS 3.4.4)
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_PATHS = ("/login", "/favicon.ico")
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


def _securer(secure_cookies: bool) -> Callable[[Response], Response]:
    """What every answer of the desk gets: no caching, the security headers, HSTS behind HTTPS."""
    def _secure(resp: Response) -> Response:
        h = resp.headers
        h.setdefault("Cache-Control", "no-store")
        h.update(SECURITY_HEADERS)
        if secure_cookies:
            h["Strict-Transport-Security"] = HSTS
        return resp
    return _secure


def _guard(ctx: Context, session_cookie: str,
           _secure: Callable[[Response], Response]) -> type[BaseHTTPMiddleware]:
    """The middleware letting a request through only with a live session, and to a case only
    for a reviewer who may see it."""
    def _not_found(request: Request, case_id: str) -> Response:
        # the same answer as for a case that does not exist: ids cannot be probed
        return _secure(html("error.html", 404, login=request.state.login,
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

    return Guard


def _error_pages(app: FastAPI, _secure: Callable[[Response], Response]) -> None:
    """The desk's error pages: plain pages with the headers, never a trace or document text."""
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        """A path parameter out of its bounds names nothing that exists: 404; a bad query: 400."""
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        status, message = (404, "there is nothing at this address") if in_path else (400, "this address's "
                                                                                     "parameters make no sense")
        return _secure(html("error.html", status, login=getattr(request.state, "login", None), message=message))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        """An unexpected failure: a plain page with the headers (no trace, no document text)."""
        log.error("review desk: %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return _secure(html("error.html", 500, login=None,
                            message="something went wrong on the review desk: try again, and if it happens "
                             "again, tell whoever runs cleancopy (the time is in its log)"))

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return _secure(html("error.html", 403, login=request.state.login, message=str(exc)))

    @app.exception_handler(BadForm)
    async def _bad_form(request: Request, exc: BadForm) -> Response:
        return _secure(html("error.html", 400, login=request.state.login, message=str(exc)))

    @app.exception_handler(CleanCopyError)
    async def _cc_error(request: Request, exc: CleanCopyError) -> Response:
        return _secure(html("error.html", _status_for(exc), login=request.state.login, message=exc.message))


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
    app.state.secure_cookies = secure_cookies
    app.state.release_runs = release_runs
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    secure = _securer(secure_cookies)
    app.add_middleware(_guard(ctx, session_cookie, secure))
    _error_pages(app, secure)

    # one router per screen or concern (redaction/review/routes/); each route is handed
    # what it needs by redaction/review/deps.py
    for router in (session.router, cases.router, pages_routes.router, decisions.router, search.router,
                   release_routes.router, procedure_routes.router):
        app.include_router(router)

    return app


def serve(ctx: Context, host: str = "127.0.0.1", port: int = 8750, release_runs: ReleaseRuns | None = None) -> None:
    import uvicorn

    app = create_app(ctx, secure_cookies=secure_cookies_for(ctx, host), release_runs=release_runs)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
