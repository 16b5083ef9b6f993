"""``python -m redaction.synth OUT_DIR --seed N --cases K [--profile P] [--family dev|b|c] [--docs D] [--overwrite]``

Writes K synthetic cases with seeds N .. N+K-1 into OUT_DIR (each case folder with its
``<case_id>.truth/truth.json`` beside it). The bundled demo is
``python -m redaction.synth demo --profile demo --overwrite`` (seed DEMO_SEED).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from redaction.synth.generate import DEMO_SEED, FAMILIES, PROFILES, generate_case


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m redaction.synth", description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=None, help="first seed (default 1; the demo's for --profile demo)")
    ap.add_argument("--cases", type=int, default=1)
    ap.add_argument("--profile", choices=sorted(PROFILES), default="default")
    ap.add_argument("--family", choices=FAMILIES, default="dev",
                    help="dev (the documents detection was written against), b or c (each written apart)")
    ap.add_argument("--docs", type=int, default=None, help="source files per case (default: profile's range)")
    ap.add_argument("--overwrite", action="store_true", help="replace case folders that already exist")
    args = ap.parse_args(argv)
    seed0 = args.seed if args.seed is not None else (DEMO_SEED if args.profile == "demo" else 1)
    if args.cases < 1:
        ap.error("--cases must be at least 1")
    for seed in range(seed0, seed0 + args.cases):
        t = time.perf_counter()
        try:
            g = generate_case(args.out_dir, seed, n_docs=args.docs, profile=args.profile, overwrite=args.overwrite,
                              family=args.family)
        except FileExistsError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        pages = sum(len(f["pages"]) for f in g.truth["files"])
        print(
            f"{g.case_dir}  seed {seed}  {len(g.truth['files'])} files  {pages} pages  {time.perf_counter() - t:.2f}s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
