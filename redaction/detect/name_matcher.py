"""The name matcher: every form of every manifest name found in a page's tokens, however OCR read it."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from redaction.detect.base import DetectConfig
from redaction.detect.match_words import (
    _STOP,
    _WORD_NAMES,
    _digits_as_initials,
    _glued_initials,
    _initials_sim,
    _mixed_case_initials,
    _small_lettered_acronym,
)
from redaction.detect.tokens import Token, canon
from redaction.detect.variants import ALL_TITLES, Mode, NameVariant, Role, accent_pattern


@dataclass(frozen=True)
class NameMatch:
    variant: NameVariant
    first: int  # first token index (inclusive)
    last: int  # last token index (inclusive)
    sim: float  # mean token similarity, 0..1
    lower_case: bool = False  # a lone-word match printed in lower case

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    def covers(self, other: NameMatch) -> bool:
        return self.first <= other.first and other.last <= self.last

    def overlaps(self, other: NameMatch) -> bool:
        return self.first <= other.last and other.first <= self.last


def _sim_matrix(queries: list[str], choices: list[str]) -> np.ndarray:
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)), dtype=np.float32)
    return np.asarray(
        process.cdist(queries, choices, scorer=Levenshtein.normalized_similarity, dtype=np.float32, workers=1)
    )


_WILD_SIM = 0.9  # similarity given to a reading of an accented name word (accent_pattern)


def _positions(toks: list[Token]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Where each exact form (letters, possessive stripped) and each capitalised form (initials
    as printed, glued, in mixed case or as digits OCR misread) stands in the stream."""
    exact_pos: dict[str, list[int]] = defaultdict(list)
    upper_pos: dict[str, list[int]] = defaultdict(list)
    for j, t in enumerate(toks):
        exact_pos[t.base].append(j)
        if t.poss != t.base:
            exact_pos[t.poss].append(j)
        upper_pos[t.cased].append(j)
        if _mixed_case_initials(t) or _small_lettered_acronym(t):
            upper_pos[t.cased.upper()].append(j)
        if (glued := _glued_initials(t)) is not None:
            upper_pos[glued].append(j)
        if (letters := _digits_as_initials(t)) is not None and not (j > 0 and toks[j - 1].base.isdigit()):
            upper_pos[letters].append(j)  # not the minutes of a time ("10 00")
    return exact_pos, upper_pos


@dataclass(frozen=True)
class _Stream:
    """One page's tokens as the matcher scores them: each fuzzy variant word's similarity to each
    token (``single``) and to each token joined with the next (``pair``), and its accent-pattern
    hits (``wild``). Called, it scores one variant word at one position."""

    toks: list[Token]
    single: np.ndarray
    pair: np.ndarray
    wild: np.ndarray
    fuzzy_index: dict[str, int]
    config: DetectConfig

    def __call__(self, vt_text: str, mode: Mode, j: int, multi: bool) -> tuple[float, int]:
        """(similarity, tokens consumed) of variant token at stream position j; (0, 0) if none."""
        toks, n, cfg = self.toks, len(self.toks), self.config
        if j >= n:
            return 0.0, 0
        t = toks[j]
        if mode is Mode.EXACT:
            return (1.0, 1) if vt_text in (t.base, t.poss) else (0.0, 0)
        if mode is Mode.UPPER:
            return _initials_sim(t, vt_text.upper())
        row = self.fuzzy_index[vt_text]
        thr = cfg.threshold(len(vt_text), multi)
        s1 = float(self.single[row, j])
        # an accented letter OCR read as something else: a lone word needs three plain letters
        if self.wild[row, j] >= (2 if multi else 3):
            s1 = max(s1, _WILD_SIM)
            if s1 >= thr or len(vt_text) < cfg.min_fuzzy_len:
                return s1, 1
        s2 = float(self.pair[row, j]) if j < n - 1 and len(vt_text) >= cfg.min_fuzzy_len else 0.0
        if len(vt_text) < cfg.min_fuzzy_len and s1 < 1.0:
            # short tokens: exact (or exact after OCR folding) only
            return 0.0, 0
        if s2 > s1 and s2 >= thr and s2 >= 0.9:
            return s2, 2
        if s1 >= thr:
            return s1, 1
        return 0.0, 0


