"""Who is in a family-C file, and every way the file writes them, each with its truth.

:class:`Person` answers :meth:`Person.say` with runs ``(text, Tag)`` in one of the name
forms of :data:`NAME_FORMS` ("PRITCHARD, Bethan", "Mrs Pritchard's", "Bethan P.", "B.P."),
a pointer ("her stepdad", "mum's partner"), a kin word ("Mamgu") or a contact detail.
:class:`Agency` does the same for an organisation. :func:`cast_case` draws one case.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from redaction.synth.family_c.pool import (
    ADULT_ALIASES,
    AGENCIES,
    FORCES,
    NICKNAMES,
    ROOTS,
    SCHOOLS,
    STAFF_JOBS,
    STREETS,
    TOWNS,
    Roots,
)
from redaction.synth.layout import KEEP, Run, Tag

NAME_FORMS = (
    "full",
    "first",
    "surname",
    "SURNAME",
    "FULL",
    "title",
    "title_full",
    "init_surname",
    "init_surname_nodot",
    "first_init",
    "initials",
    "initials_dots",
    "poss_first",
    "poss_title",
    "poss_surname",
    "surname_first",
    "nickname",
)

# forms that name a person by their surname alone (never used for one who shares a kept surname)
SURNAME_ONLY = frozenset({"surname", "SURNAME", "title", "poss_title", "poss_surname"})
# forms that name a person by their first name alone (never for one who shares a kept first name)
FIRST_ONLY = frozenset({"first", "poss_first", "nickname"})


def ascii_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(ch for ch in s.lower() if ch.isalnum())


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...]  # ("Flat 3", "27 Bryn Glas", "Cardiff", "CF5 2JD")

    @property
    def one_line(self) -> str:
        return ", ".join(self.lines[:-1]) + " " + self.lines[-1]


@dataclass
class Person:
    role: str  # child | requester | staff | relative | worker | peer
    given: str
    family: str
    sex: str  # f | m
    title_word: str = ""
    nickname: str | None = None
    pid: str | None = None
    consent: str = ""
    job: str = ""
    relation: str = ""  # the manifest's relationship
    pointers: tuple[str, ...] = ()  # phrases that point at them ("her stepdad"); a leading "the" is not part
    kin: str = ""  # what the child calls them ("Mamgu"), a reference on its own
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    agency: Agency | None = None
    born: dt.date | None = None
    avoid: frozenset[str] = frozenset()  # forms not to use (a name part a kept person shares)

    @property
    def withheld(self) -> bool:
        if self.role == "worker":
            return bool(self.agency and self.agency.withheld)
        return self.consent in ("refused", "pending")

    def tag(self) -> Tag:
        kept = {"child": "child_name", "requester": "requester_name", "staff": "staff_name"}
        if self.role in kept:
            return Tag("keep", None, kept[self.role])
        if self.role == "peer":
            return Tag("other_child")
        if self.role == "worker":
            assert self.agency is not None
            return self.agency.tag()
        return Tag("refused_ref" if self.withheld else "keep", self.pid)

    def contact_tag(self) -> Tag:
        t = self.tag()
        return Tag(t.cls, t.party_id) if self.role in ("relative", "worker") else KEEP

    def pointer_tag(self) -> Tag:
        if self.role == "relative":
            return Tag("relationship_ref" if self.withheld else "keep", self.pid)
        return KEEP

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def title(self) -> str:
        return self.title_word or ("Mr" if self.sex == "m" else "Ms")

    def text(self, form: str) -> str:
        g, f = self.given, self.family
        gi, fi = g[0], f[0]
        table = {
            "full": f"{g} {f}",
            "first": g,
            "surname": f,
            "SURNAME": f.upper(),
            "FULL": f"{g} {f}".upper(),
            "title": f"{self.title} {f}",
            "title_full": f"{self.title} {g} {f}",
            "init_surname": f"{gi}. {f}",
            "init_surname_nodot": f"{gi} {f}",
            "first_init": f"{g} {fi}.",
            "initials": f"{gi}{fi}",
            "initials_dots": f"{gi}.{fi}.",
            "poss_first": f"{g}'s",
            "poss_title": f"{self.title} {f}'s",
            "poss_surname": f"{f}'s",
            "surname_first": f"{f.upper()}, {g}",
            "nickname": self.nickname or g,
        }
        return table[form]

    def name(self, form: str) -> list[Run]:
        return [(self.text(form), self.tag())]

    def usable(self, forms: list[str]) -> list[str]:
        return [f for f in forms if f not in self.avoid] or ["full"]

    def pointer(self, rng: random.Random, capital: bool = False) -> list[Run]:
        ref = rng.choice(self.pointers) if self.pointers else self.relation
        if capital:
            ref = ref[:1].upper() + ref[1:]
        if ref.lower().startswith("the "):
            return [(ref[:4], KEEP), (ref[4:], self.pointer_tag())]
        return [(ref, self.pointer_tag())]

    def kin_word(self) -> list[Run]:
        """What the child calls them: a word of its own ("Mamgu"), or one before the first
        name ("Uncle Rhodri": the word points at them, the name names them)."""
        if self.kin == "Uncle":
            return [(self.kin, self.pointer_tag()), (" ", KEEP), (self.given, self.tag())]
        return [(self.kin or self.given, self.pointer_tag() if self.kin else self.tag())]

    def detail(self, what: str) -> list[Run]:
        t = self.contact_tag()
        if what == "phone":
            return [(self.phone or "", t)]
        if what == "email":
            return [(self.email or "", t)]
        assert self.address is not None
        if what == "address":
            return [(self.address.one_line, t)]
        if what == "street":
            return [(self.address.lines[-3], t)]
        return [(self.address.lines[-1], t)]  # postcode

    def he(self, word: str) -> str:
        pairs = {"he": "she", "He": "She", "his": "her", "His": "Her", "him": "her", "son": "daughter",
                 "boy": "girl"}
        return word if self.sex == "m" else pairs[word]


@dataclass
class Agency:
    kind: str
    pid: str
    title: str
    short: str
    consent: str
    office: Address
    phone: str
    inbox: str
    workers: list[Person] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return self.consent in ("refused", "pending")

    def tag(self) -> Tag:
        return Tag("refused_ref" if self.withheld else "keep", self.pid)

    def say(self, form: str) -> list[Run]:
        table = {
            "title": self.title,
            "short": self.short,
            "TITLE": self.title.upper(),
            "phone": self.phone,
            "inbox": self.inbox,
            "office": self.office.one_line,
        }
        return [(table[form], self.tag())]


@dataclass
class School:
    name: str
    town: str
    authority: str
    address: Address
    phone: str
    domain: str


@dataclass
class CaseCast:
    school: School
    child: Person
    requester: Person
    staff: list[Person]
    relatives: list[Person]
    agencies: list[Agency]
    peers: list[Person]
    received: dt.date

    def agency(self, kind: str) -> Agency | None:
        return next((a for a in self.agencies if a.kind == kind), None)

    def withheld_relatives(self) -> list[Person]:
        return [r for r in self.relatives if r.withheld]

    def staff_as(self, job: str) -> Person:
        return next((s for s in self.staff if s.job == job), self.staff[0])

    def parties(self) -> list[Person | Agency]:
        out: list[Person | Agency] = [*self.relatives, *self.agencies]
        return sorted(out, key=lambda p: int((p.pid or "tp-0").split("-")[1]))


# --- drawing a case -----------------------------------------------------------------------


class _Draw:
    """Draws names, numbers and places without repeating any within a case."""

    def __init__(self, rng: random.Random, landline: str, town: str, districts: tuple[str, ...]) -> None:
        self.rng, self.landline, self.town, self.districts = rng, landline, town, districts
        self.names: set[str] = set()
        self.numbers: set[str] = set()

    def given(self, roots: Roots, sex: str, adult: bool) -> str:
        pool = (roots.men if sex == "m" else roots.women) if adult else (roots.boys if sex == "m" else roots.girls)
        free = [g for g in pool if g not in self.names]
        if not free:  # a small pool used up: borrow from another background
            free = [g for r in ROOTS for g in ((r.men if sex == "m" else r.women) if adult else
                                                  (r.boys if sex == "m" else r.girls)) if g not in self.names]
        g = self.rng.choice(free)
        self.names.add(g)
        return g

    def surname(self, roots: Roots) -> str:
        free = [s for s in roots.surnames if s not in self.names] or [
            s for r in ROOTS for s in r.surnames if s not in self.names]
        s = self.rng.choice(free)
        self.names.add(s)
        return s

    def _fresh(self, prefix: str, digits: int) -> str:
        while True:
            n = prefix + f"{self.rng.randint(0, 10**digits - 1):0{digits}d}"
            if n not in self.numbers:
                self.numbers.add(n)
                return n

    def mobile(self) -> str:
        n = self._fresh("07700 900", 3)
        return self.rng.choice([n, n.replace(" ", ""), f"{n[:9]} {n[9:]}", f"+44 {n[1:]}"])

    def landline_no(self) -> str:
        return self._fresh(self.landline, 3)

    def address(self) -> Address:
        r = self.rng
        district = r.choice(self.districts)
        pc = f"{district} {r.randint(1, 9)}{r.choice('ABDEHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        street = f"{r.randint(2, 140)} {r.choice(STREETS)}"
        lines = (f"Flat {r.randint(1, 12)}", street) if r.random() < 0.35 else (street,)
        return Address((*lines, self.town, pc))


def _mail(given: str, family: str, domain: str, rng: random.Random) -> str:
    g, f = ascii_fold(given), ascii_fold(family)
    local = rng.choice([f"{g}.{f}", f"{g[0]}{f}", f"{f}.{g[0]}", f"{g}{f}{rng.randint(1, 99)}"])
    return f"{local}@{domain}"


def _pointers(relation: str, child: Person, requester: Person) -> tuple[str, tuple[str, ...]]:
    """(manifest relationship, pointer phrases) for a relative."""
    his = child.he("his")
    mum_or_dad = "mum" if requester.sex == "f" else "dad"
    table: dict[str, tuple[str, tuple[str, ...]]] = {
        "father": ("father", (f"{his} dad", f"{his} father", "birth father", "the children's father", "Dad")),
        "mother": ("mother", (f"{his} mum", f"{his} mother", "birth mother", "Mum")),
        "partner": (f"{'mother' if requester.sex == 'f' else 'father'}'s partner",
                    (f"{mum_or_dad}'s partner", f"{mum_or_dad}'s boyfriend" if requester.sex == "f"
                     else f"{mum_or_dad}'s girlfriend", f"{his} stepdad" if requester.sex == "f" else f"{his} stepmum",
                     "the partner")),
        "grandmother": ("maternal grandmother", (f"{his} grandmother", f"{his} nan", "maternal grandmother")),
        "uncle": ("uncle", (f"{his} uncle", "the uncle", "maternal uncle")),
        "friend": (f"family friend of the {'mother' if requester.sex == 'f' else 'father'}",
                   (f"{mum_or_dad}'s friend", "the family friend")),
    }
    return table[relation]


def cast_case(rng: random.Random, received: dt.date) -> CaseCast:
    town, districts, landline, authority = rng.choice(TOWNS)
    d = _Draw(rng, landline, town, districts)
    roots = rng.choice(ROOTS)
    school_name = rng.choice(SCHOOLS)
    domain = ascii_fold(school_name.split()[0]) + ".sch.example"
    school = School(school_name, town, authority, d.address(), d.landline_no(), domain)

    family = d.surname(roots)
    child_sex = rng.choice("fm")
    cg = d.given(roots, child_sex, adult=False)
    child = Person("child", cg, family, child_sex, nickname=NICKNAMES.get(cg),
                   born=received - dt.timedelta(days=rng.randint(3 * 365, 9 * 365)))
    req_kind = rng.choices(["mother", "father", "grandmother"], [6, 3, 1])[0]
    req_sex = "m" if req_kind == "father" else "f"
    requester = Person("requester", d.given(roots, req_sex, adult=True),
                       family if req_kind != "grandmother" or rng.random() < 0.5 else d.surname(roots),
                       req_sex, title_word="Mr" if req_sex == "m" else rng.choice(["Mrs", "Ms", "Miss"]),
                       relation={"mother": "mother", "father": "father",
                                 "grandmother": "grandmother (special guardian)"}[req_kind])

    relatives = _relatives(d, rng, roots, family, child, requester, req_kind, req_sex)
    staff = _staff(d, rng)
    agencies = _agencies(d, rng, authority, first_pid=len(relatives) + 1)
    peers = _peers(d, rng, roots, family, child)
    people = [child, requester, *staff, *relatives, *(w for a in agencies for w in a.workers), *peers]
    _mark_shared(people)
    return CaseCast(school, child, requester, staff, relatives, agencies, peers, received)


def _relatives(d: _Draw, rng: random.Random, roots: Roots, family: str, child: Person, requester: Person,
               req_kind: str, req_sex: str) -> list[Person]:
    """The other parent always; a partner, a grandparent, an uncle or a friend."""
    other_parent = "father" if req_kind in ("mother", "grandmother") else "mother"
    kinds = [other_parent]
    extra = ["partner", "grandmother", "uncle", "friend"]
    if req_kind == "grandmother":
        extra.remove("grandmother")
    rng.shuffle(extra)
    kinds += extra[: rng.randint(1, 3)]
    relatives: list[Person] = []
    pid = 0
    consents = ["refused"] + [rng.choice(["refused", "granted", "pending", "refused"]) for _ in kinds[1:]]
    for kind, consent in zip(kinds, consents, strict=True):
        pid += 1
        sex = "f" if kind in ("mother", "grandmother") else ("m" if kind in ("father", "uncle") else
                                                             ("m" if req_sex == "f" else "f"))
        r_roots = roots if kind in ("father", "mother", "grandmother", "uncle") or rng.random() < 0.4 else rng.choice(
            ROOTS)
        surname = family if kind in ("father", "mother") and rng.random() < 0.6 else d.surname(r_roots)
        rel, ptrs = _pointers(kind, child, requester)
        kin = {"grandmother": r_roots.granny, "uncle": "Uncle"}.get(kind, "")
        p = Person("relative", d.given(r_roots, sex, adult=True), surname, sex,
                   title_word="Mr" if sex == "m" else rng.choice(["Mrs", "Ms", "Miss"]),
                   pid=f"tp-{pid}", consent=consent, relation=rel, pointers=ptrs, kin=kin,
                   phone=d.mobile(), address=d.address())
        p.email = _mail(p.given, p.family, rng.choice(["mailbox.example", "post.example", "inbox.example"]), rng)
        if rng.random() < 0.3:
            p.nickname = rng.choice(ADULT_ALIASES)
        relatives.append(p)
    return relatives


def _staff(d: _Draw, rng: random.Random) -> list[Person]:
    staff: list[Person] = []
    jobs = rng.sample(STAFF_JOBS, 4)
    if "Designated Safeguarding Person" not in jobs:
        jobs[0] = "Designated Safeguarding Person"
    for job in jobs:
        sex = rng.choice("fm")
        sr = rng.choice(ROOTS)
        staff.append(Person("staff", d.given(sr, sex, adult=True), d.surname(sr), sex,
                            title_word="Mr" if sex == "m" else rng.choice(["Mrs", "Ms", "Miss"]), job=job))
    return staff


def _agencies(d: _Draw, rng: random.Random, authority: str, first_pid: int) -> list[Agency]:
    pid = first_pid - 1
    force = FORCES[authority]
    kinds_a = ["social_care", "police", rng.choice(["school_nursing", "send"]), rng.choice(["mash", "early_help"])]
    agencies: list[Agency] = []
    a_consents = ["refused"] + [rng.choice(["refused", "granted", "pending"]) for _ in kinds_a[1:]]
    rng.shuffle(a_consents)
    for kind, consent in zip(kinds_a, a_consents, strict=True):
        pid += 1
        pattern, short, dom, worker_jobs = AGENCIES[kind]
        title = pattern.format(auth=authority, force=force)
        adom = f"{dom}.{ascii_fold(authority)[:10]}.gov.example"
        ag = Agency(kind, f"tp-{pid}", title, short, consent, d.address(), d.landline_no(),
                    f"{rng.choice(['referrals', 'duty', 'admin', 'secure'])}@{adom}")
        for _ in range(rng.randint(1, 2)):
            sex = rng.choice("fm")
            wr = rng.choice(ROOTS)
            w = Person("worker", d.given(wr, sex, adult=True), d.surname(wr), sex,
                       title_word="Mr" if sex == "m" else rng.choice(["Mrs", "Ms", "Miss"]),
                       job=rng.choice(worker_jobs), agency=ag, phone=rng.choice([d.mobile(), d.landline_no()]))
            w.email = _mail(w.given, w.family, adom, rng)
            ag.workers.append(w)
        agencies.append(ag)
    return agencies


def _peers(d: _Draw, rng: random.Random, roots: Roots, family: str, child: Person) -> list[Person]:
    """Other children: classmates, a cousin, a namesake."""
    peers: list[Person] = []
    for i in range(rng.randint(3, 5)):
        sex = rng.choice("fm")
        pr = rng.choice(ROOTS)
        if i == 0 and rng.random() < 0.5:  # a namesake: the child's first name, another surname
            g = child.given
            f = d.surname(pr)
            while ascii_fold(f)[:1] == ascii_fold(child.family)[:1]:
                f = d.surname(pr)
            sex = child.sex
        elif i == 1 and rng.random() < 0.5:  # a cousin with the child's surname
            g, f = d.given(roots, sex, adult=False), family
        else:
            g, f = d.given(pr, sex, adult=False), d.surname(pr)
        peers.append(Person("peer", g, f, sex, nickname=NICKNAMES.get(g)))
    return peers


def _mark_shared(people: list[Person]) -> None:
    """A person whose first name or surname another person of the case bears (with another
    truth) is never named by that part alone: the file could not say which of them."""
    for p in people:
        avoid: set[str] = set()
        for q in people:
            if q is p or q.tag() == p.tag():
                continue
            if q.family == p.family:
                avoid |= SURNAME_ONLY
            if q.given == p.given:
                avoid |= FIRST_ONLY | {"initials", "initials_dots"}
            if q.given[0] == p.given[0] and q.family[0] == p.family[0]:
                avoid |= {"initials", "initials_dots"}
            if q.nickname and q.nickname in (p.nickname, p.given):
                avoid.add("nickname")
        p.avoid = frozenset(avoid)
