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
:func:`~redaction.detect.match_protection.named_people`).

Its parts: :mod:`~redaction.detect.name_matcher` (every name form found in a page's
tokens), :mod:`~redaction.detect.match_words` (how a token reads: everyday words,
initials however printed) and :mod:`~redaction.detect.match_protection` (what the
protected names leave of a withheld party's matches).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from rapidfuzz.distance import Levenshtein

from redaction.detect.align import PageText
from redaction.detect.base import DetectConfig, DetectContext
from redaction.detect.match_protection import PartyMatch, named_people, resolve
from redaction.detect.match_words import _COMMON_SHORT, _INITIAL_WORD, _SCHOOL_ACRONYMS, _STOP, after_initials
from redaction.detect.name_matcher import NameMatch, NameMatcher
from redaction.detect.rules import rule, slug, tag
from redaction.detect.tokens import Token, canon
from redaction.detect.variants import ALL_TITLES, Mode, NameVariant, Role
from redaction.detect.wrapped import wrapped_names
from redaction.models import Box, ProposalDraft, Reason

NAME = "manifest"


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


def matches_over(ctx: DetectContext, page_i: int, j: int) -> list[NameMatch]:
    """The manifest's name matches on page ``page_i`` that cover its token ``j``."""
    return [m for m in name_matches(ctx)[page_i] if m.first <= j <= m.last]


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
