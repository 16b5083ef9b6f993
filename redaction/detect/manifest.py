"""Names from the manifest, found in the page token stream.

Matching is OCR-tolerant (rapidfuzz Levenshtein similarity on OCR-folded forms, see
:func:`redaction.detect.tokens.canon`): "Danie1 Pr1ce" and "Pnce" are found; a name
split into two tokens ("Dan iel", "Pri-" / "ce") or two names run together
("DanielPrice") too. Variant tokens shorter than ``min_fuzzy_len`` must match
exactly. The stream ignores line breaks, so a name split across lines is one match
with one box per line.

Protection: every name of the child, the requester, the setting's staff and of parties
who granted consent is matched as well. A party's match is dropped when a protected
match covers it with more words ("Hart" inside "Amelia Hart"), or covers the same words
at least as well ("Hart" alone when the child is a Hart) -- except a lone first name
the party shares with a protected person: it is proposed for review with
:attr:`Reason.SHARED_FIRST_NAME` and a lower score; one the child or the requester
shares only where the party was named in another way earlier in the same sentence.
Initials two people share go to the one the document names in full (see
:func:`named_people`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.align import PageText
from redaction.detect.base import DetectConfig, DetectContext
from redaction.detect.rules import rule, slug, tag
from redaction.detect.tokens import Token, canon
from redaction.detect.variants import ALL_TITLES, Mode, NameVariant, Owner, Role, accent_pattern
from redaction.detect.wrapped import wrapped_names
from redaction.models import Box, ProposalDraft, Reason

NAME = "manifest"

_ROLE_REASON = {
    Role.PARTY: Reason.THIRD_PARTY,
    Role.PARTY_STAFF: Reason.THIRD_PARTY_STAFF,
    Role.ORG: Reason.THIRD_PARTY_ORG,
}
_SHARE_PRIORITY = {
    Role.CHILD: 0, Role.REQUESTER: 1, Role.STAFF: 2, Role.PARTY: 3, Role.PARTY_STAFF: 3, Role.ORG: 4,
}


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


@dataclass(frozen=True)
class PartyMatch:
    """A withheld party's match that survived protection."""

    match: NameMatch
    reason: Reason
    score: float
    explanation: str
    shared_with: Role | None = None

    @property
    def party_id(self) -> str | None:
        return self.match.variant.owner.party_id


def _sim_matrix(queries: list[str], choices: list[str]) -> np.ndarray:
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)), dtype=np.float32)
    return np.asarray(
        process.cdist(queries, choices, scorer=Levenshtein.normalized_similarity, dtype=np.float32, workers=1)
    )


_STOP = frozenset(STOP_WORDS) | {"said", "says", "told", "asked", "reported", "agreed", "will", "would"}
# given names that are everyday English words too: printed in lower case, they are the word
_WORD_NAMES = _STOP | frozenset(
    "will may mark bill rose grace hope faith joy ray dawn pat rob sue jack drew guy frank summer amber "
    "ivy holly heather violet lily daisy ruby pearl crystal sky river storm autumn june april august art "
    "sunny dean bob penny sandy rusty chase hunter victor eve gay kay jay bay wade miles reed rich "
    "glen dale heath clay cliff brook lane fern iris jasmine poppy willow hazel ash rowan robin "
    "honor honour patience prudence charity mercy constance earnest ernest precious blessing "
    "gift favour favor goodness wisdom".split())
# short words that begin a sentence: never taken for initials OCR printed in mixed case
_COMMON_SHORT = frozenset(
    "ah am an as at be by do go ha he hi if in is it me my no of oh ok on or so to up us we ye yo "
    "the and for but not you all any can had her was one our out day get has him his how man new now old see "
    "two way who boy did its let put say she too use mum dad nan are ask big bus car cry end eye far few fun "
    "got hot job key lot may mix nor off own pay ran red run sad sat set sit six ten top try war yes yet".split()
)


