"""A head's whole review of a generated case in Debian's Chromium against a real Prefect
server (the session's, tests/review/conftest.py), with the desk in its own process:
log in, decide by keyboard and by the case-wide table (with an undo), draw a box, move
and resize it, search and box the ticked hits, sign off, and see the waiting release
run finish and the released files; the released PDF is then judged from outside
(PyMuPDF's text and pixels, nothing of the code that wrote it).

Every screen is photographed at 1440x900 and at tablet size (820x1180, touch) under the
test's tmp dir, and each must keep its controls inside the viewport. On the tablet a box
is drawn by touch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pymupdf
import pytest

from redaction import pipeline
from tests.flows.server_support import run_state, start_run, wait_for, waiting_for_input
from tests.review.conftest import DESK_CASE, PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
DESKTOP = {"width": 1440, "height": 900}
TABLET = {"width": 820, "height": 1180}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

# every visible control's box (as far as the lists that scroll it let it show), and how
# far the document scrolls either way
CONTROLS_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('button, a[href], input:not([type=hidden]), select, summary')) {
    const st = getComputedStyle(el);
    let r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || st.visibility === 'hidden') continue;
    let box = {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowY;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') {
        const c = a.getBoundingClientRect();
        box = {left: Math.max(box.left, c.left), right: Math.min(box.right, c.right),
               top: Math.max(box.top, c.top), bottom: Math.min(box.bottom, c.bottom)};
      }
    }
    if (box.right <= box.left || box.bottom <= box.top) continue;  // scrolled out of its list
    out.push(Object.assign({what: el.id || el.textContent.trim().slice(0, 30) || el.tagName}, box));
  }
  return {controls: out, scrollWidth: document.documentElement.scrollWidth, width: innerWidth,
          scrollHeight: document.documentElement.scrollHeight, height: innerHeight};
}"""


def _screen(page: Any, shots: Path, name: str, *, whole: bool = False) -> None:
    """Photograph the screen; every control inside the viewport's width (the document
    never scrolls sideways) and, with ``whole``, the screen fits its height as well."""
    vp = page.viewport_size
    page.screenshot(path=str(shots / f"{name}-{vp['width']}x{vp['height']}.png"))
    got = page.evaluate(CONTROLS_JS)
    assert got["scrollWidth"] <= got["width"], f"{name}: the page scrolls sideways ({got['scrollWidth']} px)"
    outside = [c["what"] for c in got["controls"] if c["left"] < -0.5 or c["right"] > got["width"] + 0.5]
    assert not outside, f"{name} at {vp}: controls beyond the viewport: {outside}"
    if whole:
        assert got["scrollHeight"] <= got["height"] + 1, f"{name}: the screen is taller than the window"
        low = [c["what"] for c in got["controls"] if c["bottom"] > got["height"] + 0.5 and c["top"] < got["height"]]
        assert not low, f"{name} at {vp}: controls cut off at the bottom: {low}"


