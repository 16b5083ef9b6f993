"""PERSON precision / recall / F1, two ways.

* ``span``: a predicted PERSON entity counts if its character span equals a gold one
  exactly (spaCy's scorer; OntoNotes conventions: no title, no possessive).
* ``word``: the unit is a whitespace-separated word of the text, as the redaction boxes
  it (:mod:`redaction.detect.align` boxes every word a span touches). A word is gold if
  a gold PERSON span touches it, predicted if a predicted one does. Titles ("Mr",
  "Auntie") and words inside ignored spans (initials) are left out of both sides: they
  are neither a name nor a miss.

Predicted entities inside an ignored span are dropped before counting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ner_models.documents import is_title
from ner_models.sample import Sample

_WORD = re.compile(r"\S+")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _touches(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


def _inside(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def span_prf(sample: Sample, predicted: list[tuple[int, int]]) -> PRF:
    gold = set(sample.persons())
    pred = {p for p in predicted if not _inside(p[0], p[1], list(sample.ignore))}
    tp = len(gold & pred)
    return PRF(tp, len(pred) - tp, len(gold) - tp)


def word_prf(sample: Sample, predicted: list[tuple[int, int]]) -> PRF:
    gold_spans = sample.persons()
    ignore = list(sample.ignore)
    pred_spans = [p for p in predicted if not _inside(p[0], p[1], ignore)]
    out = PRF()
    for m in _WORD.finditer(sample.text):
        s, e = m.span()
        if is_title(m.group()) or _inside(s, e, ignore):
            continue
        g = _touches(s, e, gold_spans)
        p = _touches(s, e, pred_spans)
        out.tp += g and p
        out.fp += p and not g
        out.fn += g and not p
    return out