def _mixed_case_initials(t: Token) -> bool:
    """A two- or three-letter word in mixed case ("Ju" or "jU" for "JU") that is no common word."""
    c = t.cased
    return 2 <= len(c) <= 3 and c.isalpha() and not c.isupper() and not c.islower() and t.base not in _COMMON_SHORT


_GLUED_INITIALS = re.compile(r"([A-Z]{2,3})([a-z]{2,})")


def _glued_initials(t: Token) -> str | None:
    """Initials OCR ran into the common word after them ("BMwas" for "BM was")."""
    m = _GLUED_INITIALS.fullmatch(t.cased)
    return m.group(1) if m is not None and m.group(2).lower() in _STOP else None


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
        if _mixed_case_initials(t):
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


def _initials_sim(t: Token, upper: str) -> tuple[float, int]:
    """How well token ``t`` reads as the initials ``upper`` (as printed, glued, as digits, mixed case)."""
    if t.cased == upper:
        return 1.0, 1
    if _glued_initials(t) == upper:
        return 0.9, 1
    if _digits_as_initials(t) == upper:
        return _DIGIT_INITIALS_SIM, 1
    return (0.9, 1) if _mixed_case_initials(t) and t.cased.upper() == upper else (0.0, 0)


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
_INITIAL_WORD = re.compile(r"\S\.")


def after_initials(pt: PageText, toks: list[Token]) -> frozenset[int]:
    """Tokens that start a word printed right after an initial on the same line: one character
    and a full stop ("I.", or an initial OCR misread: "|.", "6.")."""
    out: set[int] = set()
    for j, t in enumerate(toks):
        w = t.word
        if (w > 0 and t.start == pt.spans[w][0] and pt.lines[w - 1] == pt.lines[w]
                and _INITIAL_WORD.fullmatch(pt.words[w - 1].text.strip())):
            out.add(j)
    return frozenset(out)


def lower_case_initials(matches: list[list[NameMatch]], tokens: list[list[Token]]) -> list[list[NameMatch]]:
    """Initials a document prints in capitals somewhere ("SK said ...") found again where OCR
    read them in lower case ("sk" in an action table's Who cell) or added a letter at one end
    of them ("PAK" for "AK", a three-capital word printed only once in the document and no
    school abbreviation such as "DSL"): one match per page and token, for every owner of those
    initials (protection then decides as for any match). Common short words ("am", "me") are
    never taken for initials."""
    shown = {m.variant for page in matches for m in page
             if m.variant.kind == "initials" and len(m.variant.tokens) == 1 and m.variant.tokens[0].mode is Mode.UPPER}
    by_text: dict[str, list[NameVariant]] = defaultdict(list)
    for v in shown:
        by_text[v.tokens[0].text.lower()].append(v)
    printed: dict[str, int] = defaultdict(int)
    for toks in tokens:
        for t in toks:
            printed[t.cased] += 1
    out: list[list[NameMatch]] = []
    for toks in tokens:
        found: list[NameMatch] = []
        for j, t in enumerate(toks):
            c = t.cased
            if 2 <= len(c) <= 3 and c.isalpha() and c.islower() and c not in _COMMON_SHORT and c not in _STOP:
                found += [NameMatch(v, j, j, _LOWER_INITIALS_SIM, lower_case=True) for v in by_text.get(c, ())]
            elif (len(c) == 3 and c.isalpha() and c.isupper() and printed[c] == 1
                  and c.lower() not in _SCHOOL_ACRONYMS):
                # a letter OCR added at either end, printed once in the document ("PAK" for "AK")
                found += [NameMatch(v, j, j, _ADDED_LETTER_SIM) for part in (c[1:], c[:2])
                          for v in by_text.get(part.lower(), ())]
        out.append(found)
    return out


_LOWER_INITIALS_SIM = 0.9
_ADDED_LETTER_SIM = 0.8
_DIGIT_INITIALS_SIM = 0.85
_DIGIT_LETTERS = str.maketrans({"0": "O"})


