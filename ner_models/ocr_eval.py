"""A dev set read by real OCR: synth pages scanned, read by tesseract, labelled by word.

For each cast (seeds ``seed * 1_000_000 + 900_000 + i``, every name from the held-out
pools, so neither model has seen them), every synth document is laid out, rasterised
and spoiled like a ``default``-profile scan (:mod:`redaction.synth.scan`), and read by
:class:`redaction.ocr.TesseractEngine`. The OCR words are joined into page text exactly
as the pipeline does (:func:`redaction.detect.align.build_page_text`), and each OCR word
takes the label of the printed words under it (box overlap): PERSON if it covers a
name word, ignored if it covers a title or initials, otherwise not a name. The result
is a list of :class:`Sample` (one per page, one PERSON span per name word), scored at
word level by :func:`ner_models.metrics.word_prf`.

Tesseract's words are cached by image hash under the cache folder, so a second run
does no OCR.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ner_models.cast import tagged_cast
from ner_models.documents import is_title, mention_of
from ner_models.sample import Sample
from redaction.detect.align import build_page_text
from redaction.models import Box, OcrPage, TextSource, Word
from redaction.ocr.base import PixelWord
from redaction.ocr.cache import DirOcrCache, cache_key
from redaction.ocr.tesseract import TesseractEngine
from redaction.synth import scan
from redaction.synth.documents import BUILDERS
from redaction.synth.documents.context import Ctx
from redaction.synth.documents.letters import agency_letter
from redaction.synth.generate import PROFILES
from redaction.synth.layout import TruthWord

log = logging.getLogger(__name__)

OCR_OFFSET = 900_000
BoxT = tuple[float, float, float, float]


@dataclass(frozen=True)
class ScannedPage:
    image_png_sha: str
    words: list[tuple[str, BoxT, str]]  # printed word, box in pixels, label PERSON|IGNORE|O
    source: str


def _label(w: TruthWord) -> str:
    m = mention_of(w.tag)
    if m is None:
        return "O"
    if m[0] == "PERSON":
        return "IGNORE" if is_title(w.text) else "PERSON"
    return "IGNORE" if m[0] == "IGNORE" else "O"


def scanned_pages(cast_seed: int) -> list[tuple[object, list[tuple[str, BoxT, str]], str]]:
    """(page image, labelled printed words in pixels, source) for every page of a cast."""
    prof = PROFILES["default"]
    cast = tagged_cast(cast_seed, "unseen")
    rng = random.Random(cast_seed)
    nrng = np.random.default_rng(cast_seed)
    ctx = Ctx(cast, rng, long=rng.random() < 0.5)
    built = [(k, b(ctx)) for k, b in BUILDERS.items()]
    if ctx.o2 is not ctx.o:
        built.append(("agency_letter", agency_letter(ctx, ctx.o2)))
    out: list[tuple[object, list[tuple[str, BoxT, str]], str]] = []
    for kind, b in built:
        doc, pages = b.writer.finish()
        dpi = rng.choice(prof.dpis)
        for i, words in enumerate(pages):
            angle = round(rng.uniform(-prof.max_angle, prof.max_angle), 3)
            shift = (rng.uniform(-6, 6), rng.uniform(-6, 6))
            img, boxes = scan.rasterise_turned(doc[i], dpi, [w.box for w in words], angle, shift)
            d = scan.Degradation(
                blur=round(rng.uniform(*prof.blur), 2), speckle=rng.randint(*prof.speckle),
                noise=rng.randint(*prof.noise), ink=rng.randint(10, 60), paper=rng.randint(238, 252),
            )
            img, boxes = scan.degrade(img, boxes, d, nrng)
            img.info["dpi"] = (dpi, dpi)
            out.append((img, [(w.text, bx, _label(w)) for w, bx in zip(words, boxes, strict=True)], f"ocr:{kind}"))
        doc.close()
    return out


def _ocr(img: object, engine: TesseractEngine, cache: DirOcrCache) -> list[PixelWord]:
    from PIL import Image

    assert isinstance(img, Image.Image)
    sha = hashlib.sha256(img.tobytes() + repr((img.size, img.info.get("dpi"))).encode()).hexdigest()
    key = cache_key(engine.name, engine.config_key, sha)
    words = cache.get(key)
    if words is None:
        words = engine.read(img)
        cache.put(key, words)
    return words


def _area(b: BoxT) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def _overlap(a: BoxT, b: BoxT) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def label_ocr_words(ocr: list[PixelWord], printed: list[tuple[str, BoxT, str]]) -> list[str]:
    """Each OCR word's label from the printed words its box covers."""
    labels: list[str] = []
    for pw in ocr:
        box = (float(pw.left), float(pw.top), float(pw.left + pw.width), float(pw.top + pw.height))
        hits = []
        for _, tb, lab in printed:
            ov = _overlap(box, tb)
            if ov > 0 and (ov >= 0.3 * _area(tb) or ov >= 0.5 * _area(box)):
                hits.append(lab)
        labels.append("PERSON" if "PERSON" in hits else "IGNORE" if "IGNORE" in hits else "O")
    return labels


def page_sample(ocr: list[PixelWord], labels: list[str], source: str) -> Sample:
    """The page text as the pipeline builds it, one PERSON span per name word."""
    words = tuple(
        Word(pw.text, Box(float(pw.left), float(pw.top), float(pw.left + pw.width), float(pw.top + pw.height)),
             pw.block, pw.line, pw.word_no, pw.conf)
        for pw in ocr
    )
    label_of = {id(w): lab for w, lab in zip(words, labels, strict=True)}
    pt = build_page_text(OcrPage(0, 1.0, 1.0, 0, TextSource.TESSERACT, words))
    ents = tuple((s, e, "PERSON") for w, (s, e) in zip(pt.words, pt.spans, strict=True) if label_of[id(w)] == "PERSON")
    ignore = tuple((s, e) for w, (s, e) in zip(pt.words, pt.spans, strict=True) if label_of[id(w)] == "IGNORE")
    return Sample(pt.text, ents, ignore, source)


def ocr_samples(seed: int, n_casts: int, cache_dir: Path, workers: int = 2) -> list[Sample]:
    """The OCR dev set: one sample per scanned page of ``n_casts`` casts."""
    engine = TesseractEngine()  # the pool's threads read at once: each takes its own library handle
    cache = DirOcrCache(cache_dir)
    pages = [p for i in range(n_casts) for p in scanned_pages(seed * 1_000_000 + OCR_OFFSET + i)]
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"  # tesseract's own threads fight the pool
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            ocrs = list(pool.map(lambda p: _ocr(p[0], engine, cache), pages))
    finally:
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old
    out = []
    for (_, printed, source), ocr in zip(pages, ocrs, strict=True):
        out.append(page_sample(ocr, label_ocr_words(ocr, printed), source))
    log.info("OCR dev set: %d pages of %d casts", len(out), n_casts)
    return out
