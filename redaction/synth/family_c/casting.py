"""One family-C case drawn: the school, the child and the requester, relatives with
their consents and pointers, staff, agencies with their workers, other children; then the
forms people share marked. The draws keep their order: a seed gives the same case."""

from __future__ import annotations

import datetime as dt
import random

from redaction.synth.family_c.people import (
    FIRST_ONLY,
    SURNAME_ONLY,
    Address,
    Agency,
    CaseCast,
    Person,
    School,
    ascii_fold,
)
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
