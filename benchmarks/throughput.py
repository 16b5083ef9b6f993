"""Pages per second of `cleancopy run` on a case (default: the bundled demo), beside
tesseract alone on the same page images, measured in one run.

    .venv/bin/python benchmarks/throughput.py [CASE_DIR]

Prints:
  - the whole `cleancopy run` command (fresh home: ingest, OCR, detection, Prefect
    ephemeral server start-up included), pages/s;
  - the same pipeline stages called directly (no Prefect), pages/s;
  - reference: tesseract alone, one page at a time with its default threading
    (what a naive pipeline does), pages/s;
  - reference: tesseract alone, one single-threaded process per core
    (OMP_THREAD_LIMIT=1), pages/s.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytesseract
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redaction import ingest, ocr, pipeline  # noqa: E402
from redaction.settings import Settings  # noqa: E402


def _tess(png: bytes) -> int:
    return len(pytesseract.image_to_data(Image.open(io.BytesIO(png)), output_type=pytesseract.Output.DICT)["text"])


def _init_single() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def main() -> None:
    case_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "demo" / "SAR-DEMO-001"
    files = sorted(p for p in (case_dir / "files").iterdir() if p.is_file())
    images: list[bytes] = []
    pages_total = 0
    for f in files:
        try:
            src = ingest.triage(f, ingest.IngestLimits())
        except Exception:  # held-back files don't count
            continue
        pages = ocr.prepare_pages(src)
        pages_total += len(pages)
        images += [p.png for p in pages if p.scanned]
    print(f"case {case_dir.name}: {len(files)} files, {pages_total} pages, {len(images)} scanned page images")

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, CLEANCOPY_HOME=home)
        t = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "cleancopy"), "run", str(case_dir)], env=env,
                       check=False, stdout=subprocess.DEVNULL)
        cli = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as home:
        ctx = pipeline.open_context(Settings(home=Path(home)))
        t = time.perf_counter()
        imp = pipeline.import_case(ctx, case_dir)
        pipeline.ocr_documents(ctx, imp.to_process)
        for d in imp.to_process:
            pipeline.propose_document(ctx, d)
        pipeline.propose_case_again(ctx, imp.case_id)
        lib = time.perf_counter() - t

    env_default = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    os.environ.clear()
    os.environ.update(env_default)
    t = time.perf_counter()
    for png in images:
        _tess(png)
    seq = time.perf_counter() - t
    workers = os.cpu_count() or 1
    t = time.perf_counter()
    with ProcessPoolExecutor(workers, initializer=_init_single) as pool:
        list(pool.map(_tess, images))
    par = time.perf_counter() - t

    n = pages_total
    print(f"{'measure':<62} {'seconds':>8} {'pages/s':>8}")
    print(f"{'cleancopy run (CLI, Prefect start-up included)':<62} {cli:>8.2f} {n / cli:>8.2f}")
    print(f"{'cleancopy pipeline stages (import+OCR+detect, no Prefect)':<62} {lib:>8.2f} {n / lib:>8.2f}")
    print(f"{'reference: tesseract alone, default threading, page by page':<62} {seq:>8.2f} "
          f"{len(images) / seq:>8.2f}")
    print(f"{f'reference: tesseract alone, {workers} single-threaded processes':<62} {par:>8.2f} "
          f"{len(images) / par:>8.2f}")


if __name__ == "__main__":
    main()
