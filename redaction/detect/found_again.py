"""Names found once in a case, looked for again: later mentions, a found child's initials, misreadings."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.child_cues import ROLE_ACRONYMS
from redaction.detect.merge import covered_by
from redaction.detect.name_edges import a_month_in_a_date, goes_on_as_a_place
from redaction.detect.person_words import (
    _INITIALS_MARK,
    CASE_NAME_RULE,
    FOUND_AGAIN,
    NAME,
    _initials_key,
    _is_known,
    _known_spans,
    _surname_before,
    _with_surname_initial,
    name_words,
)
from redaction.detect.protected import (
    PROTECTED_LIKENESS,
    _child_surname,
    _kept_sharers_only,
    _looks_like_protected_initials,
    _looks_protected,
)
from redaction.detect.rules import capped, rule
from redaction.detect.tokens import Token, alnum, canon
from redaction.models import Box, ProposalDraft, Reason

AGAIN_INITIALS = rule("presidio.initials")
# the explanation of a person found again (no new person: the case's names leave it out)
AGAIN = FOUND_AGAIN.explain()
LIKE_KEPT = rule("presidio.like-kept-name")
SHARED_WITH_KEPT = rule("presidio.again-shared-with-kept")


def _child_initials(ctx: DetectContext, reason_of: dict[str, Reason], taken: set[tuple[int, Box]],
                    found: list[ProposalDraft]) -> list[ProposalDraft]:
    """Initials printed in capitals ("TG", "T.G.") of a child found in full somewhere in the case,
    or two of an unlisted person the model found in full in this document, sure of it ("Kibet
    Kiprono ... KK did most of the talking"; not a grown-up's role, "TA", "PE"), unless they are
    (or hold) a protected person's initials or the manifest knows them."""
    keys: dict[str, Reason] = {k: r for k, r in reason_of.items()
                               if k.startswith(_INITIALS_MARK) and r is Reason.OTHER_CHILD}
    for d in found:
        if d.reason is Reason.UNLISTED_PERSON and d.score >= _SURE_OF_A_PERSON and (
                key := _initials_key(d.text)) is not None:
            keys.setdefault(key, d.reason)
    if not keys:
        return []
    out: list[ProposalDraft] = []
    for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
        known = _known_spans(ctx, i)
        for wi, last, c in _initials_words(pt):
            start, end = pt.spans[wi][0], pt.spans[last][1]
            mine = [t for t in toks if wi <= t.word <= last]
            reason = keys.get(_INITIALS_MARK + (c[0] + c[-1]).lower())
            if reason is None or any(_is_known(t, known) for t in mine):
                continue
            if reason is Reason.UNLISTED_PERSON and (len(c) != 2 or c in ROLE_ACRONYMS):
                continue
            if c in ctx.protected_initials or (mine and _looks_like_protected_initials(
                    dataclasses.replace(mine[0], cased=c), ctx.protected_initials)):
                continue
            boxes = pt.spans_to_boxes(start, end, ctx.config.pad)
            if not boxes or all((pt.page_index, b) in taken for b in boxes):
                continue
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=boxes, reason=reason, detector=NAME,
                score=AGAIN_INITIALS.base(ctx.config), party_id=None, text=pt.span_text(start, end),
                explanation=AGAIN_INITIALS.explain()))
    return out


_SURE_OF_A_PERSON = 0.8  # an unlisted person's score whose initials are looked for too


_INITIALS_WORD = re.compile(r"([A-Z])\.?([A-Z])\.?(?:([A-Z])\.?)?")
_INITIAL_DOT = re.compile(r"([A-Z])\.")


def _initials_words(pt: PageText) -> list[tuple[int, int, str]]:
    """Initials printed in capitals on ``pt``: (first word, last word, the letters), in one word
    ("TG", "T.G.") or, each with its full stop, in two words of one line OCR set apart ("P. M.")."""
    out: list[tuple[int, int, str]] = []
    for wi, w in enumerate(pt.words):
        text = w.text.strip("()[],;:")
        if (m := _INITIALS_WORD.fullmatch(text)) is not None:
            out.append((wi, wi, "".join(g for g in m.groups() if g)))
        elif (a := _INITIAL_DOT.fullmatch(text)) is not None and wi + 1 < len(pt.words) \
                and pt.lines[wi + 1] == pt.lines[wi] \
                and (b := _INITIAL_DOT.fullmatch(pt.words[wi + 1].text.strip("()[],;:"))) is not None:
            out.append((wi, wi + 1, a.group(1) + b.group(1)))
    return out


