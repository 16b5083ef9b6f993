"""Cues that a name is another child's ("a child called", "plays with", "Year 2"), and names joined to a child's."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.person_words import _NOT_NAME, NAME, _is_known
from redaction.detect.protected import _looks_protected
from redaction.detect.rules import rule
from redaction.detect.tokens import Token
from redaction.detect.variants import ALL_TITLES
from redaction.models import ProposalDraft, Reason

_CHILD_CUE = re.compile(
    r"\b(?:(?:a|another|the|one)\s+(?:child|boy|girl|pupil|student|classmate|friend)\s+(?:called|named)"
    r"|pupils?|classmates?|playmates?|schoolfriends?|peers?"
    r"|(?:his|her|their|[A-Z][a-z]+['\u2019]s)\s+(?:best\s+)?(?:friends?|brothers?|sisters?|siblings?|cousins?)"
    r"|year\s*\d{1,2}|reception\s+class|nursery|(?:another|a|other)\s+(?:child|children|boy|girl)"
    r"|aged\s+\d{1,2}|\d{1,2}[\s-]*years?[\s-]*old)\b",
    re.IGNORECASE,
)
_CUED_NAME = re.compile(
    r"\b(?:(?:a|another|the|one)\s+(?:child|boy|girl|pupil|student|classmate|friend)\s+(?:called|named)"
    r"|(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][a-z]+['\u2019]s)\s+(?:best\s+)?"
    r"(?:friend|brother|sister|sibling|cousin|classmate)"
    r")\s*,?\s+([A-Z][a-z\u00c0-\u017f'\u2019-]+(?:\s+[A-Z][a-z\u00c0-\u017f'\u2019-]+)?)"
)
_NAME_WORD = r"[A-Z][a-z\u00c0-\u017f'\u2019-]+"
# children are named by what they do together: "plays with X", "sat next to X", "X in Year 2"
_CUE = (
    r"\b(?i:play(?:s|ed|ing)?|sits?|sat|sitting|work(?:s|ed|ing)?|shar(?:es|ed|ing)|took\s+turns|"
    r"built|painted|danced|ran|argu(?:es|ed|ing)|fell\s+out|hit|push(?:es|ed)|"
    # what a child does in company: "in a small group with", "in class with", "friends with"
    r"group|class|table|pair|friends|lunch(?:time)?|turns|together)"
    r"(?:\s+(?i:mostly|mainly|often|nicely|well|happily|together|again))?"
    r"\s+(?i:with|next\s+to|beside|alongside|away\s+from)\s+"
)
_PLAY_CUE = re.compile(_CUE + r"(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)")
# ... or by initials ("Please can Lorenz sit away from EH."), not a grown-up's role ("sat with the TA")
_PLAY_CUE_INITIALS = re.compile(_CUE + r"([A-Z]\.?\s?[A-Z]\.?)(?![\w])")
ROLE_ACRONYMS = frozenset({"TA", "DSL", "PE", "SLT", "EY", "KS", "SW", "GP", "HV", "PC", "DC"})
# a play partner's name OCR garbled into lower case, known by the capitalised name joined to it
# ("plays mostly with eoren and Mohamed")
_GARBLED_PARTNER = re.compile(_PLAY_CUE.pattern.replace(
    "(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)",
    r"[\"'\u201c\u2018]?([a-z]{3,})(?=\s+and\s+" + _NAME_WORD + ")"))
# a child as school records name one: a first name and the surname's initial ("Pratik G.,",
# "Benedetta C.'s"), no title before it (a grown-up is "Mrs Joan A." or "Ms Allen")
_INITIALLED = re.compile(r"(?<![\w'\u2019.-])(?<!Mr )(?<!Ms )(?<!Mx )(?<!Dr )(?<!Mrs )(?<!Miss )"
                         r"([A-Z][a-z\u00c0-\u017f]{2,}\s+[A-Z]\.)(?=['\u2019]s\b|[\s,.;:)]|$)")
_IN_CLASS = re.compile(r"(" + _NAME_WORD + r")(?=\s+(?:\(|in\s+)(?i:year\s*\d|reception|nursery))")
_AND_NAME = re.compile(r"\s*(?:,|\band\b|&)\s*(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)")


def cued_spans(text: str) -> list[tuple[int, int, float, str]]:
    """(start, end, score, how) of the names the words around them say are a child's: "a child
    called X", "her friend X", "played with X" (or initials: "sit away from EH."), "X in Year 2",
    a first name with the surname's initial ("with Pratik G., whose family");
    and a play partner's name OCR turned to lower case ("garbled")."""
    out = [(m.start(1), m.end(1), 0.7, "cue") for m in _CUED_NAME.finditer(text)]
    out += [(m.start(1), m.end(1), 0.65, "cue") for m in _PLAY_CUE.finditer(text)]
    out += [(m.start(1), m.end(1), 0.65, "cue") for m in _PLAY_CUE_INITIALS.finditer(text)
            if re.sub(r"\W", "", m.group(1)) not in ROLE_ACRONYMS]
    out += [(m.start(1), m.end(1), 0.65, "cue") for m in _IN_CLASS.finditer(text)]
    out += [(m.start(1), m.end(1), 0.6, "cue") for m in _INITIALLED.finditer(text)]
    out += [(m.start(1), m.end(1), 0.6, "garbled") for m in _GARBLED_PARTNER.finditer(text)
            if m.group(1) not in STOP_WORDS]
    return out


