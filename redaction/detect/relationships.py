"""Phrases that point at a withheld person by relationship: "mum's partner", "Nan",
"Grandad", "step-dad", "uncle" (:attr:`Reason.RELATIONSHIP`, review score).

The phrases come from the party's ``relationship`` in the manifest and a small table of
synonyms. A phrase that would equally name the requester or a party who granted
consent (two grandmothers, one consenting) is left out: it does not point at the
withheld person.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from redaction.case import ThirdParty
from redaction.detect.align import PageText
from redaction.detect.base import DetectContext
from redaction.detect.rules import rule
from redaction.detect.tokens import alnum
from redaction.detect.variants import parse_person_name
from redaction.detect.wrapped import cell_start, upright, wrapped_boxes, wrapped_runs
from redaction.models import ProposalDraft, Reason

NAME = "relationship"
REFERENCE, FIRST_NAME = rule("relationship.reference"), rule("relationship.first-name")
WRAPPED = rule("relationship.wrapped")

_OWNERS = {
    "mother": ("mum", "mummy", "mother", "mom", "mam", "mommy"),
    "father": ("dad", "daddy", "father"),
}
_OWNER_ALIASES = {"mum": "mother", "mummy": "mother", "mom": "mother", "mam": "mother",
                  "dad": "father", "daddy": "father"}
_PARTNER = ("partner", "boyfriend", "girlfriend", "fiance", "fiancee", "husband", "wife", "other half")
_DIRECT: dict[str, tuple[str, ...]] = {
    "grandmother": ("grandmother", "grandma", "grandmum", "gran", "granny", "nan", "nana", "nanna", "nanny",
                    "nanan"),
    "grandfather": ("grandfather", "grandad", "granddad", "grandpa", "gramps", "grampa", "grandpop"),
    "stepfather": ("stepfather", "step-father", "step father", "stepdad", "step-dad", "step dad"),
    "stepmother": ("stepmother", "step-mother", "step mother", "stepmum", "step-mum", "step mum"),
    "father": ("father", "dad", "daddy", "birth father"),
    "mother": ("mother", "mum", "mummy", "mom", "birth mother"),
    "uncle": ("uncle",),
    "aunt": ("aunt", "auntie", "aunty"),
    "cousin": ("cousin",),
    "brother": ("brother",),
    "sister": ("sister",),
    "half-brother": ("half-brother", "half brother"),
    "half-sister": ("half-sister", "half sister"),
    "godmother": ("godmother",),
    "godfather": ("godfather",),
    "childminder": ("childminder", "child minder"),
    "lodger": ("lodger",),
    "neighbour": ("neighbour",),
    "family friend": ("family friend",),
}
# what children of a London school's many communities call their relatives (accented and plain
# spellings, since OCR and typists drop accents); words that are also common first names or that
# equally mean "mum"/"dad" in another language (Baba, Mama, Nana for a grandfather) are left out,
# and so are words that are also common first names (Lola, Bibi, Pepe, Tia, Zia)
_WORLD: dict[str, tuple[str, ...]] = {
    "grandmother": (
        "nani", "naani", "nanima", "dadi", "daadi", "dadima", "babcia", "babunia", "bunica", "buni", "avó", "avo",
        "vovó", "vovo", "abuela", "abuelita", "oma", "omi", "mamie", "mémé", "grand-mère", "grand-mere",
        "nonna", "yiayia", "yaya", "giagia", "teta", "tete", "sitti", "sitto", "anneanne", "babaanne", "ayeeyo",
        "awowo", "nnenne", "nne nne", "iya agba", "mama agba", "babushka", "babulya", "nagyi",
        "bubbe", "bubby", "nainai", "laolao", "popo", "halmeoni", "halmoni", "obaachan", "mormor", "farmor",
        "babička", "babicka", "baka", "babka", "gjyshja", "gjyshe", "nain", "mamó", "mamo", "nanny", "granma",
        "grandmama", "močiutė", "mociute", "bà ngoại", "ba ngoai", "bà nội", "ba noi",
    ),
    "grandfather": (
        "dziadek", "dziadzio", "bunicul", "bunic", "avô", "vovô", "abuelo", "abuelito", "opa", "opi", "papi",
        "papy", "pépé", "grand-père", "grand-pere", "nonno", "pappous", "pappou", "papou", "jiddo",
        "jeddo", "jido", "sido", "dede", "awoowe", "baba agba", "nna nna", "nnanna", "babu", "lolo", "dedushka",
        "dedulya", "nagypapa", "zayde", "zaidy", "zeide", "yeye", "laoye", "gonggong", "harabeoji", "ojiichan",
        "morfar", "farfar", "dědeček", "dedecek", "djed", "deda", "gjyshi", "gjysh", "taid", "daideó", "daideo",
        "nanaji", "dadaji", "senelis", "ông ngoại", "ong ngoai", "ông nội", "ong noi",
    ),
    "aunt": ("khala", "khaala", "khalah", "phuppo", "phuphi", "phuppi", "bua", "masi", "maasi", "chachi",
             "tía", "tante", "ciocia", "mătușă", "matusa", "teyze", "eedo", "habaryar", "aunty"),
    "uncle": ("mamu", "mamoo", "mamun", "khalu", "chacha", "chachu", "tayaji", "tio", "tío", "oncle", "onkel",
              "zio", "wujek", "wujaszek", "stryjek", "unchiul", "nenea", "dayı", "dayi", "amca", "abti", "adeer",
              "ammo", "khalo"),
}
_DIRECT_ALIASES = {
    "grandma": "grandmother", "nan": "grandmother", "nana": "grandmother", "nanny": "grandmother",
    "gran": "grandmother", "granny": "grandmother", "grandad": "grandfather", "granddad": "grandfather",
    "grandpa": "grandfather", "stepdad": "stepfather", "stepmum": "stepmother", "dad": "father",
    "mum": "mother", "auntie": "aunt", "aunty": "aunt", "halfbrother": "half-brother",
    "halfsister": "half-sister",
}
# relatives and friends are also named through a parent: "mum's brother", "dad's friend"
_VIA_PARENT: dict[str, tuple[str, ...]] = {
    "uncle": ("brother",), "aunt": ("sister",), "family friend": ("friend",),
    "grandmother": ("mum", "mother"), "grandfather": ("dad", "father"), "cousin": ("nephew", "niece"),
}
_OWNER_PRONOUN = {"mother": "her", "father": "his"}
_PARENTS_SIBLING = {"uncle": "brother", "aunt": "sister"}
_SIDED = frozenset({"uncle", "aunt", "grandmother", "grandfather", "cousin"})
_PARTNER_QUALIFIERS = ("new", "current", "ex")
# a possessive before a kinship word says whose relative it is and belongs to the reference
# ("his dad", "her nan", "the children's father"): the proposal takes it in
_WHOSE = re.compile(r"(?<![\w'\u2019])(?:his|her|their|your|my|our|(?:children|child|kids)['\u2019]s?)"
                    r"\s+[\u2018\u201c'\x22`]?$", re.IGNORECASE)
_OWNER_FORM = re.compile(r"^\w+(?:['\u2019]s|s['\u2019])\s")  # "mum's partner": whose is already said

_QUALIFIERS = {
    "maternal", "paternal", "great", "step", "birth", "biological", "ex", "former", "new", "current",
}


_RELATIVES = re.compile(r"^(?:the\s+)?(\w+)(?:'s|s')\s+(.+)$")  # "grandmother's partner": whose, and who


def _folded(relationship: str) -> str:
    return relationship.strip().lower().replace("\u2019", "'")


def phrases_for(relationship: str) -> frozenset[str]:
    """Lower-case phrases that refer to a person with this relationship to the child."""
    rel = _folded(relationship)
    if not rel:
        return frozenset()
    out: set[str] = {rel}
    of = re.match(r"^(.+?)\s+of\s+(?:the\s+|his\s+|her\s+)?(\w+)$", rel)
    if of and _OWNER_ALIASES.get(of.group(2), of.group(2)) in _OWNERS:
        # "family friend of the mother": the parent's ("mum's family friend"), and the role itself
        # when it says more than one word ("family friend"; not "partner", "friend")
        role, owner = of.group(1), _OWNER_ALIASES.get(of.group(2), of.group(2))
        out |= phrases_for(f"{owner}'s {role}")
        return frozenset(out | phrases_for(role) if " " in role else out)
    m = re.match(r"^(?:the\s+)?(\w+)(?:'s|s')?\s+(.+)$", rel)
    if m and (_OWNER_ALIASES.get(m.group(1), m.group(1)) in _OWNERS):
        owner = _OWNER_ALIASES.get(m.group(1), m.group(1))
        role = m.group(2).strip()
        roles = _PARTNER if role in _PARTNER else (role,)
        for o in _OWNERS[owner]:
            for r in roles:
                out.add(f"{o}'s {r}")
        if role in _PARTNER:
            # the same person through a pronoun for the parent: "her partner", "your new boyfriend"
            for pron in (_OWNER_PRONOUN[owner], "your", "the"):  # "the partner was cross again"
                for r in roles:
                    out |= {f"{pron} {r}", *(f"{pron} {q} {r}" for q in _PARTNER_QUALIFIERS)}
            out |= set(_DIRECT["stepfather" if owner == "mother" else "stepmother"])
        return frozenset(out)
    through = _through_relative(rel)
    if through:
        return frozenset(out | through)
    words = [w for w in re.split(r"\s+", rel) if w]
    while len(words) > 1 and alnum(words[0]) in _QUALIFIERS and words[0] not in ("step",):
        words = words[1:]
    head = " ".join(words)
    key = _DIRECT_ALIASES.get(alnum(head), head)
    return frozenset(out | (_relative(rel, key) if key in _DIRECT else {head}))


def _relative(rel: str, key: str) -> set[str]:
    """The phrases for a relative ``key`` of :data:`_DIRECT` ("maternal aunt": "auntie", "mum's
    sister", "her sister", "maternal aunt")."""
    out = set(_DIRECT[key]) | set(_WORLD.get(key, ()))
    side = ("mother",) if rel.startswith("maternal") else ("father",) if rel.startswith("paternal") else (
        "mother", "father")
    for owner in side:
        for o in _OWNERS[owner]:
            out |= {f"{o}'s {r}" for r in _VIA_PARENT.get(key, ())}
    if key in _SIDED:
        # "maternal uncle": on no known side, either side may be the party's
        out |= {f"{q} {key}" for q in ("maternal", "paternal")} if len(side) == 2 else {f"{rel.split()[0]} {key}"}
    if len(side) == 1:
        out.add(rel)
        if key in _PARENTS_SIBLING:
            # the side known, the parent's pronoun says it ("Mum said her sister ..."); on no
            # known side "her sister" is as likely the child's own
            out.add(f"{_OWNER_PRONOUN[side[0]]} {_PARENTS_SIBLING[key]}")
    return out


def _through_relative(rel: str) -> set[str]:
    """"grandmother's partner": the phrases through every name of that relative ("Nan's partner");
    nothing when ``rel`` is not somebody's relative but a parent's (that is :func:`phrases_for`'s)."""
    m = _RELATIVES.match(rel)
    kin = m and _DIRECT_ALIASES.get(m.group(1), m.group(1))
    if not m or kin not in _DIRECT or kin in _OWNERS:
        return set()
    role = m.group(2).strip()
    roles = _PARTNER if role in _PARTNER else (role,)
    return {f"{k}'s {r}" for k in (*_DIRECT[kin], *_WORLD.get(kin, ())) for r in roles}


_KIN_PRONOUN = {"grandmother": "her", "aunt": "her", "stepmother": "her", "grandfather": "his", "uncle": "his",
                "stepfather": "his"}


def carers_partner(relationship: str, requester: str) -> frozenset[str]:
    """Phrases for the partner of the relative who asks for the file and cares for the child
    ("grandmother's partner" where the requester is the grandmother, a special guardian): the
    staff write of her as "she", so "her partner" is hers. Elsewhere "her partner" is the
    mother's (:func:`phrases_for`)."""
    m = _RELATIVES.match(_folded(relationship))
    if m is None or m.group(2).strip() not in _PARTNER:
        return frozenset()
    kin = _DIRECT_ALIASES.get(m.group(1), m.group(1))
    words = [w for w in re.split(r"\s+", re.sub(r"\(.*?\)", "", requester.lower())) if w]
    while len(words) > 1 and alnum(words[0]) in _QUALIFIERS:
        words = words[1:]
    if kin not in _KIN_PRONOUN or _DIRECT_ALIASES.get(" ".join(words), " ".join(words)) != kin:
        return frozenset()
    pron = _KIN_PRONOUN[kin]
    return frozenset({f"{pron} {r}" for r in _PARTNER}
                     | {f"{pron} {q} {r}" for q in _PARTNER_QUALIFIERS for r in _PARTNER})


@lru_cache(maxsize=64)
def _plain(text: str) -> str:
    """``text`` with each accented letter as its plain letter, letter for letter (offsets hold):
    OCR puts accents where none are ("fath\u00e9r"), and typists leave them out ("avo")."""
    return "".join(_plain_char(c) for c in text)


@lru_cache(maxsize=4096)
def _plain_char(c: str) -> str:
    if c.isascii() or not c.isalpha():
        return c
    f = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return f if len(f) == 1 else c


@lru_cache(maxsize=256)
def _pattern(phrases: frozenset[str]) -> re.Pattern[str]:
    alts = []
    for p in sorted({_plain(x) for x in phrases}, key=len, reverse=True):
        parts = [re.escape(w) for w in re.split(r"[\s-]+", p.replace("'s", "").strip()) if w]
        if not parts:
            continue
        possessive = "'s" in p
        # OCR reads the gap between the words as a stray mark at times ("Mum's.partner", "Mum's:
        # sister", "Mum's\u2018dad"), and the apostrophe as a quote mark set apart ('Mum" s sister')
        sep = r"(?:['\u2019\"\u201d`]\s?s|s['\u2019]?)?(?:\s+|[.,:;\u2018\u201c`]\s*)" if possessive else r"[\s-]*"
        if possessive and len(parts) >= 2:
            body = parts[0] + sep + r"\s*".join(parts[1:])
        else:
            # a stray quote mark OCR put before a word ("Her new \u2018partner")
            body = r"[\s-]*[\u2018\u201c'`]?".join(parts)
        alts.append(body)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alts) + r")(?:['\u2019]s)?(?!\w)", re.IGNORECASE)


