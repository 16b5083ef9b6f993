"""Contact details of withheld parties: phones, emails, addresses.

Phones compare as normalised digit strings (+44 / 0044 -> 0, "(0)" dropped), so
"07700 900123", "+44 (0)7700-900-123" and "07700900123" are one number, however many
tokens OCR made of it; one misread digit is still found (lower score). Emails compare
case-insensitively with an OCR-tolerant similarity, also when OCR split them into
several tokens. Addresses are split into parts: house number + street, town(s) and
postcode ("N11 2AB" with or without the space). The street with its number and the
postcode are proposed wherever they are; a street without number and a town are
proposed when another part of the same address is within a few words (an address
written over several lines).

Its parts: :mod:`~redaction.detect.phones`, :mod:`~redaction.detect.emails`,
:mod:`~redaction.detect.addresses` (each found as the manifest gives it, however OCR read
it) and :mod:`~redaction.detect.contact_rows` (details written along a table row after a
withheld person's name).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from redaction.case import PartyKind, ThirdParty
from redaction.detect import manifest
from redaction.detect.addresses import (
    AddressParts,
    _grow_address,
    _other_house_number,
    _postcode_hits,
    address_variants,
    kept_street_here,
    parse_address,
)
from redaction.detect.align import PageText
from redaction.detect.base import DetectConfig, DetectContext
from redaction.detect.contact_rows import (
    _ROW_TOKENS,
    _WRAPPED_TOKENS,
    _contacts_in,
    _new_sentence,
    _next_on_row,
    _wrapped_below,
)
from redaction.detect.emails import _email_clean, _email_hits, _email_run, mailbox_forms
from redaction.detect.name_matcher import NameMatch, NameMatcher
from redaction.detect.phones import (
    _PHONE_OCR,
    _PHONE_WORD,
    _Hit,
    _other_phones,
    _phone_hits,
    _phone_start,
    _phone_tail_hits,
    normalise_phone,
)
from redaction.detect.rules import rule, tag
from redaction.detect.tokens import Token, alnum, canon
from redaction.detect.wrapped import at_cell_edge, cell_start, upright, wrapped_start
from redaction.models import ProposalDraft, Reason

NAME = "contact"
PHONE, EMAIL, ADDRESS = rule("contact.phone"), rule("contact.email"), rule("contact.address")
BESIDE_NAME, MAILBOX_NAME = rule("contact.beside-name"), rule("contact.mailbox-name")
SHARED_NAME_NUMBER, WRAPPED_PHONE = rule("contact.shared-first-name-number"), rule("contact.wrapped-phone")


def _known_contacts(ctx: DetectContext) -> tuple[frozenset[str], frozenset[str]]:
    """Phones and emails the manifest gives anyone (withheld or not): those are matched, or
    protected, by what the manifest says."""
    people = list(ctx.case.third_parties)
    phones = {normalise_phone(ph) for p in people for ph in p.phones}
    emails = {_email_clean(e) for p in people for e in p.emails}
    return frozenset(phones), frozenset(emails)


def _beside_a_name(ctx: DetectContext) -> list[ProposalDraft]:
    """Contact details the manifest does not list, written on the same line right after a
    withheld party's name ("EBO ADJEI | Mother's partner | 07700 900201 | 136 Green Lanes,
    London NW7 5FR"): a phone number, an email address, a street address with its number.
    Nothing is taken past another person's name, and a number or address the manifest gives
    someone else is left to what the manifest says."""
    known_phones, known_emails = _known_contacts(ctx)
    out: list[ProposalDraft] = []
    for i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
        names = sorted(manifest.name_matches(ctx)[i], key=lambda m: m.first)
        for pm in manifest.party_matches(ctx)[i]:
            m = pm.match
            if pm.party_id is None or pm.reason is Reason.SHARED_FIRST_NAME:
                continue
            stop = len(toks)
            for o in names:  # the next person's name on the row ends it
                if o.first > m.last and not o.overlaps(m) and o.variant.owner.party_id != pm.party_id:
                    stop = o.first
                    break
            # along the row word by word: a skewed scan's row drifts up or down as it goes
            prev = pt.words[toks[m.last].word]
            k = m.last + 1
            last_on_row = m.last
            wrapped = 0
            while k < stop and k - m.last <= _ROW_TOKENS and not _new_sentence(prev, toks[k]):
                w = pt.words[toks[k].word]
                if _next_on_row(pt, prev, w):
                    prev, last_on_row, wrapped = w, k, 0
                elif wrapped < _WRAPPED_TOKENS and _wrapped_below(pt, prev, w):
                    wrapped += 1  # a cell's text wrapped under its first line ("Paternal / grandmother")
                else:
                    break
                k += 1
            k = last_on_row + 1
            if k == m.last + 1:
                continue
            for a, b, what in _contacts_in(pt, toks, m.last + 1, k - 1, known_phones, known_emails):
                s, e = pt.word_span(a, b)
                out.append(ProposalDraft(
                    page_index=pt.page_index, boxes=pt.spans_to_boxes(s, e, ctx.config.pad),
                    reason=Reason.THIRD_PARTY_CONTACT, detector=NAME, score=BESIDE_NAME.base(ctx.config),
                    party_id=pm.party_id, text=pt.span_text(s, e),
                    explanation=tag(f"{what} written beside the withheld person's name (not in the manifest)",
                                    BESIDE_NAME.id),
                ))
    return out


def _named_mailboxes(ctx: DetectContext) -> list[ProposalDraft]:
    """Email addresses the manifest does not list whose mailbox is a withheld person's name
    ("firstname.lastname@...", "f.lastname@...", "firstnamelastname@..."): that person's (or
    their organisation's). A mailbox that reads as well as a protected person's name (the
    child, the requester, staff, a consenting party) is left alone."""
    _, known_emails = _known_contacts(ctx)
    withheld: list[tuple[str, set[str]]] = []
    protected: set[str] = set()
    names = [ctx.case.child.name, ctx.case.requester.name, *ctx.case.staff_names]
    protected |= {f for n in names for f in mailbox_forms(n)}
    for party in ctx.case.third_parties:
        people = [*party.staff] if party.kind is PartyKind.ORGANISATION else [party.name]
        forms = {f for n in people for f in mailbox_forms(n)}
        if party.withheld:
            withheld.append((party.id, forms))
        else:
            protected |= forms
    if not any(forms for _, forms in withheld):
        return []
    out: list[ProposalDraft] = []
    for pt in ctx.texts:
        w_end = -1
        for w in range(len(pt.words)):
            if w <= w_end:
                continue
            last, m = _email_run(pt, w)
            if m is None or _email_clean(m.group(0)) in known_emails:
                continue
            box = canon(alnum(m.group(0).partition("@")[0]))
            if len(box) < 4:
                continue

            def likeness(forms: set[str], box: str = box) -> float:
                return max((Levenshtein.normalized_similarity(box, canon(f)) for f in forms), default=0.0)

            best = max(withheld, key=lambda x: likeness(x[1]))
            sim = likeness(best[1])
            if sim < ctx.config.mailbox_likeness or likeness(protected) >= sim:
                continue
            w_end = last
            s, e = pt.word_span(w, last)
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=pt.spans_to_boxes(s, e, ctx.config.pad),
                reason=Reason.THIRD_PARTY_CONTACT, detector=NAME, score=MAILBOX_NAME.base(ctx.config),
                party_id=best[0], text=pt.span_text(s, e), explanation=MAILBOX_NAME.explain(),
            ))
    return out


_NAME_BEFORE_NUMBER = 8  # tokens between a shared first name and the number after it


def _shared_name_before_their_number(ctx: DetectContext, party: ThirdParty, pt: PageText, toks: list[Token],
                                     page_i: int, hits: list[_Hit]) -> list[ProposalDraft]:
    """A first name the party shares with the child or the requester, or a title and surname the
    party shares with the requester (left out as theirs by the manifest detector), that the
    party's own listed number follows in the same sentence ("will contact Kwame again on 07700
    900311", a call log's row "Mr Carvalho 07700 900934 Paternal uncle"): the party's, for review."""
    kept = {(pm.match.first, pm.match.last) for pm in manifest.party_matches(ctx)[page_i]}
    page_names = manifest.name_matches(ctx)[page_i]
    out: list[ProposalDraft] = []
    for h in hits:
        if not h.explanation.startswith("phone number"):
            continue
        t_num = next((k for k, t in enumerate(toks) if t.word >= h.first), None)
        if t_num is None:
            continue
        for m in page_names:
            v = m.variant
            if (v.owner.party_id != party.id or v.owner.protected
                    or not ((v.first_only and m.length == 1) or v.kind == "surname with title")
                    or (m.first, m.last) in kept or not 0 < t_num - m.last <= _NAME_BEFORE_NUMBER):
                continue
            if any(o.variant.owner.protected and o.covers(m) and o.length > m.length for o in page_names):
                continue  # inside the child's own full name
            between = pt.text[toks[m.last].end:toks[t_num].start]
            if re.search(r"[.?!:;|]\s", between):
                continue
            out.append(ProposalDraft(
                page_index=pt.page_index,
                boxes=pt.spans_to_boxes(toks[m.first].start, toks[m.last].end, ctx.config.pad),
                reason=Reason.SHARED_FIRST_NAME, detector=NAME, score=ctx.config.shared_first_name_score,
                party_id=party.id, text=pt.span_text(toks[m.first].start, toks[m.last].end),
                explanation=SHARED_NAME_NUMBER.explain(),
            ))
    return out


