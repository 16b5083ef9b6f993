"""The forms a name takes in real files, derived from the manifest.

From "Daniel James Price": the full name, first name, surname, title + surname
("Mr Price"), initial + surname ("D. Price", "D Price", "D J Price"), first name +
surname initial ("Daniel P"), initials ("DP", "D.P.", "DJP"), "Price, Daniel",
first + surname without the middle name. Possessives, plurals and capitals need no
variants: the token stream (:mod:`redaction.detect.tokens`) folds them. Diacritics are
folded on both sides (José == Jose). Hyphenated surnames give each part too
(Smith-Jones -> Smith, Jones); apostrophe surnames match joined or split
(O'Connor, OConnor, O' Connor). Aliases are taken as given.

Titles follow what is known of the person's sex (a title in the manifest, or the
head word of the relationship: "grandmother" -> Mrs/Ms/Miss; "mother's partner" ->
unknown: every title), so "Mrs Hart" stays the requester's when the mother's partner
is a Mr Hart.

Organisations: the full name (a leading "The" dropped), aliases, and the acronym
("BFS"), which only matches as a whole upper-case token.

Every variant records its owner (the child, the requester, a member of staff, a
party, a party's staff, an organisation) so the matcher can protect the names that
must never be proposed.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from redaction.case import Case, PartyKind, ThirdParty
from redaction.detect.tokens import alnum, fold

MALE_TITLES = ("mr", "mister", "master")
FEMALE_TITLES = ("mrs", "ms", "miss", "missus")
# police and council ranks stand before a surname as a title does ("DC Ssempala", "PS Fitzgerald")
RANK_TITLES = ("pc", "ps", "dc", "ds", "di", "dci", "dsgt", "sgt", "insp", "cllr")
NEUTRAL_TITLES = ("dr", "doctor", "mx", "prof", "professor", "rev", "revd", "sir", "dame", "lady", "lord",
                  *RANK_TITLES)
ALL_TITLES = frozenset(MALE_TITLES + FEMALE_TITLES + NEUTRAL_TITLES)
# what a child calls a relative or a family friend, set before the first name as a title is
# ("Uncle Bilal", "Auntie Grace", "Nan Joyce", "Khala Amina"): part of the reference
KINSHIP_TITLES = ("uncle", "auntie", "aunty", "aunt", "nan", "nana", "nanna", "nanny", "gran", "granny",
                  "grandma", "grandad", "granddad", "grandpa", "cousin", "khala", "masi", "bua", "chacha",
                  "mamu", "tia", "tio", "tante", "ciocia", "wujek", "teyze", "amca")

_FEMALE_WORDS = frozenset(
    "mother mum mummy mom mam grandmother grandma nan nana nanna nanny gran granny aunt auntie aunty "
    "sister stepmother stepmum wife girlfriend daughter niece godmother".split()
)
_MALE_WORDS = frozenset(
    "father dad daddy grandfather grandad granddad grandpa uncle brother stepfather stepdad husband "
    "boyfriend son nephew godfather".split()
)
_PARTICLES = frozenset("van von der den de da di du del della le la st mac bin ben ap".split())
_ORG_STOP = frozenset("of and the for in on at to".split())


class Role(enum.StrEnum):
    CHILD = "child"
    REQUESTER = "requester"
    STAFF = "staff"  # the setting's own staff
    PARTY = "party"  # a third party person
    PARTY_STAFF = "party staff"  # a named worker of a third-party organisation
    ORG = "organisation"

    @property
    def label(self) -> str:
        """How an explanation names the role (never the name)."""
        return {
            Role.CHILD: "the child",
            Role.REQUESTER: "the requester",
            Role.STAFF: "a member of staff",
            Role.PARTY: "another listed person",
            Role.PARTY_STAFF: "another listed person",
            Role.ORG: "another listed organisation",
        }[self]


class Mode(enum.StrEnum):
    FUZZY = "fuzzy"  # OCR-tolerant; tokens shorter than the fuzzy minimum must match exactly
    EXACT = "exact"  # exact after normalisation (titles, house numbers)
    UPPER = "upper"  # exact and printed in capitals (initials, acronyms)


@dataclass(frozen=True)
class VTok:
    text: str  # alnum form (lower case)
    mode: Mode = Mode.FUZZY
    accented: str = ""  # the word as the manifest spells it (lower case), when it carries accents


def _fold_marks(s: str) -> str:
    """Quotes and dashes unified (see :func:`fold`), letters kept as written (accents too)."""
    return "".join(c if c.isalpha() else fold(c) for c in s)


def _vtok(word: str) -> VTok:
    """A fuzzy token of a person's name word, keeping its accents when it has any."""
    low = unicodedata.normalize("NFC", word).lower()
    return VTok(alnum(word), accented=low if any(ord(c) > 127 and c.isalpha() for c in low) else "")


