"""The review desk over HTTP (FastAPI TestClient): login, CSRF, lockout, roles,
decisions with their reviewer, the audit chain and sign-off."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from redaction import pipeline
from redaction.cli import main
from redaction.review import audit, auth
from redaction.review.app import create_app
from redaction.store.db import AuditRow, DecisionRow, ReviewerRow, SessionRow
from tests.review.conftest import CASE_ID, PASSWORD, log_in, login_csrf, page_csrf

Clients = Callable[[str], TestClient]


def _ids(ctx: pipeline.Context) -> list[int]:
    return [r.id for r, _ in pipeline.list_proposals(ctx, CASE_ID)]


def _first_page(ctx: pipeline.Context) -> str:
    doc = pipeline.current_documents(ctx, CASE_ID)[0]
    return f"/cases/{CASE_ID}/docs/{doc.id}/pages/1"


def test_nothing_is_served_without_login(ctx: pipeline.Context) -> None:
    c = TestClient(create_app(ctx))
    for path in ("/", f"/cases/{CASE_ID}", _first_page(ctx), _first_page(ctx) + "/image.png",
                 f"/cases/{CASE_ID}/audit", "/no/such/page"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    r = c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": _ids(ctx)[0], "decision": "accept"})
    assert r.status_code == 401
    assert all(r.status == "pending" for r, _ in pipeline.list_proposals(ctx, CASE_ID))
    assert c.get("/login").status_code == 200
    assert c.get("/static/review.js").status_code == 200


def test_session_cookie_is_httponly_strict_and_stored_only_hashed(ctx: pipeline.Context) -> None:
    c = TestClient(create_app(ctx))
    r = c.post("/login", data={"name": "Joan Allen", "password": PASSWORD, "csrf_token": login_csrf(c)},
               follow_redirects=False)
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("cc_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    token = cookie.split(";")[0].split("=", 1)[1]
    with ctx.store.session() as s:
        stored = s.scalars(select(SessionRow.token_sha256)).all()
    assert token not in stored and auth.token_hash(token) in stored
    assert c.get("/").status_code == 200


def test_login_without_its_csrf_token_is_refused(ctx: pipeline.Context) -> None:
    c = TestClient(create_app(ctx))
    c.get("/login")
    r = c.post("/login", data={"name": "Joan Allen", "password": PASSWORD, "csrf_token": "forged"},
               follow_redirects=False)
    assert r.status_code == 403
    assert c.get("/", follow_redirects=False).status_code == 303


def test_decision_without_csrf_token_is_refused_and_changes_nothing(ctx: pipeline.Context,
                                                                    client_for: Clients) -> None:
    c = client_for("Joan Allen")
    pid = _ids(ctx)[0]
    for extra in ({}, {"csrf_token": "not-the-token"}):
        r = c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": pid, "decision": "accept", **extra})
        assert r.status_code == 403
    assert all(r.status == "pending" for r, _ in pipeline.list_proposals(ctx, CASE_ID))
    r = c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": pid, "decision": "accept"},
               headers={"X-CSRF-Token": page_csrf(c)})
    assert r.status_code == 200  # followed the redirect back
    assert {r.id: r.status for r, _ in pipeline.list_proposals(ctx, CASE_ID)}[pid] == "accepted"


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(ctx: pipeline.Context) -> None:
    c = TestClient(create_app(ctx))
    for _ in range(auth.MAX_FAILURES):
        r = c.post("/login", data={"name": "Joan Allen", "password": "wrong guess", "csrf_token": login_csrf(c)})
        assert r.status_code == 401
    r = c.post("/login", data={"name": "Joan Allen", "password": PASSWORD, "csrf_token": login_csrf(c)},
               follow_redirects=False)
    assert r.status_code == 401 and "locked" in r.text
    with pytest.raises(auth.LoginError):
        auth.authenticate(ctx, "Joan Allen", PASSWORD, now=auth.utcnow() + dt.timedelta(minutes=14))
    assert auth.authenticate(ctx, "Joan Allen", PASSWORD, now=auth.utcnow() + dt.timedelta(minutes=16)).role == "head"


def test_passwords_are_stored_as_argon2_hashes(ctx: pipeline.Context) -> None:
    with ctx.store.session() as s:
        hashes = s.scalars(select(ReviewerRow.password_hash)).all()
    assert hashes and all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)


def test_case_list_shows_deadline_days_left_and_undecided(ctx: pipeline.Context, client_for: Clients) -> None:
    text = client_for("Sam Staff").get("/").text
    row = re.search(rf"<tr[^>]*>\s*<td><a href=\"/cases/{CASE_ID}\">.*?</tr>", text, re.S)
    assert row, "the case is not listed"
    assert "2026-11-16" in row.group(0)  # received 2026-11-02 + 14 days
    assert re.search(r'pending-count">4<', row.group(0))
    days = (dt.date(2026, 11, 16) - dt.date.today()).days
    assert (f">{days}<" if days >= 0 else f">{-days} overdue<") in row.group(0)


def test_page_view_draws_every_proposal_with_party_colour_and_hover_text(ctx: pipeline.Context,
                                                                         client_for: Clients) -> None:
    c = client_for("Sam Staff")
    r = c.get(_first_page(ctx))
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    on_page = [p for p, _ in pipeline.list_proposals(ctx, CASE_ID) if p.page_index == 0 and _ == "01-note.pdf"]
    groups = re.findall(r'<g class="prop status-pending" data-id="(\d+)">\s*<title>([^<]*)</title>', r.text)
    assert sorted(int(g[0]) for g in groups) == sorted(p.id for p in on_page)
    # whom it protects by name, relationship and consent, not by a party id
    assert all("Daniel Price" in t and "refused consent" in t and "score" in t for _, t in groups)
    # a proposal's box is drawn where it is on the page (points, unrotated page)
    p0 = on_page[0]
    x0 = p0.boxes[0][0]
    assert f'x="{x0:.2f}"' in r.text


def test_page_image_is_png_and_privately_cacheable_only(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Sam Staff")
    r = c.get(_first_page(ctx) + "/image.png")
    assert r.status_code == 200 and r.content.startswith(b"\x89PNG")
    cc = r.headers["cache-control"]
    assert "private" in cc and "public" not in cc and "max-age=" in cc
    assert c.get(_first_page(ctx) + "/image.png").content == r.content  # cached copy, same bytes


def test_decisions_are_recorded_with_reviewer_and_audited(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    ids = _ids(ctx)
    tok = page_csrf(c)
    c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": ids[0], "decision": "reject", "csrf_token": tok,
                                             "reason": "this is the child's own teacher"})
    c.post(f"/cases/{CASE_ID}/decide", data={"scope": "party", "value": "tp-1", "decision": "accept",
                                             "csrf_token": tok})
    status = {r.id: r.status for r, _ in pipeline.list_proposals(ctx, CASE_ID)}
    with ctx.store.session() as s:
        decisions = s.scalars(select(DecisionRow).order_by(DecisionRow.id)).all()
    assert status[ids[0]] == "rejected"
    tp1 = [r.id for r, _ in pipeline.list_proposals(ctx, CASE_ID) if r.party_id == "tp-1"]
    assert all(status[i] == "accepted" for i in tp1 if i != ids[0])
    assert {d.reviewer for d in decisions} == {"Joan Allen"}
    assert [d.proposal_id for d in decisions][0] == ids[0]
    log = [e for e in audit.entries(ctx, CASE_ID) if e.action != "state"]  # the case's state moves apart
    assert [(e.action, e.proposal_id) for e in log][0] == ("rejected", ids[0])
    assert "reason: this is the child's own teacher" in log[0].detail
    assert all(e.actor == "Joan Allen" for e in log) and len(log) == len(decisions)
    assert audit.verify_chain(ctx, CASE_ID).ok


def test_staff_cannot_sign_off(ctx: pipeline.Context, client_for: Clients, tmp_path: Path) -> None:
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    c = client_for("Sam Staff")
    r = c.post(f"/cases/{CASE_ID}/signoff", data={"csrf_token": page_csrf(c)})
    assert r.status_code == 403
    assert not (ctx.settings.home / "releases" / CASE_ID / "clean-copy.pdf").exists()
    assert "Sign off and release" not in c.get(f"/cases/{CASE_ID}").text


def test_sign_off_refused_while_proposals_are_pending(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    r = c.post(f"/cases/{CASE_ID}/signoff", data={"csrf_token": page_csrf(c)})
    assert r.status_code == 409 and "undecided" in r.text
    assert not (ctx.settings.home / "releases" / CASE_ID).exists()


def test_head_signs_off_and_the_verified_release_is_written(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    tok = page_csrf(c)
    for party in ("tp-1", "tp-2"):
        c.post(f"/cases/{CASE_ID}/decide", data={"scope": "party", "value": party, "decision": "accept",
                                                 "csrf_token": tok})
    r = c.post(f"/cases/{CASE_ID}/signoff", data={"csrf_token": tok})
    assert r.status_code == 200, r.text
    out = ctx.settings.home / "releases" / CASE_ID
    assert (out / "clean-copy.pdf").is_file() and (out / "01-note.pdf").is_file()
    assert "01-note.pdf" in r.text and "verified" in r.text
    entries = [e for e in audit.entries(ctx, CASE_ID) if e.action != "state"]  # state moves apart
    assert [e.action for e in entries][-2:] == ["signed-off", "released"]
    assert entries[-2].actor == "Joan Allen"
    assert pipeline.case_status(ctx, CASE_ID).released


def test_audit_verify_finds_an_edited_entry(ctx: pipeline.Context, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _ids(ctx)
    audit.record(ctx, CASE_ID, "Joan Allen", [("accepted", i, "") for i in ids])
    home = str(ctx.settings.home)
    assert main(["audit", "verify", CASE_ID, "--home", home]) == 0
    with ctx.store.session() as s, s.begin():
        s.execute(update(AuditRow).where(AuditRow.seq == 2).values(actor="Someone Else"))
    assert main(["audit", "verify", CASE_ID, "--home", home]) != 0
    assert "entry 2" in capsys.readouterr().err


def test_audit_verify_finds_a_deleted_entry(ctx: pipeline.Context) -> None:
    audit.record(ctx, CASE_ID, "Joan Allen", [("accepted", i, "") for i in _ids(ctx)])
    with ctx.store.session() as s, s.begin():
        s.delete(s.scalars(select(AuditRow).where(AuditRow.seq == 2)).one())
    rep = audit.verify_chain(ctx, CASE_ID)
    assert not rep.ok and rep.first_bad_seq == 3


def test_reviewer_add_command_saves_a_hashed_reviewer(ctx: pipeline.Context) -> None:
    assert main(["reviewer", "add", "Kim Deputy", "--role", "deputy", "--password", "a long pass",
                 "--home", str(ctx.settings.home)]) == 0
    assert auth.authenticate(ctx, "Kim Deputy", "a long pass").can_sign_off
    assert main(["reviewer", "add", "X", "--role", "deputy", "--password", "short",
                 "--home", str(ctx.settings.home)]) != 0


def test_logout_ends_the_session(ctx: pipeline.Context) -> None:
    c = log_in(TestClient(create_app(ctx)), "Joan Allen")
    c.post("/logout", data={"csrf_token": page_csrf(c)})
    assert c.get("/", follow_redirects=False).status_code == 303


def test_staff_can_view_but_not_decide(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Sam Staff")
    page = c.get(_first_page(ctx))
    assert page.status_code == 200 and "decide-accept" not in page.text
    r = c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": _ids(ctx)[0], "decision": "accept",
                                                 "csrf_token": page_csrf(c)})
    assert r.status_code == 403
    assert all(r.status == "pending" for r, _ in pipeline.list_proposals(ctx, CASE_ID))
    assert [e for e in audit.entries(ctx, CASE_ID) if e.action != "state"] == []
