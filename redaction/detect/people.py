"""People the manifest does not list, and other children, found with Presidio.

Presidio's :class:`AnalyzerEngine` (:mod:`redaction.detect.presidio_engine`, built once
per process) runs over the page text built by :mod:`redaction.detect.align`.

A PERSON entity whose name words are all names the manifest knows (child, requester,
staff, any party, consenting or not) is left to the manifest detector. Others are
proposed as :attr:`Reason.UNLISTED_PERSON` (reviewer decides), or as
:attr:`Reason.OTHER_CHILD` when a child cue ("a child called", "pupil", "Year 3",
"his friend", "her brother", "classmate" ...) is near. Child cues followed by a
capitalised name are also proposed when the model missed the name.

Its parts: :mod:`~redaction.detect.person_words` (words that are no name, where a name
ends), :mod:`~redaction.detect.protected` (words of people who stay, however OCR read
them), :mod:`~redaction.detect.child_cues` (what says a name is another child's),
:mod:`~redaction.detect.found_again` (names found once, looked for again across the case)
and :mod:`~redaction.detect.namesakes` (another child with the child's first name).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.lang.en.stop_words import STOP_WORDS

from redaction.detect import manifest, ner_cache
from redaction.detect.addresses import _STREET_WORD
from redaction.detect.align import PageText
from redaction.detect.base import DetectConfig, DetectContext
from redaction.detect.child_cues import (
    _coordinated,
    _garbled_child,
    _has_child_cue,
    _joined_to_children,
    cued_spans,
)
from redaction.detect.found_again import _again
from redaction.detect.name_edges import (
    NOT_PERSON_ENTITY,
    _unknown_names,
    a_month_in_a_date,
    all_common,
    goes_on_as_a_place,
    name_before,
    starts_a_cell,
    wrapped_under,
)
from redaction.detect.namesakes import _namesake_children
from redaction.detect.person_words import (
    _NOT_A_NAME_WORD,
    _NOT_NAME,
    NAME,
    _is_known,
    _known_spans,
    _surname_before,
    _with_surname_initial,
)
from redaction.detect.presidio_engine import analyzer
from redaction.detect.protected import (
    _CONSENTING,
    _FAMILY,
    _SURNAME_SHARERS,
    _child_surname,
    _kept_sharers_only,
    _looks_protected,
    _shared_surname,
)
from redaction.detect.rules import rule
from redaction.detect.tokens import Token
from redaction.detect.variants import ALL_TITLES, Role
from redaction.detect.vocab import common_words, is_common
from redaction.models import ProposalDraft, Reason

MODEL, SECOND_MODEL = rule("presidio.model"), rule("presidio.second-model")
OTHER_LABEL = rule("presidio.other-label")
SHARED_SURNAME = rule("presidio.shared-surname")
CHILD_CUE, INTRODUCED_CHILD = rule("presidio.child-cue"), rule("presidio.introduced-child")
TITLE_UNREAD = rule("presidio.title-unread")
SHARED_FIRST = rule("presidio.shared-first-name-kept")
LIKE_KEPT = rule("presidio.like-kept-name")
COMMON_WORDS = rule("presidio.common-words")


def _label_not_person(pt: PageText, span_toks: list[Token], end: int) -> bool:
    """The second model alone takes labels, roles and streets for people ("Known as:",
    "Designated Safeguarding Lead", "Albert Terrace"): an entity of it is a person only without them."""
    return (any(t.poss in _NOT_A_NAME_WORD or t.poss in _STREET_WORD or (len(t.cased) > 1 and t.cased.isupper())
                for t in span_toks) or pt.text[end:end + 2].lstrip(" ").startswith(":"))


def _name_shaped(ctx: DetectContext, pt: PageText, toks: list[Token], start: int, end: int, label: str) -> bool:
    """An entity a model labelled an organisation, a place or a nationality that is shaped like a
    person's name: one to three capitalised words on one line, none in capitals, a number, a
    common word or a word of organisations, roles, streets or form labels ("Innes Menzies",
    labelled ORG), not a town before its postcode. A place's label, or a lone word, counts only
    with a title, a possessive or a child cue beside it."""
    span_toks = [t for t in toks if t.start < end and t.end > start]
    if not 1 <= len(span_toks) <= 3 or "\n" in pt.text[start:end]:
        return False
    if any(not t.upper_initial or (len(t.cased) > 1 and t.cased.isupper()) or not t.base.replace("-", "").isalpha()
           or t.poss in NOT_PERSON_ENTITY or t.poss in _NOT_A_NAME_WORD or t.poss in _STREET_WORD
           or t.poss in STOP_WORDS for t in span_toks):
        return False
    package = ctx.config.vocabulary_package
    if package and any(is_common(t.poss, common_words(package)) for t in span_toks):
        return False
    j = next(k for k, t in enumerate(toks) if t is span_toks[-1])
    after = [t for t in toks[j + 1:j + 3] if "\n" not in pt.text[end:t.start]]
    if after and any(c.isdigit() for c in after[0].base):
        return False  # a town before its postcode ("Truro TR4 7JE")
    if any(t.poss in NOT_PERSON_ENTITY or t.poss in _ORG_TAIL for t in after):
        return False  # the start of an organisation's name ("Fernhill Children's Centre")
    if label in _PLACE_LABELS or len(span_toks) == 1:
        return (_person_context(toks, span_toks[0])
                or _has_child_cue(pt.text, start, end, ctx.config.child_cue_window))
    return True


def _kept_surname_after(ctx: DetectContext, pt: PageText, toks: list[Token], name: Token, end: int) -> Token | None:
    """The word after a lone first name, inside the entity (which ends at ``end``) and on its line,
    when it is a surname somebody who stays bears ("Cillian Mirza" beside Mr Mirza of the staff)."""
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)
    j = next((k for k, t in enumerate(toks) if t is name), -1)
    nxt = toks[j + 1] if 0 <= j < len(toks) - 1 else None
    if (nxt is not None and nxt.end <= end and "\n" not in pt.text[name.end:nxt.start]
            and nxt.upper_initial and _shared_surname(nxt, ctx, page_i, toks, _SURNAME_SHARERS)):
        return nxt
    return None


def _verdict(cfg: DetectConfig, how: str, *, child: bool, second: bool, common: bool, shared: bool,
             score: float, kept_first: bool = False, relabelled: bool = False,
             like_kept: bool = False) -> tuple[Reason, float, str]:
    """What a found person is (another child, or an unlisted person), their score and the rules
    that say so: a child cue raises the score; the second people finder alone, a name the model
    labelled other than a person, a name made of common words and a surname somebody who stays
    bears each lower it, and say so."""
    if child:
        reason, found_by = Reason.OTHER_CHILD, CHILD_CUE if how == "model" else INTRODUCED_CHILD
        score = max(score, cfg.child_cue_score)
    else:
        reason, found_by = Reason.UNLISTED_PERSON, MODEL
    if second and reason is Reason.UNLISTED_PERSON:
        score = min(score, cfg.second_model_score)
        found_by = SECOND_MODEL
    if relabelled and reason is Reason.UNLISTED_PERSON:
        score = min(score, OTHER_LABEL.base(cfg))
        found_by = OTHER_LABEL
    expl = found_by.explain()
    if common:  # "Grace", "Harry Price": a person the context names, by words that are also words
        score = min(score, cfg.common_word_score)
        expl += "; " + COMMON_WORDS.explain()
    if shared:
        score = min(score, cfg.shared_surname_score)
        expl += "; " + SHARED_SURNAME.explain()
    if kept_first:
        found = LIKE_KEPT if like_kept else SHARED_FIRST
        score = min(score, found.base(cfg))
        expl += "; " + found.explain()
    return reason, score, expl


def _kept_names_beside(ctx: DetectContext, pt: PageText, toks: list[Token], names: list[Token],
                       entity: tuple[int, int], span: tuple[int, int], model: bool) -> tuple[int, int, bool, bool]:
    """The span of a found person widened over the names beside it that somebody who stays also
    bears, each proposed with it, lower, for the reviewer: after a lone first name the model
    read, a surname ("Cillian Mirza" beside Mr Mirza of the staff); before the name, a first name
    ("Joan Greaves" beside Mrs Joan Allen). Returns the span and whether each was taken."""
    s, e = span
    shared = None
    if model and len(names) == 1 and e == names[-1].end:
        shared = _kept_surname_after(ctx, pt, toks, names[-1], entity[1])
        e = shared.end if shared is not None else e
    first = _kept_first_name_before(ctx, pt, toks, names[0], entity[0])
    return (first.start if first is not None else s), e, shared is not None, first is not None


def _kept_first_name_before(ctx: DetectContext, pt: PageText, toks: list[Token], name: Token,
                            start: int) -> Token | None:
    """The word before a found child's name, inside the entity (which starts at ``start``) and on
    its line, when the manifest knows it only as the lone first name of staff or a consenting
    party: the child's first name too ("Joan Greaves" beside Mrs Joan Allen). Never the
    child's or the requester's."""
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)
    j = next((k for k, t in enumerate(toks) if t is name), -1)
    prev = toks[j - 1] if j > 0 else None
    if prev is None or prev.start < start or not prev.upper_initial or "\n" in pt.text[prev.end:name.start]:
        return None
    return prev if _kept_sharers_only(ctx, page_i, j - 1, first_only=True) else None


def _person_context(toks: list[Token], name: Token) -> bool:
    """Something beside a lone word says it is somebody's name: a title before it ("Mrs Rose")
    or a possessive on it ("Will's")."""
    i = next((k for k, t in enumerate(toks) if t is name), -1)
    titled = i > 0 and toks[i - 1].poss in ALL_TITLES
    return titled or name.poss != name.base


_SECOND = "model2"  # a person entity only the second people finder (presidio_union_model) found
# words that carry on an organisation's name after a place's ("Fernhill Children's Centre")
_ORG_TAIL = frozenset("children children's family families community primary infant junior medical health "
                      "surgery practice partnership".split())
_RELABELLED = "relabelled"  # a name-shaped entity a model labelled an organisation, a place ...
# labels of places: a name-shaped entity of theirs counts only with something saying it is somebody
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _titles_of(ctx: DetectContext, roles: frozenset[Role], withheld: bool) -> frozenset[str]:
    """The titles the manifest's name forms give people of ``roles`` (withheld or protected)."""
    return frozenset(v.tokens[0].text for v in ctx.variants
                     if v.owner.role in roles and v.owner.protected is not withheld
                     and len(v.tokens) >= 2 and v.tokens[0].text in ALL_TITLES)