def _digits_as_initials(t: Token) -> str | None:
    """Initials of O's that OCR read as zeros ("00 said" for "OO said"), as letters; None for
    any other token (a "10" or "11" is a number far more often than anybody's initials)."""
    c = t.cased
    if 2 <= len(c) <= 3 and "0" in c and set(c) <= {"0", "O"}:
        return c.translate(_DIGIT_LETTERS)
    return None


# three-letter abbreviations of a school's files, never taken for initials with a letter added
_SCHOOL_ACRONYMS = frozenset(
    "dsl sen slt cin lac eal ehc iep caf tac pep fsm dob gcs nhs pta pto sar dfe ofs cpd hmi nqt ect "
    "sfw fsw ewo dsp sat".split())


def named_people(matches: list[list[NameMatch]]) -> frozenset[tuple[Owner, str]]:
    """The people named in a document by more than initials or a lone word ("Ayesha Ali",
    "Mr Malik"), as (owner, the manifest's name)."""
    return frozenset((m.variant.owner, m.variant.person) for page in matches for m in page
                     if m.variant.person and m.length >= 2
                     and any(t.mode is Mode.FUZZY for t in m.variant.tokens))


def _initials_theirs(m: NameMatch, p: NameMatch, matches: list[NameMatch],
                     named: frozenset[tuple[Owner, str]] | None) -> bool:
    """Initials a withheld person (``m``) shares with a protected one (``p``) are the withheld
    person's when the document names them in full and not the protected person ("Ayesha Ali"
    in the attendee list, "AA said"), or names both and the withheld worker's organisation
    comes just before ("Update from HFS / ZM said")."""
    if named is None or m.variant.kind != "initials" or p.variant.kind != "initials":
        return False
    mine = (m.variant.owner, m.variant.person) in named
    theirs = (p.variant.owner, p.variant.person) in named
    if mine and not theirs:
        return True
    return mine and m.variant.owner.role is Role.PARTY_STAFF and any(
        o.variant.owner.role is Role.ORG and o.variant.owner.party_id == m.variant.owner.party_id
        and 0 < m.first - o.last <= _ORG_BEFORE_INITIALS for o in matches)


_ORG_BEFORE_INITIALS = 25  # tokens


def _across_lines(m: NameMatch, toks: list[Token] | None, text: str) -> bool:
    """The words of ``m`` are printed on more than one line."""
    return toks is not None and m.last > m.first and "\n" in text[toks[m.first].end:toks[m.last].start]


def _protected_named_beside(m: NameMatch, p: NameMatch, matches: list[NameMatch], toks: list[Token] | None,
                            text: str) -> bool:
    """Initials a withheld person (``m``) shares with a protected one (``p``) are the withheld
    person's when the same sentence names the protected person another way ("ON was seen at
    the gate although Olumide had asked ..."): nobody is called by initials and by name in one
    breath."""
    if toks is None or m.variant.kind != "initials" or p.variant.kind != "initials":
        return False
    who = p.variant.owner
    for o in matches:
        if (o.variant.owner != who or o.variant.kind == "initials" or o.overlaps(m)
                or abs(o.first - m.first) > _SAME_SENTENCE_TOKENS):
            continue
        a, b = (o, m) if o.last < m.first else (m, o)
        if not _SENTENCE_BREAK.search(text[toks[a.last].end:toks[b.first].start]):
            return True
    return False


_SAME_SENTENCE_TOKENS = 40


