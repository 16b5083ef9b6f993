"""Protection: what the names of people who stay leave of a withheld party's matches, and why."""

from __future__ import annotations

import re
from dataclasses import dataclass

from redaction.detect.base import DetectConfig
from redaction.detect.name_matcher import NameMatch
from redaction.detect.tokens import Token
from redaction.detect.variants import Mode, Owner, Role
from redaction.models import Reason

_ROLE_REASON = {
    Role.PARTY: Reason.THIRD_PARTY,
    Role.PARTY_STAFF: Reason.THIRD_PARTY_STAFF,
    Role.ORG: Reason.THIRD_PARTY_ORG,
}
_SHARE_PRIORITY = {
    Role.CHILD: 0, Role.REQUESTER: 1, Role.STAFF: 2, Role.PARTY: 3, Role.PARTY_STAFF: 3, Role.ORG: 4,
}


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
                m, matches, config.shared_name_window, toks, text, 1 if shared is Role.REQUESTER else 0) and not (
                shared is Role.CHILD and _child_named_then_pronoun(m, known, toks, text)) and not (
                _capitals_in_prose(m, toks)):
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
            if not ((m.variant.first_only and m.length == 1) or r in (Role.PARTY, Role.PARTY_STAFF)
                    or (r is Role.STAFF and _family_form(m) and _family_form(p))
                    or (r in (Role.CHILD, Role.REQUESTER) and _capitals_in_prose(m, toks))):
                return True, shared
            # a first name anyone may share, or a form two listed people share ("Mr Gonçalves"
            # for two brothers, one consenting; "Mr Pillai" for the refused father and a teaching
            # assistant): the reviewer decides who is meant
            if shared is None or _SHARE_PRIORITY[r] < _SHARE_PRIORITY[shared]:
                shared = r
    return False, shared


_FAMILY_FORMS = frozenset({"surname", "surname with title", "part of surname", "part of surname with title"})


def _family_form(m: NameMatch) -> bool:
    """A form naming a family, not one person in it: a surname, alone or after a title."""
    return m.variant.kind in _FAMILY_FORMS


def _capitals_in_prose(m: NameMatch, toks: list[Token] | None) -> bool:
    """A lone surname printed in capitals inside running text ("Dad reported that CARVALHO has
    been staying", "Contact between Ishaan and PILLAI"), no capitalised word beside it: the
    way a record names an adult of the family, not the child, whom a file calls by first name
    and whose surname in capitals stands in a register beside the first name ("CARVALHO
    Isabela", "PILLAI, Ishaan", "SURNAME: OSEI"). Shared with the child or the requester, it
    goes to the reviewer."""
    if toks is None or m.length != 1 or m.variant.kind != "surname":
        return False
    word = toks[m.first].raw
    if sum(c.isalpha() for c in word) < 2 or not word.isupper():
        return False
    beside = [toks[k] for k in (m.first - 1, m.last + 1) if 0 <= k < len(toks)]
    return any(t.raw[:1].islower() for t in beside) and not any(t.upper_initial and t.raw[:1].isalpha()
                                                                 for t in beside)


_SENTENCE_BREAK = re.compile(r"[.?!:|][\"'\u201d\u2019)\]]*\s")


def _party_named_before(m: NameMatch, matches: list[NameMatch], window: int, toks: list[Token] | None,
                        text: str, sentences: int = 0) -> bool:
    """Another form of the same party's name (not a lone first name) within ``window`` tokens
    before ``m``, in the same sentence (no full stop, question or exclamation mark between them)
    or, with ``sentences`` 1, in the sentence before ("Contact between Rina and Shehu to be
    supervised. Mimoza's phone number ...": a grown-up the requester shares a first name with,
    named by surname, then by first name); without ``toks`` and ``text``, sentences are not
    looked at."""
    pid = m.variant.owner.party_id
    for o in matches:
        if (o.variant.owner.party_id != pid or o.variant.owner.protected or o.variant.first_only
                or o.last >= m.first or m.first - o.last > window):
            continue
        if toks is None or len(_SENTENCE_BREAK.findall(text[toks[o.last].end:toks[m.first].start])) <= sentences:
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
