"""Addresses: their parts (street with its number, towns, postcode), their name forms, and where they are printed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from spacy.lang.en.stop_words import STOP_WORDS

from redaction.case import ThirdParty
from redaction.detect.align import PageText
from redaction.detect.tokens import Token, alnum, canon
from redaction.detect.variants import Mode, NameVariant, Owner, Role, VTok

POSTCODE = re.compile(r"\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})\b")
_POSTCODE_OCR = str.maketrans({"o": "0", "i": "1", "l": "1"})

STREET_TYPES = {
    "road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "close": "cl", "drive": "dr",
    "crescent": "cres", "gardens": "gdns", "place": "pl", "court": "ct", "terrace": "terr",
    "square": "sq", "grove": "gr", "park": "pk", "mews": "mews", "way": "way", "hill": "hl",
}


def normalise_postcode(s: str) -> str:
    return alnum(s).translate(_POSTCODE_OCR)


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


def kept_street_here(pt: PageText, toks: list[Token], a: int, kept: list[AddressParts]) -> bool:
    """The street name at token ``a`` follows the house number it has in the address of somebody
    who stays ("54 Ravenscliffe Avenue", a consenting agency's own letterhead, beside a refused
    party at 158 Ravenscliffe Avenue; "$4" is how OCR read the 54): that address is theirs."""
    n = a if any(c.isdigit() for c in toks[a].base) else a - 1  # the match may begin at the number
    if n < 0 or n + 1 >= len(toks):
        return False
    printed = canon(re.sub(r"[^0-9a-z$|!]", "", pt.words[toks[n].word].text.lower()))
    for k in kept:
        if (len(k.street) >= 2 and any(c.isdigit() for c in k.street[0])
                and canon(alnum(k.street[0])) == printed and toks[n + 1].base == alnum(k.street[1])):
            return True
    return False


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
    k, debris = b, False
    while k + 1 < len(toks) and k - b < _GROW_RIGHT:
        t = toks[k + 1].base
        if not t:
            break
        if _address_goes_on(t, towns, pc):
            k += 1
        elif (not debris and len(t) <= 2 and t.isalpha() and t not in STOP_WORDS and k + 2 < len(toks)
              and _address_goes_on(toks[k + 2].base, towns, pc)):
            k, debris = k + 2, True  # a mark OCR read as letters where the line broke ("Newcastle / se upon Tyne")
        else:
            break
    return a, k


def _address_goes_on(t: str, towns: set[str], pc: str) -> bool:
    """Token ``t`` (a base form) is a word of the address's towns or a part of its postcode,
    however OCR read it."""
    p = t.translate(_POSTCODE_OCR)
    if t in towns or any(fuzz.ratio(t, w) >= 80 for w in towns if len(w) >= 4):
        return True
    if not pc:
        return False
    if len(p) >= 2 and (pc.startswith(p) or pc.endswith(p)):
        return True
    if len(p) >= 5 and Levenshtein.distance(p, pc) <= 1:
        return True  # the whole postcode with one character misread ("E172UD" for E17 2JD)
    if len(p) in (3, 4) and Levenshtein.distance(p, pc[-3:]) <= 1:
        return True  # its inward half so ("2UD" for 2JD, "BQY" for 8QY, "3XxS" for 3XS)
    # its outward half so ("SES" for SE5)
    return 2 <= len(p) <= 4 and len(pc) > 5 and Levenshtein.distance(p, pc[:-3]) <= 1 and (
        any(c.isdigit() for c in p) or (len(p) == 3 and p[:2] == pc[:2]))


_STREET_WORD = frozenset(STREET_TYPES) | frozenset(STREET_TYPES.values()) | {
    "rise", "row", "walk", "green", "parade", "vale", "view", "yard", "gate", "wharf", "estate", "house", "flats"}


_OUTWARD = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?")
_INWARD = re.compile(r"\d[A-Z]{2}")
_WRAP_WORDS = 6  # words after an address's end searched on the next line for a postcode's wrapped half
_HOUSE_NUMBER_WORD = re.compile(r"(\d{1,4}[A-Za-z]?),?|\d{1,4}[.,'\u2019]([A-Z][a-z]+,?)")


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