def _in_view(page: Any, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    vp = page.viewport_size
    assert box is not None, selector
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= vp["width"] + 0.5 \
        and box["y"] + box["height"] <= vp["height"] + 0.5, f"{selector} is not on screen at {vp}: {box}"


def _log_in(page: Any, desk: str) -> None:
    page.goto(desk + "/")
    page.fill("#name", "Joan Allen")
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url(desk + "/")


def _to_screen(sheet: dict[str, float], page_width: float, x: float, y: float) -> tuple[float, float]:
    k = sheet["width"] / page_width
    return sheet["x"] + x * k, sheet["y"] + y * k


def _proposal(ctx: pipeline.Context, pid: int) -> Any:
    return next(r for r, _ in pipeline.list_proposals(ctx, DESK_CASE) if r.id == pid)


def test_a_head_reviews_a_case_in_the_browser_and_sees_it_released(world: dict[str, Any], tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    http: httpx.Client = world["http"]
    ctx: pipeline.Context = world["ctx"]
    desk = world["desk"]
    shots = tmp_path / "screens"
    shots.mkdir()
    release = start_run(http, "release-case", "release-case", {"case_id": DESK_CASE})
    wait_for("the release to suspend for the reviewer",
             lambda: waiting_for_input(http, release), 90)
    note = next(d for d in pipeline.current_documents(ctx, DESK_CASE) if d.file_name == "01-note.pdf")
    words = {w.text: w.box for w in pipeline.load_pages(ctx, note.id)[0].words}
    today = words["today."]
    case_url = f"{desk}/cases/{DESK_CASE}"
    page_url = f"{case_url}/docs/{note.id}/pages/1"
    actions = 0  # keystrokes and clicks of the review itself

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=DESKTOP)
            page.set_default_timeout(30_000)
            page.goto(desk + "/")
            _screen(page, shots, "login")
            _log_in(page, desk)
            _screen(page, shots, "cases")
            page.goto(case_url)
            _screen(page, shots, "case")
            page.click("#start")
            page.wait_for_selector("li.proposal.focused")
            _screen(page, shots, "page", whole=True)
            assert page.locator("li.proposal").count() == page.locator("svg#page g.prop").count() == 3
            # every box has a label, dark on white
            labels = page.locator("svg#page g.label text")
            assert labels.count() == 3 and all(t.startswith("? ") for t in labels.all_text_contents())
            assert page.evaluate("getComputedStyle(document.querySelector('g.label text')).fill") == "rgb(0, 0, 0)"
            _in_view(page, "li.proposal.focused button.accept")
            _in_view(page, "li.proposal.focused button.reject")

            # by keyboard: accept the first undecided, reject the next
            first = int(page.get_attribute("li.proposal.focused", "data-id") or 0)
            page.keyboard.press("a")
            actions += 1
            page.wait_for_selector(f"#p{first}[data-status='accepted']")
            assert page.locator("#undo").is_visible()  # the decision can be undone at once
            second = int(page.get_attribute("li.proposal.focused", "data-id") or 0)
            assert second != first
            page.keyboard.press("r")
            actions += 1
            page.wait_for_selector(f"#p{second}[data-status='rejected']")
            assert "✓" in (page.text_content(f"g.prop[data-id='{first}'] g.label") or "")
            assert "✗" in (page.text_content(f"g.prop[data-id='{second}'] g.label") or "")

            # draw a box on blank paper below the text, then move it onto "today." and resize it over it
            sheet = page.locator("svg#page").bounding_box()
            assert sheet is not None
            w = float(page.get_attribute("svg#page", "data-width") or 0)
            page.mouse.move(*_to_screen(sheet, w, 300, 400))
            page.mouse.down()
            page.mouse.move(*_to_screen(sheet, w, 330, 412), steps=4)
            page.mouse.up()
            actions += 1
            page.wait_for_selector("#draw-form:not(.hidden)")
            page.select_option("#draw-reason", "SG")
            actions += 1
            page.click("#draw-submit")  # a safeguarding box needs a note: said, and the box kept
            actions += 1
            page.wait_for_selector("#draw-note:invalid")
            page.fill("#draw-note", "not part of the request")
            page.select_option("#draw-reason", "RV")
            actions += 2
            page.click("#draw-submit")
            actions += 1
            page.wait_for_selector("li.proposal.focused:has-text('reviewer')")
            drawn = int(page.get_attribute("li.proposal.focused", "data-id") or 0)
            assert _proposal(ctx, drawn).text == ""
            box = page.locator(f"g.prop[data-id='{drawn}'] rect.box").bounding_box()
            assert box is not None
            sheet = page.locator("svg#page").bounding_box()
            assert sheet is not None
            k = sheet["width"] / w
            page.mouse.move(box["x"] + 3, box["y"] + 3)
            page.mouse.down()
            tx, ty = _to_screen(sheet, w, today.x0 - 1.5, today.y0 - 1.5)
            page.mouse.move(tx + 3, ty + 3, steps=6)
            with page.expect_navigation():
                page.mouse.up()
            actions += 1
            page.wait_for_selector("#resize-handle")
            moved = _proposal(ctx, drawn)
            assert moved.boxes[0][0] == pytest.approx(today.x0 - 1.5, abs=1.5 / k + 0.5)
            handle = page.locator("#resize-handle").bounding_box()
            assert handle is not None
            page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
            page.mouse.down()
            page.mouse.move(*_to_screen(sheet, w, today.x1 + 1.5, today.y1 + 1.5), steps=6)
            with page.expect_navigation():
                page.mouse.up()
            actions += 1
            page.wait_for_selector(f"li.proposal#p{drawn}.focused")
            resized = _proposal(ctx, drawn)
            assert resized.text == "today." and resized.status == "accepted"
            assert resized.boxes[0][2] == pytest.approx(today.x1 + 1.5, abs=1.5 / k + 0.5)
            _screen(page, shots, "page-decided", whole=True)

            # the case-wide table: the undecided rest, ticked together; reject, undo, accept
            page.click("#table-link")
            actions += 1
            page.select_option("#filter-status", "pending")
            page.click("#filter-apply")
            actions += 2
            page.wait_for_url("**status=pending**")
            _screen(page, shots, "table")
            undecided = page.locator("table.props tbody tr").count()
            assert undecided == 2  # the third proposal of page 1 and Sophie's on page 2
            page.check("#tick-all")
            page.click("#bulk-reject")
            actions += 2
            page.wait_for_selector("#undo")
            page.click("#undo")
            actions += 1
            page.wait_for_selector("table.props tbody tr[data-status='pending']")
            page.check("#tick-all")
            page.click("#bulk-accept")
            actions += 2
            page.wait_for_selector("#undo")
            assert page.locator("table.props tbody tr[data-status='pending']").count() == 0

            # search: hits with their line and page, covered ones marked; tick, box, count
            page.goto(case_url)
            page.fill("#search-term", "Price")
            page.click("#search-submit")
            actions += 2
            page.wait_for_selector("ol.hits")
            covered = page.locator("li.hit.covered").count()
            assert page.locator("li.hit").count() == 2 and covered >= 1  # (the rejected one covers nothing)
            assert page.locator("li.hit.covered input.hit-tick:disabled").count() == covered
            page.fill("#search-term", "amelia")
            page.click("#search-submit")
            actions += 2
            page.wait_for_selector("ol.hits li.hit")
            _screen(page, shots, "search")
            assert page.locator("li.hit").count() == 3
            assert page.locator("li.hit svg.thumb image").count() == 3
            assert "came in with" in page.inner_text("li.hit >> nth=0")
            page.uncheck("#hit-3")  # only the first two
            page.select_option("#search-reason", "RV")
            page.click("#search-add-submit")
            actions += 3
            assert "2 box(es) added" in page.inner_text("#search-added")
            assert page.locator("li.hit.covered").count() == 2
            _screen(page, shots, "search-added")

            # sign off: the waiting release run takes it, the page follows it to the files
            page.goto(case_url)
            assert page.inner_text("#pending") == "0"
            page.wait_for_selector("#release-status[data-state='waiting']")
            _screen(page, shots, "case-ready")
            with page.expect_navigation():
                page.click("#signoff")
            actions += 1
            assert release in page.inner_text("#release-sent")
            page.wait_for_selector("#release-status[data-state='released']", timeout=240_000)
            _screen(page, shots, "released")
            assert {"clean-copy.pdf", "schedule.csv"} <= set(page.locator("a.released-file-link").all_inner_texts())
            with page.expect_download() as dl:
                page.click("a.released-file-link:text-is('clean-copy.pdf')")
            saved = Path(dl.value.path()).read_bytes()

            # the same screens at tablet size, with touch: a box drawn with a finger
            tab = browser.new_context(viewport=TABLET, has_touch=True, is_mobile=False)
            tp = tab.new_page()
            tp.set_default_timeout(30_000)
            _log_in(tp, desk)
            _screen(tp, shots, "cases")
            tp.goto(case_url)
            _screen(tp, shots, "case")
            tp.goto(page_url)
            tp.wait_for_selector("li.proposal.focused")
            _screen(tp, shots, "page")
            _in_view(tp, "svg#page")
            _in_view(tp, "li.proposal.focused button.accept")
            _in_view(tp, "li.proposal.focused button.reject")
            sheet = tp.locator("svg#page").bounding_box()
            assert sheet is not None
            tp.tap("#draw-mode")  # a finger scrolls the page until the pen is on
            cdp = tab.new_cdp_session(tp)
            (x0, y0), (x1, y1) = _to_screen(sheet, w, 300, 500), _to_screen(sheet, w, 340, 515)
            cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
            for i in range(1, 6):
                cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
                    {"x": x0 + (x1 - x0) * i / 5, "y": y0 + (y1 - y0) * i / 5}]})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
            tp.wait_for_selector("#draw-form:not(.hidden)")
            drawn_x0 = float(tp.input_value("#draw-x0"))
            assert drawn_x0 == pytest.approx(300, abs=2)
            _screen(tp, shots, "page-drawing")
            tp.click("#draw-cancel")
            tp.goto(f"{case_url}/proposals")
            _screen(tp, shots, "table")
            tp.goto(case_url)
            tp.fill("#search-term", "amelia")
            tp.click("#search-submit")
            tp.wait_for_selector("ol.hits")
            _screen(tp, shots, "search")
            tab.close()
        finally:
            browser.close()

    assert run_state(http, release) == ("COMPLETED", "Completed")
    out = world["home"] / "releases" / DESK_CASE
    assert saved == (out / "clean-copy.pdf").read_bytes()
    status = {r.id: r.status for r, _ in pipeline.list_proposals(ctx, DESK_CASE)}
    assert status[first] == "accepted" and status[second] == "rejected"
    assert set(status.values()) == {"accepted", "rejected"}
    with pymupdf.open(out / "clean-copy.pdf") as pdf:
        text = "".join(p.get_text() for p in pdf)
    assert "Turnbull" not in text and "07700900123" not in text and "today" not in text
    assert "painting" in text and text.count("Amelia") == 1  # two of the three boxed from the search
    with pymupdf.open(out / "01-note.pdf") as pdf:
        pix = pdf[0].get_pixmap(dpi=72, clip=pymupdf.Rect(today.x0 + 1, today.y0 + 1, today.x1 - 1, today.y1 - 1))
        dark = sum(1 for i in range(0, len(pix.samples), pix.n) if pix.samples[i] < 80)
    assert dark >= 0.9 * pix.width * pix.height  # the moved and resized box is solid in the released page
    shots_taken = sorted(p.name for p in shots.iterdir())
    assert len(shots_taken) == 16, shots_taken
    print(f"\nreview of {DESK_CASE}: {actions} keystrokes and clicks; screenshots in {shots}")
