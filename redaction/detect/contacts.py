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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.case import PartyKind, ThirdParty
from redaction.detect import manifest
from redaction.detect.align import PageText
from redaction.detect.base import DetectConfig, DetectContext
from redaction.detect.manifest import NameMatch, NameMatcher
from redaction.detect.rules import rule, tag
from redaction.detect.tokens import Token, alnum, canon, fold
from redaction.detect.variants import Mode, NameVariant, Owner, Role, VTok, parse_person_name
from redaction.detect.wrapped import at_cell_edge, cell_start, wrapped_start
from redaction.models import ProposalDraft, Reason, Word

NAME = "contact"
PHONE, EMAIL, ADDRESS = rule("contact.phone"), rule("contact.email"), rule("contact.address")
BESIDE_NAME, MAILBOX_NAME = rule("contact.beside-name"), rule("contact.mailbox-name")
SHARED_NAME_NUMBER, WRAPPED_PHONE = rule("contact.shared-first-name-number"), rule("contact.wrapped-phone")

# a word of a phone number; scan junk after it ("900225°", "375:") goes with it
# a speck between two digits reads as an apostrophe ("946'0531")
_PHONE_WORD = re.compile(r"^[\"'\u201c\u201d]?[\d()+\-./OoIl|]*\d(?:[\d()+\-./OoIl|]|['\u2018\u2019](?=\d))*"
                         r"[,;:.\"'\u00b0\u201d*]{0,2}$")
_PHONE_OCR = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
POSTCODE = re.compile(r"\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})\b")
_POSTCODE_OCR = str.maketrans({"o": "0", "i": "1", "l": "1"})
_EMAIL_OCR = (("\u00a9", "@"), ("(a)", "@"), ("(@)", "@"), (",", "."))
STREET_TYPES = {
    "road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "close": "cl", "drive": "dr",
    "crescent": "cres", "gardens": "gdns", "place": "pl", "court": "ct", "terrace": "terr",
    "square": "sq", "grove": "gr", "park": "pk", "mews": "mews", "way": "way", "hill": "hl",
}


_EMAIL_MAX_WORDS = 6


def normalise_phone(s: str) -> str:
    """Digits of a UK phone number in national form: "+44 (0)7700 900123" -> "07700900123"."""
    s = s.strip()
    d = re.sub(r"\D", "", s)
    plus = s.startswith("+")
    if d.startswith("0044"):
        d = d[4:]
    elif d.startswith("44") and (plus or len(d) in (12, 13)):
        d = d[2:]
    else:
        return d
    return d if d.startswith("0") else "0" + d


_LABEL_OR_JUNK = re.compile(r"^(?:[^\d+(]*:)?[^\d+(]{0,3}")


_GLUED_ON = re.compile(r"^[0o]n(?=[0+(])", re.IGNORECASE)  # "0n07700": "on" run into the number


def _phone_start(word: str) -> str:
    """The part of a word where a phone number may start: a label ("Tel:", "Mob:07700") and up
    to three characters of scan junk before it ("-|.07700", "[020") are skipped; "" if none."""
    rest = _LABEL_OR_JUNK.sub("", _GLUED_ON.sub("", word, count=1), count=1)
    if not rest or not (rest[0].isdigit() or rest[0] in "+("):
        return ""
    return rest


def _same_subscriber(digits: str, target: str) -> bool:
    """``digits`` are ``target`` (national form, "07700900225") with its leading 0 lost or its
    country code misread ("7700900225", "+44" read as "444": "4447700900225")."""
    national = target[1:]
    return len(national) >= 9 and digits.endswith(national) and len(digits) - len(national) <= 3


_TAIL_DIGITS = 6  # the end of a number whose start OCR garbled ("uel 900255." for +44 7700 900255)


