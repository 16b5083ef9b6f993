"""Train with spaCy's own loop on the corpus: ``config.cfg`` -> ``training/model-{best,last}``."""

from __future__ import annotations

import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "config.cfg"


def train(corpus_dir: Path, out_dir: Path, *, config: Path = CONFIG, seed: int = 0,
          max_steps: int | None = None) -> Path:
    """Run ``spacy train`` in-process (CPU). Returns the output folder."""
    from spacy.cli.train import train as spacy_train

    for split in ("train", "dev"):
        if not (corpus_dir / f"{split}.spacy").is_file():
            missing = corpus_dir / f"{split}.spacy"
            raise FileNotFoundError(f"{missing} is missing: run `python -m ner_models corpus` first")
    overrides: dict[str, object] = {
        "paths.train": str(corpus_dir / "train.spacy"),
        "paths.dev": str(corpus_dir / "dev.spacy"),
        "system.seed": seed,
    }
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    out_dir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    spacy_train(config, out_dir, use_gpu=-1, overrides=overrides)
    log.info("trained in %.0f s", time.perf_counter() - t)
    return out_dir