_BEFORE = re.compile(r"([^\W\d_][\w'\u2019-]*)[\s(\[,\u2013\u2014-]*$")
_AFTER = re.compile(r"^(?:['\u2019]s)?[\s)\],:\u2013\u2014-]*([^\W\d_][\w'\u2019-]*)")


def _first_names(party: ThirdParty) -> frozenset[str]:
    """The party's first name and one-word aliases, folded."""
    out = {alnum(a) for a in party.aliases if len(a.split()) == 1}
    parsed = parse_person_name(party.name) if party.kind == "person" else None
    if parsed is not None:
        out.add(alnum(parsed.first))
    return frozenset(x for x in out if len(x) >= 2)


def _named_beside(pt: PageText, start: int, end: int, firsts: frozenset[str], party_id: str,
                  ctx: DetectContext) -> list[ProposalDraft]:
    """The party's first name written right beside their relationship ("Kwame (mum's partner)",
    "her nan, Rose"): it means the party even when the child or a member of staff shares it."""
    out: list[ProposalDraft] = []
    line_start = pt.text.rfind("\n", 0, start) + 1
    line_end = pt.text.find("\n", end)
    line_end = len(pt.text) if line_end < 0 else line_end
    found: list[tuple[int, int]] = []
    if (b := _BEFORE.search(pt.text, line_start, start)) is not None:
        found.append((b.start(1), b.end(1)))
    if (a := _AFTER.search(pt.text[end:line_end])) is not None:
        found.append((end + a.start(1), end + a.end(1)))
    for s, e in found:
        word = pt.text[s:e]
        if not word[:1].isupper() or alnum(re.sub(r"['\u2019]s$", "", word)) not in firsts:
            continue
        boxes = pt.spans_to_boxes(s, e, ctx.config.pad)
        if boxes:
            out.append(ProposalDraft(
                page_index=pt.page_index, boxes=boxes, reason=Reason.THIRD_PARTY, detector=NAME,
                score=FIRST_NAME.base(ctx.config),
                party_id=party_id, text=pt.span_text(s, e),
                explanation=FIRST_NAME.explain(),
            ))
    return out


