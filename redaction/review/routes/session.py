"""Logging in and out."""

from __future__ import annotations

import logging
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from redaction.review import auth
from redaction.review.deps import Ctx, Form, html, local

log = logging.getLogger(__name__)
router = APIRouter()
LOGIN_CSRF_COOKIE = "cc_login_csrf"


def _secure(request: Request) -> bool:
    return bool(request.app.state.secure_cookies)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    # keep the browser's token: a second tab (or the favicon's redirect) must not void the first form
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    resp = html("login.html", csrf=token, next=local(next, "/"), message="", login=None)
    resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                    path="/login")
    return resp


@router.post("/login")
async def login_submit(request: Request, ctx: Ctx) -> Response:
    form = await request.form()
    f = {k: v for k, v in form.items() if isinstance(v, str)}
    nxt = local(f.get("next"), "/")
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    if not cookie or not secrets.compare_digest(cookie, f.get("csrf_token", "")):
        return html("error.html", 403, login=None, message="the login form expired: open the login page again")
    try:  # argon2 in a worker thread: one login does not hold up everyone's pages
        reviewer = await run_in_threadpool(auth.authenticate, ctx, f.get("name", "")[:128],
                                           f.get("password", "")[:1024])
    except auth.LoginError as e:
        token = secrets.token_urlsafe(24)
        resp = html("login.html", 401, csrf=token, next=nxt, message=e.message, login=None)
        resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                        path="/login")
        return resp
    token, _ = auth.start_session(ctx, reviewer)
    log.info("reviewer %d logged in", reviewer.id)
    ok: Response = RedirectResponse(nxt, status_code=303)
    ok.set_cookie(request.app.state.session_cookie, token, httponly=True, samesite="strict",
                  secure=_secure(request), max_age=int(auth.SESSION_LIFETIME.total_seconds()), path="/")
    ok.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return ok


@router.post("/logout")
async def logout(request: Request, ctx: Ctx, f: Form) -> Response:
    cookie = request.app.state.session_cookie
    auth.end_session(ctx, request.cookies.get(cookie))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(cookie, path="/", secure=_secure(request), httponly=True, samesite="strict")
    return resp