def _phone_tail_hits(pt: PageText, targets: set[str], others: frozenset[str]) -> list[_Hit]:
    """A word holding the last six digits or more of a target number (and nothing more) whose
    start OCR garbled into the words before it on the line: those words go with it when they
    are a country code or short lower-case debris."""
    out: list[_Hit] = []
    words = pt.words
    for i, w in enumerate(words):
        text = w.text.strip()
        if not _PHONE_WORD.match(text):
            continue
        d = re.sub(r"\D", "", text.translate(_PHONE_OCR))
        if len(d) < _TAIL_DIGITS or any(x.endswith(d) for x in others):
            continue
        if not any(x.endswith(d) and len(x) > len(d) for x in targets):
            continue
        first = i
        while first > 0 and i - first < 2 and pt.lines[first - 1] == pt.lines[i]:
            prev = words[first - 1].text.strip()
            if not (re.fullmatch(r"\+?\d{1,3}", prev) or (
                    re.fullmatch(r"[a-z]{1,4}", prev) and prev not in STOP_WORDS)):
                break
            first -= 1
        if first < i:  # the garbled start is there: not some other number's end
            out.append(_Hit(first, i, 0.7, "phone number (its start garbled by OCR)"))
    return out


def normalise_postcode(s: str) -> str:
    return alnum(s).translate(_POSTCODE_OCR)


@dataclass(frozen=True)
class _Hit:
    first: int  # word index
    last: int
    score: float
    explanation: str


_MAX_JUNK = 3


def _junk(w: Word) -> bool:
    """A speck OCR read as a word: no digit, at most two characters, and punctuation or read
    with low confidence."""
    t = w.text.strip()
    return (len(t) <= 2 and not any(c.isdigit() for c in t)
            and (not any(c.isalnum() for c in t) or w.conf < 50))


def _phone_hits(pt: PageText, targets: set[str], max_tokens: int, others: frozenset[str] = frozenset()
                ) -> list[_Hit]:
    """Phone numbers of ``targets`` in any format; one misread digit is tolerated unless the
    number read is one of ``others`` (a consenting person's or the requester's number)."""
    words = pt.words
    out: list[_Hit] = []
    for i, w in enumerate(words):
        text = _phone_start(w.text)
        if not text:
            continue
        acc = ""
        skipped = 0
        for k in range(i, min(i + max_tokens + _MAX_JUNK, len(words))):
            t = text if k == i else words[k].text
            if k > i and not _PHONE_WORD.match(t):
                # a number the line broke ("020 7946" / "0456)"): scan debris OCR read at the start
                # of the next line ("i", "*") is stepped over while the digits so far begin a target
                so_far = normalise_phone(acc)
                if (skipped < _MAX_JUNK and _junk(words[k]) and len(so_far) >= 6
                        and any(x.startswith(so_far) for x in targets)):
                    skipped += 1
                    continue
                break
            acc += t.translate(_PHONE_OCR)
            digits = normalise_phone(acc)
            if digits in targets:
                out.append(_Hit(i, k, 0.95, "phone number"))
                break
            if len(digits) >= 10 and digits not in others and any(_same_subscriber(digits, x) for x in targets):
                out.append(_Hit(i, k, 0.85, "phone number (its prefix misread)"))
                break
            if len(digits) >= 10 and digits not in others:
                near = [x for x in targets if len(x) == len(digits)
                        and sum(a != b for a, b in zip(x, digits, strict=True)) == 1]
                if near:
                    out.append(_Hit(i, k, 0.8, "phone number (one digit misread)"))
                    break
            if len(digits) > max(len(x) for x in targets) + 2:
                break
    return out


@lru_cache(maxsize=1 << 16)
def _email_clean(s: str) -> str:
    s = fold(s).lower()
    for a, b in _EMAIL_OCR:
        s = s.replace(a, b)
    if ":" in s:
        s = s.split(":")[-1]
    return s.strip("<>()[]{};'\"., ")