def _with_whose(text: str, start: int, phrase: str) -> int:
    """Where a reference starts: before the possessive that says whose relative it is ("his dad",
    "the children's father" from "children's"), unless the phrase says it itself ("mum's partner")."""
    if _OWNER_FORM.match(phrase) or phrase.lower().startswith(("her ", "his ", "your ")):
        return start
    if phrase[:1].isupper():
        return start  # a kinship word used as a name ("his Grandma", "sees his Daddy"): the name is the reference
    line_start = text.rfind("\n", 0, start) + 1
    if line_start > 0 and not any(c.isalnum() for c in text[line_start:start]):
        # the reference begins its line (a quote mark OCR read before it aside): the possessive may
        # end the line before ("noted that her / mother has not engaged", "with his / 'childminder")
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    m = _WHOSE.search(text, line_start, start)
    return m.start() if m is not None else start


_PRONOUNS = ("his", "her", "their")


def wrapped_forms(phrases: frozenset[str]) -> list[tuple[str, ...]]:
    """The phrases of two words or more as folded words, and each one-word kinship phrase after
    a possessive pronoun ("his aunt"): the forms looked for wrapped inside a table cell, where
    the reading order puts other cells' words between the pronoun and the kinship word."""
    out: set[tuple[str, ...]] = set()
    for p in phrases:
        words = tuple(w for w in (alnum(x) for x in re.split(r"[\s-]+", p.replace("'s", ""))) if w)
        if len(words) >= 2:
            out.add(words)
        elif words and not p.startswith(("her ", "his ", "your ")):
            out |= {(pron, *words) for pron in _PRONOUNS}
    return sorted(out)


