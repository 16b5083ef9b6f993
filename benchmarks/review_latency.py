"""Server time of the review desk's page view on a 200-page case, beside serving a
static file of the same size through the same ASGI stack.

    .venv/bin/python benchmarks/review_latency.py [--pages 200] [--rounds 3]

Builds a born-digital case (4 documents x 50 pages, every page naming refused third
parties, so every page carries proposals), runs import/read/detect with the null OCR
engine, logs in, then times (in process, Starlette TestClient; the client's own
overhead is included, so these are upper bounds on server time):
  - GET page view (HTML with the page's proposals drawn), every page, `rounds` times;
  - GET page image, first request (drawn from the PDF and cached) and cached;
  - reference: GET a static file of the page view's size from a bare StaticFiles app.
Prints p50/p95/max in milliseconds. The issue's target: page view p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redaction  # noqa: E402, F401, I001  # first: its offline switches (redaction/offline.py)
import pymupdf  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.staticfiles import StaticFiles  # noqa: E402

from redaction import pipeline  # noqa: E402
from redaction.review import auth  # noqa: E402
from redaction.review.app import create_app  # noqa: E402
from redaction.settings import Settings  # noqa: E402
from tests.review.conftest import CASE, CASE_ID, PASSWORD, log_in  # noqa: E402

LINES = [
    "Amelia came in with Daniel Price today and was settled quickly.",
    "Mr Price said to call him on 07700900123 if she is unwell.",
    "Amelia played with Sophie Turnbull at lunch and shared her crayons.",
    "Mrs Allen noted that Amelia is reading well for her age.",
]


def make_case(root: Path, pages: int, docs: int = 4) -> Path:
    d = root / "inbox" / CASE_ID
    (d / "files").mkdir(parents=True)
    (d / "case.yaml").write_text(CASE)
    per = pages // docs
    for k in range(docs):
        pdf = pymupdf.open()
        for i in range(per):
            page = pdf.new_page(width=595, height=842)
            for j in range(24):
                page.insert_text((60, 80 + 28 * j), f"{k}.{i}.{j} " + LINES[(i + j) % len(LINES)], fontsize=10)
        (d / "files" / f"{k + 1:02d}-record.pdf").write_bytes(pdf.tobytes())
    return d


def stats(ms: list[float]) -> str:
    s = sorted(ms)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return f"p50 {statistics.median(s):7.1f} ms   p95 {p95:7.1f} ms   max {s[-1]:7.1f} ms   (n={len(s)})"


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ctx = pipeline.open_context(Settings(home=root / "home", ocr_engine="null", ocr_workers=1))
        t0 = time.perf_counter()
        imp = pipeline.import_case(ctx, make_case(root, args.pages))
        pipeline.ocr_documents(ctx, imp.to_process)
        for doc_id in imp.to_process:
            pipeline.propose_document(ctx, doc_id)
        n_props = len(pipeline.list_proposals(ctx, CASE_ID))
        print(f"case: {args.pages} pages, {n_props} proposals (prepared in {time.perf_counter() - t0:.1f} s)")
        auth.add_reviewer(ctx, "Bench Head", "head", PASSWORD)
        client = log_in(TestClient(create_app(ctx)), "Bench Head")
        urls = [f"/cases/{CASE_ID}/docs/{d.id}/pages/{i + 1}"
                for d in pipeline.current_documents(ctx, CASE_ID) for i in range(d.page_count)]
        assert len(urls) == args.pages, len(urls)
        size = len(client.get(urls[0]).content)
        views: list[float] = []
        for _ in range(args.rounds):
            for u in urls:
                views.append(timed(lambda u=u: client.get(u).raise_for_status()))
        cold = [timed(lambda u=u: client.get(u + "/image.png").raise_for_status()) for u in urls]
        warm = [timed(lambda u=u: client.get(u + "/image.png").raise_for_status()) for u in urls]
        png = len(client.get(urls[0] + "/image.png").content)
        static_dir = root / "static"
        static_dir.mkdir()
        (static_dir / "page.html").write_bytes(b"x" * size)
        ref_client = TestClient(Starlette(routes=[]))
        ref_client.app.mount("/s", StaticFiles(directory=static_dir))  # type: ignore[attr-defined]
        ref = [timed(lambda: ref_client.get("/s/page.html").raise_for_status())
               for _ in range(args.rounds * len(urls))]
    print(f"page view (HTML, {size / 1024:.1f} KiB)      {stats(views)}")
    print(f"reference: static file, same size  {stats(ref)}")
    print(f"page image, first (draw + cache)   {stats(cold)}   ({png / 1024:.0f} KiB PNG)")
    print(f"page image, cached                 {stats(warm)}")
    p95 = sorted(views)[int(round(0.95 * (len(views) - 1)))]
    print(f"target: page view p95 < 300 ms: {'met' if p95 < 300 else 'NOT met'} ({p95:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
