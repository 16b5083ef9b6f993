"""What every detector shares: the thresholds (:class:`DetectConfig`, from
:mod:`redaction.detect.config`), the per-document
context (:class:`DetectContext`) and the :class:`Detector` seam."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from redaction.case import Case, ThirdParty
from redaction.detect.align import PageText, build_page_text
from redaction.detect.config import ALL_DETECTORS, DetectConfig
from redaction.detect.tokens import Token, alnum, canon, fold, tokenize
from redaction.detect.variants import Mode, NameVariant, Role, case_variants
from redaction.models import OcrPage, ProposalDraft, Reason

__all__ = ["ALL_DETECTORS", "DetectConfig", "DetectContext", "Detector"]


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
    def child_words(self) -> tuple[str, ...]:
        """OCR-canonical forms of the words of the child's own names (full name, aliases), four
        letters or more: the protected words a look-alike of which is always the child."""

        return tuple(sorted({canon(t.text) for v in self.variants if v.owner.role is Role.CHILD
                             for t in v.tokens if t.mode is Mode.FUZZY and len(t.text) >= 4}))

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
