"""Side by side on the same dev sets: the shipped small model and ours.

Each model reads every dev text whole (the texts are page chunks, as the pipeline hands
pages to Presidio); its PERSON entities are scored with :mod:`ner_models.metrics`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ner_models.corpus import read_jsonl
from ner_models.metrics import PRF, span_prf, word_prf
from ner_models.sample import Sample

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

PERSON_LABELS = frozenset({"PERSON", "PER"})


def person_spans(nlp: Language, texts: Sequence[str], batch_size: int = 32) -> list[list[tuple[int, int]]]:
    """Character spans of every PERSON entity the model finds, per text."""
    return [
        [(e.start_char, e.end_char) for e in doc.ents if e.label_ in PERSON_LABELS]
        for doc in nlp.pipe(texts, batch_size=batch_size)
    ]


def score(nlp: Language, samples: Sequence[Sample], span_level: bool = True) -> dict[str, Any]:
    """PERSON P/R/F1 (span and word level) of one model on samples, overall and per source.
    ``span_level=False`` for the OCR set, whose gold is one span per word."""
    preds = person_spans(nlp, [s.text for s in samples])
    span, word = PRF(), PRF()
    by_source: dict[str, PRF] = {}
    for s, p in zip(samples, preds, strict=True):
        sp, wp = span_prf(s, p), word_prf(s, p)
        span.add(sp)
        word.add(wp)
        by_source.setdefault(s.source, PRF()).add(wp)
    return {
        **({"span": span.as_dict()} if span_level else {}),
        "word": word.as_dict(),
        "word_by_source": {k: v.as_dict() for k, v in sorted(by_source.items())},
        "samples": len(samples),
    }


def evaluate_sets(models: dict[str, Language], corpus_dir: Path, splits: Sequence[str] = ("dev", "dev_unseen")
                  ) -> dict[str, dict[str, Any]]:
    """{split: {model name: scores}} for the dev splits that exist in corpus_dir."""
    out: dict[str, dict[str, Any]] = {}
    for split in splits:
        path = corpus_dir / f"{split}.jsonl"
        if not path.is_file():
            log.warning("no %s set in the corpus folder: skipped", split)
            continue
        samples = read_jsonl(path)
        out[split] = {name: score(nlp, samples, span_level=not split.startswith("ocr")) for name, nlp in models.items()}
    return out


def table(results: dict[str, dict[str, Any]]) -> str:
    """The side-by-side table printed by ``python -m ner_models evaluate``."""
    lines = [f"{'set':<12} {'level':<5} {'model':<24} {'P':>7} {'R':>7} {'F1':>7}   tp/fp/fn"]
    for split, by_model in results.items():
        for level in ("span", "word"):
            for name, sc in by_model.items():
                m = sc.get(level)
                if m is None:
                    continue
                lines.append(f"{split:<12} {level:<5} {name:<24} {m['p']:7.3f} {m['r']:7.3f} {m['f']:7.3f}"
                             f"   {m['tp']}/{m['fp']}/{m['fn']}")
    return "\n".join(lines)