def _kept_addresses(ctx: DetectContext) -> list[AddressParts]:
    """The addresses of the parties who stay (consent granted), parsed once per document."""
    if "kept_addresses" not in ctx.shared:
        ctx.shared["kept_addresses"] = [parse_address(a) for p in ctx.case.third_parties if not p.withheld
                                        for a in p.addresses]
    out: list[AddressParts] = ctx.shared["kept_addresses"]
    return out


class ContactDetector:
    name = NAME

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
        out: list[ProposalDraft] = []
        for party in ctx.withheld:
            out += self._party(ctx, party)
        out += _beside_a_name(ctx)
        out += _named_mailboxes(ctx)
        out += wrapped_phones(ctx)
        return out

    def _party(self, ctx: DetectContext, party: ThirdParty) -> list[ProposalDraft]:
        cfg = ctx.config
        out: list[ProposalDraft] = []
        phones = {normalise_phone(p) for p in party.phones} - {""}
        emails = [_email_clean(e) for e in party.emails if "@" in e]
        addr_vars = address_variants(party)
        matcher = NameMatcher(addr_vars, cfg) if addr_vars else None
        postcodes = {}
        for n, a in enumerate(party.addresses):
            pc = parse_address(a).postcode
            if pc:
                postcodes[pc] = n
        others = _other_phones(ctx) if phones else frozenset()
        for page_i, (pt, toks) in enumerate(zip(ctx.texts, ctx.tokens, strict=True)):
            hits: list[_Hit] = []
            if phones:
                hits += _phone_hits(pt, phones, cfg.phone_max_tokens, others)
                hits += [h for h in _phone_tail_hits(pt, phones, others)
                         if all(h.last < o.first or h.first > o.last for o in hits)]
                out += _shared_name_before_their_number(ctx, party, pt, toks, page_i, hits)
            if emails:
                hits += _email_hits(pt, emails, cfg.email_similarity)
            for h in hits:
                s, e = pt.word_span(h.first, h.last)
                rid = PHONE.id if h.explanation.startswith("phone") else EMAIL.id
                out.append(self._draft(pt, s, e, h.score, party, tag(h.explanation, rid), cfg))
            out += self._addresses(pt, toks, party, matcher, postcodes, cfg, _kept_addresses(ctx))
        return out

    def _addresses(self, pt: PageText, toks: list[Token], party: ThirdParty, matcher: NameMatcher | None,
                   postcodes: dict[str, int], cfg: DetectConfig, kept: list[AddressParts]) -> list[ProposalDraft]:
        # (first token, last token, address no, part, score)
        found: list[tuple[int, int, int, str, float]] = []
        for a, b, n in _postcode_hits(toks, postcodes):
            found.append((a, b, n, "postcode", 0.95))
        if matcher is not None:
            matches: list[NameMatch] = matcher.find(toks)
            matches.sort(key=lambda m: -m.length)
            taken: list[NameMatch] = []
            for m in matches:
                if any(t.covers(m) for t in taken):
                    continue
                taken.append(m)
                part, num = m.variant.kind.split("#")
                found.append((m.first, m.last, int(num), part, m.variant.weight * m.sim))
        out: list[ProposalDraft] = []
        addrs = [parse_address(x) for x in party.addresses]
        # a street name after a house number that is not the party's ("143 Elm Road" when they
        # live at 9 Elm Road) is a neighbour's address, and so are the town and postcode after it;
        # so is one after the number it has in the address of somebody who stays
        found = [f for f in found if not (f[3] == "street name" and f[2] < len(addrs) and (
            _other_house_number(toks, f[0], addrs[f[2]]) or kept_street_here(pt, toks, f[0], kept)))]
        for a, b, n, part, score in found:
            anchored = part in ("postcode", "street")
            if part in ("postcode", "street", "street name") and n < len(addrs):
                a, b = _grow_address(toks, a, b, addrs[n])
            # a town ("London") is everybody's: only beside its own address's street or postcode
            win = 2 if part == "town" else cfg.address_window
            near = any(
                n2 == n and (a2, b2) != (a, b) and a2 - b <= win and a - b2 <= win
                for a2, b2, n2, _, _ in found
            )
            if part == "town" and not near:
                continue
            if near and not anchored:
                score = max(score, 0.8)
            expl = tag(f"address: {part}" + (" (with other parts of the address nearby)" if near else ""),
                       ADDRESS.id)
            out.append(self._draft(pt, toks[a].start, toks[b].end, round(score, 3), party, expl, cfg))
        return out

    @staticmethod
    def _draft(pt: PageText, start: int, end: int, score: float, party: ThirdParty, expl: str,
               cfg: DetectConfig) -> ProposalDraft:
        return ProposalDraft(
            page_index=pt.page_index,
            boxes=pt.spans_to_boxes(start, end, cfg.pad),
            reason=Reason.THIRD_PARTY_CONTACT,
            detector=NAME,
            score=score,
            party_id=party.id,
            text=pt.span_text(start, end),
            explanation=expl,
        )


