"""The procedure page in a real headless Chromium (Debian's /usr/bin/chromium through
Playwright): a head records a third party's consent with the reply uploaded as evidence
and sets an extension with its reason; each screen is photographed at 1440×900 and
820×1180 and every control on it must lie inside the window (no sideways scrolling, each
control whole on screen once scrolled to)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from redaction import pipeline
from redaction.procedure import consents, states
from redaction.review.app import create_app
from tests.procedure.conftest import CASE_ID
from tests.review.conftest import PASSWORD
from tests.review.test_procedure_routes import ANSWERED, _processed
from tests.review.test_review_browser import CHROMIUM, CHROMIUM_ARGS, _free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install -y chromium)"),
]

VIEWPORTS = {"desktop": (1440, 900), "tablet": (820, 1180)}
# every control the page shows, scrolled to one by one: whole inside the window, or named
OUTSIDE = """() => {
  const bad = [];
  const W = window.innerWidth, H = window.innerHeight;
  if (document.documentElement.scrollWidth > W) bad.push(`page ${document.documentElement.scrollWidth}px wide`);
  for (const el of document.querySelectorAll('a, button, input:not([type=hidden]), select, textarea, label')) {
    if (!el.getClientRects().length) continue;
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    const r = el.getBoundingClientRect();
    const x0 = r.left + window.scrollX, x1 = r.right + window.scrollX;  // across: within the page's first screen
    if (x0 < 0 || r.top < 0 || x1 > W + 0.5 || r.bottom > H + 0.5)
      bad.push(`${el.tagName.toLowerCase()}#${el.id || ''}.${el.className || ''} at ${Math.round(x0)},` +
               `${Math.round(r.top)}-${Math.round(x1)},${Math.round(r.bottom)}`);
  }
  window.scrollTo(0, 0);
  return bad;
}"""


@pytest.fixture
def ctx(tmp_path: Path) -> pipeline.Context:
    return _processed(tmp_path)


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


def _shots(tmp_path: Path) -> Path:
    """Where the screenshots go: CLEANCOPY_SCREENSHOTS when set (to keep them), else the test's folder."""
    folder = Path(os.environ.get("CLEANCOPY_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _photograph(page: Any, folder: Path, screen: str) -> None:
    for size, (w, h) in VIEWPORTS.items():
        page.set_viewport_size({"width": w, "height": h})
        outside = page.evaluate(OUTSIDE)
        assert outside == [], f"{screen} at {w}x{h}: controls outside the window: {outside}"
        path = folder / f"procedure-{screen}-{size}-{w}x{h}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5_000
    page.set_viewport_size({"width": VIEWPORTS["desktop"][0], "height": VIEWPORTS["desktop"][1]})


def test_a_head_records_a_consent_with_evidence_and_sets_an_extension(ctx: pipeline.Context, server: str,
                                                                      tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = _shots(tmp_path)
    reply = tmp_path / "reply-from-gloria.pdf"
    reply.write_bytes(b"%PDF-1.4 a scanned reply, signed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(20_000)
            page.goto(server + "/")
            page.fill("#name", "Joan Allen")
            page.fill("#password", PASSWORD)
            page.click("#login")
            page.wait_for_selector(f"tr[data-case='{CASE_ID}']")
            _photograph(page, folder, "case-list")
            page.click(f"a[href='/cases/{CASE_ID}']")
            page.click("#to-procedure")
            page.wait_for_url(f"**/cases/{CASE_ID}/procedure")
            assert page.get_attribute("#clock-statutory", "data-due") == "2026-12-02"
            _photograph(page, folder, "before")

            card = page.locator("#party-tp-2")
            assert "pending" in card.inner_text()
            card.locator("input[name=answer][value=granted]").check()
            card.locator("input[name=on]").fill(ANSWERED)
            card.locator("input[type=file]").set_input_files(str(reply))
            with page.expect_navigation():
                card.locator("button.record-consent").click()
            assert "The answer was recorded" in page.inner_text("#done")
            card = page.locator("#party-tp-2")
            assert card.locator("strong.consent").inner_text() == "granted"
            assert card.locator("a.evidence").inner_text() == "reply-from-gloria.pdf"
            with page.expect_download() as dl:
                card.locator("a.evidence").click()
            assert Path(dl.value.path()).read_bytes() == reply.read_bytes()

            page.fill("#extend-to", "2027-01-15")
            page.fill("#extend-reason", "complex request: records from two agencies")
            with page.expect_navigation():
                page.click("#extend-submit")
            assert "The extension was recorded" in page.inner_text("#done")
            assert page.get_attribute("#clock-statutory", "data-due") == "2027-01-15"
            assert "complex request" in page.inner_text("#extension-reason")
            _photograph(page, folder, "after")
            # the check itself sees a control pushed out of the window
            page.evaluate("() => { const b = document.createElement('button'); b.id = 'probe'; "
                          "b.textContent = 'probe'; b.style.cssText = 'position: absolute; left: 1500px'; "
                          "document.body.append(b); }")
            assert any(o.startswith("button#probe") for o in page.evaluate(OUTSIDE))
        finally:
            browser.close()
    row = consents.answers(ctx, CASE_ID)["tp-2"]
    assert (row.answer, row.recorded_by, row.evidence_name) == ("granted", "Joan Allen", "reply-from-gloria.pdf")
    assert ctx.store.blobs.get(row.evidence_sha256 or "") == reply.read_bytes()
    st = states.get(ctx, CASE_ID)
    assert (st.extended_to and st.extended_to.isoformat(), st.extension_reason) == (
        "2027-01-15", "complex request: records from two agencies")
    assert len(list(folder.glob("procedure-*.png"))) == 6