def _garbled_domain_end(pt: PageText, cand: str, target: str, k: int) -> int | None:
    """When ``cand`` (words up to ``k``) starts with the target's mailbox and the first label of
    its domain ("ewa.krol@walthamforest"), the address is the target's however OCR garbled the
    rest ("/ jexanp ee gov.uk."): the last word index that still belongs to it, on the same line
    and within the target's length; else None."""
    local, _, domain = target.partition("@")
    anchor = f"{local}@{domain.split('.')[0]}"
    if len(local) < 3 or len(cand) + 2 < len(anchor):
        return None
    if Levenshtein.normalized_similarity(cand[:len(anchor)], anchor) < 0.9 or len(cand) > len(anchor) + 2:
        return None
    words, line = pt.words, pt.lines[k]
    end, acc = k, cand
    while end + 1 < len(words) and pt.lines[end + 1] == line:
        raw = words[end + 1].text.strip()
        nxt = _email_clean(raw)
        if not nxt or raw[:1].isupper() or nxt in STOP_WORDS or len(acc) + len(nxt) > len(target) + 4:
            break
        acc += nxt
        end += 1
        if re.search(r"\.(?:uk|com|org|net)\W*$", raw):
            break
    return end if end > k else None


def _email_hits(pt: PageText, targets: list[str], threshold: float) -> list[_Hit]:
    """Email addresses, also when OCR split one into several words ("tanisha. wil liams@
    newham.example. gov.uk"): every run of up to ``_EMAIL_MAX_WORDS`` words holding an "@"
    is compared, joined without spaces, with each target; overlapping runs keep the best."""
    words = pt.words
    found: list[_Hit] = []
    longest = max((len(t) for t in targets), default=0)
    for i in range(len(words)):
        if words[i].text.rstrip().endswith(":"):
            continue  # a label ("Email:"): the address starts in the next word
        acc = ""
        for k in range(i, min(i + _EMAIL_MAX_WORDS, len(words))):
            acc += words[k].text.strip()
            cand = _email_clean(acc)
            if len(cand) > longest + 8:
                break
            if "@" not in cand:
                # OCR misread the "@" ("chukwu\u00e9towerhamlets"): a target's mailbox and one
                # character where the "@" should be
                local = next((t.partition("@")[0] for t in targets
                              if len(t.partition("@")[0]) >= 5 and cand.startswith(t.partition("@")[0])
                              and len(cand) > len(t.partition("@")[0]) + 3), None)
                if local is None:
                    continue
                cand = f"{local}@{cand[len(local) + 1:]}"
            for t in targets:
                sim = max(Levenshtein.normalized_similarity(cand, t),
                          Levenshtein.normalized_similarity(canon(cand), canon(t)))
                if sim >= threshold:
                    found.append(_Hit(i, k, 0.95 if sim >= 0.999 else round(0.9 * sim, 3),
                                      "email address" + ("" if sim >= 0.999 else " (OCR-tolerant match)")))
                elif (end := _garbled_domain_end(pt, cand, t, k)) is not None:
                    found.append(_Hit(i, end, 0.85, "email address (its domain garbled by OCR)"))
    # best first; a run overlapping a better one is dropped
    out: list[_Hit] = []
    for h in sorted(found, key=lambda h: (-h.score, h.last - h.first)):
        if all(h.last < o.first or h.first > o.last for o in out):
            out.append(h)
    return sorted(out, key=lambda h: h.first)


@dataclass(frozen=True)
class AddressParts:
    street: tuple[str, ...]  # words, number first when there is one ("14", "Elm", "Road")
    towns: tuple[tuple[str, ...], ...]
    postcode: str | None  # normalised ("n112ab")


def parse_address(addr: str) -> AddressParts:
    pc = POSTCODE.search(addr)
    postcode = normalise_postcode(pc.group(1) + pc.group(2)) if pc else None
    rest = POSTCODE.sub(" ", addr) if pc else addr
    comps = [c.strip() for c in re.split(r"[,\n;]+", rest) if c.strip()]
    street: tuple[str, ...] = ()
    towns: list[tuple[str, ...]] = []
    for c in comps:
        words = tuple(w for w in re.split(r"\s+", c) if alnum(w))
        if not words:
            continue
        if not street and (any(ch.isdigit() for ch in words[0]) or alnum(words[-1]) in STREET_TYPES
                           or alnum(words[-1]) in STREET_TYPES.values()):
            street = words
        else:
            towns.append(words)
    return AddressParts(street, tuple(towns), postcode)