def wrapped_phones(ctx: DetectContext) -> list[ProposalDraft]:
    """A withheld party's phone number wrapped inside a table cell ("+44" / "(0)7700 900100"):
    its start at a cell's edge, the rest at the start of the cell's next line; the digits of
    both together are the number the manifest gives."""
    targets = {normalise_phone(ph): p.id for p in ctx.withheld for ph in p.phones}
    targets.pop("", None)
    out: list[ProposalDraft] = []
    if not targets:
        return out
    for pt in ctx.texts:
        for i, w in enumerate(pt.words):
            head = _phone_start(w.text)
            if not head:
                continue
            acc, j = head, i
            while (j + 1 < len(pt.words) and pt.lines[j + 1] == pt.lines[i] and not at_cell_edge(pt, j)
                   and _PHONE_WORD.match(pt.words[j + 1].text)):
                j += 1
                acc += pt.words[j].text
            if not at_cell_edge(pt, j) or normalise_phone(acc.translate(_PHONE_OCR)) in targets:
                continue
            # under the cell's start, or under the number's own start (a cell of its own set close
            # to the one before it: "TESFAYE, Selam  +44 (0)7700" over "900254")
            for b in wrapped_start(pt, j, (cell_start(pt, i), upright(pt)[i].x0), j + 2):
                tail, k = "", b
                while k < len(pt.words) and pt.lines[k] == pt.lines[b] and _PHONE_WORD.match(pt.words[k].text):
                    tail += pt.words[k].text
                    pid = targets.get(normalise_phone((acc + tail).translate(_PHONE_OCR)))
                    if pid is not None:
                        pad = ctx.config.pad
                        boxes = (*pt.spans_to_boxes(pt.spans[i][0], pt.spans[j][1], pad),
                                 *pt.spans_to_boxes(pt.spans[b][0], pt.spans[k][1], pad))
                        out.append(ProposalDraft(
                            page_index=pt.page_index, boxes=boxes, reason=Reason.THIRD_PARTY_CONTACT,
                            detector=NAME, score=WRAPPED_PHONE.base(ctx.config), party_id=pid,
                            text=" ".join(x.text for x in (*pt.words[i:j + 1], *pt.words[b:k + 1])),
                            explanation=WRAPPED_PHONE.explain()))
                        break
                    k += 1
    return out
