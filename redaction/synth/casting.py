"""Drawing the cast of one synthetic case (:mod:`redaction.synth.cast`) from a seeded RNG."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from redaction.synth.cast import CONSENTS, Actor, Address, Cast, Org, School
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


def build_cast(rng: random.Random, *, received: dt.date) -> Cast:
    """One case's people and agencies: the school, the family, the staff, the third parties
    (persons and organisations, each with a consent), the other children. The draws are
    made in this order."""
    used_first: set[str] = set()
    borough = rng.choice(sorted(BOROUGHS))
    numbers = _Numbers(rng)
    school = _school(rng, borough, numbers)
    family = _family(rng, borough, numbers, used_first, received)
    staff = _staff(rng, used_first)
    persons = _third_persons(rng, family, borough, numbers, used_first)
    _share_a_first_name(rng, persons, [family.child, *staff])
    orgs = [_org(rng, borough, numbers, used_first, k, kind)
            for k, kind in enumerate(rng.sample(ORG_KINDS, rng.randint(1, 2)))]
    _consents(rng, persons, orgs)
    others: list[Actor] = []
    for i in range(rng.randint(2, 4)):
        g = rng.choice("mf")
        f, s = _person_name(rng, _community(rng), g, used_first)
        others.append(Actor(f"oc{i}", "other_child", f, s, g))
    return Cast(school, family.child, family.requester, staff, persons, orgs, others, received)


def _school(rng: random.Random, borough: str, numbers: _Numbers) -> School:
    school_name = rng.choice(SCHOOL_NAMES)
    return School(
        school_name,
        borough,
        _address(rng, borough),
        numbers.london(),
        f"office@{ascii_fold(school_name.split()[0])}.example.sch.uk",
    )


@dataclass(frozen=True)
class _Family:
    """The child, the requester (a parent) and what the third parties are drawn from."""

    community: Community
    child: Actor
    requester: Actor
    other_parent: tuple[str, str, str]  # first name, surname, gender

    @property
    def parent_word(self) -> str:
        return "mum" if self.requester.gender == "f" else "dad"


def _family(rng: random.Random, borough: str, numbers: _Numbers, used_first: set[str],
            received: dt.date) -> _Family:
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
    return _Family(fam, child, requester, (opfirst, oplast, other_parent_gender))


def _staff(rng: random.Random, used_first: set[str]) -> list[Actor]:
    n_staff = rng.randint(2, 4)
    roles = ["Headteacher", *rng.sample(STAFF_ROLES, n_staff - 1)]
    staff: list[Actor] = []
    for i, role in enumerate(roles):
        g = "f" if rng.random() < 0.75 else "m"
        f, s = _person_name(rng, _community(rng), g, used_first)
        staff.append(Actor(f"staff{i}", "staff", f, s, g, title=_title(rng, g), role=role))
    return staff


_THIRD_PERSON_KINDS = ("partner", "other_parent", "grandmother", "grandfather", "uncle", "aunt", "friend")


def _third_persons(rng: random.Random, family: _Family, borough: str, numbers: _Numbers,
                   used_first: set[str]) -> list[Actor]:
    """The partner and one to three other relatives or friends."""
    n_persons = rng.randint(2, 4)
    kinds = ["partner", *rng.sample([o for o in _THIRD_PERSON_KINDS if o != "partner"], n_persons - 1)]
    persons: list[Actor] = []
    for kind in kinds:
        persons.append(_third_person(rng, kind, len(persons), family, borough, numbers, used_first))
    return persons


def _relation(rng: random.Random, kind: str, com: Community, family: _Family,
              used_first: set[str]) -> tuple[str, str, str, str, tuple[str, ...]]:
    """(gender, first name, surname, relationship, how the file points at them) of a third person."""
    parent_word = family.parent_word
    req_gender = family.requester.gender
    if kind == "partner":
        g = family.other_parent[2] if rng.random() < 0.9 else req_gender
        rel = f"{'mother' if req_gender == 'f' else 'father'}'s partner"
        refs: tuple[str, ...] = (
            f"{parent_word}'s partner",
            f"{parent_word}'s boyfriend" if g == "m" else f"{parent_word}'s girlfriend",
        )
        f, s = _person_name(rng, com, g, used_first)
    elif kind == "other_parent":
        f, s, g = family.other_parent
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
    return g, f, s, rel, refs


def _third_person(rng: random.Random, kind: str, index: int, family: _Family, borough: str, numbers: _Numbers,
                  used_first: set[str]) -> Actor:
    fam = family.community
    com = fam if kind not in ("partner", "friend") or rng.random() < 0.4 else _community(rng)
    g, f, s, rel, refs = _relation(rng, kind, com, family, used_first)
    kid_word, kid_first = {
        "partner": ("", True),
        "other_parent": ("Daddy" if g == "m" else "Mummy", False),
        "grandmother": ((com.grand_f or ("Nan",))[0], False),
        "grandfather": ((com.grand_m or ("Grandad",))[0], False),
        "uncle": ("Uncle", True),
        "aunt": ("Auntie", True),
    }.get(kind, ("Uncle" if g == "m" else "Auntie", True))
    person = Actor(
        f"p{index}",
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
    if kind == "partner" and rng.random() < 0.6:
        short = f[:3] if len(f) > 4 else f
        person.alias = rng.choice(ADULT_ALIASES).format(s=short)
    return person


def _share_a_first_name(rng: random.Random, persons: list[Actor], namesakes: list[Actor]) -> None:
    """Sometimes a third party shares a first name with the child or a staff member."""
    if rng.random() < 0.4:
        p = rng.choice(persons)
        same = [a for a in namesakes if a.gender == p.gender and a.first != p.first]
        if same and p.relationship not in ("father", "mother"):
            p.first = rng.choice(same).first


def _org(rng: random.Random, borough: str, numbers: _Numbers, used_first: set[str], index: int,
         kind: tuple[str, str, str, tuple[str, ...]]) -> Org:
    pat, acro, service, sroles = kind
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
                f"o{index}s{j}",
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
    return org


def _consents(rng: random.Random, persons: list[Actor], orgs: list[Org]) -> None:
    """Party ids and consents: at least one refused person and one refused organisation."""
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
