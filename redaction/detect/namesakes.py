"""Another child who shares the child's first name, told apart by the surname or initial after it."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect import manifest
from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.child_cues import _PLAY_CUE
from redaction.detect.person_words import _INITIALS_MARK, _NOT_NAME, NAME, _is_known, _known_spans, name_words
from redaction.detect.protected import PROTECTED_LIKENESS, _looks_protected
from redaction.detect.rules import rule
from redaction.detect.tokens import Token, alnum, canon
from redaction.detect.variants import ALL_TITLES, Role
from redaction.models import ProposalDraft, Reason

NAMESAKE = rule("presidio.namesake-child")
AFTER_CUE = rule("presidio.namesake-after-cue")


def _namesake_children(ctx: DetectContext, found: list[ProposalDraft]) -> list[ProposalDraft]:
    """Another child who shares the child's first name, told apart by what follows it on the
    line: a surname initial that is not the child's ("Reggie H.", "Tyrese N.'s"), or a surname
    (there or first on the next line) that is a word of another person found in the case
    ("Tyrese Natarajan" where Natarajan was found as another child, "Lowri Magar," where the
    model found "Magar"), which no protected name looks like. A namesake found by an unlisted
    person's surname keeps that reason."""
    from redaction.detect.variants import parse_person_name

    parsed = parse_person_name(ctx.case.child.name)
    if parsed is None or not parsed.surname:
        return []
    parts = [alnum(x) for w in parsed.surname for x in re.split(r"[-\s]+", w) if alnum(x)]
    people = {w: r for w, r in name_words([(d.text, d.reason) for d in found], dict(ctx.case_names)).items()
              if not w.startswith(_INITIALS_MARK)}
    out: list[ProposalDraft] = []
    for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
        known = _known_spans(ctx, i)
        for m in manifest.name_matches(ctx)[i]:
            if m.variant.owner.role is not Role.CHILD or not m.variant.first_only or m.length != 1:
                continue
            if m.last + 1 >= len(toks):
                continue
            if toks[m.last].poss != toks[m.last].base:
                continue  # "Mehmet's Babaanne": the child's, and whoever follows is theirs
            if _after_the_childs_surname(pt, toks, m.first, parts):
                continue  # "chronology - KORKMAZ. Zehra / Significant events": the child, named in full
            nxt = toks[m.last + 1]
            gap = pt.text[toks[m.last].end:nxt.start]
            if _LIST_MARK.search(pt.text[toks[m.last].start:nxt.start]):
                continue  # "Amelia; Rosie", "Amelia, Rosie": the next is another name of a list
            if gap.strip() or not nxt.upper_initial or not nxt.base.isalpha():
                continue
            if "\n" in gap and not _wrapped_in_prose(pt, toks[m.first].start, nxt):
                continue
            if len(nxt.poss) > 1 and (nxt.poss in STOP_WORDS or nxt.poss in _NOT_NAME or nxt.poss in ALL_TITLES):
                continue  # an initial ("Athena A.") is :func:`_namesake_end`'s to judge
            end = _namesake_end(ctx, pt, toks, known, nxt, parts, people) or (
                None if "\n" in gap else _withheld_surname_end(ctx, i, pt, toks, m.last + 1, parts))
            if end is None:
                continue
            s0 = toks[m.first].start
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=pt.spans_to_boxes(s0, end, ctx.config.pad),
                reason=people.get(nxt.poss, Reason.OTHER_CHILD), detector=NAME, score=NAMESAKE.base(ctx.config),
                party_id=None, text=pt.span_text(s0, end), explanation=NAMESAKE.explain()))
    return out + _after_a_play_cue(ctx, parsed.first) if out else out


def _after_a_play_cue(ctx: DetectContext, first: str) -> list[ProposalDraft]:
    """The child's first name alone after a play cue ("I like playing with Jayden.", "sat
    with Rina"), in a document that names another child of that first name: a child plays
    with somebody else, so the namesake is likely meant (proposed lower, saying so). A
    surname or initial after it is :func:`_namesake_children`'s to judge."""
    want = alnum(first)
    out: list[ProposalDraft] = []
    for pt in ctx.texts:
        for m in _PLAY_CUE.finditer(pt.text):
            if " " in m.group(1) or alnum(m.group(1)) != want or _NEXT_CAPITAL.match(pt.text, m.end(1)):
                continue
            s, e = m.start(1), m.end(1)
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=pt.spans_to_boxes(s, e, ctx.config.pad), reason=Reason.OTHER_CHILD,
                detector=NAME, score=AFTER_CUE.base(ctx.config), party_id=None, text=pt.span_text(s, e),
                explanation=AFTER_CUE.explain()))
    return out


