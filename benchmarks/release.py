"""Release cost and output size on generated dev cases: true removal alone (what a
release wrote before pages were rebuilt from what they show) beside the release as it is
now (removal, photocopy with its OCR text layer, independent verification of every
file and the bundle, pack, publish), measured in the same run on the same documents;
then the verifier's answer on each adversarial file with redaction switched off.

    .venv/bin/python benchmarks/release.py [--cases 5] [--seed 1000] [--work DIR]

Prints, per case and in total: pages, seconds and seconds per page for each, and bytes
per page of the per-document outputs for each.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redaction import pipeline, release, render, verify  # noqa: E402
from redaction.errors import VerificationError  # noqa: E402
from redaction.release import photocopy, stages, verifier  # noqa: E402
from redaction.release.terms import Term  # noqa: E402
from redaction.settings import Settings  # noqa: E402
from redaction.synth import adversarial as adv  # noqa: E402
from redaction.synth import generate_case  # noqa: E402


def _prepare(work: Path, seed: int) -> tuple[pipeline.Context, str]:
    gen = generate_case(work / "inbox", seed=seed)
    ctx = pipeline.open_context(Settings(home=work / "home", ocr_cache=work / "ocr-cache"))
    imp = pipeline.import_case(ctx, gen.case_dir)
    pipeline.ocr_documents(ctx, imp.to_process)
    for doc_id in imp.to_process:
        pipeline.propose_document(ctx, doc_id)
    pipeline.propose_case_again(ctx, gen.case.case_id)
    pipeline.decide(ctx, gen.case.case_id, "benchmark", accept_all=True)
    return ctx, gen.case.case_id


def _removal_only(ctx: pipeline.Context, case_id: str) -> tuple[float, int, int]:
    """The earlier release's own work: render.py and verify.py on each document (the
    release now runs render.py, then the photocopy and the verifier instead of verify.py)."""
    plan = stages.plan(ctx, case_id)
    t = time.perf_counter()
    size = pages = 0
    for item in plan.documents:
        assert item.doc.working_sha256 is not None
        source = ctx.store.blobs.get(item.doc.working_sha256)
        out = render.render_document(source, item.redactions, item.doc.file_name)
        report = verify.verify_document(out, item.redactions, item.doc.file_name, source_pdf=source)
        size += len(out)
        pages += report.pages
    return time.perf_counter() - t, pages, size


def _case(work: Path, seed: int) -> tuple[int, float, int, float, int, str]:
    ctx, case_id = _prepare(work, seed)
    before_s, pages, before_bytes = _removal_only(ctx, case_id)
    t = time.perf_counter()
    outcome = "released"
    after_bytes = 0
    try:
        res = release.release_case(ctx, case_id, work / "out")
        after_bytes = sum((Path(res.out_dir) / d.output_name).stat().st_size for d in res.documents)
    except VerificationError as e:
        outcome = f"refused ({len(e.leaks)} problem(s): {sorted({lk.kind for lk in e.leaks})})"
    return pages, before_s, before_bytes, time.perf_counter() - t, after_bytes, outcome


def _adversarial() -> None:
    terms = [Term("tp-1", "name", ("daniel", "price")), Term("tp-1", "name", ("price",)),
             Term("tp-1", "name", ("daniel",)), Term("tp-1", "phone", digits="07700900123"),
             Term("tp-1", "email", ("dan.price@example.com",))]
    print("\nverifier on each adversarial file, redaction switched off")
    print(f"{'file':26s} {'as it is':32s} {'photocopied, nothing boxed':32s}")
    for name, make in adv.ALL.items():
        data = make()
        pages = verifier.expectations(data, [])
        raw = verifier.verify(name, data, pages, terms, workers=2)
        copy = photocopy.photocopy(data, data, name, photocopy.Options(workers=2))
        copied = verifier.verify(name, copy, pages, terms, workers=2)

        def say(report: object) -> str:
            leaks = getattr(report, "leaks", ())
            return "refused: " + ",".join(sorted({lk.kind for lk in leaks})) if leaks else "passes"
        expect = "(secret visible)" if name in adv.VISIBLE else "(secret hidden)"
        print(f"{name:26s} {say(raw):32s} {say(copied):32s} {expect}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--no-adversarial", action="store_true")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="cleancopy-release-bench-"))
    print(f"{'case':10s} {'pages':>5s} {'removal s/page':>14s} {'release s/page':>14s} "
          f"{'removal B/page':>14s} {'release B/page':>14s}  outcome")
    tot = [0, 0.0, 0, 0.0, 0]
    sized = 0  # pages of released cases: bytes per page compare those only
    for seed in range(args.seed, args.seed + args.cases):
        case_work = work / str(seed)
        shutil.rmtree(case_work / "home", ignore_errors=True)
        shutil.rmtree(case_work / "out", ignore_errors=True)
        shutil.rmtree(case_work / "inbox", ignore_errors=True)
        pages, bs, bb, rs, rb, outcome = _case(case_work, seed)
        tot[0] += pages
        tot[1] += bs
        tot[3] += rs
        if rb:
            sized += pages
            tot[2] += bb
            tot[4] += rb
        print(f"{seed:<10d} {pages:5d} {bs / pages:14.2f} {rs / pages:14.2f} {bb / pages:14.0f} "
              f"{(rb / pages if rb else 0):14.0f}  {outcome}")
    p, q = int(tot[0]) or 1, sized or 1
    print(f"{'all':10s} {p:5d} {tot[1] / p:14.2f} {tot[3] / p:14.2f} {tot[2] / q:14.0f} {tot[4] / q:14.0f}"
          f"  (bytes over the {sized} page(s) of released cases)")
    if not args.no_adversarial:
        _adversarial()


if __name__ == "__main__":
    main()