_OWNER_WORDS = frozenset(w for forms in _OWNERS.values() for w in forms)
_LEADING = frozenset({"maternal", "paternal", "birth", "step", "great", "half", "foster"})


def _goes_on(word: str) -> bool:
    """A cell's line ending in ``word`` cannot end a relationship: a possessive ("Mother's" over
    "partner") or a word that only leads one ("Maternal" over "grandmother")."""
    w = word.strip(" .,;:").replace("\u2019", "'")
    return w.lower().endswith("'s") or alnum(w) in _LEADING


def _wrapped(ctx: DetectContext, party: ThirdParty, phrases: frozenset[str]) -> list[ProposalDraft]:
    out: list[ProposalDraft] = []
    forms = wrapped_forms(phrases)
    for pt in ctx.texts:
        for words in forms:
            for taken, cut in wrapped_runs(pt, words, min_first=3):
                end = pt.words[taken[cut - 1]].text
                if upright(pt)[taken[0]].x0 <= cell_start(pt, taken[0]) + 0.5 and not _goes_on(end):
                    continue  # it begins its cell: a column of labels ("Mother" over "Partner"), no phrase
                if alnum(end) in _OWNER_WORDS:
                    continue  # "Mother" over "Father" is two rows' labels; "mother's father" has its "'s"
                out.append(ProposalDraft(
                    page_index=pt.page_index, boxes=wrapped_boxes(pt, taken, ctx.config.pad),
                    reason=Reason.RELATIONSHIP, detector=NAME, score=ctx.config.relationship_score,
                    party_id=party.id, text=" ".join(pt.words[a].text for a in taken),
                    explanation=WRAPPED.explain()))
    return out


