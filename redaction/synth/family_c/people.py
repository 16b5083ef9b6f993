"""Who is in a family-C file, and every way the file writes them, each with its truth.

:class:`Person` answers :meth:`Person.say` with runs ``(text, Tag)`` in one of the name
forms of :data:`NAME_FORMS` ("PRITCHARD, Bethan", "Mrs Pritchard's", "Bethan P.", "B.P."),
a pointer ("her stepdad", "mum's partner"), a kin word ("Mamgu") or a contact detail.
:class:`Agency` does the same for an organisation; :mod:`.casting` draws one case.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from redaction.case import Consent
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
        return self.consent in (Consent.REFUSED, Consent.PENDING)

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
        return self.consent in (Consent.REFUSED, Consent.PENDING)

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
