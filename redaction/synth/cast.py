"""The people and agencies of one synthetic case, drawn from a seeded RNG.

Each :class:`Actor` knows how to be written (full name, "Mr Price", "D. Price", "DP",
"Daniel's", capitals, alias, relationship reference, contact details) and which truth
:class:`~redaction.synth.layout.Tag` every such mention carries.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from redaction.synth.layout import KEEP, Run, Tag
from redaction.synth.names import (
    ADULT_ALIASES,
    BOROUGHS,
    COMMUNITIES,
    NICKNAMES,
    SCHOOL_NAMES,
    STREETS,
    TITLES_F,
    Community,
    ascii_fold,
    postcode,
    surname_for,
)

CONSENTS = ("refused", "granted", "pending")


@dataclass(frozen=True)
class Address:
    street: str  # "14 Elm Road"
    town: str  # "London"
    postcode: str  # "N11 2AB"

    @property
    def one_line(self) -> str:
        return f"{self.street}, {self.town} {self.postcode}"


_PRONOUNS = {
    "he": ("he", "she"),
    "He": ("He", "She"),
    "his": ("his", "her"),
    "His": ("His", "Her"),
    "him": ("him", "her"),
    "boy": ("boy", "girl"),
    "son": ("son", "daughter"),
}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


@dataclass
class Actor:
    """A person in the file. ``category``: child, requester, staff, party (a third-party
    person), org_staff (a worker of a third-party agency), other_child."""

    key: str
    category: str
    first: str
    last: str
    gender: str  # "f" | "m"
    title: str = ""
    alias: str | None = None
    party_id: str | None = None
    consent: str = ""  # refused | granted | pending, for third-party persons
    role: str = ""  # staff or agency job title
    relationship: str = ""  # as written in the manifest
    rel_refs: tuple[str, ...] = ()  # how the file points at them: "mum's partner", "Nan"
    kid_word: str = ""  # what the child calls them: "Nan", "Daddy", "Uncle" (+ first name)
    kid_first: bool = False  # the child adds their first name: "Uncle Kofi", "Auntie Ama"
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    org: Org | None = None
    dob: dt.date | None = None

    @property
    def withheld(self) -> bool:
        return self.consent in ("refused", "pending")

    # --- tags -------------------------------------------------------------------
    def name_tag(self) -> Tag:
        if self.category == "child":
            return Tag("keep", None, "child_name")
        if self.category == "requester":
            return Tag("keep", None, "requester_name")
        if self.category == "staff":
            return Tag("keep", None, "staff_name")
        if self.category == "other_child":
            return Tag("other_child")
        if self.category == "org_staff":
            assert self.org is not None
            return self.org.tag()
        return Tag("refused_ref" if self.withheld else "keep", self.party_id)

    def contact_tag(self) -> Tag:
        if self.category in ("party", "org_staff"):
            return Tag(self.name_tag().cls, self.party_id or (self.org.party_id if self.org else None))
        if self.category == "other_child":
            return Tag("other_child")
        return KEEP

    def rel_tag(self) -> Tag:
        if self.category == "party":
            return Tag("relationship_ref" if self.withheld else "keep", self.party_id)
        return KEEP

    # --- forms ------------------------------------------------------------------
    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def initials(self) -> str:
        last = self.last.replace("O'", "O").replace("Mc", "M")
        return f"{self.first[0]}{last[0]}"

    def form(self, name: str, rng: random.Random) -> list[Run]:
        """One mention of the actor. Forms: full, first, last, title, tfull, init,
        initials, poss, fullposs, titleposs, LAST, FULL, FirstLAST, lastinit, alias, nick,
        any, kid (as the child says it), rel / Rel (as the file points at them: "mum's
        partner"), relf (formal: "Maternal grandmother"), phone (a variant), phonex (as
        listed), email, addr, street, postcode, role, dob, and pronouns he/his/him/boy."""
        t = self.name_tag()
        ct = self.contact_tag()
        title = self.title or ("Mr" if self.gender == "m" else "Ms")
        if name == "any":
            choices = (
                ["full", "first", "title", "init"]
                if self.category != "other_child"
                else ["first", "first", "full", "init"]
            )
            name = rng.choice(choices)
        if name == "nick":
            return [((self.alias or self.first) if rng.random() < 0.6 else self.first, t)]
        table: dict[str, str] = {
            "full": self.full,
            "first": self.first,
            "last": self.last,
            "title": f"{title} {self.last}",
            "tfull": f"{title} {self.first} {self.last}",
            "init": f"{self.first[0]}. {self.last}",
            "initials": self.initials,
            "poss": f"{self.first}'s",
            "fullposs": f"{self.full}'s",
            "titleposs": f"{title} {self.last}'s",
            "LAST": self.last.upper(),
            "FULL": self.full.upper(),
            "FirstLAST": f"{self.first} {self.last.upper()}",
            "alias": self.alias or self.first,
            "lastinit": f"{self.first} {self.last[0]}.",
        }
        if name in table:
            return [(table[name], t)]
        if name == "kid":  # as the child says it: "Nan", "Uncle Kofi", "Taz"
            runs: list[Run] = []
            if self.kid_word:
                runs.append((self.kid_word, self.rel_tag()))
            if self.kid_first or not self.kid_word:
                runs += [(" " if runs else "", KEEP), (self.alias or self.first, t)]
            return runs
        if name == "relf":  # the formal relationship, as a form's table gives it
            return [(_cap(self.relationship), self.rel_tag())]
        if name in ("rel", "Rel"):
            ref = rng.choice(self.rel_refs) if self.rel_refs else self.relationship
            return [(_cap(ref) if name == "Rel" else ref, self.rel_tag())]
        if name == "phone":
            return [(phone_variant(self.phone or "", rng), ct)]
        if name == "phonex":  # exactly as in the manifest
            return [(self.phone or "", ct)]
        if name == "email":
            return [(self.email or "", ct)]
        if name == "addr":
            return [(self.address.one_line if self.address else "", ct)]
        if name == "street":
            return [(self.address.street if self.address else "", ct)]
        if name == "postcode":
            return [(self.address.postcode if self.address else "", ct)]
        if name == "role":
            return [(self.role, KEEP)]
        if name in _PRONOUNS:
            word = _PRONOUNS[name][0 if self.gender == "m" else 1]
            return [(word, KEEP)]
        if name == "dob":
            return [(self.dob.strftime("%d/%m/%Y") if self.dob else "", KEEP)]
        raise KeyError(f"unknown form {name!r}")


@dataclass
class Org:
    party_id: str
    name: str
    short: str | None  # acronym alias used in the file
    service: str  # "social care", "health visiting", ...
    consent: str
    address: Address
    phone: str
    email: str
    staff: list[Actor] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return self.consent in ("refused", "pending")

    def tag(self) -> Tag:
        return Tag("refused_ref" if self.withheld else "keep", self.party_id)

    def form(self, name: str, rng: random.Random) -> list[Run]:
        t = self.tag()
        if name == "any":
            name = "short" if self.short and rng.random() < 0.4 else "name"
        table = {
            "name": self.name,
            "short": self.short or self.name,
            "NAME": self.name.upper(),
            "addr": self.address.one_line,
            "street": self.address.street,
            "postcode": self.address.postcode,
            "email": self.email,
        }
        if name in table:
            return [(table[name], t)]
        if name == "phone":
            return [(phone_variant(self.phone, rng), t)]
        if name == "phonex":
            return [(self.phone, t)]
        raise KeyError(f"unknown org form {name!r}")


@dataclass
class School:
    name: str
    borough: str
    address: Address
    phone: str
    email: str


@dataclass
class Cast:
    school: School
    child: Actor
    requester: Actor
    staff: list[Actor]
    persons: list[Actor]
    orgs: list[Org]
    others: list[Actor]
    received: dt.date

    def staff_with(self, *roles: str) -> Actor:
        for r in roles:
            for s in self.staff:
                if s.role == r:
                    return s
        return self.staff[0]

    @property
    def dsl(self) -> Actor:
        return self.staff_with("Designated Safeguarding Lead", "Deputy Headteacher", "Headteacher")

    @property
    def head(self) -> Actor:
        return self.staff_with("Headteacher")

    @property
    def teacher(self) -> Actor:
        return self.staff_with("Class Teacher", "Early Years Practitioner", "Key Person", "Nursery Nurse")

    def refused_person(self) -> Actor:
        return next(p for p in self.persons if p.withheld)

    def refused_org(self) -> Org:
        return next(o for o in self.orgs if o.withheld)


# --- phones -------------------------------------------------------------------------


def phone_variant(canonical: str, rng: random.Random) -> str:
    """The same number as files write it: "07700 900123", "07700900123", "+44 7700 900123"..."""
    digits = "".join(ch for ch in canonical if ch.isdigit())
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    if digits.startswith("07"):
        opts = [
            f"{digits[:5]} {digits[5:]}",
            digits,
            f"+44 {digits[1:5]} {digits[5:]}",
            f"{digits[:5]} {digits[5:8]} {digits[8:]}",
        ]
    else:
        opts = [
            f"{digits[:3]} {digits[3:7]} {digits[7:]}",
            f"({digits[:3]}) {digits[3:7]} {digits[7:]}",
            f"{digits[:4]} {digits[4:7]} {digits[7:]}",
            f"+44 {digits[1:3]} {digits[3:7]} {digits[7:]}",
        ]
    return rng.choice(opts)


class _Numbers:
    """Unique fictional numbers within one case."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _take(self, fmt: str) -> str:
        while True:
            n = fmt.format(self.rng.randint(0, 999))
            if n not in self.used:
                self.used.add(n)
                return n

    def mobile(self) -> str:
        return self._take("07700 900{:03d}")

    def london(self) -> str:
        return self._take("020 7946 0{:03d}")


