"""How many keystrokes and clicks a head needs to review the demo case at the desk,
counted by doing it in Debian's Chromium (Playwright), beside the CLI's one command.

    .venv/bin/python benchmarks/review_effort.py [--case demo/SAR-DEMO-001] [--ocr-cache DIR]

Reads the case (tesseract OCR, detection) into a temporary home, serves the desk on
loopback, logs in as a head and reviews it twice from the same starting point:
  - by keyboard: "Review pages (first undecided)", then on each page `a` on every
    undecided proposal (focus moves to the next by itself) and `j` to the next page,
    until nothing is undecided; then the case link and "Sign off";
  - by the table: "Every proposal in one table", tick all, "Accept ticked", the case
    link and "Sign off".
Both accept every proposal, as demo.sh does with `decide --accept-all`; a real review
also rejects some (`r` instead of `a`: the same count). The sign-off click is counted,
not made (the release is measured by benchmarks/release.py). Logging in is not counted.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redaction  # noqa: E402, F401, I001  # first: its offline switches (redaction/offline.py)
import uvicorn  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from redaction import pipeline  # noqa: E402
from redaction.review import auth  # noqa: E402
from redaction.review.app import create_app  # noqa: E402
from redaction.settings import Settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
PASSWORD = "effort benchmark password"


def serve(ctx: pipeline.Context) -> tuple[str, uvicorn.Server, threading.Thread]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning",
                                        access_log=False))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    while not srv.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", srv, t


def undo_all(ctx: pipeline.Context, case_id: str) -> None:
    from redaction.review import proposals

    ids = [r.id for r, _ in pipeline.list_proposals(ctx, case_id) if r.status != "pending"]
    proposals.undo(ctx, case_id, "Bench Head", ids)
    assert all(r.status == "pending" for r, _ in pipeline.list_proposals(ctx, case_id))


def by_keyboard(p: Page, base: str, case_id: str) -> tuple[int, int]:
    """Returns (decision keys, page turns); the three clicks come on top."""
    decided = turns = 0
    p.goto(f"{base}/cases/{case_id}")
    with p.expect_navigation():
        p.click("#start")
    while True:
        p.wait_for_selector("#case-pending")
        if p.inner_text("#case-pending") == "0":
            break
        if p.locator("li.proposal.focused[data-status='pending']").count():
            with p.expect_navigation():
                p.keyboard.press("a")
            decided += 1
        else:
            with p.expect_navigation():
                p.keyboard.press("j")
            turns += 1
    p.click(f"nav.pagenav a[href='/cases/{case_id}']")
    p.wait_for_selector("#signoff")
    return decided, turns


def by_table(p: Page, base: str, case_id: str) -> int:
    p.goto(f"{base}/cases/{case_id}")
    p.click("#table")
    p.check("#tick-all")
    with p.expect_navigation():
        p.click("#bulk-accept")
    p.click(f"nav.pagenav a[href='/cases/{case_id}']")
    p.wait_for_selector("#signoff")
    return 5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--case", type=Path, default=ROOT / "demo" / "SAR-DEMO-001")
    ap.add_argument("--ocr-cache", type=Path, default=None, help="keep tesseract's output here between runs")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        ctx = pipeline.open_context(Settings(home=Path(tmp) / "home", ocr_cache=args.ocr_cache, ocr_workers=1))
        t0 = time.perf_counter()
        imp = pipeline.import_case(ctx, args.case)
        pipeline.ocr_documents(ctx, imp.to_process)
        for doc_id in imp.to_process:
            pipeline.propose_document(ctx, doc_id)
        case_id = imp.case_id
        rows = pipeline.list_proposals(ctx, case_id)
        pages = {(r.document_id, r.page_index) for r, _ in rows}
        total_pages = sum(d.page_count for d in pipeline.current_documents(ctx, case_id))
        print(f"{case_id}: {len(rows)} proposals on {len(pages)} of {total_pages} pages "
              f"(read in {time.perf_counter() - t0:.0f} s)")
        auth.add_reviewer(ctx, "Bench Head", "head", PASSWORD)
        base, srv, thread = serve(ctx)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.set_default_timeout(60_000)
                page.goto(base + "/")
                page.fill("#name", "Bench Head")
                page.fill("#password", PASSWORD)
                page.click("#login")
                page.wait_for_url(base + "/")
                decided, turns = by_keyboard(page, base, case_id)
                undo_all(ctx, case_id)
                table = by_table(page, base, case_id)
                browser.close()
        finally:
            srv.should_exit = True
            thread.join(10)
    # a whole page accepted decides the boxes inside it: fewer keys than proposals
    print(f"by keyboard: {decided + turns + 3} keystrokes and clicks ({decided} decision keys for "
          f"{len(rows)} proposals, {turns} page turns, 3 clicks: start, case, sign off)")
    print(f"by the table: {table} clicks")
    print("reference: the CLI, 1 command (cleancopy decide CASE --reviewer NAME --accept-all --sign-off)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