def resolve(matches: list[NameMatch], config: DetectConfig, toks: list[Token] | None = None,
            text: str = "", named: frozenset[tuple[Owner, str]] | None = None) -> list[PartyMatch]:
    """Withheld parties' matches that survive protection, longest-first de-duplicated. ``toks``
    and ``text`` (the page's token stream and text) tell where sentences end; ``named``
    (:func:`named_people` of the document) whose initials shared ones are."""
    known = [m for m in matches if m.variant.owner.protected]
    kept: list[PartyMatch] = []
    for m in matches:
        owner = m.variant.owner
        if owner.protected:
            continue
        suppressed, shared = _protection(m, known, matches, toks, text, named)
        if suppressed:
            continue
        reason = _ROLE_REASON[owner.role]
        kind = m.variant.kind
        if owner.role is Role.PARTY_STAFF:
            kind = f"organisation staff: {kind}"
        if shared in (Role.CHILD, Role.REQUESTER) and not _party_named_before(
                m, matches, config.shared_name_window, toks, text) and not (
                shared is Role.CHILD and _child_named_then_pronoun(m, known, toks, text)):
            # a lone first name the file's own child (or the requester) bears means them, unless the
            # party was named in another way earlier in the same sentence ("Noël Schröder came and
            # Noël said"); a file about the child names the child by that name everywhere else
            continue
        if shared is not None:
            kept.append(PartyMatch(
                m, Reason.SHARED_FIRST_NAME, config.shared_first_name_score,
                f"{kind}, shared with {shared.label}: check who is meant", shared,
            ))
            continue
        score = m.variant.weight * m.sim * (config.lowercase_factor if m.lower_case else 1.0)
        expl = kind
        if m.sim < 1.0:
            expl += " (OCR-tolerant match)"
        if m.lower_case:
            expl += " (printed in lower case)"
        kept.append(PartyMatch(m, reason, round(score, 3), expl))
    # a match inside a longer one adds nothing; of equal spans keep the best
    kept.sort(key=lambda k: (-k.match.length, -k.score))
    final: list[PartyMatch] = []
    for k in kept:
        if any(f.match.covers(k.match) for f in final):
            continue
        final.append(k)
    return final


def _protection(m: NameMatch, known: list[NameMatch], matches: list[NameMatch], toks: list[Token] | None,
                text: str, named: frozenset[tuple[Owner, str]] | None) -> tuple[bool, Role | None]:
    """What the protected names ``known`` say of a withheld party's match ``m``: whether it is
    theirs (suppressed), and else the role of a person who stays sharing its words, if any."""
    shared: Role | None = None
    for p in known:
        if not p.overlaps(m):
            continue
        if p.covers(m) and p.length > m.length:
            return True, shared
        if m.covers(p) and m.length > p.length:
            continue
        if not p.covers(m) and _across_lines(p, toks, text):
            # a protected form read over a line break ("GONCALVES / RU! O'SULLIVAN": the end of
            # one table row and the start of the next) does not take a withheld name's words
            continue
        if _initials_theirs(m, p, matches, named) or _protected_named_beside(m, p, matches, toks, text):
            continue
        if p.sim >= m.sim - 1e-9:
            r = p.variant.owner.role
            if not ((m.variant.first_only and m.length == 1) or r in (Role.PARTY, Role.PARTY_STAFF)):
                return True, shared
            # a first name anyone may share, or a form two listed people share ("Mr Gonçalves"
            # for two brothers, one consenting): the reviewer decides who is meant
            if shared is None or _SHARE_PRIORITY[r] < _SHARE_PRIORITY[shared]:
                shared = r
    return False, shared


_SENTENCE_BREAK = re.compile(r"[.?!:|][\"'\u201d\u2019)\]]*\s")


def _party_named_before(m: NameMatch, matches: list[NameMatch], window: int, toks: list[Token] | None,
                        text: str) -> bool:
    """Another form of the same party's name (not a lone first name) within ``window`` tokens
    before ``m``, in the same sentence (no full stop, question or exclamation mark between them;
    without ``toks`` and ``text``, sentences are not looked at)."""
    pid = m.variant.owner.party_id
    for o in matches:
        if (o.variant.owner.party_id != pid or o.variant.owner.protected or o.variant.first_only
                or o.last >= m.first or m.first - o.last > window):
            continue
        if toks is None or not _SENTENCE_BREAK.search(text[toks[o.last].end:toks[m.first].start]):
            return True
    return False


_PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "himself", "herself"})