def accent_pattern(accented: str) -> tuple[re.Pattern[str], int] | None:
    """The OCR readings of an accented name word, as a pattern over :func:`alnum` forms, and how
    many of its letters are plain: each accented letter may be read as any one or two characters
    ("Ömer" as "6mer", "Gökhan" as "Gdkhan", "Koç" as "Kog", "Weiß" as "Weif"). None when
    too few letters are plain for the pattern to mean anything."""
    parts: list[str] = []
    plain = wild = 0
    for c in accented:
        if c.isascii():
            if c.isalnum():
                parts.append(re.escape(c))
                plain += 1
        elif c.isalpha():
            parts.append(".{1,2}")
            wild += 1
    if not wild or plain < 2 or wild > plain:
        return None
    return re.compile("".join(parts)), plain


@dataclass(frozen=True)
class Owner:
    role: Role
    party_id: str | None
    withheld: bool  # True: propose; False: protect

    @property
    def protected(self) -> bool:
        return not self.withheld


@dataclass(frozen=True)
class NameVariant:
    tokens: tuple[VTok, ...]
    kind: str  # "full name", "surname with title" ...: goes into explanations
    owner: Owner
    weight: float  # score of an exact match
    first_only: bool = False  # a lone first name (or one-word alias): may be shared
    surname_only: bool = False  # a lone surname (or part of one)
    rest: tuple[str, ...] = ()  # a shortened form's missing words (folded), in order
    person: str = ""  # the name as the manifest gives it, for a person's name forms


@dataclass(frozen=True)
class ParsedName:
    titles: tuple[str, ...]
    first: str
    middles: tuple[str, ...]
    surname: tuple[str, ...]  # one or more words ("van der Berg"); () for a one-word name


def parse_person_name(name: str) -> ParsedName | None:
    """Split "Mrs Joan M. Allen, Headteacher" into titles, first, middles, surname."""
    name = _fold_marks(name.split(",")[0]).strip()
    words = [w for w in re.split(r"\s+", name) if alnum(w)]
    titles: list[str] = []
    while words and alnum(words[0]) in ALL_TITLES and len(words) > 1:
        titles.append(alnum(words.pop(0)))
    if not words:
        return None
    if len(words) == 1:
        return ParsedName(tuple(titles), words[0], (), ())
    first = words[0]
    rest = words[1:]
    cut = len(rest) - 1
    while cut > 0 and alnum(rest[cut - 1]) in _PARTICLES:
        cut -= 1
    return ParsedName(tuple(titles), first, tuple(rest[:cut]), tuple(rest[cut:]))


def gender_of(relationship: str, titles: tuple[str, ...] = ()) -> str | None:
    """"female", "male" or None, from a title or the head word of a relationship."""
    for t in titles:
        if t in FEMALE_TITLES:
            return "female"
        if t in MALE_TITLES:
            return "male"
    words = [alnum(w) for w in re.split(r"[\s-]+", relationship.lower()) if alnum(w)]
    if not words:
        return None
    head = words[-1]
    if head in _FEMALE_WORDS:
        return "female"
    if head in _MALE_WORDS:
        return "male"
    return None