def _again(ctx: DetectContext, found: list[ProposalDraft]) -> list[ProposalDraft]:
    """``found`` and more: once a person is found anywhere in the case ("Lukas Traoré, his friend"), each
    later mention of one of their name words alone ("Lukas", "Lukas's") is proposed too,
    with the first finding's reason: the model and the cues miss many lone first names."""
    reason_of = name_words([(d.text, d.reason) for d in found], dict(ctx.case_names))
    if not reason_of:
        return found
    found = found + _child_initials(ctx, reason_of, {(d.page_index, b) for d in found for b in d.boxes}, found)
    children = sorted(w for w, r in reason_of.items() if r is Reason.OTHER_CHILD and len(w) >= _MISREAD_MIN)
    found = _as_children(found, reason_of, children)
    # the words of an unlisted person who is that child are that child's too ("Nahom Kidane'and")
    reason_of = name_words([(d.text, d.reason) for d in found], reason_of)
    taken = {(d.page_index, b) for d in found for b in d.boxes}
    # words of a name found here that read like a kept person's ("Marcia Williams"): found again,
    # they are proposed as low, saying so, not left beside the one proposed
    like_kept = {alnum(w.removesuffix("'s").removesuffix("\u2019s")) for d in found
                 if LIKE_KEPT.id in d.explanation for w in d.text.split()}
    # and another child's found so in another document of the case (the case's names hold no
    # protected look-alike any other way)
    like_kept |= {w for w, r in ctx.case_names.items() if r is Reason.OTHER_CHILD}
    out: list[ProposalDraft] = list(found)
    for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
        known = _known_spans(ctx, i)
        for t in toks:
            reason = _reason_again(t, reason_of, children)
            if reason is None:
                continue
            if _is_known(t, known):
                # another child's name word that is also the name of a member of staff or of a
                # consenting party: who is meant is for the reviewer (lower, and saying so)
                d = _shared_with_kept(ctx, i, toks, t, reason, taken) or _childs_surname_after_namesake(
                    ctx, i, toks, t, reason_of, taken)
                if d is not None:
                    out.append(d)
                continue
            protected = _looks_protected(t, ctx, pt)
            lowered = t.poss in like_kept and protected
            if protected and not lowered:
                continue
            if reason is Reason.UNLISTED_PERSON and t.poss in ctx.lower_case_words:
                continue  # an ordinary word taken for a name elsewhere ("Saved"): this document prints it in lower case
            if goes_on_as_a_place(pt, toks, t.start, t.end) or a_month_in_a_date(toks, [t]):
                continue  # "Young" of "Children and Young People's Service", "Whitecliffe Community Primary"
            surname_ok = _found_word(reason_of, known)
            if reason is Reason.OTHER_CHILD:
                surname_ok = _child_surname(ctx, i, toks, known, surname_ok)
            start, end = _surname_before(pt, toks, t, surname_ok), _with_surname_initial(pt, toks, t, surname_ok)
            boxes = pt.spans_to_boxes(start, end, ctx.config.pad)
            if not boxes or all((pt.page_index, b) in taken for b in boxes):
                continue
            found_here = ProposalDraft(
                page_index=pt.page_index, boxes=boxes, reason=reason, detector=NAME,
                score=min(FOUND_AGAIN.base(ctx.config), LIKE_KEPT.base(ctx.config)) if lowered
                else FOUND_AGAIN.base(ctx.config), party_id=None, text=pt.span_text(start, end),
                explanation=f"{AGAIN}; {LIKE_KEPT.explain()}" if lowered else AGAIN, rule=CASE_NAME_RULE,
            )
            if not any(covered_by(found_here, d) for d in found):  # not a word of a name found here ("Innes Menzies")
                out.append(found_here)
    return out


def _as_children(found: list[ProposalDraft], reason_of: dict[str, Reason], children: list[str]
                 ) -> list[ProposalDraft]:
    """``found`` where an unlisted person who bears a found child's name (or a misreading of it)
    is that child (a proposal lowered for the reviewer stays as low)."""
    def a_child(word: str) -> bool:
        w = alnum(word.removesuffix("'s").removesuffix("\u2019s"))
        return reason_of.get(w) is Reason.OTHER_CHILD or _misread_child(w, children) is not None

    return [dataclasses.replace(d, reason=Reason.OTHER_CHILD,
                                score=d.score if capped(d.explanation) else max(d.score, 0.7))
            if d.reason is Reason.UNLISTED_PERSON and any(a_child(w) for w in d.text.split()) else d
            for d in found]


def _reason_again(t: Token, reason_of: dict[str, Reason], children: list[str]) -> Reason | None:
    """The reason of the person found in the case whose name word ``t`` is (or a misreading of a
    child's), where it begins with a capital; None otherwise."""
    reason = reason_of.get(t.poss) or reason_of.get(t.base) or _misread_child(t.poss, children)
    if t.upper_initial:
        return reason
    if t.raw[:1] == "l" and len(t.poss) >= _MISREAD_MIN:
        # a capital I OCR read as a small l ("lonescu" for Ionescu), of a name found already
        return reason_of.get("i" + t.poss[1:])
    return None


