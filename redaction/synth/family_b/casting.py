"""Drawing the people of one family-B case (:mod:`redaction.synth.family_b.people`) from a
seeded RNG: :func:`draw_people`."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from redaction.synth.family_b.people import CONSENT_CHOICES, Agency, People, Person, Place, School, fold
from redaction.synth.family_b.pool import (
    ADULT_NICKNAMES_B,
    AGENCY_KINDS,
    AUTHORITIES,
    FORCES,
    HERITAGES,
    KNOWN_AS,
    SCHOOLS_B,
    STAFF_JOBS_B,
    STREETS_B,
    Heritage,
)


def draw_case(seed: int) -> tuple[People, random.Random]:
    """Family B's case ``seed``: its people, and the case's RNG positioned after drawing
    them (the request's date first; what the generator and the NER corpus both start from)."""
    rng = random.Random(f"cleancopy-synth-family-b/{seed}")
    received = dt.date(2026, 2, 2) + dt.timedelta(days=rng.randint(0, 280))
    return draw_people(rng, received), rng


def draw_people(rng: random.Random, received: dt.date) -> People:
    """One family-B case's people and agencies: the school, the child and the requester,
    the staff, the family's other adults, the agencies (each third party with a consent),
    the other children. The draws are made in this order."""
    la = rng.choice(sorted(AUTHORITIES))
    town, areas, landline = AUTHORITIES[la]
    nums = _Numbers(rng, landline)
    sname = rng.choice(SCHOOLS_B)
    school = School(
        sname, la, town, _place(rng, town, areas), nums.office(), f"{fold(sname.split()[0])}.{fold(la)}.sch.example"
    )
    taken: set[str] = set()
    home = _home(rng, received, town, areas, nums, taken)
    staff = _staff(rng, taken)
    relatives = [_relative(rng, kind, home, town, areas, nums, taken) for kind in _relative_kinds(rng, home.rrel)]
    # a relative who shares a given name with the child, a staff member or the requester
    if rng.random() < 0.35:
        r = rng.choice([x for x in relatives if x.relation not in ("father", "mother")])
        same = [a for a in [home.requester, *staff] if a.sex == r.sex and a.given != r.given]
        if same:
            r.given = rng.choice(same).given
    # agencies: children's services always; one to three more
    kinds_a = ["social_care", *rng.sample(["salt", "health", "police", "eps", "womens_aid"], rng.randint(1, 3))]
    agencies = [_agency(rng, kind, la, town, areas, nums, taken) for kind in kinds_a]
    _consents(rng, relatives, agencies)
    peers, sibling = _peers(rng, home, relatives, taken)
    return People(school, home.child, home.requester, staff, relatives, agencies, peers, received, sibling)


@dataclass(frozen=True)
class _Home:
    """The child, the requester and what the family's other adults are drawn from."""

    heritage: Heritage
    child: Person
    requester: Person
    rrel: str  # the requester's relation to the child
    other_parent_family: str

    @property
    def mum_word(self) -> str:  # how the file says the requester
        return {"mother": "mum", "father": "dad"}.get(self.rrel, "nan")

    @property
    def req_pron(self) -> str:
        return "her" if self.requester.sex == "f" else "his"

    @property
    def kid(self) -> str:
        return "his" if self.child.sex == "m" else "her"


def _home(rng: random.Random, received: dt.date, town: str, areas: tuple[str, ...], nums: _Numbers,
          taken: set[str]) -> _Home:
    fam = rng.choice(HERITAGES)
    csex = rng.choice("fm")
    child = Person("child", _given(rng, fam, csex, False, taken), "", csex)
    child.born = received - dt.timedelta(days=rng.randint(3 * 365 + 40, 10 * 365))
    child.known_as = KNOWN_AS.get(child.given) if rng.random() < 0.8 else None

    # the requester: mostly the mother, sometimes the father, now and then a grandmother
    # who holds a special guardianship order
    roll = rng.random()
    rsex = "f" if roll < 0.72 or roll >= 0.9 else "m"
    rrel = "mother" if roll < 0.72 else ("father" if roll < 0.9 else "grandmother (special guardian)")
    req = Person(
        "requester",
        _given(rng, fam, rsex, True, taken),
        _family(rng, fam, rsex),
        rsex,
        honorific=rng.choice(["Mrs", "Ms", "Miss"]) if rsex == "f" else "Mr",
        relation=rrel,
    )
    home = _place(rng, town, areas)
    req.home, req.mobile, req.mail = home, nums.mobile(), _mail(rng, req.given, req.family)
    child.home = home
    # the child's surname: the requester's, or the other parent's, sometimes both
    other_parent_family = _family(rng, fam, "m" if rsex == "f" else "f")
    cf = rng.choice([req.family.split("-")[0], other_parent_family])
    if rng.random() < 0.1 and cf != other_parent_family:
        cf = f"{req.family}-{other_parent_family}"
    child.family = cf
    return _Home(fam, child, req, rrel, other_parent_family)


def _staff(rng: random.Random, taken: set[str]) -> list[Person]:
    jobs = ["Headteacher", *rng.sample(STAFF_JOBS_B, rng.randint(2, 4))]
    staff = []
    for job in jobs:
        h = rng.choice(HERITAGES)
        sx = "f" if rng.random() < 0.7 else "m"
        staff.append(
            Person(
                "staff",
                _given(rng, h, sx, True, taken),
                _family(rng, h, sx),
                sx,
                honorific=rng.choice(["Mrs", "Ms", "Miss"]) if sx == "f" else "Mr",
                job=job,
            )
        )
    return staff


def _relative_kinds(rng: random.Random, rrel: str) -> list[str]:
    """The family's other adults: the requester's partner, the other parent, one or two more."""
    kinds = ["parent_partner"]
    if rrel != "father":
        kinds.append("father")
    elif rng.random() < 0.7:
        kinds.append("mother")
    kinds += rng.sample(["grandmother", "grandfather", "aunt", "uncle", "neighbour", "childminder"], rng.randint(1, 2))
    return kinds


# how a relative is drawn: (sex, heritage, relation, how the file points at them, how the child calls them)
_Relation = tuple[str, Heritage, str, tuple[str, ...], str]


def _partner(rng: random.Random, home: _Home) -> _Relation:
    rsex = home.requester.sex
    sx = "m" if rsex == "f" else "f"
    if rng.random() < 0.1:
        sx = rsex
    h = home.heritage if rng.random() < 0.4 else rng.choice(HERITAGES)
    word = "boyfriend" if sx == "m" else "girlfriend"
    relation = f"{home.rrel.split(' ')[0]}'s partner"
    mum_word, req_pron = home.mum_word, home.req_pron
    ptr = (
        f"{req_pron} partner",
        f"{mum_word}'s {word}",
        f"{mum_word.capitalize()}'s partner",
        f"{req_pron} new partner",
        f"{'step-dad' if sx == 'm' else 'step-mum'}",
    )
    return sx, h, relation, ptr, ""


def _parent(kind: str, home: _Home) -> _Relation:
    sx = "m" if kind == "father" else "f"
    w = "dad" if sx == "m" else "mum"
    ptr = (f"{w.capitalize()}", f"{home.kid} {w}", f"birth {kind}", f"{home.kid} {kind}")
    return sx, home.heritage, kind, ptr, "Daddy" if sx == "m" else "Mummy"


def _grandparent(rng: random.Random, kind: str, home: _Home) -> _Relation:
    fam = home.heritage
    sx = "f" if kind == "grandmother" else "m"
    side = rng.choice(["maternal", "paternal"])
    calls = fam.gran if sx == "f" else fam.grandad
    ptr = (
        calls[0],
        f"{home.kid} {('nan' if sx == 'f' else 'grandad')}",
        f"{'mum' if side == 'maternal' else 'dad'}'s {'mum' if sx == 'f' else 'dad'}",
        calls[-1],
    )
    return sx, fam, f"{side} {kind}", ptr, calls[0]


def _aunt_or_uncle(rng: random.Random, kind: str, home: _Home) -> _Relation:
    sx = "f" if kind == "aunt" else "m"
    side = "maternal" if rng.random() < 0.5 else "paternal"
    sib = "sister" if sx == "f" else "brother"
    parent = "mum" if side == "maternal" else "dad"
    kid = home.kid
    # "her sister" only where "her" is the parent on that side, who is the requester
    through_requester = home.rrel == ("mother" if side == "maternal" else "father")
    ptr = (f"{parent}'s {sib}", f"{home.req_pron} {sib}" if through_requester else f"{kid} {kind}", f"{kid} {kind}")
    return sx, home.heritage, f"{side} {kind}", ptr, "Aunty" if sx == "f" else "Uncle"


def _relation(rng: random.Random, kind: str, home: _Home) -> _Relation:
    if kind == "parent_partner":
        return _partner(rng, home)
    if kind in ("father", "mother"):
        return _parent(kind, home)
    if kind in ("grandmother", "grandfather"):
        return _grandparent(rng, kind, home)
    if kind in ("aunt", "uncle"):
        return _aunt_or_uncle(rng, kind, home)
    if kind == "neighbour":
        sx = rng.choice("fm")
        return sx, rng.choice(HERITAGES), "neighbour", ("the neighbour", f"{home.req_pron} neighbour"), ""
    return "f", rng.choice(HERITAGES), "childminder", ("the childminder", f"{home.kid} childminder"), ""


def _relative(rng: random.Random, kind: str, home: _Home, town: str, areas: tuple[str, ...], nums: _Numbers,
              taken: set[str]) -> Person:
    sx, h, relation, ptr, cw = _relation(rng, kind, home)
    family = home.other_parent_family if kind in ("father", "mother") else _family(rng, h, sx)
    if kind in ("grandmother", "grandfather") and rng.random() < 0.5:
        family = home.requester.family.split("-")[0] if "maternal" in relation else home.other_parent_family
    p = Person(
        "relative",
        _given(rng, h, sx, True, taken),
        family,
        sx,
        honorific=rng.choice(["Mrs", "Ms", "Miss"]) if sx == "f" else "Mr",
        relation=relation,
        pointers=ptr,
        child_word=cw,
        mobile=nums.mobile(),
    )
    if rng.random() < 0.55:
        p.mail = _mail(rng, p.given, p.family)
    if kind != "father" or rng.random() < 0.7:
        p.home = _place(rng, town, areas)
    if kind == "parent_partner" and rng.random() < 0.5:
        p.known_as = rng.choice(ADULT_NICKNAMES_B).format(s=p.given[:4])
    return p


def _agency(rng: random.Random, kind: str, la: str, town: str, areas: tuple[str, ...], nums: _Numbers,
            taken: set[str]) -> Agency:
    _, pat, acro, service, titles, local = next(k for k in AGENCY_KINDS if k[0] == kind)
    title = pat.format(la=la, town=town, force=FORCES[la])
    dom = fold(title.split()[0] + ("police" if kind == "police" else "")) + ".example"
    if kind in ("salt", "health"):
        dom = f"{fold(la)}-nhs.example"
    ag = Agency(
        kind,
        "",
        title,
        acro.format(la=la) if acro else "",
        service,
        "",
        _place(rng, town, areas),
        nums.office(),
        f"{local}@{dom}",
    )
    for _ in range(rng.randint(1, 2)):
        h = rng.choice(HERITAGES)
        sx = "f" if rng.random() < 0.65 else "m"
        wk = Person(
            "worker",
            _given(rng, h, sx, True, taken),
            _family(rng, h, sx),
            sx,
            honorific=rng.choice(["Mrs", "Ms", "Dr", "Miss"]) if sx == "f" else rng.choice(["Mr", "Dr"]),
            job=rng.choice(titles),
            agency=ag,
        )
        wk.mobile = nums.mobile() if rng.random() < 0.6 else ag.switchboard
        wk.mail = f"{fold(wk.given)}.{fold(wk.family)}@{dom}".replace(" ", "")
        if kind == "police":
            wk.honorific = {"Detective Constable": "DC", "Police Sergeant": "PS"}.get(wk.job, "PC")
        ag.workers.append(wk)
    return ag


def _consents(rng: random.Random, relatives: list[Person], agencies: list[Agency]) -> None:
    """Consents and ids: at least one withheld relative and one withheld agency."""
    everyone: list[Person | Agency] = [*relatives, *agencies]
    rng.shuffle(everyone)
    for i, x in enumerate(everyone, start=1):
        x.pid, x.consent = f"tp-{i}", rng.choice(CONSENT_CHOICES)
    if not any(r.withheld for r in relatives):
        rng.choice(relatives).consent = "refused"
    if not any(a.withheld for a in agencies):
        rng.choice(agencies).consent = "refused"
    for a in agencies:
        for wk in a.workers:
            wk.pid = a.pid


def _peers(rng: random.Random, home: _Home, relatives: list[Person],
           taken: set[str]) -> tuple[list[Person], Person | None]:
    """Other children: classmates, sometimes a sibling (the child's surname), sometimes a
    classmate with the child's given name; and the sibling, if any."""
    child = home.child
    peers: list[Person] = []
    for _ in range(rng.randint(3, 5)):
        h = rng.choice(HERITAGES)
        sx = rng.choice("fm")
        peers.append(Person("peer", _given(rng, h, sx, False, taken), _family(rng, h, sx), sx))
    sibling = None
    if rng.random() < 0.4:
        sx = rng.choice("fm")
        sibling = Person("peer", _given(rng, home.heritage, sx, False, taken), child.family, sx)
        peers.append(sibling)
    if rng.random() < 0.3:
        peers[0].given = child.given
        peers[0].sex = child.sex
        # a namesake is told apart by the surname, and schools write it as an initial
        # ("Tyrese E."): one with the child's surname initial could be the child to any reader
        for _ in range(20):
            if peers[0].family[:1].lower() != child.family[:1].lower():
                break
            peers[0].family = _family(rng, rng.choice(HERITAGES), peers[0].sex)
    if rng.random() < 0.25 and len(peers) > 2:
        peers[1].family = child.family.split("-")[0]
    if sibling is not None:  # more than one child at home: "the children's father"
        for r in relatives:
            if r.relation in ("father", "mother"):
                r.pointers = (*r.pointers, f"the children's {r.relation}")
    return peers, sibling


class _Numbers:
    def __init__(self, rng: random.Random, landline: str) -> None:
        self.rng, self.landline, self.seen = rng, landline, set[str]()

    def _fresh(self, make: str, digits: int) -> str:
        while True:
            n = make + f"{self.rng.randint(0, 10**digits - 1):0{digits}d}"
            if n not in self.seen:
                self.seen.add(n)
                return n

    def mobile(self) -> str:
        n = self._fresh("07700 900", 3)
        return self.rng.choice([n, n.replace(" ", ""), n[:5] + " " + n[6:9] + " " + n[9:]])

    def office(self) -> str:
        # the authority's drama range: "0113 496 0xxx", "01484 960xxx"
        pre = self.landline
        if pre.endswith(" 496") or pre.endswith(" 7696"):
            return self._fresh(pre + " 0", 3)
        return self._fresh(pre + "0", 3)


def _given(rng: random.Random, h: Heritage, sex: str, adult: bool, taken: set[str]) -> str:
    pool = (h.men if sex == "m" else h.women) if adult else (h.boys if sex == "m" else h.girls)
    options = [p for p in pool if p not in taken] or list(pool)
    g = rng.choice(options)
    taken.add(g)
    return g


def _family(rng: random.Random, h: Heritage, sex: str) -> str:
    f = rng.choice(h.surnames)
    if sex == "f":
        f = dict(h.feminine).get(f, f)
    return f


def _place(rng: random.Random, town: str, areas: tuple[str, ...]) -> Place:
    street = f"{rng.randint(2, 212)} {rng.choice(STREETS_B)}"
    if rng.random() < 0.3:
        street = f"Flat {rng.randint(1, 12)}, {street}"
    pc = f"{rng.choice(areas)} {rng.randint(1, 9)}{rng.choice('ABDEHJLNPRSTUWXY')}{rng.choice('ABDFGHJNPQRTUXZ')}"
    return Place((street, town, pc))


def _mail(rng: random.Random, given: str, family: str) -> str:
    g, f = fold(given).replace(" ", ""), fold(family).replace(" ", "")
    local = rng.choice([f"{g}.{f}", f"{g}{rng.randint(70, 99)}", f"{g[0]}{f}{rng.randint(1, 9)}", f"{f}.{g}"])
    return f"{local}@{rng.choice(['mailbox.example', 'inbox.example', 'postmail.example'])}"