def _titled_garble(ctx: DetectContext, pt: PageText, toks: list[Token],
                   known: list[tuple[int, int]]) -> list[ProposalDraft]:
    """A title and, after it on the same line, a word OCR turned into lower-case debris ("Mr
    egies", "Mr ee" for "Mr Mensah"): a person's surname lost. Proposed for review when a
    withheld person may carry the title and the requester may not (the requester's name is
    never proposed this way)."""
    mine = _titles_of(ctx, _CONSENTING, withheld=True)
    family = _titles_of(ctx, _FAMILY, withheld=False)
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)
    protected = [(toks[m.first].start, toks[m.last].end) for m in manifest.name_matches(ctx)[page_i]
                 if m.variant.owner.protected]
    out: list[ProposalDraft] = []
    for k, (t, nxt) in enumerate(zip(toks, toks[1:], strict=False)):
        # a protected person's garbled first name before their surname ("Mr fanut Stoica") is theirs
        if k + 2 < len(toks) and _is_known(toks[k + 2], protected) and "\n" not in pt.text[nxt.end:toks[k + 2].start]:
            continue
        if (t.poss not in mine or t.poss in family or not t.upper_initial or t.cased.isupper()
                or not _TITLE_GAP.fullmatch(pt.text[t.end:nxt.start])
                or not (nxt.cased.isalpha() and nxt.cased.islower() and len(nxt.cased) >= 2)
                or nxt.base in STOP_WORDS or nxt.base in _NOT_NAME or nxt.base in _VERBS
                or _is_known(nxt, known) or _looks_protected(nxt, ctx, pt, toks)):
            continue
        out.append(ProposalDraft(
            page_index=pt.page_index, boxes=pt.spans_to_boxes(t.start, nxt.end, ctx.config.pad),
            reason=Reason.UNLISTED_PERSON, detector=NAME, score=TITLE_UNREAD.base(ctx.config), party_id=None,
            text=pt.span_text(t.start, nxt.end), explanation=TITLE_UNREAD.explain(),
        ))
    return out