def _child_named_then_pronoun(m: NameMatch, known: list[NameMatch], toks: list[Token] | None,
                              text: str) -> bool:
    """A lone first name the child shares, after the child was named by it and then spoken of
    as "he", "his" or "she" in the same sentence ("Noël has been withdrawn and told Miss C that
    he is scared of Noël"), or after the sentence opened with the child's name ("Winston has
    been withdrawn and told Ms Brown that i is scared of Winston", the "he" lost to OCR): a
    writer who has named the child, or turned to a pronoun for them, does not name the child
    again in that sentence, so this is somebody else: the party. (Named twice mid-sentence,
    "She asked that Noël is not told about Noël", either may be the child: left.)"""
    if toks is None or toks[m.first].poss != toks[m.first].base:
        return False  # "... with his class and Winston's mum": a possessive is the child's as often as not
    for p in known:
        if p.variant.owner.role is not Role.CHILD or p.last >= m.first or p.overlaps(m):
            continue
        # from the start of the child's name: a token's span holds its word's own punctuation
        # ("Winston." ends a sentence)
        between = text[toks[p.last].start:toks[m.first].start]
        if _SENTENCE_BREAK.search(between):
            continue
        if any(t.poss in _PERSONAL_PRONOUNS for t in toks[p.last + 1:m.first]):
            return True
        opens = p.first == 0 or bool(_SENTENCE_BREAK.search(text[toks[p.first - 1].start:toks[p.first].start]))
        if opens and m.first - p.last >= _REPEAT_GAP and ";" not in between:
            return True
    return False


_REPEAT_GAP = 8  # tokens between the child's name opening a sentence and the same name again


def to_draft(pm: PartyMatch, pt: PageText, toks: list[Token], config: DetectConfig) -> ProposalDraft:
    first = pm.match.first
    # a title just before a person's name ("Mr" in "Mr Théo Böhm"), even at the end of the line
    # above, goes with it (an organisation has none: "PC" before "Metropolitan Police" is the officer's)
    if (first > 0 and toks[first - 1].poss in ALL_TITLES and toks[first].poss not in ALL_TITLES
            and pm.match.variant.owner.role is not Role.ORG):
        first -= 1
    start, end = toks[first].start, toks[pm.match.last].end
    w = toks[first].word
    if (pm.match.variant.surname_only and first == pm.match.first and w > 0 and start == pt.spans[w][0]
            and pt.lines[w - 1] == pt.lines[w] and _INITIAL_WORD.fullmatch(pt.words[w - 1].text.strip())):
        start = pt.spans[w - 1][0]  # "I. Ahmed", and an initial OCR misread ("|. Warsame")
    return ProposalDraft(
        page_index=pt.page_index,
        boxes=pt.spans_to_boxes(start, end, config.pad),
        reason=pm.reason,
        detector=NAME,
        score=pm.score,
        party_id=pm.party_id,
        text=pt.span_text(start, end),
        explanation=tag(pm.explanation, rule_id(pm)),
    )


def rule_id(pm: PartyMatch) -> str:
    """The rule behind a party's match: the name form it matched (:mod:`redaction.detect.rules`)."""
    if pm.reason is Reason.SHARED_FIRST_NAME:
        return rule("manifest.shared-first-name").id
    return rule(f"manifest.{slug(pm.match.variant.kind)}").id


def _rest_of_name(pm: PartyMatch, pt: PageText, toks: list[Token]) -> list[PartyMatch]:
    """A long organisation name found by its opening words ("Metropolitan Police Lewisham"):
    its missing words printed a little further on, where a table cell wrapped them ("... BQ
    2 weeks / Team"), are found as a continuation; failing that, the words OCR garbled on the
    same line ("|IGORea erst" for "Safeguarding Unit") go with it, as many as the name has
    words left, unless they are common words, numbers or initials (another column's "BQ")."""
    m = pm.match
    rest = m.variant.rest
    if not rest:
        return [pm]
    # a continuation: the missing words in order, within a few tokens, on this line or the next
    line = pt.lines[toks[m.last].word]
    for k in range(m.last + 1, min(m.last + 1 + _CONTINUATION_WINDOW, len(toks))):
        if pt.lines[toks[k].word] > line + 2:
            break
        end = k + len(rest) - 1
        if end < len(toks) and _continues(toks[k:end + 1], rest):
            if k == m.last + 1:
                return [dataclasses.replace(pm, match=dataclasses.replace(m, last=end))]
            cont = dataclasses.replace(m, first=k, last=end)
            return [pm, dataclasses.replace(pm, match=cont, explanation=pm.explanation + " (continued)")]
    last = m.last
    for k in range(m.last + 1, min(m.last + 1 + len(rest), len(toks))):
        t = toks[k]
        if (pt.lines[t.word] != line or t.base in _STOP or t.base.isdigit() or len(t.base) < 2
                or (t.cased.isupper() and len(t.cased) <= 3)):
            break
        last = k
    if last == m.last:
        return [pm]
    return [dataclasses.replace(pm, match=dataclasses.replace(m, last=last),
                                explanation=pm.explanation + " (the rest garbled by OCR)")]