def _street_type_forms(words: tuple[str, ...]) -> list[tuple[VTok, ...]]:
    base: list[VTok] = []
    alt: list[VTok] = []
    changed = False
    for w in words:
        a = alnum(w)
        mode = Mode.EXACT if any(ch.isdigit() for ch in a) else Mode.FUZZY
        base.append(VTok(a, mode))
        if a in STREET_TYPES:
            alt.append(VTok(STREET_TYPES[a], Mode.EXACT))
            changed = True
        else:
            inv = {v: k for k, v in STREET_TYPES.items()}
            if a in inv:
                alt.append(VTok(inv[a]))
                changed = True
            else:
                alt.append(VTok(a, mode))
    return [tuple(base), tuple(alt)] if changed else [tuple(base)]


def address_variants(party: ThirdParty) -> list[NameVariant]:
    """Street (with and without number, road types abbreviated or not) and town variants.
    ``kind`` starts with "street"/"street name"/"town" and ends with the address number."""
    owner = Owner(Role.PARTY, party.id, True)
    out: list[NameVariant] = []
    for n, addr in enumerate(party.addresses):
        parts = parse_address(addr)
        if parts.street:
            for toks in _street_type_forms(parts.street):
                out.append(NameVariant(toks, f"street#{n}", owner, 0.9))
                if toks[0].mode is Mode.EXACT and len(toks) > 2:
                    out.append(NameVariant(toks[1:], f"street name#{n}", owner, 0.6))
        for town in parts.towns:
            toks = tuple(VTok(alnum(w)) for w in town)
            out.append(NameVariant(toks, f"town#{n}", owner, 0.7))
    return out


def _postcode_hits(toks: list[Token], targets: dict[str, int]) -> list[tuple[int, int, int]]:
    """(first token, last token, address number) of every postcode found."""
    out: list[tuple[int, int, int]] = []
    for j, t in enumerate(toks):
        one = t.base.translate(_POSTCODE_OCR)
        if one in targets:
            out.append((j, j, targets[one]))
            continue
        if j + 1 < len(toks):
            two = (t.base + toks[j + 1].base).translate(_POSTCODE_OCR)
            if two in targets and len(t.base) <= 4:
                out.append((j, j + 1, targets[two]))
    return out


_HOUSE_NUMBER = re.compile(r"[0-9oils]{0,3}[0-9][0-9oils]{0,3}[a-z]?")
_GROW_LEFT = 2  # house-number tokens ("1 11" for "111", "14a") before a street
_GROW_RIGHT = 6  # town and postcode tokens after a street or postcode


def _other_house_number(toks: list[Token], a: int, addr: AddressParts) -> bool:
    """A house number printed just before token ``a`` that OCR could not have made of the
    address's own."""
    if a == 0 or len(toks[a - 1].base) > 4 or not _HOUSE_NUMBER.fullmatch(toks[a - 1].base):
        return False
    if not addr.street or not any(c.isdigit() for c in addr.street[0]):
        return False
    return _grow_address(toks, a, a, addr)[0] == a  # the address's own number would have been taken


def _grow_address(toks: list[Token], a: int, b: int, addr: AddressParts) -> tuple[int, int]:
    """Tokens ``[a, b]`` (a street or a postcode of ``addr``) grown over the parts of the same
    address printed beside them: a house number before the street however OCR read it ("1 11",
    "1144" for "114"), and the town and postcode after it however the line broke."""
    if addr.street and any(c.isdigit() for c in addr.street[0]):
        # before the street, only a number OCR could have made of the party's own ("1144" or
        # "1 14" for "114"), not a neighbour's ("150" on the same road) or the end of a phone
        own = alnum(addr.street[0])
        k, best = a, a
        while k > 0 and a - k < _GROW_LEFT and _HOUSE_NUMBER.fullmatch(toks[k - 1].base):
            k -= 1
            if Levenshtein.distance("".join(t.base for t in toks[k:a]), own) <= 1:
                best = k
        a = best
    towns = {alnum(w) for town in addr.towns for w in town}
    pc = addr.postcode or ""
    k = b
    while k + 1 < len(toks) and k - b < _GROW_RIGHT:
        t = toks[k + 1].base
        p = t.translate(_POSTCODE_OCR)
        if not t:
            break
        if t in towns or any(fuzz.ratio(t, w) >= 80 for w in towns if len(w) >= 4):
            k += 1
        elif pc and len(p) >= 2 and (pc.startswith(p) or pc.endswith(p)):
            k += 1
        elif pc and len(p) >= 5 and Levenshtein.distance(p, pc) <= 1:
            k += 1  # the whole postcode with one character misread ("E172UD" for E17 2JD)
        elif pc and len(p) in (3, 4) and Levenshtein.distance(p, pc[-3:]) <= 1:
            k += 1  # its inward half so ("2UD" for 2JD, "BQY" for 8QY, "3XxS" for 3XS)
        elif pc and 2 <= len(p) <= 4 and len(pc) > 5 and Levenshtein.distance(p, pc[:-3]) <= 1 and (
                any(c.isdigit() for c in p) or (len(p) == 3 and p[:2] == pc[:2])):
            k += 1  # its outward half so ("SES" for SE5)
        else:
            break
    return a, k