def _after_the_childs_surname(pt: PageText, toks: list[Token], first: int, parts: list[str]) -> bool:
    """The child's first name at token ``first`` comes right after the child's surname on its
    line, surname first ("KORKMAZ, Zehra", "KORKMAZ. Zehra"): the child's name, complete."""
    if first < 1 or "\n" in pt.text[toks[first - 1].end:toks[first].start]:
        return False
    return _like_a_surname_part(toks[first - 1], parts)


_LIST_MARK = re.compile(r"[;,&]|\band\b")
_NEXT_CAPITAL = re.compile(r"['\u2019]?s?[ \t]+[A-Z]")


def _namesake_end(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                  nxt: Token, parts: list[str], people: dict[str, Reason]) -> int | None:
    """Where the name of another child who shares the child's first name ends, when ``nxt``
    (the word after that first name) tells them apart; None when it may be the child."""
    if len(nxt.poss) == 1:
        # a surname initial only ("Reggie H."): a capitalised word after the first name may be
        # anything ("Reggie Tuesday"), and the child's name must never be taken for another's
        if nxt.poss in "ai" and "." not in pt.text[nxt.start:nxt.end + 1] and nxt.poss == nxt.base:
            return None
        if any(p.startswith(nxt.poss) for p in parts):
            return None  # "Reggie C.": maybe the child; stays
        if nxt.poss != nxt.base:
            return nxt.end  # "Tyrese N.'s": the initial and its possessive
        return nxt.end + (1 if pt.text[nxt.end:nxt.end + 1] == "." else 0)
    # a surname: another person's, found in the case, that is no protected person's
    if nxt.poss not in people or _is_known(nxt, known) or _may_be_protected(ctx, pt, toks, nxt, parts):
        return None
    return nxt.end


def _may_be_protected(ctx: DetectContext, pt: PageText, toks: list[Token], nxt: Token, parts: list[str]) -> bool:
    """The word after the child's first name reads like a protected name, or like a part of
    the child's surname (``parts``): the name may be the child's."""
    return _looks_protected(nxt, ctx, pt, toks) or _like_a_surname_part(nxt, parts)


def _like_a_surname_part(tok: Token, parts: list[str]) -> bool:
    """``tok`` reads like a part of the child's surname (``parts``)."""
    return any(Levenshtein.normalized_similarity(canon(tok.poss), canon(p)) >= PROTECTED_LIKENESS for p in parts)


def _withheld_surname_end(ctx: DetectContext, page_i: int, pt: PageText, toks: list[Token], j: int,
                          parts: list[str]) -> int | None:
    """Where the name ends when token ``j``, after the child's first name, is the surname of
    withheld people only ("Riley Berisha" in Riley Lumb's file, Berisha a withheld agency's
    worker): the manifest proposes the surname, and the first name before it is not the
    child's but somebody else's who bears it (a namesake, maybe the worker's own child). On the
    first name's line only, and spelt as the manifest spells it: a heading's "Zehra" over
    "Significant events", a word merely alike a withheld surname, is no such name."""
    nxt = toks[j]
    cover = manifest.matches_over(ctx, page_i, j)
    if not cover or any(mm.variant.owner.protected or mm.length != 1 or not mm.variant.surname_only
                        or mm.sim < _SURNAME_READ_WELL for mm in cover):
        return None
    return None if _may_be_protected(ctx, pt, toks, nxt, parts) else nxt.end


_SURNAME_READ_WELL = 0.95  # the surname as the manifest spells it, near enough: not a word OCR made alike


_LABEL_BEFORE = re.compile(r":[\s\W_]*$")


def _wrapped_in_prose(pt: PageText, first: int, nxt: Token) -> bool:
    """A surname ``nxt`` at the start of the line after the first name (at ``first``) is the
    name's, wrapped with its sentence: not an initial, not a label ("Knownas:") and not after a
    form's label ("Forename(s): Ionut / Known as: ...")."""
    line_start = pt.text.rfind("\n", 0, first) + 1
    return (len(nxt.poss) > 1 and not pt.text[nxt.end:nxt.end + 2].lstrip().startswith(":")
            and not _LABEL_BEFORE.search(pt.text[line_start:first]))