_TITLE_GAP = re.compile(r"\.?[ \t]+")  # a title's full stop and spaces: nothing else between it and the name
# words a title is followed by in running text when no name follows it ("Mr said", "Ms will")
_VERBS = frozenset("said says told asked agreed reported explained stated confirmed spoke phoned called".split())


def _over_an_organisations_word(toks: list[Token], s: int, e: int) -> bool:
    """The span [s, e), widened from what the model found, holds an organisation's word
    ("Children's" widened to "Yorkshire Children's Services"): no person."""
    return any(t.poss in NOT_PERSON_ENTITY for t in toks if t.start < e and t.end > s)


def _surname_rule(ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                  child: bool) -> Callable[[Token], bool]:
    """Which capitalised word after a lone first name is its surname: one nobody who stays bears;
    a consenting party's surname, or the family's, is that other person's too ("Sana Butt" in
    Fatima Butt's file); for a child, as :func:`_child_surname` says."""
    page_i = next(k for k, x in enumerate(ctx.texts) if x is pt)

    def surname_ok(t: Token) -> bool:
        return (not _is_known(t, known) and not _looks_protected(t, ctx, pt)) or _shared_surname(
            t, ctx, page_i, toks, _CONSENTING | _FAMILY)
    return _child_surname(ctx, page_i, toks, known, surname_ok) if child else surname_ok


