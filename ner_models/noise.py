"""OCR noise for training text, with every entity span carried to its new offsets.

What tesseract does to a scanned school form (seen on :mod:`redaction.synth` scans):
letters confused (l/1/I/|, O/0, rn/m, cl/d, li/h, e/c), accents lost (Gonçalves ->
Goncalves), words merged or split, specks read as junk tokens ("|", "—", "'", "oe"),
two columns read across ("... loud and : Action taken: agitated"), lines broken in other
places, hyphens at line ends, form values in CAPITALS, a name typed in lower case.

Every change is an *edit* ``(start, end, replacement)`` of the current text. An edit may
not cut through a span boundary (``start < b < end``), an insertion may not sit on one,
and a space next to a boundary is never removed, so spans stay on token edges:
:func:`apply_edits` maps each boundary ``b`` to ``b`` plus the growth of all edits that
end at or before it.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

from ner_models.sample import Sample

Edit = tuple[int, int, str]

# (what tesseract reads, instead of what was printed)
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("l", "1"), ("l", "I"), ("l", "|"), ("I", "l"), ("I", "1"), ("I", "|"), ("1", "l"),
    ("O", "0"), ("0", "O"), ("o", "0"), ("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"),
    ("li", "h"), ("h", "li"), ("ri", "n"), ("n", "ri"), ("in", "m"), ("e", "c"), ("c", "e"),
    ("a", "o"), ("S", "5"), ("5", "S"), ("B", "8"), ("g", "q"), ("vv", "w"), ("w", "vv"),
    ("fi", "f"), ("t", "f"), ("u", "ii"), ("n", "h"), ("y", "v"), ("'", "’"), ("'", "`"),
    (",", "."), (".", ","), ("i", "í"), ("e", "é"),
)
JUNK: tuple[str, ...] = ("|", "—", "'", ":", ".", ",", "‘", "_", "~", "oe", "co", "i", "-", ";", "“", "=")
# field labels of a neighbouring column that OCR reads into the middle of a sentence
COLUMN_LABELS: tuple[str, ...] = (
    "Action taken:", "Concern:", "Signed:", "Date:", "Recorded by:", "DOB:", "Outcome:", ":", "|", "Notes:",
)


def apply_edits(sample: Sample, edits: list[Edit]) -> Sample:
    """Apply non-overlapping edits and move every span boundary with them.

    Raises ValueError if an edit overlaps another, cuts through a boundary or inserts
    on one (the callers below never propose such edits; this is the guard)."""
    if not edits:
        return sample
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    bounds = sample.boundaries()
    prev_end = -1
    for s, e, _ in edits:
        if s < prev_end or (s == prev_end and s == e):
            raise ValueError("noise: overlapping edits")
        if any(s < b < e for b in bounds) or (s == e and s in bounds):
            raise ValueError("noise: an edit cuts through a span boundary")
        prev_end = e
    parts: list[str] = []
    pos = 0
    for s, e, rep in edits:
        parts.append(sample.text[pos:s])
        parts.append(rep)
        pos = e
    parts.append(sample.text[pos:])
    text = "".join(parts)

    def move(b: int) -> int:
        return b + sum(len(rep) - (e - s) for s, e, rep in edits if e <= b and not (s == e == b))

    ents = tuple((move(s), move(e), lab) for s, e, lab in sample.ents)
    ignore = tuple((move(s), move(e)) for s, e in sample.ignore)
    return Sample(text, ents, ignore, sample.source)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _words(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        out.append((i, j))
        i = j
    return out


def _free(s: int, e: int, bounds: set[int], taken: list[tuple[int, int]]) -> bool:
    """May an edit of [s, e) go here (no boundary cut, nothing else edited there)?"""
    if any(s < b < e for b in bounds) or (s == e and s in bounds):
        return False
    return not any(s < te and ts < e for ts, te in taken)


def _case_edits(sm: Sample, rng: random.Random, level: float) -> list[Edit]:
    """Lines in CAPITALS (form fields), a name in capitals or in lower case."""
    edits: list[Edit] = []
    text = sm.text
    start = 0
    for line in text.split("\n"):
        if rng.random() < 0.04 * level:
            edits += [(start + i, start + i + 1, ch.upper()) for i, ch in enumerate(line) if ch.upper() != ch]
        start += len(line) + 1
    done = {s for s, _, _ in edits}
    for s, e in sm.persons():
        r = rng.random()
        if r < 0.06 * level:
            edits += [(i, i + 1, text[i].upper()) for i in range(s, e) if i not in done and text[i].upper() != text[i]]
        elif r < 0.09 * level:
            edits += [(i, i + 1, text[i].lower()) for i in range(s, e) if i not in done and text[i].lower() != text[i]]
    return edits


def _accent_edits(sm: Sample, rng: random.Random, level: float) -> list[Edit]:
    out: list[Edit] = []
    for i, ch in enumerate(sm.text):
        if ord(ch) > 127 and ch.isalpha() and rng.random() < 0.35 * level:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            if plain and plain != ch:
                out.append((i, i + 1, plain))
    return out


def _confusion_edits(sm: Sample, rng: random.Random, level: float) -> list[Edit]:
    out: list[Edit] = []
    taken: list[tuple[int, int]] = []
    bounds = sm.boundaries()
    for ws, we in _words(sm.text):
        if rng.random() >= 0.12 * level:
            continue
        word = sm.text[ws:we]
        options = [(ws + k, ws + k + len(a), b) for a, b in CONFUSIONS for k in _find_all(word, a)]
        rng.shuffle(options)
        for s, e, rep in options[: 1 + (rng.random() < 0.2 * level)]:
            # "Price`s" would be one token: an apostrophe at a span edge keeps its shape
            if sm.text[s] == "'" and s in bounds:
                continue
            if _free(s, e, bounds, taken):
                out.append((s, e, rep))
                taken.append((s, e))
    return out


def _find_all(word: str, sub: str) -> list[int]:
    out, k = [], word.find(sub)
    while k >= 0:
        out.append(k)
        k = word.find(sub, k + 1)
    return out


def _space_edits(sm: Sample, rng: random.Random, level: float) -> list[Edit]:
    """Junk tokens and column labels between words, merged words, re-broken lines."""
    out: list[Edit] = []
    bounds = sm.boundaries()
    spans = sm.covered()
    text = sm.text
    for i, ch in enumerate(text):
        if ch not in " \n":
            continue
        r = rng.random()
        outside = not _inside(i, spans)
        if outside and r < 0.025 * level:
            out.append((i, i + 1, f" {rng.choice(JUNK)} "))
        elif outside and r < 0.032 * level:
            out.append((i, i + 1, f" {rng.choice(COLUMN_LABELS)} "))
        elif r < 0.042 * level and i not in bounds and i + 1 not in bounds and 0 < i < len(text) - 1:
            if text[i - 1].isalnum() and text[i + 1].isalnum() and text[max(0, i - 2) : i] not in ("'s", "’s"):
                out.append((i, i + 1, ""))  # two words read as one
        elif r < 0.07 * level:
            out.append((i, i + 1, "\n" if ch == " " else " "))
    return out


def _split_edits(sm: Sample, rng: random.Random, level: float) -> list[Edit]:
    """A word split by a space ("Oka for"), or hyphenated across a line ("Oka-\\nfor")."""
    out: list[Edit] = []
    bounds = sm.boundaries()
    for ws, we in _words(sm.text):
        n = we - ws
        if n < 6 or not sm.text[ws:we].isalpha():
            continue
        r = rng.random()
        k = ws + rng.randint(3, n - 3)
        if k in bounds:
            continue
        if r < 0.012 * level:
            out.append((k, k, " "))
        elif r < 0.02 * level:
            out.append((k, k, "-\n"))
    return out


PASSES: tuple[Callable[[Sample, random.Random, float], list[Edit]], ...] = (
    _case_edits,
    _accent_edits,
    _confusion_edits,
    _space_edits,
    _split_edits,
)


def ocr_noise(sample: Sample, rng: random.Random, level: float) -> Sample:
    """The sample as OCR might read it; ``level`` 0 (unchanged) .. 1 (a poor scan)."""
    if level <= 0:
        return sample
    for p in PASSES:
        sample = apply_edits(sample, _dedupe(p(sample, rng, level)))
    return sample


def _dedupe(edits: list[Edit]) -> list[Edit]:
    """Keep the first of overlapping edits (case edits on the same letter, say)."""
    out: list[Edit] = []
    last_end = -1
    for s, e, rep in sorted(edits, key=lambda x: (x[0], x[1])):
        if s < last_end or (s == e and s == last_end):
            continue
        out.append((s, e, rep))
        last_end = e
    return out