def titles_for(gender: str | None) -> tuple[str, ...]:
    if gender == "female":
        return FEMALE_TITLES + NEUTRAL_TITLES
    if gender == "male":
        return MALE_TITLES + NEUTRAL_TITLES
    return MALE_TITLES + FEMALE_TITLES + NEUTRAL_TITLES


def _surname_forms(surname: tuple[str, ...]) -> list[tuple[VTok, ...]]:
    """The surname as token sequences: hyphen parts as separate tokens (the stream
    splits "Smith-Jones" the same way), and an apostrophe name also split ("O' Connor")."""
    words: list[VTok] = []
    split_words: list[VTok] = []
    has_apostrophe = False
    for w in surname:
        for part in re.split(r"[-/]+", _fold_marks(w)):
            a = alnum(part)
            if not a:
                continue
            words.append(_vtok(part))
            m = re.match(r"^([A-Za-z]{1,2})'(.+)$", part)
            if m and alnum(m.group(2)):
                has_apostrophe = True
                split_words.append(VTok(alnum(m.group(1)), Mode.EXACT))
                split_words.append(VTok(alnum(m.group(2))))
            else:
                split_words.append(_vtok(part))
    forms: list[tuple[VTok, ...]] = []
    if words:
        forms.append(tuple(words))
    if has_apostrophe:
        forms.append(tuple(split_words))
    return forms


def _kinship_forms(first: VTok, owner: Owner, name: str) -> list[NameVariant]:
    """A relative's or family friend's first name after what the child calls them ("Uncle Bilal")."""
    if owner.role not in (Role.PARTY, Role.REQUESTER):
        return []
    return [NameVariant((VTok(k, Mode.EXACT), first), "first name with a kinship title", owner, 0.95, person=name)
            for k in KINSHIP_TITLES]


def person_variants(name: str, owner: Owner, relationship: str = "") -> list[NameVariant]:
    """Every form of a person's name (see module docstring)."""
    p = parse_person_name(name)
    if p is None:
        return []
    out: list[NameVariant] = []

    def add(toks: tuple[VTok, ...], kind: str, weight: float, first_only: bool = False,
            surname_only: bool = False) -> None:
        if toks and all(t.text for t in toks):
            out.append(NameVariant(toks, kind, owner, weight, first_only, surname_only, person=name))

    first = _vtok(p.first)
    middles = tuple(_vtok(m) for m in p.middles if alnum(m))
    f0 = VTok(first.text[0], Mode.UPPER)
    mids0 = tuple(VTok(m.text[0], Mode.UPPER) for m in middles)
    add((first,), "first name", 0.85, first_only=True)
    out += _kinship_forms(first, owner, name)
    titles = ("master", "miss") if owner.role is Role.CHILD else titles_for(gender_of(relationship, p.titles))
    if not p.surname:
        for t in titles:
            add((VTok(t, Mode.EXACT), first), "name with title", 0.95)
        return out
    surname_forms = _surname_forms(p.surname)
    for sn in surname_forms:
        s0 = VTok(sn[0].text[0], Mode.UPPER)
        add((first, *middles, *sn), "full name", 1.0)
        if middles:
            add((first, *sn), "first name and surname", 1.0)
            add((first, *middles), "first and middle names", 0.9)
            add((f0, *mids0, *sn), "initials and surname", 0.9)
        add((f0, *sn), "initial and surname", 0.9)
        add(sn, "surname", 0.85, surname_only=True)
        add((*sn, first), "surname, first name", 0.95)
        add((first, s0), "first name and surname initial", 0.8)
        for t in titles:
            add((VTok(t, Mode.EXACT), *sn), "surname with title", 0.95)
        if len(sn) > 1 and all(x.mode is Mode.FUZZY for x in sn):
            for part in sn:
                if len(part.text) >= 3 and part.text not in _PARTICLES:
                    add((part,), "part of surname", 0.7, surname_only=True)
                    for t in titles:
                        add((VTok(t, Mode.EXACT), part), "part of surname with title", 0.85)
    # initials, as one token ("DP", "D.P.", "DJP") and as separate letters ("D. P.")
    inits = f0.text + "".join(m.text for m in mids0) + surname_forms[0][0].text[0]
    if len(inits) >= 2:
        add((VTok(inits, Mode.UPPER),), "initials", 0.7)
        if len(inits) <= 3:
            add(tuple(VTok(c, Mode.UPPER) for c in inits), "initials", 0.7)
    return out


