"""The desk's sessions and answers, in the spirit of OWASP ASVS level 2: per-case access,
sessions ended by a new password or role, Secure cookies behind TLS, logins that do the
same work whatever the name, bounded path parameters, security headers on every answer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from redaction import pipeline
from redaction.review import app as app_module
from redaction.review import auth
from redaction.review.app import create_app, is_loopback, secure_cookies_for
from redaction.settings import Settings
from redaction.store.db import LoginFailureRow
from tests.review.conftest import CASE, CASE_ID, PASSWORD, born_digital, log_in, login_csrf, page_csrf, process

OTHER = "SAR-R-002"
HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy",
           "Cache-Control")


@pytest.fixture
def two_cases(ctx: pipeline.Context, tmp_path: Path) -> pipeline.Context:
    """A second case, which Sam Staff (assigned to the first) is not assigned to."""
    d = tmp_path / "inbox" / OTHER
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE.replace(CASE_ID, OTHER))
    (d / "files" / "01-other.pdf").write_bytes(born_digital([["Amelia met Daniel Price."]]))
    process(ctx, d)
    return ctx


def _paths(ctx: pipeline.Context, case_id: str) -> list[str]:
    doc = pipeline.current_documents(ctx, case_id)[0].id
    page = f"/cases/{case_id}/docs/{doc}/pages/1"
    return [f"/cases/{case_id}", page, page + "/image.png", page + "/preview", page + "/preview.png",
            f"/cases/{case_id}/audit"]


def _has_headers(r: Any) -> bool:
    return all(h in r.headers for h in HEADERS) and r.headers["X-Frame-Options"] == "DENY"


# --- per-case access ------------------------------------------------------------------


def test_a_reviewer_sees_only_the_cases_assigned_to_them(two_cases: pipeline.Context) -> None:
    ctx = two_cases
    app = create_app(ctx)
    sam = log_in(TestClient(app), "Sam Staff")
    listing = sam.get("/").text
    assert CASE_ID in listing and OTHER not in listing
    for path in _paths(ctx, CASE_ID):
        assert sam.get(path).status_code == 200, path
    unknown = sam.get("/cases/SAR-R-999")
    for path in _paths(ctx, OTHER):
        r = sam.get(path)
        assert r.status_code == 404 and _has_headers(r), path  # as for a case that does not exist
    assert sam.get(f"/cases/{OTHER}").text == unknown.text.replace("SAR-R-999", OTHER)
    pid = pipeline.list_proposals(ctx, OTHER)[0][0].id
    r = sam.post(f"/cases/{OTHER}/docs/{pipeline.current_documents(ctx, OTHER)[0].id}/pages/1/whole",
                 data={"reason": "SG", "note": "x", "csrf_token": page_csrf(sam)})
    assert r.status_code == 404
    assert {r.id: r.status for r, _ in pipeline.list_proposals(ctx, OTHER)}[pid] == "pending"
    head = log_in(TestClient(app), "Joan Allen")  # heads see every case
    assert OTHER in head.get("/").text and all(head.get(p).status_code == 200 for p in _paths(ctx, OTHER))


def test_a_deputy_assigned_to_a_case_may_decide_it_and_no_other(two_cases: pipeline.Context) -> None:
    ctx = two_cases
    auth.add_reviewer(ctx, "Kim Deputy", "deputy", PASSWORD)
    auth.assign(ctx, "Kim Deputy", OTHER)
    kim = log_in(TestClient(create_app(ctx)), "Kim Deputy")
    tok = page_csrf(kim)
    mine, theirs = (pipeline.list_proposals(ctx, c)[0][0].id for c in (OTHER, CASE_ID))
    assert kim.post(f"/cases/{OTHER}/decide", data={"proposal_id": mine, "decision": "accept",
                                                    "csrf_token": tok}).status_code == 200
    assert kim.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": theirs, "decision": "accept",
                                                      "csrf_token": tok}).status_code == 404
    assert {r.id: r.status for r, _ in pipeline.list_proposals(ctx, CASE_ID)}[theirs] == "pending"


# --- sessions ---------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["password", "role"])
def test_a_new_password_or_role_ends_the_accounts_sessions(ctx: pipeline.Context, change: str) -> None:
    app = create_app(ctx)
    joan, sam = log_in(TestClient(app), "Joan Allen"), log_in(TestClient(app), "Sam Staff")
    if change == "password":
        auth.add_reviewer(ctx, "Joan Allen", "head", "a brand new password")
    else:
        auth.add_reviewer(ctx, "Joan Allen", "deputy", PASSWORD)
    r = joan.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert sam.get("/", follow_redirects=False).status_code == 200  # another account's session stands


def test_secure_cookies_behind_tls(ctx: pipeline.Context) -> None:
    c = TestClient(create_app(ctx, secure_cookies=True), base_url="https://testserver")
    page = c.get("/login")
    assert "Secure" in page.headers["set-cookie"] and page.headers["strict-transport-security"]
    r = c.post("/login", data={"name": "Joan Allen", "password": PASSWORD, "csrf_token": login_csrf(c)},
               follow_redirects=False)
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("__Host-cc_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert c.get("/").status_code == 200
    plain = TestClient(create_app(ctx, secure_cookies=False))
    assert "Secure" not in plain.get("/login").headers["set-cookie"]
    assert "strict-transport-security" not in plain.get("/login").headers


def test_secure_cookies_are_on_by_default_beyond_loopback(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("desk.school")
    ctx = pipeline.Context(Settings(home=tmp_path), None)  # type: ignore[arg-type]
    assert not secure_cookies_for(ctx, "127.0.0.1") and secure_cookies_for(ctx, "0.0.0.0")
    off = pipeline.Context(Settings(home=tmp_path, review_secure_cookies=False), None)  # type: ignore[arg-type]
    on = pipeline.Context(Settings(home=tmp_path, review_secure_cookies=True), None)  # type: ignore[arg-type]
    assert not secure_cookies_for(off, "0.0.0.0") and secure_cookies_for(on, "127.0.0.1")


# --- logins that tell nothing -------------------------------------------------------------


class _Work:
    """Counts argon2 checks and the kinds of SQL statements one login runs."""

    def __init__(self, ctx: pipeline.Context, monkeypatch: pytest.MonkeyPatch) -> None:
        self.verifies = 0
        self.statements: Counter[str] = Counter()
        real, work = auth._hasher, self

        class Counting:
            def verify(self, h: str, p: str) -> bool:
                work.verifies += 1
                return real.verify(h, p)

            def hash(self, p: str) -> str:
                work.verifies += 1  # as costly as a check
                return real.hash(p)

            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

        monkeypatch.setattr(auth, "_hasher", Counting())
        engine = ctx.store.sessions.kw["bind"]
        event.listen(engine, "before_cursor_execute", self._sql)

    def _sql(self, _conn: Any, _cur: Any, statement: str, *_a: Any) -> None:
        self.statements[statement.split()[0].upper() + " " + _table(statement)] += 1

    def of(self, fn: Any) -> tuple[int, Counter[str], str]:
        self.verifies, self.statements = 0, Counter()
        try:
            fn()
            answer = "accepted"
        except auth.LoginError as e:
            answer = e.message
        return self.verifies, self.statements, answer


def _table(sql: str) -> str:
    words = sql.replace("\n", " ").split()
    for i, w in enumerate(words):
        if w.upper() in ("FROM", "INTO", "UPDATE") and i + 1 < len(words):
            return words[i + 1]
    return ""


@pytest.fixture
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with small costs, for tests that log in many times (the dummy hash too)."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(auth, "_dummy_hash", None)


def test_refused_logins_do_the_same_work_whatever_the_name(ctx: pipeline.Context, cheap_argon2: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    auth.add_reviewer(ctx, "Kim Deputy", "deputy", PASSWORD)
    auth.add_reviewer(ctx, "Locked Out", "head", PASSWORD)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.LoginError):
            auth.authenticate(ctx, "Locked Out", "wrong guess")
    create_app(ctx)  # the desk makes its dummy hash at start: not on the first unknown name
    work = _Work(ctx, monkeypatch)
    unknown = work.of(lambda: auth.authenticate(ctx, "No Such Person", "wrong guess"))
    wrong = work.of(lambda: auth.authenticate(ctx, "Kim Deputy", "wrong guess"))
    locked = work.of(lambda: auth.authenticate(ctx, "Locked Out", PASSWORD))
    assert unknown == wrong == locked
    assert unknown[0] == 1 and unknown[2] == auth.REFUSED
    assert work.of(lambda: auth.authenticate(ctx, "Kim Deputy", PASSWORD))[2] == "accepted"


def test_a_name_no_account_has_is_locked_out_too(ctx: pipeline.Context, cheap_argon2: None) -> None:
    auth.add_reviewer(ctx, "Kim Deputy", "deputy", PASSWORD)
    c = TestClient(create_app(ctx))
    answers = set()
    for name in ("No Such Person", "Kim Deputy"):
        for _ in range(auth.MAX_FAILURES + 1):
            r = c.post("/login", data={"name": name, "password": "wrong guess", "csrf_token": login_csrf(c)})
            answers.add((r.status_code, r.text.count(auth.REFUSED.split(":")[0])))
    assert answers == {(401, 1)}  # one answer for all: nothing tells which name has an account
    with ctx.store.session() as s:  # both names locked: six failures counted for each
        counts = Counter(s.scalars(select(LoginFailureRow.name_sha256)))
    assert sorted(counts.values()) == [auth.MAX_FAILURES + 1] * 2


# --- bounded parameters and headers on every answer --------------------------------------


def test_out_of_range_path_parameters_answer_404_with_the_headers(ctx: pipeline.Context) -> None:
    c = log_in(TestClient(create_app(ctx)), "Joan Allen")
    doc = pipeline.current_documents(ctx, CASE_ID)[0].id
    for path in (f"/cases/{CASE_ID}/docs/{doc}/pages/99999999999999999999",
                 f"/cases/{CASE_ID}/docs/99999999999999999999/pages/1",
                 f"/cases/{CASE_ID}/docs/{doc}/pages/0",
                 f"/cases/{CASE_ID}/docs/{doc}/pages/-1/image.png",
                 f"/cases/{CASE_ID}/docs/{doc}/pages/1e3",
                 f"/cases/{CASE_ID}/docs/{doc}/pages/999",
                 f"/cases/{'A' * 65}", "/cases/bad%20id/audit", "/cases/%00"):
        r = c.get(path)
        assert r.status_code == 404 and _has_headers(r), (path, r.status_code)
    r = c.post(f"/cases/{CASE_ID}/docs/{doc}/pages/99999999999999999999/whole",
               data={"reason": "SG", "note": "x", "csrf_token": page_csrf(c)})
    assert r.status_code == 404 and _has_headers(r)


def test_every_answer_carries_the_security_headers(ctx: pipeline.Context, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(ctx)
    anon = TestClient(app, raise_server_exceptions=False)
    answers = {
        "login": anon.get("/login"),
        "redirect": anon.get("/", follow_redirects=False),
        "401": anon.post(f"/cases/{CASE_ID}/decide"),
        "login 403": anon.post("/login", data={"name": "x", "password": "y", "csrf_token": "z"}),
        "static": anon.get("/static/review.js"),
        "static 404": anon.get("/static/nothing.js"),
    }
    c = log_in(TestClient(app, raise_server_exceptions=False), "Joan Allen")
    answers |= {
        "200": c.get("/"),
        "unknown route": c.get("/no/such/page"),
        "unknown case": c.get("/cases/SAR-NONE"),
        "405": c.put("/"),
        "csrf 403": c.post(f"/cases/{CASE_ID}/decide", data={"decision": "accept"}),
        "400": c.post(f"/cases/{CASE_ID}/decide", data={"decision": "maybe", "csrf_token": page_csrf(c)}),
    }

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app_module.pages, "case_list", broken)
    answers["500"] = c.get("/")
    assert answers["500"].status_code == 500 and "a bug" not in answers["500"].text
    assert {k: v.status_code for k, v in answers.items() if not _has_headers(v)} == {}
    assert {v.status_code for v in answers.values()} >= {200, 303, 401, 403, 404, 405, 400, 500}
