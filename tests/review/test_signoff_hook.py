"""The review desk's sign-off against a real Prefect server on loopback (no fake): the
deployments are served by infra/serve.py, the desk is ``cleancopy review`` in its own
process with PREFECT_API_URL set, as a school runs it.

- A Resume pressed in the Prefect UI before the review is done leaves the release run
  waiting (Suspended again, with a note saying why), not Failed.
- The desk's "Sign off and release" resumes the waiting run — confirmed by the server —
  and the case page follows the run to "released" and links to the released files.
- The same in Chromium: a head signs off and sees the run finish and the files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pymupdf
import pytest

from redaction import pipeline
from redaction.review import audit
from tests.flows.server_support import finished, resume, run_state, start_run, wait_for, waiting_for_input
from tests.review.conftest import BROWSER_CASE, CASE_ID, PASSWORD, log_in, page_csrf

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _desk(world: dict[str, Any]) -> httpx.Client:
    return log_in(httpx.Client(base_url=world["desk"], timeout=60), "Joan Allen")  # type: ignore[arg-type]


def _release_json(desk: httpx.Client, case_id: str) -> dict[str, Any]:
    r = desk.get(f"/cases/{case_id}/release.json")
    assert r.status_code == 200, r.text
    return dict(r.json())


def _suspended(http: httpx.Client, run: str) -> bool:
    return waiting_for_input(http, run)


def test_desk_sign_off_resumes_the_waiting_release(world: dict[str, Any]) -> None:
    http: httpx.Client = world["http"]
    ctx: pipeline.Context = world["ctx"]
    desk = _desk(world)
    release = start_run(http, "release-case", "release-case", {"case_id": CASE_ID})
    wait_for("the release to suspend for the reviewer", lambda: _suspended(http, release), 90)
    st = _release_json(desk, CASE_ID)
    assert (st["state"], st["run_id"], st["settled"]) == ("waiting", release, False)

    # Resume pressed in the Prefect UI while proposals are undecided: the run takes the
    # form (it is valid), finds the case not ready, and waits again — never Failed
    assert resume(http, release, {"approved": True, "reviewer": "JA"}) == "ACCEPT"
    wait_for("the run to take the early resume", lambda: run_state(http, release)[0] != "PAUSED", 30, every=0.2)
    wait_for("the run to wait again", lambda: _suspended(http, release), 90)
    note = http.get(f"/flow_runs/{release}/input/early-resume-refused-1")
    assert note.status_code == 200 and "undecided proposal(s)" in note.json()
    # the note is the description above the form the next Resume in the UI opens
    shown = http.get(f"/flow_runs/{release}/input/suspended-reviewer-decision-2-description")
    assert shown.status_code == 200 and "waiting again" in shown.json()
    st = _release_json(desk, CASE_ID)
    assert st["state"] == "waiting" and "undecided proposal(s)" in st["message"]
    assert not [e for e in audit.entries(ctx, CASE_ID) if e.action == "signed-off"]

    pipeline.decide(ctx, CASE_ID, "Joan Allen", accept_all=True)

    # the desk's sign-off: the resume is awaited and the server confirms the run left Paused
    r = desk.post(f"/cases/{CASE_ID}/signoff", data={"csrf_token": page_csrf(desk, f"/cases/{CASE_ID}")})
    assert r.status_code == 200, r.text
    assert 'id="release-sent"' in r.text and release in r.text
    assert run_state(http, release)[0] != "PAUSED"
    finished(http, release, world["serve"].log)
    out = world["home"] / "releases" / CASE_ID
    assert (out / "clean-copy.pdf").is_file()
    actions = [e.action for e in audit.entries(ctx, CASE_ID) if e.action != "state"]
    assert actions[-2:] == ["signed-off", "released"]
    assert f"run:{release}" in audit.entries(ctx, CASE_ID)[-1].detail

    st = _release_json(desk, CASE_ID)
    assert (st["state"], st["run_id"], st["settled"]) == ("released", release, True)
    names = {f["name"] for f in st["files"]}
    assert {"clean-copy.pdf", "schedule.csv", "01-note.pdf", "02-other.pdf"} <= names
    pdf = desk.get(next(f["url"] for f in st["files"] if f["name"] == "clean-copy.pdf"))
    assert pdf.status_code == 200 and pdf.content == (out / "clean-copy.pdf").read_bytes()
    with pymupdf.open(stream=pdf.content, filetype="pdf") as doc:
        text = "".join(p.get_text() for p in doc)
    assert "Turnbull" not in text and "07700900123" not in text and "painting" in text
    assert desk.get(f"/cases/{CASE_ID}/released/..%2Fcase.yaml").status_code == 404
    assert desk.get(f"/cases/{CASE_ID}/released/nothing.pdf").status_code == 404
    # after release the case no longer offers the sign-off
    page = desk.get(f"/cases/{CASE_ID}").text
    assert 'id="signoff"' not in page and 'id="signoff-done"' in page


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_head_signs_off_in_the_browser_and_sees_the_release(world: dict[str, Any]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    http: httpx.Client = world["http"]
    ctx: pipeline.Context = world["ctx"]
    release = start_run(http, "release-case", "release-case", {"case_id": BROWSER_CASE})
    wait_for("the release to suspend for the reviewer", lambda: _suspended(http, release), 90)
    pipeline.decide(ctx, BROWSER_CASE, "Joan Allen", accept_all=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(world["desk"] + f"/cases/{BROWSER_CASE}")
            page.fill("#name", "Joan Allen")
            page.fill("#password", PASSWORD)
            page.click("#login")
            page.wait_for_url(f"**/cases/{BROWSER_CASE}")
            page.wait_for_selector("#release-status[data-state='waiting']")
            assert release in page.inner_text("#release-status")
            with page.expect_navigation():
                page.click("#signoff")
            assert "has resumed" in page.inner_text("#release-sent")
            # the page polls release.json: waiting or running, then released with the links
            page.wait_for_selector("#release-status[data-state='released']", timeout=120_000)
            links = page.locator("a.released-file-link")
            names = set(links.all_inner_texts())
            assert {"clean-copy.pdf", "schedule.csv"} <= names
            with page.expect_download() as dl:
                page.click("a.released-file-link:text-is('clean-copy.pdf')")
            saved = Path(dl.value.path()).read_bytes()  # (gone once the browser closes)
            page.goto(world["desk"] + f"/cases/{BROWSER_CASE}")
            page.wait_for_selector("#release-status[data-state='released']")
            assert page.locator("#signoff").count() == 0
        finally:
            browser.close()
    assert run_state(http, release) == ("COMPLETED", "Completed")
    out = world["home"] / "releases" / BROWSER_CASE / "clean-copy.pdf"
    assert saved == out.read_bytes()
    with pymupdf.open(out) as doc:
        text = "".join(p.get_text() for p in doc)
    assert "Turnbull" not in text and "Daniel Price" not in text and "painting" in text