def _shared_with_kept(ctx: DetectContext, page_i: int, toks: list[Token], t: Token, reason: Reason,
                      taken: set[tuple[int, Box]]) -> ProposalDraft | None:
    """The proposal for ``t``, a name word of another child found in the case, where the manifest
    knows it only as the name (or part of the name) of staff or a consenting party: it may be
    either person, so it is proposed at :data:`SHARED_WITH_KEPT`'s lower score, for the reviewer.
    A word the child's or the requester's name holds, or any withheld party's, is left to the
    manifest (the family's names are never proposed this way)."""
    if reason is not Reason.OTHER_CHILD:
        return None
    j = next((k for k, x in enumerate(toks) if x is t), -1)
    if not _kept_sharers_only(ctx, page_i, j, first_only=False):
        return None
    pt = ctx.texts[page_i]
    boxes = pt.spans_to_boxes(t.start, t.end, ctx.config.pad)
    if not boxes or all((pt.page_index, b) in taken for b in boxes):
        return None
    return ProposalDraft(
        page_index=pt.page_index, boxes=boxes, reason=reason, detector=NAME,
        score=SHARED_WITH_KEPT.base(ctx.config), party_id=None, text=pt.span_text(t.start, t.end),
        explanation=SHARED_WITH_KEPT.explain(), rule=SHARED_WITH_KEPT.id)


def _childs_surname_after_namesake(ctx: DetectContext, page_i: int, toks: list[Token], t: Token,
                                   reason_of: dict[str, Reason], taken: set[tuple[int, Box]]
                                   ) -> ProposalDraft | None:
    """The proposal for ``t``, the child's surname alone, a few words after another child found
    in the case was named by it, the child not named between ("a small group with Nardos Tesfaye
    and Eabha F. ... Tesfaye is a good friend to her" in Saron Tesfaye's file): that child is
    meant, most likely, but it is the child's name too, so it is proposed at
    :data:`CHILDS_SURNAME_AGAIN`'s lower score, saying so, for the reviewer."""
    child = [alnum(w) for w in ctx.case.child.name.split()]
    if len(child) < 2 or t.poss != child[-1] or not t.upper_initial:
        return None
    j = next((k for k, x in enumerate(toks) if x is t), -1)
    if j + 1 < len(toks) and toks[j + 1].poss in child[:-1]:
        return None  # "Tesfaye, Saron": the child
    for k in range(j - 1, max(0, j - _NAMESAKE_WINDOW), -1):
        if toks[k].poss in child[:-1]:
            return None  # the child named since
        if (toks[k].base == t.poss and k > 0 and toks[k - 1].poss not in child
                and reason_of.get(toks[k - 1].poss) is Reason.OTHER_CHILD):
            pt = ctx.texts[page_i]
            boxes = pt.spans_to_boxes(t.start, t.end, ctx.config.pad)
            if not boxes or all((pt.page_index, b) in taken for b in boxes):
                return None
            return ProposalDraft(
                page_index=pt.page_index, boxes=boxes, reason=Reason.OTHER_CHILD, detector=NAME,
                score=CHILDS_SURNAME_AGAIN.base(ctx.config), party_id=None, text=pt.span_text(t.start, t.end),
                explanation=CHILDS_SURNAME_AGAIN.explain(), rule=CHILDS_SURNAME_AGAIN.id)
    return None


CHILDS_SURNAME_AGAIN = rule("presidio.childs-surname-after-namesake")
_NAMESAKE_WINDOW = 30  # tokens back from the surname to the other child's full name


_MISREAD_MIN = 5  # letters of a found child's name word that is looked for misread too
MISREAD_LIKENESS = 0.8


def _misread_child(word: str, children: list[str]) -> Reason | None:
    """:attr:`Reason.OTHER_CHILD` when ``word`` (an :func:`alnum` form) reads like a found
    child's name word that OCR misread ("moissa" for Moussa, "ibrahiin" for Ibrahim)."""
    if len(word) < _MISREAD_MIN or not word.isalpha() or word in STOP_WORDS or not children:
        return None
    need = MISREAD_LIKENESS if len(word) <= 6 else PROTECTED_LIKENESS
    for form, choices in ((word, children), (canon(word), [canon(c) for c in children])):
        best = process.extractOne(form, choices, scorer=Levenshtein.normalized_similarity)
        if best is not None and best[1] >= need:
            return Reason.OTHER_CHILD
    return None


def _found_word(reason_of: dict[str, Reason], known: list[tuple[int, int]]) -> Callable[[Token], bool]:
    """A word of a person found in the case that no manifest name covers here."""
    def ok(t: Token) -> bool:
        return (reason_of.get(t.poss) or reason_of.get(t.base)) is not None and not _is_known(t, known)
    return ok