def _other_phones(ctx: DetectContext) -> frozenset[str]:
    return frozenset(normalise_phone(ph) for p in ctx.case.third_parties if not p.withheld for ph in p.phones)


_ANY_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+")
_STREET_WORD = frozenset(STREET_TYPES) | frozenset(STREET_TYPES.values()) | {
    "rise", "row", "walk", "green", "parade", "vale", "view", "yard", "gate", "wharf", "estate", "house", "flats"}


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


_OUTWARD = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?")
_INWARD = re.compile(r"\d[A-Z]{2}")
_WRAP_WORDS = 6  # words after an address's end searched on the next line for a postcode's wrapped half
_HOUSE_NUMBER_WORD = re.compile(r"(\d{1,4}[A-Za-z]?),?|\d{1,4}[.,'\u2019]([A-Z][a-z]+,?)")
_ROW_TOKENS = 16  # how far along a row details are taken


_WRAPPED_TOKENS = 3  # words of a table cell wrapped under the row, stepped over along it


def _wrapped_below(pt: PageText, row: Word, w: Word) -> bool:
    """``w`` is on one of the two lines just under ``row``'s line, in a born-digital table
    cell or on an upright scan: the rest of a cell wrapped under the row."""
    if pt.sideways or pt.page.rotation != 0:
        return False
    h = max(row.box.height, w.box.height, 1.0)
    below = (w.box.y0 + w.box.y1) / 2 - (row.box.y0 + row.box.y1) / 2
    return 0.5 * h < below <= 2.6 * h


def _new_sentence(prev: Word, tok: Token) -> bool:
    """``tok`` starts a new sentence of prose after ``prev`` ("... from school? My mobile is"):
    what follows is no longer about the person named before it."""
    return bool(re.search(r"[.?!][\"'\u201d]?$", prev.text.strip())) and tok.upper_initial and tok.base in STOP_WORDS


def _next_on_row(pt: PageText, a: Word, b: Word) -> bool:
    """``b`` goes on the row of ``a``: on the same displayed line (see :func:`_same_row`) and,
    on an upright page, not to its left (a wrapped line starts back at the left)."""
    return _same_row(pt, a, b) and (pt.page.rotation != 0 or b.box.x1 >= a.box.x0)


def _same_row(pt: PageText, a: Word, b: Word) -> bool:
    """``b`` sits on the displayed line (or table row) of ``a``: their centres across the
    text direction are within half a line of each other. Table cells of a born-digital form
    are separate lines of text but one row."""
    sideways = pt.sideways
    ca = (a.box.x0 + a.box.x1) / 2 if sideways else (a.box.y0 + a.box.y1) / 2
    cb = (b.box.x0 + b.box.x1) / 2 if sideways else (b.box.y0 + b.box.y1) / 2
    h = max(a.box.width, b.box.width) if sideways else max(a.box.height, b.box.height)
    return abs(ca - cb) <= 0.5 * max(h, 1.0)