# --- building a cast ------------------------------------------------------------------

STAFF_ROLES = (
    "Designated Safeguarding Lead",
    "Class Teacher",
    "Early Years Practitioner",
    "SENCo",
    "Family Support Worker",
    "Deputy Headteacher",
    "Key Person",
)

ORG_KINDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # name pattern, acronym pattern, service, staff roles
    (
        "{b} Children's Social Care",
        "{i}CSC",
        "social care",
        ("Social Worker", "Team Manager", "Senior Practitioner"),
    ),
    ("{b} Family Services", "{i}FS", "social care", ("Family Support Practitioner", "Social Worker")),
    ("{b} Health Visiting Team", "", "health visiting", ("Health Visitor", "Community Nursery Nurse")),
    ("{b} CAMHS", "", "CAMHS", ("Clinical Psychologist", "CAMHS Practitioner")),
    ("Metropolitan Police {b} Safeguarding Unit", "", "police", ("Detective Constable", "PC")),
    ("{b} Early Help Hub", "{i}EH", "early help", ("Early Help Worker", "Family Coach")),
)


def _community(rng: random.Random) -> Community:
    return rng.choice(COMMUNITIES)


def _person_name(rng: random.Random, com: Community, gender: str, used_first: set[str]) -> tuple[str, str]:
    pool = com.male if gender == "m" else com.female
    for _ in range(20):
        first = rng.choice(pool)
        if first not in used_first:
            break
    used_first.add(first)
    last = surname_for(com, rng.choice(com.surnames), gender)
    return first, last


