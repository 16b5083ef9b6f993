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
_PLAY_CUE = re.compile(
    r"\b(?i:play(?:s|ed|ing)?|sits?|sat|sitting|work(?:s|ed|ing)?|shar(?:es|ed|ing)|took\s+turns|"
    r"built|painted|danced|ran|argu(?:es|ed|ing)|fell\s+out|hit|push(?:es|ed)|"
    # what a child does in company: "in a small group with", "in class with", "friends with"
    r"group|class|table|pair|friends|lunch(?:time)?|turns|together)"
    r"(?:\s+(?i:mostly|mainly|often|nicely|well|happily|together|again))?"
    r"\s+(?i:with|next\s+to|beside|alongside)\s+"
    r"(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)"
)
# a play partner's name OCR garbled into lower case, known by the capitalised name joined to it
# ("plays mostly with eoren and Mohamed")
_GARBLED_PARTNER = re.compile(_PLAY_CUE.pattern.replace(
    "(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)",
    r"[\"'\u201c\u2018]?([a-z]{3,})(?=\s+and\s+" + _NAME_WORD + ")"))
_IN_CLASS = re.compile(r"(" + _NAME_WORD + r")(?=\s+(?:\(|in\s+)(?i:year\s*\d|reception|nursery))")
_AND_NAME = re.compile(r"\s*(?:,|\band\b|&)\s*(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?)")


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