def _contacts_in(pt: PageText, toks: list[Token], t0: int, t1: int, known_phones: frozenset[str],
                 known_emails: frozenset[str]) -> list[tuple[int, int, str]]:
    """(first word, last word, what) of each phone, email and street address among tokens
    ``t0..t1``."""
    w0, w1 = toks[t0].word, toks[t1].word
    words = pt.words
    found: list[tuple[int, int, str]] = []
    w = w0
    while w <= w1:
        text = words[w].text
        phone = _phone_at(pt, w, w1)
        if phone is not None:
            if phone[1] not in known_phones:
                found.append((w, phone[0], "a phone number"))
            w = phone[0] + 1
            continue
        if "@" in text and _ANY_EMAIL.search(fold(text)) and _email_clean(text) not in known_emails:
            found.append((w, w, "an email address"))
            w += 1
            continue
        address = _address_at(pt, w, w1)
        if address:
            found += address
            w = address[0][1] + 1
            continue
        w += 1
    return found


def _phone_at(pt: PageText, w: int, w1: int) -> tuple[int, str] | None:
    """(last word, digits) of a phone number starting at word ``w`` (within ``w1``, or just past
    it: a number cut at the row's end goes on at the start of the next line, "+44 20 / 7946 0478")."""
    words = pt.words
    acc = _phone_start(words[w].text)
    if not acc:
        return None
    k, best = w, None
    while k < len(words) and (k <= w1 or (best is None and k <= w1 + 3)) and (
            k == w or _PHONE_WORD.match(words[k].text)):
        if k > w:
            acc += words[k].text
        digits = normalise_phone(acc.translate(_PHONE_OCR))
        if re.fullmatch(r"[127]\d{9}", digits):
            digits = "0" + digits  # OCR lost the leading 0 ("\u20ac7700900787")
        elif re.fullmatch(r"04[127]\d{9}", digits):
            digits = "0" + digits[2:]  # the "+" of "+44" read as a 4 ("4447700 900225")
        if re.fullmatch(r"0\d{9,10}", digits):
            best = (k, digits)
        if len(digits) > 13:
            break
        k += 1
    return best


def _address_at(pt: PageText, w: int, w1: int) -> list[tuple[int, int, str]]:
    """A street address starting at word ``w`` (a house number, capitalised words, a street type
    word, then its town and postcode; OCR may run the number into the street's first word:
    "104.Mill", "162'Lordship"), and its postcode's inward half wrapped to the next line: the
    address first, or nothing."""
    words = pt.words
    number = _HOUSE_NUMBER_WORD.fullmatch(words[w].text.strip())
    if number is None:
        return []
    glued = bool(number.group(2))
    k, end = (w, None) if glued else (w + 1, None)
    while k <= w1 and k - w <= 5:
        word = number.group(2) if glued and k == w else words[k].text.strip()
        a = alnum(word)
        if not a or not word[:1].isupper():
            break
        if a in _STREET_WORD or a.removesuffix("s") in _STREET_WORD:
            end = k
            break
        k += 1
    if end is None:
        return []
    # the town and postcode after it
    k = end + 1
    while k <= w1 and (POSTCODE.fullmatch(words[k].text.strip(" ,.")) or re.fullmatch(
            r"[A-Z][a-z]+,?|[A-Za-z]{1,2}\d[A-Za-z\d]?|\d[A-Za-z]{2}[.,]?|[A-Z][a-z]+[.,][A-Z]{1,2}\d[A-Z\d]?",
            words[k].text.strip())):
        end = k
        k += 1
    found = [(w, end, "an address")]
    if _OUTWARD.fullmatch(words[end].text.strip(" ,.|")) and end == w1:
        # the postcode's inward half wrapped to the start of the next line ("E13 / 6GP")
        # (in the address's own column, on an upright page)
        lo, hi = words[w].box.x0, words[end].box.x1
        for j in range(end + 1, min(end + 1 + _WRAP_WORDS, len(words))):
            if pt.lines[j] > pt.lines[end] + 1:
                break
            wj = words[j]
            if (pt.lines[j] != pt.lines[end] and _INWARD.fullmatch(wj.text.strip(" ,.|"))
                    and (pt.page.rotation != 0 or (wj.box.x0 >= lo - 5 and wj.box.x1 <= hi + 5))):
                found.append((j, j, "an address (its postcode wrapped to the next line)"))
                break
    return found


