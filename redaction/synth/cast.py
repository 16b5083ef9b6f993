"""The people and agencies of one synthetic case, drawn from a seeded RNG.

Each :class:`Actor` knows how to be written (full name, "Mr Price", "D. Price", "DP",
"Daniel's", capitals, alias, relationship reference, contact details) and which truth
:class:`~redaction.synth.layout.Tag` every such mention carries.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from redaction.case import Consent
from redaction.synth.layout import KEEP, Run, Tag

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
        return self.consent in (Consent.REFUSED, Consent.PENDING)

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
        if name == "any":
            choices = (
                ["full", "first", "title", "init"]
                if self.category != "other_child"
                else ["first", "first", "full", "init"]
            )
            name = rng.choice(choices)
        if name == "nick":
            return [((self.alias or self.first) if rng.random() < 0.6 else self.first, t)]
        table = self._name_forms()
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
        return [self._detail_form(name, rng)]

    def _name_forms(self) -> dict[str, str]:
        """The written forms of the actor's name, by form."""
        title = self.title or ("Mr" if self.gender == "m" else "Ms")
        return {
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

    def _detail_form(self, name: str, rng: random.Random) -> Run:
        """A contact detail, the role, a pronoun or the date of birth."""
        ct = self.contact_tag()
        if name == "phone":
            return (phone_variant(self.phone or "", rng), ct)
        if name == "phonex":  # exactly as in the manifest
            return (self.phone or "", ct)
        if name == "email":
            return (self.email or "", ct)
        if name == "addr":
            return (self.address.one_line if self.address else "", ct)
        if name == "street":
            return (self.address.street if self.address else "", ct)
        if name == "postcode":
            return (self.address.postcode if self.address else "", ct)
        if name == "role":
            return (self.role, KEEP)
        if name in _PRONOUNS:
            word = _PRONOUNS[name][0 if self.gender == "m" else 1]
            return (word, KEEP)
        if name == "dob":
            return (self.dob.strftime("%d/%m/%Y") if self.dob else "", KEEP)
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
        return self.consent in (Consent.REFUSED, Consent.PENDING)

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
