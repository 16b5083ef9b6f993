"""The people finder's model answers, kept per page text.

The spaCy model is the costliest part of detection, and the same page text is asked
again and again: by the second pass over each document (knowing the names found in the
others), by a consent answer that changes, by an unchanged document after a code change
elsewhere. Its answer, the (start, end, score, label) of each person it finds and of each
entity it labelled as something a person's name is often taken for (an organisation, a
place, a nationality: :data:`MISTAKEN_LABELS`), from one run of the model, is kept under a key
made of a hash of the text, the model's name and fingerprint (its meta, which a retrained
model changes), the score threshold and this module's version: in memory for the process,
and on disk under the folder given to :func:`use` (cleancopy's home). What is stored is
offsets and scores only: never text, and the key is not reversible to it.

The model reads the text with the rules of a table drawn over it taken out: OCR reads a cell's
border as a "|" glued to the word beside it ("|Kudzai Sibanda told staff"), and a name that
starts with one is a word neither model knows. Each is replaced by a space, so every offset
holds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VERSION = "2"
MEMORY_ENTRIES = 4096

PERSON = "PERSON"
# spaCy labels a small model gives names it does not know ("Innes Menzies" ORG, "Lowri" GPE)
MISTAKEN_LABELS = frozenset({"ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "LOC"})

Entity = tuple[int, int, float, str]
Answer = tuple[Entity, ...]

# a table's rule as OCR reads it: never part of a name or of prose
_RULES = re.compile(r"[|\u00a6]")

_lock = threading.Lock()
_memory: OrderedDict[str, Answer] = OrderedDict()
_folder: Path | None = None


def use(folder: Path | None) -> None:
    """Keep answers on disk in ``folder`` too (None: in memory only)."""
    global _folder
    with _lock:
        _folder = folder


def _fingerprint(engine: Any, model: str) -> str:
    try:
        meta = engine.nlp_engine.nlp["en"].meta
    except (AttributeError, KeyError, TypeError):
        meta = {"engine": type(engine).__qualname__}
    return hashlib.sha256(f"{model}|{json.dumps(meta, sort_keys=True, default=str)}".encode()).hexdigest()[:16]


def _path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


def _read(key: str) -> Answer | None:
    folder = _folder
    if folder is None:
        return None
    try:
        data = json.loads(_path(folder, key).read_text(encoding="utf-8"))
        return tuple((int(s), int(e), float(sc), str(label)) for s, e, sc, label in data)
    except (OSError, ValueError, TypeError):
        return None


def _write(key: str, answer: Answer) -> None:
    folder = _folder
    if folder is None:
        return
    path = _path(folder, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps([list(a) for a in answer]), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:  # a cache that cannot be written costs time, not results
        log.info("people finder cache not written: %s", type(e).__name__)


def entities(engine: Any, model: str, text: str, min_score: float) -> Answer:
    """What ``engine`` finds in ``text``: its person entities (scored by Presidio, label
    :data:`PERSON`) and the model's entities of :data:`MISTAKEN_LABELS` (score 0), from one
    run of the model."""
    text = _RULES.sub(" ", text)
    key = hashlib.sha256(
        f"{VERSION}|{_fingerprint(engine, model)}|{min_score!r}\0{text}".encode()).hexdigest()
    with _lock:
        hit = _memory.get(key)
        if hit is not None:
            _memory.move_to_end(key)
            return hit
    hit = _read(key)
    if hit is None:
        hit = _ask(engine, text, min_score)
        _write(key, hit)
    with _lock:
        _memory[key] = hit
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)
    return hit


def _ask(engine: Any, text: str, min_score: float) -> Answer:
    artifacts = engine.nlp_engine.process_text(text, "en")
    results = engine.analyze(text=text, language="en", entities=[PERSON], score_threshold=min_score,
                             nlp_artifacts=artifacts)
    found = [(int(r.start), int(r.end), float(r.score), PERSON) for r in results]
    # the model's own entities, before Presidio's mapping drops the labels it ignores
    found += [(int(e.start_char), int(e.end_char), 0.0, str(e.label_)) for e in artifacts.tokens.ents
              if e.label_ in MISTAKEN_LABELS]
    return tuple(found)