def mailbox_forms(name: str) -> set[str]:
    """The mailboxes a person's work or home address is usually made of, folded to letters:
    "firstname.lastname", "f.lastname", "firstnamelastname", "firstname_lastname",
    "lastname.firstname" (middle names left out, a hyphenated or apostrophe surname run
    together: "leonor.dsouza")."""
    p = parse_person_name(name)
    if p is None or not p.surname:
        return set()
    first, last = alnum(p.first), alnum("".join(p.surname))
    if len(first) < 2 or len(last) < 2:
        return set()
    return {first + last, first[0] + last, last + first}


_AT_MISREAD = re.compile(r"(?<=[a-z])(?:\u00e9|\u00a9|\(a\)|\(@\))(?=[a-z])")  # "chukwu\u00e9towerhamlets"


def _sentence_word(text: str) -> bool:
    """A word that starts the next sentence after an address ("Copy", "The"), not a piece of
    its domain OCR set apart ("gov. Lk")."""
    a = alnum(text)
    return text.strip()[:1].isupper() and (len(a) > 3 or a in STOP_WORDS)


# a mailbox's dot OCR read as a colon, semicolon or comma, maybe with a speck ("joanna:\u2018kaminska@")
_DOT_MISREAD = re.compile(r"(?<=[A-Za-z])[:;,]['\u2018\u2019`]?(?=[A-Za-z][^@\s]*@)")


def _email_run(pt: PageText, w: int) -> tuple[int, re.Match[str] | None]:
    """The email address starting at word ``w``, also when OCR split it at its dots into
    several words on the line ("babatunde. chukwu\u00e9towerhamlets. example. gov. uk") and
    misread its "@": (its last word, the match), or (w, None)."""
    words, line = pt.words, pt.lines[w]
    last, joined = w, words[w].text.strip()
    while (last + 1 < len(words) and pt.lines[last + 1] == line and last - w < _EMAIL_MAX_WORDS - 1
           and (joined.endswith((".", "@")) or words[last + 1].text.strip().startswith((".", "@")))
           and not _sentence_word(words[last + 1].text)):
        last += 1
        joined += words[last].text.strip()
    for end in range(last, w, -1):
        text = "".join(x.text.strip() for x in words[w:end + 1]).rstrip(".,;:")
        if "@" not in text:
            text = _AT_MISREAD.sub("@", text, count=1)
        text = _DOT_MISREAD.sub(".", text)
        m = _ANY_EMAIL.fullmatch(fold(text).strip("<>()[]{};'\"_"))
        if m is not None:
            return end, m
    return w, _ANY_EMAIL.search(fold(_DOT_MISREAD.sub(".", words[w].text)))


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
    """A first name the party shares with the child or the requester (left out as theirs by the
    manifest detector) that the party's own listed number follows in the same sentence ("will
    contact Kwame again on 07700 900311"): the party's, for review."""
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
            if (v.owner.party_id != party.id or v.owner.protected or not v.first_only or m.length != 1
                    or (m.first, m.last) in kept or not 0 < t_num - m.last <= _NAME_BEFORE_NUMBER):
                continue
            if any(o.variant.owner.protected and o.covers(m) and o.length > 1 for o in page_names):
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
            out += self._addresses(pt, toks, party, matcher, postcodes, cfg)
        return out

    def _addresses(self, pt: PageText, toks: list[Token], party: ThirdParty, matcher: NameMatcher | None,
                   postcodes: dict[str, int], cfg: DetectConfig) -> list[ProposalDraft]:
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
        # live at 9 Elm Road) is a neighbour's address, and so are the town and postcode after it
        found = [f for f in found if not (f[3] == "street name" and f[2] < len(addrs)
                                          and _other_house_number(toks, f[0], addrs[f[2]]))]
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
        if pt.sideways or pt.page.rotation != 0:
            continue
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
            for b in wrapped_start(pt, pt.words[j], pt.lines[j], cell_start(pt, i), j + 2):
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
