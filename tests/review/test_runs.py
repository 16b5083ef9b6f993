"""The desk's view of a case's release without an orchestrator, and how it reads a
release run's state: the JSON the case page polls, the links to the released files, a
reject without a reason logged as such, no sign-off offered once released."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from redaction import pipeline
from redaction.review import audit, runs
from redaction.review.runs import RunState
from tests.review.conftest import CASE_ID, page_csrf

Clients = Callable[[str], TestClient]


def test_a_reject_without_a_reason_is_logged_as_having_none(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    pid = next(r.id for r, _ in pipeline.list_proposals(ctx, CASE_ID))
    c.post(f"/cases/{CASE_ID}/decide", data={"proposal_id": pid, "decision": "reject", "csrf_token": page_csrf(c)})
    entry = [e for e in audit.entries(ctx, CASE_ID) if e.action == "rejected"][-1]
    assert entry.proposal_id == pid and entry.detail == "reason: none given"


def test_release_state_files_and_no_second_sign_off(ctx: pipeline.Context, client_for: Clients) -> None:
    c = client_for("Joan Allen")
    assert c.get(f"/cases/{CASE_ID}/release.json").json()["state"] == "none"
    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)
    assert 'id="signoff"' in c.get(f"/cases/{CASE_ID}").text
    r = c.post(f"/cases/{CASE_ID}/signoff", data={"csrf_token": page_csrf(c)})
    assert r.status_code == 200 and 'class="released-file-link"' in r.text
    st = c.get(f"/cases/{CASE_ID}/release.json").json()
    assert st["state"] == "released" and st["settled"] and st["run_id"] == ""
    files = {f["name"]: f["url"] for f in st["files"]}
    assert {"01-note.pdf", "02-other.pdf", "clean-copy.pdf", "schedule.csv"} <= set(files)
    out = ctx.settings.home / "releases" / CASE_ID
    got = c.get(files["clean-copy.pdf"])
    assert got.status_code == 200 and got.content == (out / "clean-copy.pdf").read_bytes()
    assert "no-store" in got.headers["cache-control"]
    assert c.get(f"/cases/{CASE_ID}/released/..%2F..%2Fcleancopy.db").status_code == 404
    assert c.get(f"/cases/{CASE_ID}/released/.hidden").status_code == 404
    page = c.get(f"/cases/{CASE_ID}").text
    assert 'id="signoff"' not in page and 'id="signoff-done"' in page
    assert 'data-state="released"' in page and "/released/clean-copy.pdf" in page
    assert c.get("/cases/NO-SUCH-CASE/release.json").status_code == 404


def test_run_states_as_the_case_page_says_them(ctx: pipeline.Context) -> None:
    def say(typ: str, name: str = "", message: str = "") -> tuple[str, str]:
        v = runs.view(ctx, CASE_ID, RunState("r1", typ, name, message))
        return v.state, v.message

    assert say("PAUSED", "Suspended")[0] == "waiting"
    state, msg = say("PAUSED", "Suspended", "case still has 2 undecided proposal(s)")
    assert state == "waiting" and "2 undecided" in msg
    assert say("SCHEDULED")[0] == say("RUNNING")[0] == "running"
    assert say("FAILED", "Failed", "release-case: 1 leak(s) found") == (
        "refused", "the release run stopped: release-case: 1 leak(s) found")
    assert say("CANCELLED")[0] == "cancelled"
    audit.record(ctx, CASE_ID, "JA", [("release-refused", None, "comment: page 2 needs a rescan")])
    assert say("COMPLETED", "Completed") == ("refused", "release refused by JA: page 2 needs a rescan")
    assert not runs.view(ctx, CASE_ID, RunState("r1", "RUNNING", "Running")).settled