_THE = re.compile(r"the\s+", re.IGNORECASE)
_AGENCY_AFTER = re.compile(r"[ \t]+(?i:agenc|organi[sz]ation|service|professional|school|provider)")


class RelationshipDetector:
    name = NAME

    def detect(self, ctx: DetectContext) -> list[ProposalDraft]:
        taken: set[str] = set(phrases_for(ctx.case.requester.relationship))
        for p in ctx.case.third_parties:
            if not p.withheld:
                taken |= phrases_for(p.relationship)
        out: list[ProposalDraft] = []
        for party in ctx.withheld:
            phrases = (phrases_for(party.relationship) | carers_partner(party.relationship,
                                                                        ctx.case.requester.relationship)) - taken
            if not phrases:
                continue
            pat = _pattern(frozenset(phrases))
            out += _wrapped(ctx, party, frozenset(phrases))
            firsts = _first_names(party)
            for pt in ctx.texts:
                for m in pat.finditer(_plain(pt.text)):
                    if m.group(0).lower().endswith("partner") and _AGENCY_AFTER.match(pt.text, m.end()):
                        continue  # "the partner agencies": no person
                    start = _with_whose(pt.text, m.start(), m.group(0))
                    if (the := _THE.match(m.group(0))) is not None:
                        start += the.end()  # "the partner": the article is not whose it is
                    boxes = pt.spans_to_boxes(start, m.end(), ctx.config.pad)
                    if not boxes:
                        continue
                    out += _named_beside(pt, m.start(), m.end(), firsts, party.id, ctx)
                    out.append(ProposalDraft(
                        page_index=pt.page_index,
                        boxes=boxes,
                        reason=Reason.RELATIONSHIP,
                        detector=NAME,
                        score=ctx.config.relationship_score,
                        party_id=party.id,
                        text=pt.span_text(start, m.end()),
                        explanation=REFERENCE.explain(),
                    ))
        return out