def _coordinated(text: str, spans: list[tuple[int, int, float, str]]) -> list[tuple[int, int, float, str]]:
    """Names joined to a cued child by "and" or a comma ("with Maryam and Imran"):
    the model often finds one of a pair and misses the other."""
    out: list[tuple[int, int, float, str]] = []
    for _s, e, _score, how in spans:
        if how != "cue":
            continue
        pos = e
        while (m := _AND_NAME.match(text, pos)) is not None and m.group(1).split()[0].lower() not in _NOT_NAME:
            out.append((m.start(1), m.end(1), 0.6, "cue"))
            pos = m.end(1)
    return out


_AND_BEFORE = re.compile(r"(?<![\w'\u2019-])(" + _NAME_WORD + r")\s+(?:and|&)\s+$")
_AND_AFTER = re.compile(r"\s+(?:and|&)\s+(" + _NAME_WORD + r")(?![\w'\u2019-])")


def _joined_to_children(text: str, children: list[tuple[int, int]]) -> list[tuple[int, int, float, str]]:
    """Capitalised words joined by "and" to a child's name found at ``children`` (spans of
    ``text``), before or after it ("Ibrahim and Alfie T.", "Roxana and Rukhsana"): two
    children named together. They go through the same checks as any entity (manifest names,
    protected look-alikes, form labels and kinship words are left out)."""
    out: list[tuple[int, int, float, str]] = []
    for s, e in children:
        if (m := _AND_BEFORE.search(text, max(0, s - _AND_REACH), s)) is not None and _nameish(m.group(1)):
            out.append((m.start(1), m.end(1), 0.6, "cue"))
        if (m := _AND_AFTER.match(text, e)) is not None and _nameish(m.group(1)):
            out.append((m.start(1), m.end(1), 0.6, "cue"))
    return out


_AND_REACH = 40  # characters before a child's name looked at for "X and"


def _nameish(word: str) -> bool:
    w = word.lower().rstrip("'\u2019-")
    return w not in _NOT_NAME and w not in STOP_WORDS and w not in ALL_TITLES


GARBLED_PARTNER = rule("presidio.garbled-beside-child")


def _has_child_cue(text: str, start: int, end: int, window: int) -> bool:
    lo = max(0, start - window)
    hi = min(len(text), end + window // 2)
    return bool(_CHILD_CUE.search(text[lo:start])) or bool(_CHILD_CUE.search(text[end:hi]))


def _garbled_child(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                   start: int, end: int, score: float) -> ProposalDraft | None:
    """A play partner's name that OCR garbled into a lower-case word (see ``_GARBLED_PARTNER``)."""
    tok = next((t for t in toks if t.start == start), None)
    if tok is None or _is_known(tok, known) or _looks_protected(tok, ctx, pt, toks):
        return None
    return ProposalDraft(
        page_index=pt.page_index, boxes=pt.spans_to_boxes(start, end, ctx.config.pad), reason=Reason.OTHER_CHILD,
        detector=NAME, score=score, party_id=None, text=pt.span_text(start, end),
        explanation=GARBLED_PARTNER.explain(),
    )