_CONTINUATION_WINDOW = 6


def _continues(toks: list[Token], rest: tuple[str, ...]) -> bool:
    """``toks`` are the words ``rest`` of a name, in order: each read well (>= 0.8), or, when
    the last one is, a word OCR turned into lower-case debris ("eel Unit" for "Safeguarding
    Unit")."""
    good = [Levenshtein.normalized_similarity(canon(t.poss), canon(w)) >= 0.8 for t, w in zip(toks, rest, strict=True)]
    return all(good) or (len(rest) >= 2 and good[-1] and all(
        g or (t.cased.islower() and t.base.isalpha() and t.base not in _STOP) for t, g in zip(toks, good, strict=True)))


class ManifestDetector:
    name = NAME

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
        out: list[ProposalDraft] = []
        for pt, toks, pms in zip(ctx.texts, ctx.tokens, party_matches(ctx), strict=True):
            out += [to_draft(x, pt, toks, ctx.config) for pm in pms for x in _rest_of_name(pm, pt, toks)]
        return out + wrapped_names(ctx)


# --- the matches other detectors read, once per document -------------------------------



def name_matches(ctx: DetectContext) -> list[list[NameMatch]]:
    """Every raw match of every manifest name on every page (protected ones too)."""
    if "name_matches" not in ctx.shared:
        m = NameMatcher(ctx.variants, ctx.config)
        found = [m.find(toks, after_initials(pt, toks)) for pt, toks in zip(ctx.texts, ctx.tokens, strict=True)]
        ctx.shared["name_matches"] = [page + lower for page, lower
                                      in zip(found, lower_case_initials(found, ctx.tokens), strict=True)]
    out: list[list[NameMatch]] = ctx.shared["name_matches"]
    return out


def kept_name_boxes(ctx: DetectContext) -> list[tuple[Box, ...]]:
    """Per page, where the name of the child, the requester or a member of staff was read
    (a close match): what this reading says must stay."""
    if "kept_name_boxes" not in ctx.shared:
        keep = (Role.CHILD, Role.REQUESTER, Role.STAFF)
        pages: list[tuple[Box, ...]] = []
        for ms, toks, pt in zip(name_matches(ctx), ctx.tokens, ctx.texts, strict=True):
            boxes: list[Box] = []
            for m in ms:
                if m.variant.owner.role in keep and m.sim >= ctx.config.kept_name_sim:
                    boxes += pt.spans_to_boxes(toks[m.first].start, toks[m.last].end, 0.0)
            pages.append(tuple(boxes))
        ctx.shared["kept_name_boxes"] = pages
    out: list[tuple[Box, ...]] = ctx.shared["kept_name_boxes"]
    return out


def party_matches(ctx: DetectContext) -> list[list[PartyMatch]]:
    """Per page, the withheld parties' name matches that survive protection."""
    if "party_matches" not in ctx.shared:
        matches = name_matches(ctx)
        named = named_people(matches)
        ctx.shared["party_matches"] = [resolve(ms, ctx.config, toks, pt.text, named)
                                       for ms, toks, pt in zip(matches, ctx.tokens, ctx.texts, strict=True)]
    out: list[list[PartyMatch]] = ctx.shared["party_matches"]
    return out