class PresidioDetector:
    name = NAME

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
        if not any(p.words for p in ctx.pages):
            return []
        engines = [(analyzer(ctx.config.presidio_model), ctx.config.presidio_model)]
        union = ctx.config.presidio_union_model
        if union and union != ctx.config.presidio_model:
            engines.append((analyzer(union), union))  # two models miss different names: the union is proposed
        out: list[ProposalDraft] = []
        for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
            if not pt.text.strip():
                continue
            known = _known_spans(ctx, i)
            spans: list[tuple[int, int, float, str]] = []
            relabelled: list[tuple[int, int, float, str]] = []
            for n, (eng, model) in enumerate(engines):
                results = ner_cache.entities(eng, model, pt.text, ctx.config.presidio_min_score)
                had = {(s, e) for s, e, _, _ in spans}
                spans += [(s, e, sc, "model" if n == 0 else _SECOND) for s, e, sc, label in results
                          if label == ner_cache.PERSON and (s, e) not in had]
                relabelled += [(s, e, OTHER_LABEL.base(ctx.config), _RELABELLED) for s, e, _, label in results
                               if label != ner_cache.PERSON and _name_shaped(ctx, pt, toks, s, e, label)]
            # each once (both models often label the same words), where no person entity overlaps it
            spans += [x for x in dict.fromkeys(relabelled) if not any(x[0] < e and s < x[1] for s, e, _, _ in spans)]
            spans += cued_spans(pt.text)
            spans += _coordinated(pt.text, spans)
            out += _titled_garble(ctx, pt, toks, known)
            # the file's own child named with another ("Hüseyin and Rukhsana"): that one is a child too
            children = [(toks[m.first].start, toks[m.last].end) for m in manifest.name_matches(ctx)[i]
                        if m.variant.owner.role is Role.CHILD]
            spans += [x for x in _joined_to_children(pt.text, children) if x[0] not in {y[0] for y in spans}]
            children = []
            seen: set[int] = set()
            while spans:
                for start, end, score, how in spans:
                    seen.add(start)
                    if how == "garbled":
                        d = _garbled_child(ctx, pt, toks, known, start, end, score)
                        if d is not None:
                            out.append(d)
                        continue
                    found = self._entity(ctx, pt, toks, known, start, end, score, how)
                    if found is not None:
                        out.append(found[2])
                        if found[2].reason is Reason.OTHER_CHILD:
                            children.append(found[:2])
                # a name joined by "and" to a child found here is another child ("Rukhsana and Roxana I.")
                spans = [x for x in _joined_to_children(pt.text, children) if x[0] not in seen]
                children = []
        out += _namesake_children(ctx, out)
        again = _again(ctx, out)
        # a surname first found beside a first name found again ("Nahom Kidane'and") is looked for
        # once more alone ("Kidane pushed her")
        return _again(ctx, again) if len(again) > len(out) else again

    def _entity(self, ctx: DetectContext, pt: PageText, toks: list[Token], known: list[tuple[int, int]],
                start: int, end: int, score: float, how: str) -> tuple[int, int, ProposalDraft] | None:
        """The proposal for a person entity (model or cue) at [start, end), with the span it covers."""
        # the entity's name-like words the manifest does not know ("Tom" of "Tom Price")
        span_toks = [t for t in toks if t.start < end and t.end > start]
        if any(t.poss in NOT_PERSON_ENTITY or any(c.isdigit() for c in t.base) for t in span_toks):
            return None
        second, relabelled = how == _SECOND, how == _RELABELLED
        if second or relabelled:
            if _label_not_person(pt, span_toks, end):
                return None
            how = "model"
        names, like_kept = _unknown_names(ctx, pt, toks, known, start, end, cued=how == "cue")
        if not names or all(len(t.base) == 1 for t in names) or a_month_in_a_date(toks, names):
            return None  # nothing left but initials ("L." of a protected "L. Gonçalves"), or a date
        child = how == "cue" or _has_child_cue(pt.text, names[0].start, names[-1].end, ctx.config.child_cue_window)
        if not child and how == "model" and all(t.poss in ctx.lower_case_words for t in names):
            return None  # "Saved", "Office", "Speech Therapist": words the document also prints in lower case
        common = all_common(ctx, names)
        # the entity itself is one word, but for labels ("Office Agreed": a log's column, then its cell)
        lone = sum(t.upper_initial and t.poss not in _NOT_NAME and t.poss not in _NOT_A_NAME_WORD
                   for t in span_toks) == 1
        opens = len(names) == 1 and starts_a_cell(pt, names[0]) and not any(
            t.start > names[0].start and t.upper_initial for t in span_toks)
        if common and (lone or opens) and not child and how == "model" and not _person_context(toks, names[0]):
            # "Invite", "Daily", "Can": a lone common word, nothing around it saying person; or the
            # last word of the entity beginning a line or a table cell, where every word is
            # capitalised ("CS | Saved to the file")
            return None
        surname_ok = _surname_rule(ctx, pt, toks, known, child) if len(names) == 1 else None
        s, e = _surname_before(pt, toks, names[0], surname_ok), _with_surname_initial(pt, toks, names[-1], surname_ok)
        s, e, shared, kept_first = _kept_names_beside(ctx, pt, toks, names, (start, end), (s, e), how == "model")
        if s == names[0].start:  # the first name the model left out, or read like a kept name's
            before, like_before = name_before(ctx, pt, toks, known, names[0], start, lone)
            s = before.start if before is not None else s
            like_kept = like_kept or like_before
        if goes_on_as_a_place(pt, toks, s, e) or _over_an_organisations_word(toks, s, e):
            return None  # "Brigid's Catholic" of "St Brigid's Catholic Primary"
        child = child or _has_child_cue(pt.text, s, e, ctx.config.child_cue_window)
        under = wrapped_under(ctx, pt, toks, known, names[-1], family=child) if e == names[-1].end else None
        shared = shared or (under is not None and under[1])
        if kept_first and not child:  # a first name somebody who stays bears goes only with a child's
            s, kept_first = names[0].start, False
        reason, score, expl = _verdict(ctx.config, how, child=child, second=second, common=common,
                                       shared=shared, score=score, kept_first=kept_first or like_kept,
                                       relabelled=relabelled, like_kept=like_kept)
        boxes, text = pt.spans_to_boxes(s, e, ctx.config.pad), pt.span_text(s, e)
        if under is not None:  # the name goes on under its last word, in its table cell
            boxes = (*boxes, *pt.spans_to_boxes(*pt.spans[under[0]], ctx.config.pad))
            text = f"{text} {pt.words[under[0]].text}"
        return s, e, ProposalDraft(
            page_index=pt.page_index,
            boxes=boxes,
            reason=reason,
            detector=NAME,
            score=round(score, 3),
            party_id=None,
            text=text,
            explanation=expl,
        )
