"""The review desk's sign-off hook: a waiting release run gets the decision and the desk
writes nothing itself; with no run waiting the desk releases as before."""

from __future__ import annotations

from fastapi.testclient import TestClient

from redaction import pipeline, signoff
from redaction.review import audit
from redaction.review.app import create_app
from tests.review.conftest import CASE_ID, log_in, page_csrf


def _sign_off(ctx: pipeline.Context, waiting: int) -> tuple[TestClient, list[tuple[str, bool, int]], str]:
    calls: list[tuple[str, bool, int]] = []

    def hook(case_id: str, approved: bool, seq: int) -> int:
        calls.append((case_id, approved, seq))
        return waiting

    c = log_in(TestClient(create_app(ctx, on_sign_off=hook)), "Joan Allen")
    tok = page_csrf(c)
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    r = c.post(f"/cases/{CASE_ID}/signoff", data={"csrf_token": tok})
    assert r.status_code == 200, r.text
    return c, calls, r.text


def test_sign_off_goes_to_the_waiting_release_run(ctx: pipeline.Context) -> None:
    _, calls, page = _sign_off(ctx, waiting=1)
    last = audit.entries(ctx, CASE_ID)[-1]
    assert calls == [(CASE_ID, True, last.seq)] and last.action == "signed-off"
    assert "release run that was waiting" in page
    assert not (ctx.settings.home / "releases" / CASE_ID).exists()
    standing = signoff.standing_sign_off(ctx, CASE_ID)  # the resumed run releases on it
    assert standing is not None and standing.approved and standing.reviewer == "Joan Allen"


def test_with_no_run_waiting_the_desk_releases_itself(ctx: pipeline.Context) -> None:
    _, calls, _ = _sign_off(ctx, waiting=0)
    assert len(calls) == 1
    assert (ctx.settings.home / "releases" / CASE_ID / "clean-copy.pdf").is_file()
    assert [e.action for e in audit.entries(ctx, CASE_ID) if e.action != "state"][-2:] == ["signed-off", "released"]
    assert signoff.standing_sign_off(ctx, CASE_ID) is None
