"""One reviewer's whole job in a real headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright; no downloaded browser): log in, accept one proposal with the
keyboard, reject one, draw a box with the mouse, search the text and box the hit,
accept the rest by party, sign off, and find the released PDF judged from outside."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from redaction import pipeline
from redaction.review.app import create_app
from tests.review.conftest import CASE_ID, PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# with these alone Chromium still resolved accounts.google.com and clients2.google.com (strace: 36
# DNS queries in a 6 s session); the resolver rule answers every name but loopback "not found"
# without a query (left: its IPv6 route probe, a UDP connect to 2001:4860:4860::8888 that sends nothing)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install -y chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(ctx: pipeline.Context) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning",
                                        access_log=False))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the review server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)


def test_reviewer_takes_a_case_from_proposals_to_released_copy(ctx: pipeline.Context, server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    note = next(d for d in pipeline.current_documents(ctx, CASE_ID) if d.file_name == "01-note.pdf")
    today = next(w for w in pipeline.load_pages(ctx, note.id)[0].words if w.text == "today.").box
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.goto(server + "/")
            assert "/login" in page.url
            page.fill("#name", "Joan Allen")
            page.fill("#password", PASSWORD)
            page.click("#login")
            page.click(f"a[href='/cases/{CASE_ID}']")
            page.wait_for_url(f"**/cases/{CASE_ID}")
            assert page.inner_text("#pending") == "4"
            page.click("#start")
            page.wait_for_selector("svg#page g.prop")
            first = int(page.get_attribute("li.proposal.focused", "data-id") or 0)
            page.keyboard.press("a")  # accept the focused (first undecided) proposal
            page.wait_for_selector(f"#p{first}[data-status='accepted']")
            page.wait_for_function(
                "id => (document.querySelector('li.proposal.focused') || {dataset: {}}).dataset.id != String(id)",
                arg=first)
            second = int(page.get_attribute("li.proposal.focused", "data-id") or 0)
            assert second != first
            page.keyboard.press("r")  # reject the next one
            page.wait_for_selector(f"#p{second}[data-status='rejected']")
            # the desk moves on to the next proposal (and may scroll the sheet to it): the sheet is
            # measured for the mouse only once that is done and nothing is loading
            page.wait_for_function(
                "id => (document.querySelector('li.proposal.focused') || {dataset: {}}).dataset.id != String(id)",
                arg=second)
            page.wait_for_load_state("networkidle")
            # draw a box over "today." with the mouse; the reason is asked for before it is stored
            sheet = page.locator("svg#page").bounding_box()
            assert sheet is not None
            k = sheet["width"] / 595.0
            # (from the right-hand corner: the word's left edge touches the proposal for "Price")
            page.mouse.move(sheet["x"] + (today.x1 + 3) * k, sheet["y"] + (today.y1 + 4) * k)
            page.mouse.down()
            page.mouse.move(sheet["x"] + (today.x0 - 1) * k, sheet["y"] + (today.y0 - 3) * k, steps=5)
            page.mouse.up()
            page.wait_for_selector("#draw-form:not(.hidden)")
            page.select_option("#draw-reason", "RV")
            page.fill("#draw-note", "not part of the request")
            with page.expect_navigation():
                page.click("#draw-submit")
            page.wait_for_selector("li.proposal:has-text('reviewer')")
            page.keyboard.press("j")  # next page
            page.wait_for_url("**/pages/2")
            page.click("a[href='/cases/" + CASE_ID + "']")
            page.wait_for_url(f"**/cases/{CASE_ID}")
            # search the OCR text and box every hit
            page.fill("#search-term", "enjoyed")
            with page.expect_navigation():
                page.click("#search-submit")
            assert "1 hit(s)" in page.inner_text("main")
            page.select_option("#search-reason", "RV")
            with page.expect_navigation():
                page.click("#search-add-submit")
            assert "1 box(es) added" in page.inner_text("#search-added")
            page.goto(server + f"/cases/{CASE_ID}")
            while page.locator("button.group-accept[data-group^='party:']").count():
                with page.expect_navigation():
                    page.locator("button.group-accept[data-group^='party:']").first.click()
            assert page.inner_text("#pending") == "0"
            # the release photocopies, reads and verifies every page before answering
            page.click("#signoff", timeout=180_000)
            page.wait_for_selector("#released", timeout=180_000)
            assert "clean-copy.pdf" in page.inner_text("main")
        finally:
            browser.close()
    out = ctx.settings.home / "releases" / CASE_ID / "clean-copy.pdf"
    assert out.is_file()
    status = {r.id: r.status for r, _ in pipeline.list_proposals(ctx, CASE_ID)}
    assert status[first] == "accepted" and status[second] == "rejected"
    assert set(status.values()) == {"accepted", "rejected"}
    with pymupdf.open(out) as pdf:
        text = "".join(p.get_text() for p in pdf)
    assert "Turnbull" not in text and "07700900123" not in text
    assert "today" not in text and "enjoyed" not in text and "painting" in text
    with pymupdf.open(ctx.settings.home / "releases" / CASE_ID / "01-note.pdf") as pdf:
        pix = pdf[0].get_pixmap(dpi=72, clip=pymupdf.Rect(today.x0 + 1, today.y0 + 1, today.x1 - 1, today.y1 - 1))
        dark = sum(1 for i in range(0, len(pix.samples), pix.n) if pix.samples[i] < 80)
    assert dark >= 0.9 * pix.width * pix.height  # the drawn box is solid in the released page