def _maybe_hyphen(rng: random.Random, last: str, p: float = 0.05) -> str:
    if rng.random() < p:
        other = rng.choice(_community(rng).surnames)
        if other != last and "-" not in other:
            return f"{last}-{other}"
    return last


def _title(rng: random.Random, gender: str) -> str:
    return "Mr" if gender == "m" else rng.choice(TITLES_F)


def _address(rng: random.Random, borough: str) -> Address:
    return Address(f"{rng.randint(1, 180)} {rng.choice(STREETS)}", "London", postcode(rng, borough))


def _email(rng: random.Random, first: str, last: str) -> str:
    local = rng.choice([f"{first}.{last}", f"{first}{last}{rng.randint(1, 99)}", f"{first[0]}{last}"])
    return f"{ascii_fold(local)}@{rng.choice(['example.com', 'example.co.uk', 'example.net'])}"


def build_cast(rng: random.Random, *, received: dt.date) -> Cast:
    used_first: set[str] = set()
    borough = rng.choice(sorted(BOROUGHS))
    numbers = _Numbers(rng)
    school_name = rng.choice(SCHOOL_NAMES)
    school = School(
        school_name,
        borough,
        _address(rng, borough),
        numbers.london(),
        f"office@{ascii_fold(school_name.split()[0])}.example.sch.uk",
    )

    # --- family ---
    fam = _community(rng)
    cgender = rng.choice("mf")
    cfirst, _ = _person_name(rng, fam, cgender, used_first)
    req_gender = "f" if rng.random() < 0.8 else "m"
    rfirst, rlast = _person_name(rng, fam, req_gender, used_first)
    rlast = _maybe_hyphen(rng, rlast)
    other_parent_gender = "m" if req_gender == "f" else "f"
    opfirst, oplast = _person_name(rng, fam, other_parent_gender, used_first)
    child_last = surname_for(fam, rng.choice([rlast.split("-")[0], oplast]), cgender)
    home = _address(rng, borough)
    age_days = rng.randint(3 * 365, 9 * 365)
    child = Actor(
        "child",
        "child",
        cfirst,
        child_last,
        cgender,
        alias=NICKNAMES.get(cfirst) if rng.random() < 0.85 else None,
        address=home,
        dob=received - dt.timedelta(days=age_days),
    )
    requester = Actor(
        "requester",
        "requester",
        rfirst,
        rlast,
        req_gender,
        title=_title(rng, req_gender),
        relationship="mother" if req_gender == "f" else "father",
        phone=numbers.mobile(),
        email=_email(rng, rfirst, rlast),
        address=home,
    )
    parent_word = "mum" if req_gender == "f" else "dad"

    # --- staff ---
    n_staff = rng.randint(2, 4)
    roles = ["Headteacher", *rng.sample(STAFF_ROLES, n_staff - 1)]
    staff: list[Actor] = []
    for i, role in enumerate(roles):
        g = "f" if rng.random() < 0.75 else "m"
        f, s = _person_name(rng, _community(rng), g, used_first)
        staff.append(Actor(f"staff{i}", "staff", f, s, g, title=_title(rng, g), role=role))

    # --- third-party persons ---
    options: list[str] = ["partner", "other_parent", "grandmother", "grandfather", "uncle", "aunt", "friend"]
    n_persons = rng.randint(2, 4)
    kinds = ["partner", *rng.sample([o for o in options if o != "partner"], n_persons - 1)]
    persons: list[Actor] = []
    for kind in kinds:
        refs: tuple[str, ...]
        com = fam if kind not in ("partner", "friend") or rng.random() < 0.4 else _community(rng)
        if kind == "partner":
            g = other_parent_gender if rng.random() < 0.9 else req_gender
            rel = f"{'mother' if req_gender == 'f' else 'father'}'s partner"
            refs = (
                f"{parent_word}'s partner",
                f"{parent_word}'s boyfriend" if g == "m" else f"{parent_word}'s girlfriend",
            )
            f, s = _person_name(rng, com, g, used_first)
        elif kind == "other_parent":
            g = other_parent_gender
            f, s = opfirst, oplast
            rel = "father" if g == "m" else "mother"
            refs = ("Dad", "dad") if g == "m" else ("Mum", "mum")
        elif kind in ("grandmother", "grandfather"):
            g = "f" if kind == "grandmother" else "m"
            f, s = _person_name(rng, com, g, used_first)
            side = rng.choice(["maternal", "paternal"])
            rel = f"{side} {kind}"
            refs = com.grand_f if g == "f" else com.grand_m
        elif kind in ("uncle", "aunt"):
            g = "m" if kind == "uncle" else "f"
            f, s = _person_name(rng, com, g, used_first)
            rel = kind
            refs = (f"{parent_word}'s brother" if g == "m" else f"{parent_word}'s sister",)
        else:
            g = rng.choice("mf")
            f, s = _person_name(rng, com, g, used_first)
            rel = "family friend"
            refs = (f"{parent_word}'s friend",)
        kid_word, kid_first = {
            "partner": ("", True),
            "other_parent": ("Daddy" if g == "m" else "Mummy", False),
            "grandmother": ((com.grand_f or ("Nan",))[0], False),
            "grandfather": ((com.grand_m or ("Grandad",))[0], False),
            "uncle": ("Uncle", True),
            "aunt": ("Auntie", True),
        }.get(kind, ("Uncle" if g == "m" else "Auntie", True))
        persons.append(
            Actor(
                f"p{len(persons)}",
                "party",
                f,
                s,
                g,
                title=_title(rng, g),
                relationship=rel,
                rel_refs=refs,
                kid_word=kid_word,
                kid_first=kid_first,
                phone=numbers.mobile(),
                email=_email(rng, f, s) if rng.random() < 0.6 else None,
                address=_address(rng, borough) if kind != "other_parent" or rng.random() < 0.8 else None,
            )
        )
        if kind == "partner" and rng.random() < 0.6:
            short = f[:3] if len(f) > 4 else f
            persons[-1].alias = rng.choice(ADULT_ALIASES).format(s=short)

    # sometimes a third party shares a first name with the child or a staff member
    if rng.random() < 0.4:
        p = rng.choice(persons)
        same = [a for a in [child, *staff] if a.gender == p.gender and a.first != p.first]
        if same and p.relationship not in ("father", "mother"):
            p.first = rng.choice(same).first

    # --- organisations ---
    n_orgs = rng.randint(1, 2)
    orgs: list[Org] = []
    for pat, acro, service, sroles in rng.sample(ORG_KINDS, n_orgs):
        initials = "".join(w[0] for w in borough.split())
        name = pat.format(b=borough)
        org = Org(
            "",
            name,
            acro.format(i=initials) if acro and rng.random() < 0.7 else None,
            service,
            "",
            _address(rng, borough),
            numbers.london(),
            f"{ascii_fold(service.split()[0])}.duty@{ascii_fold(borough.replace(' ', ''))}.example.gov.uk",
        )
        for j in range(rng.randint(1, 2)):
            g = "f" if rng.random() < 0.7 else "m"
            f, s = _person_name(rng, _community(rng), g, used_first)
            org.staff.append(
                Actor(
                    f"o{len(orgs)}s{j}",
                    "org_staff",
                    f,
                    s,
                    g,
                    title=_title(rng, g),
                    role=rng.choice(sroles),
                    org=org,
                    phone=numbers.mobile() if rng.random() < 0.5 else org.phone,
                    email=f"{ascii_fold(f)}.{ascii_fold(s)}@{org.email.split('@')[1]}",
                )
            )
        orgs.append(org)

    # --- consent: at least one refused person and one refused organisation ---
    parties: list[Actor | Org] = [*persons, *orgs]
    rng.shuffle(parties)
    for i, party in enumerate(parties, start=1):
        party.party_id = f"tp-{i}"
        party.consent = rng.choice(CONSENTS)
    if not any(a.consent == "refused" for a in persons):
        rng.choice(persons).consent = "refused"
    if not any(o.consent == "refused" for o in orgs):
        rng.choice(orgs).consent = "refused"
    for o in orgs:
        for worker in o.staff:
            worker.party_id = o.party_id

    # --- other children ---
    others: list[Actor] = []
    for i in range(rng.randint(2, 4)):
        g = rng.choice("mf")
        f, s = _person_name(rng, _community(rng), g, used_first)
        others.append(Actor(f"oc{i}", "other_child", f, s, g))

    return Cast(school, child, requester, staff, persons, orgs, others, received)