class NameMatcher:
    """Finds every variant in a token stream. Built once per document."""

    def __init__(self, variants: list[NameVariant], config: DetectConfig) -> None:
        self.variants = variants
        self.config = config
        fuzzy: dict[str, int] = {}
        wild: dict[int, dict[str, tuple[re.Pattern[str], int]]] = defaultdict(dict)
        for v in variants:
            for t in v.tokens:
                if t.mode is Mode.FUZZY:
                    row = fuzzy.setdefault(t.text, len(fuzzy))
                    if t.accented and (pat := accent_pattern(t.accented)) is not None:
                        wild[row][t.accented] = pat
            if len(v.tokens) > 1 and all(t.mode is Mode.FUZZY for t in v.tokens):
                fuzzy.setdefault("".join(t.text for t in v.tokens), len(fuzzy))
        self.fuzzy_index = fuzzy
        self.fuzzy_texts = list(fuzzy)
        self.fuzzy_canon = [canon(t) for t in self.fuzzy_texts]
        # accented name words: the OCR readings of their accented letters (see accent_pattern)
        self.wild = {row: list(pats.values()) for row, pats in wild.items()}

    def _wild_hits(self, toks: list[Token]) -> np.ndarray:
        """[row, j]: how many plain letters of the accented word of ``row`` token ``j`` matches
        with its accented letters read as anything (0: no such reading)."""
        out = np.zeros((len(self.fuzzy_texts), len(toks)), dtype=np.int16)
        for row, pats in self.wild.items():
            for j, t in enumerate(toks):
                if not t.upper_initial:
                    continue
                for pat, plain in pats:
                    if pat.fullmatch(t.poss) or pat.fullmatch(t.base):
                        out[row, j] = max(int(out[row, j]), plain)
        return out

    def _matrices(self, toks: list[Token]) -> tuple[np.ndarray, np.ndarray]:
        cfg = self.config
        q, cq = self.fuzzy_texts, self.fuzzy_canon

        def both(forms: list[str]) -> np.ndarray:
            out: np.ndarray = np.maximum(_sim_matrix(q, forms), _sim_matrix(cq, [canon(f) for f in forms]))
            return out

        base = [t.base for t in toks]
        poss = [t.poss for t in toks]
        weak = [t.weak for t in toks]
        single = np.maximum(both(base), both(poss))
        if any(w != p for w, p in zip(weak, poss, strict=True)):
            single = np.maximum(single, both(weak) * cfg.weak_form_penalty)
        pairs = [toks[j].base + toks[j + 1].poss for j in range(len(toks) - 1)]
        pair = both(pairs) if pairs else np.zeros((len(q), 0), dtype=np.float32)
        return single, pair

    def find(self, toks: list[Token], after_initial: frozenset[int] = frozenset()) -> list[NameMatch]:
        """Every match of every variant. ``after_initial``: tokens printed right after an initial
        ("I." or an initial OCR misread, "|.", "6."): a surname there is held to the looser
        threshold of a name of several words."""
        if not toks or not self.variants:
            return []
        single, pair = self._matrices(toks)
        stream = _Stream(toks, single, pair, self._wild_hits(toks), self.fuzzy_index, self.config)
        exact_pos, upper_pos = _positions(toks)
        out: list[NameMatch] = []
        for v in self.variants:
            vt0 = v.tokens[0]
            if vt0.mode is Mode.EXACT:
                starts = exact_pos.get(vt0.text, [])
            elif vt0.mode is Mode.UPPER:
                starts = upper_pos.get(vt0.text.upper(), [])
            else:
                starts = self._fuzzy_starts(v, stream, after_initial)
            for s in starts:
                m = self._match_at(v, s, stream, after_initial)
                if m is not None:
                    out.append(m)
            out += self._other_readings(v, stream)
        return out

    def _fuzzy_starts(self, v: NameVariant, stream: _Stream, after_initial: frozenset[int]) -> list[int]:
        """Where a variant whose first word is matched fuzzily may start."""
        cfg, vt0, n = self.config, v.tokens[0], len(stream.toks)
        row = self.fuzzy_index[vt0.text]
        thr = min(cfg.threshold(len(vt0.text), len(v.tokens) > 1), 0.9)
        hit = (stream.single[row] >= thr) | (stream.wild[row] >= 2)
        if stream.pair.shape[1]:
            hit[:-1] |= stream.pair[row] >= thr
        if v.surname_only and after_initial:
            relaxed = stream.single[row] >= cfg.threshold(len(vt0.text), True)
            hit |= relaxed & np.isin(np.arange(n), list(after_initial))
        return [int(x) for x in np.nonzero(hit)[0]]

    def _match_at(self, v: NameVariant, s: int, stream: _Stream, after_initial: frozenset[int]) -> NameMatch | None:
        """The variant's match starting at token ``s``, if its every word reads there (or, one
        word misread, as :meth:`_one_word_misread` allows)."""
        toks, multi, vt0 = stream.toks, len(v.tokens) > 1, v.tokens[0]
        j, sims = s, []
        loose_single = multi or (v.surname_only and s in after_initial)
        for vt in v.tokens:
            sim, used = stream(vt.text, vt.mode, j, loose_single)
            if not used:
                return self._one_word_misread(v, s, stream.single, stream, toks)
            sims.append(sim)
            j += used
        if multi and max(sims) < 0.9:
            return None
        mean = sum(sims) / len(sims)
        lower = False
        if not multi and vt0.mode is Mode.FUZZY and not toks[s].upper_initial:
            if mean < 1.0 or toks[s].poss in _WORD_NAMES:
                # a name that is also an everyday word ("Can", "Will", "Rose") printed in
                # lower case is the word
                return None
            lower = True
        return NameMatch(v, s, j - 1, mean, lower)

    def _other_readings(self, v: NameVariant, stream: _Stream) -> list[NameMatch]:
        """A long organisation name whose first word OCR misread, and names run together in one
        token ("DanielPrice")."""
        out: list[NameMatch] = []
        if v.owner.role is Role.ORG and len(v.tokens) >= 4 and all(t.mode is Mode.FUZZY for t in v.tokens):
            out += self._first_word_misread(v, stream, stream.toks)
        if len(v.tokens) > 1 and all(t.mode is Mode.FUZZY for t in v.tokens):
            joined = "".join(t.text for t in v.tokens)
            row = self.fuzzy_index[joined]
            thr = self.config.threshold(len(joined))
            for hit in np.nonzero(stream.single[row] >= max(thr, 0.85))[0]:
                out.append(NameMatch(v, int(hit), int(hit), float(stream.single[row, hit])))
        return out

    def _first_word_misread(self, v: NameVariant, tok_sim: Callable[[str, Mode, int, bool], tuple[float, int]],
                            toks: list[Token]) -> list[NameMatch]:
        """An organisation name of four words or more whose first word OCR garbled ("meron
        Police Barnet Safeguarding Unit"): every other word read well (>= 0.9); the garbled
        word goes with it when it is a word of letters. A first word read well with OCR's
        debris of a letter or two between it and the rest ("Islington a / Health Visiting
        Team") goes with it too."""
        out: list[NameMatch] = []
        for s in range(1, len(toks)):
            j, sims = s, []
            for vt in v.tokens[1:]:
                sim, used = tok_sim(vt.text, vt.mode, j, True)
                if not used or sim < 0.9:
                    break
                sims.append(sim)
                j += used
            else:
                prev = toks[s - 1]
                first = s - 1 if prev.base.isalpha() and prev.base not in _STOP else s
                vt0 = v.tokens[0]
                if s >= 2 and len(prev.base) <= 2 and tok_sim(vt0.text, vt0.mode, s - 2, True)[0] >= 0.9:
                    first = s - 2  # the first word read well, OCR debris after it ("Islington a / Health ...")
                out.append(NameMatch(v, first, j - 1, round(sum(sims) / len(sims) * 0.9, 4)))
        return out

    def _one_word_misread(self, v: NameVariant, s: int, single: np.ndarray,
                          tok_sim: Callable[[str, Mode, int, bool], tuple[float, int]],
                          toks: list[Token]) -> NameMatch | None:
        """A multi-word name whose words all match well but one that OCR garbled past the
        fuzzy threshold: "Aoife Maphy" for Aoife Murphy, "Metropolitan Police Rovat
        Safeguarding Unit". The first word must match (it found ``s``); a person's other
        word must still look like it (similarity >= ``loose_word``) and be capitalised; in
        names of four words or more (organisations) one inner word may be anything."""
        if len(v.tokens) < 2 or any(t.mode is not Mode.FUZZY for t in v.tokens) or v.tokens[0].text in ALL_TITLES:
            return None
        n = len(toks)
        j, sims, loose = s, [], -1
        for i, vt in enumerate(v.tokens):
            sim, used = tok_sim(vt.text, vt.mode, j, True)
            if used:
                sims.append(sim)
                j += used
                continue
            if loose >= 0 or i == 0 or j >= n:
                return None
            raw = float(single[self.fuzzy_index[vt.text], j])
            t = toks[j]
            inner = len(v.tokens) >= 4 and i < len(v.tokens) - 1
            # an organisation of three words or more: a word that still looks like its own, or
            # OCR's lower-case debris in place of its last word ("Newham Family nachna")
            org = v.owner.role is Role.ORG and len(v.tokens) >= 3 and len(t.base) >= 3 and t.base.isalpha() and (
                raw >= _ORG_LOOSE_WORD or (i == len(v.tokens) - 1 and t.cased.islower() and t.base not in _STOP))
            if not (inner and any(c.isalpha() for c in t.base)) and not org and not (
                    raw >= self.config.loose_word and t.upper_initial and len(t.base) >= 3):
                return None
            loose = i
            sims.append(raw)
            j += 1
        if loose < 0 or min(x for i, x in enumerate(sims) if i != loose) < 0.9:
            return None
        return NameMatch(v, s, j - 1, round(sum(sims) / len(sims) * 0.95, 4))


_ORG_LOOSE_WORD = 0.3  # an organisation's misread word beside its well-read ones ("Haringey Fan Services")