def alias_variants(alias: str, owner: Owner) -> list[NameVariant]:
    toks = tuple(_vtok(w) for w in re.split(r"[\s\-/]+", alias) if alnum(w))
    if not toks:
        return []
    return [NameVariant(toks, "alias", owner, 0.95, first_only=len(toks) == 1)]


def acronym(name: str) -> str | None:
    """"Barnet Family Services" -> "bfs"; a one-word capitalised name ("NSPCC") is its own."""
    words = [w for w in re.split(r"[\s\-/&]+", fold(name)) if alnum(w)]
    if len(words) == 1:
        return alnum(words[0]) if words[0].isupper() and len(alnum(words[0])) >= 2 else None
    letters = "".join(alnum(w)[0] for w in words if alnum(w) not in _ORG_STOP)
    return letters if len(letters) >= 2 else None


def org_variants(name: str, owner: Owner) -> list[NameVariant]:
    words = [alnum(w) for w in re.split(r"[\s\-/&]+", fold(name)) if alnum(w)]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    out: list[NameVariant] = []
    acr = acronym(name)
    if len(words) == 1 and acr == words[0]:
        # an acronym name ("NSPCC"): only as a capitalised token
        out.append(NameVariant((VTok(acr, Mode.UPPER),), "organisation acronym", owner, 0.9))
        return out
    if words:
        out.append(NameVariant(tuple(VTok(w) for w in words), "organisation name", owner, 1.0))
    # a long name is often cut short ("Metropolitan Police Lewisham" for "... Safeguarding Unit",
    # or the rest garbled by OCR): its opening words, three or more, name it too
    for n in range(max(3, len(words) - 2), len(words)):
        if len(words) >= 4 and sum(w not in _ORG_STOP for w in words[:n]) >= 3:
            out.append(NameVariant(tuple(VTok(w) for w in words[:n]), "organisation name, shortened", owner, 0.9,
                                   rest=tuple(words[n:])))
    if acr and len(words) > 1:
        out.append(NameVariant((VTok(acr, Mode.UPPER),), "organisation acronym", owner, 0.85))
    return out


def party_variants(party: ThirdParty) -> list[NameVariant]:
    """All name variants of one third party (a person, or an organisation and its staff)."""
    out: list[NameVariant] = []
    if party.kind is PartyKind.ORGANISATION:
        own = Owner(Role.ORG, party.id, party.withheld)
        out += org_variants(party.name, own)
        for a in party.aliases:
            out += org_variants(a, own)
        staff_owner = Owner(Role.PARTY_STAFF, party.id, party.withheld)
        for s in party.staff:
            out += person_variants(s, staff_owner)
    else:
        own = Owner(Role.PARTY, party.id, party.withheld)
        out += person_variants(party.name, own, party.relationship)
        for a in party.aliases:
            out += alias_variants(a, own)
    return out


def case_variants(case: Case) -> list[NameVariant]:
    """Every variant of every name the manifest knows: parties (withheld or not), the
    child, the requester and the setting's staff (protected). Made once per manifest (a
    case's documents, and both readings of each, ask for the same)."""
    return list(_case_variants(case))


@lru_cache(maxsize=8)
def _case_variants(case: Case) -> tuple[NameVariant, ...]:
    out: list[NameVariant] = []
    child = Owner(Role.CHILD, None, False)
    out += person_variants(case.child.name, child)
    for a in case.child.aliases:
        out += alias_variants(a, child)
    req = Owner(Role.REQUESTER, None, False)
    out += person_variants(case.requester.name, req, case.requester.relationship)
    for a in case.requester.aliases:
        out += alias_variants(a, req)
    staff = Owner(Role.STAFF, None, False)
    for s in case.staff_names:
        out += person_variants(s, staff)
    for party in case.third_parties:
        out += party_variants(party)
    return tuple(out)
