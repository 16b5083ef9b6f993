"""Who is in a family-B file, and every way the file writes them, each with its truth.

:class:`Person` answers ``say(form)`` with runs ``(text, Tag)``: the forms a
safeguarding record, a police notification or a therapist's report really use
("KOWALCZYK, Agnieszka", "Mrs A Kowalczyk", "Amelia S.", "A.S.", "Sutcliffe" alone,
"her partner", "Nan") — see :data:`FORMS`. :class:`Agency` does the same for an
organisation. :func:`draw_people` casts one case.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from redaction.case import Consent
from redaction.synth.layout import KEEP, Run, Tag

# who: child, requester, staff, relative (a third-party person), worker (an agency's), peer (another child)
CONSENT_CHOICES = ("refused", "refused", "granted", "pending")

FORMS = (
    "name",
    "first",
    "surname",
    "SURNAME",
    "Surname, First",
    "SURNAME, First",
    "SURNAME First",
    "First SURNAME",
    "title",
    "title_init",
    "init_dot",
    "init_nodot",
    "first_init",
    "first_init_nodot",
    "initials",
    "initials_dots",
    "poss_first",
    "poss_title",
    "poss_name",
    "nickname",
    "as_child_says",
)


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(ch for ch in s.lower() if ch.isalnum() or ch in ".-")


@dataclass(frozen=True)
class Place:
    lines: tuple[str, ...]  # ("Flat 2, 41 Beck Lane", "Huddersfield", "HD1 4QT")

    @property
    def joined(self) -> str:
        return ", ".join(self.lines[:-1]) + " " + self.lines[-1]


@dataclass
class Person:
    who: str
    given: str
    family: str
    sex: str  # "f" | "m"
    honorific: str = ""
    known_as: str | None = None
    pid: str | None = None
    consent: str = ""
    job: str = ""
    relation: str = ""  # the manifest's relationship
    # ways the file points at them without a name; the first word of each phrase that
    # is a pronoun or possessive stays part of the reference ("her partner")
    pointers: tuple[str, ...] = ()
    child_word: str = ""  # "Nan", "Uncle", "Aunty" before (or instead of) the given name
    mobile: str | None = None
    mail: str | None = None
    home: Place | None = None
    agency: Agency | None = None
    born: dt.date | None = None

    @property
    def withheld(self) -> bool:
        if self.who == "worker":
            return bool(self.agency and self.agency.withheld)
        return self.consent in (Consent.REFUSED, Consent.PENDING)

    # --- truth -------------------------------------------------------------------
    def tag(self) -> Tag:
        roles = {"child": "child_name", "requester": "requester_name", "staff": "staff_name"}
        if self.who in roles:
            return Tag("keep", None, roles[self.who])
        if self.who == "peer":
            return Tag("other_child")
        if self.who == "worker":
            assert self.agency is not None
            return self.agency.tag()
        return Tag("refused_ref" if self.withheld else "keep", self.pid)

    def detail_tag(self) -> Tag:
        if self.who in ("relative", "worker", "peer"):
            return Tag(self.tag().cls, self.tag().party_id)
        return KEEP

    def pointer_tag(self) -> Tag:
        if self.who == "relative":
            return Tag("relationship_ref" if self.withheld else "keep", self.pid)
        return KEEP

    # --- forms -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def title(self) -> str:
        return self.honorific or ("Mr" if self.sex == "m" else "Ms")

    def _initial_of_family(self) -> str:
        f = self.family
        for pre in ("O'", "Mc", "Mac", "Ní ", "Ó "):
            if f.startswith(pre) and len(f) > len(pre):
                return f[len(pre)] if pre in ("Ní ", "Ó ") else f[0]
        return f[0]

    def text(self, form: str) -> str:
        g, f = self.given, self.family
        table = {
            "name": f"{g} {f}",
            "first": g,
            "surname": f,
            "SURNAME": f.upper(),
            "Surname, First": f"{f}, {g}",
            "SURNAME, First": f"{f.upper()}, {g}",
            "SURNAME First": f"{f.upper()} {g}",
            "First SURNAME": f"{g} {f.upper()}",
            "title": f"{self.title} {f}",
            "title_init": f"{self.title} {g[0]} {f}",
            "init_dot": f"{g[0]}. {f}",
            "init_nodot": f"{g[0]} {f}",
            "first_init": f"{g} {self._initial_of_family()}.",
            "first_init_nodot": f"{g} {self._initial_of_family()}",
            "initials": f"{g[0]}{self._initial_of_family()}",
            "initials_dots": f"{g[0]}.{self._initial_of_family()}.",
            "poss_first": f"{g}'s",
            "poss_title": f"{self.title} {f}'s",
            "poss_name": f"{g} {f}'s",
            "nickname": self.known_as or g,
        }
        if form not in table:
            raise KeyError(f"family B: no name form {form!r}")
        return table[form]

    def say(self, form: str, rng: random.Random) -> list[Run]:
        """One mention: a name form (:data:`FORMS`), ``pointer`` / ``Pointer`` (how the
        file points at them: "her partner"; a leading "the" is not part of it),
        ``relation`` (the manifest's words, for a form's cell), ``as_child_says`` ("Nan",
        "Uncle Fergal"), ``mobile``, ``mail``, ``home``, ``street``, ``postcode``, ``job``,
        ``born``; pronouns ``he`` / ``his`` / ``him`` (and capitalised) answer by sex."""
        t = self.tag()
        if form in ("pointer", "Pointer"):
            ref = rng.choice(self.pointers) if self.pointers else self.relation
            if form == "Pointer":
                ref = ref[:1].upper() + ref[1:]
            if ref.lower().startswith("the "):
                return [(ref[:4], KEEP), (ref[4:], self.pointer_tag())]
            return [(ref, self.pointer_tag())]
        if form == "relation":
            return [(self.relation[:1].upper() + self.relation[1:], self.pointer_tag())]
        if form == "as_child_says":
            if self.child_word and self.child_word in ("Uncle", "Aunty", "Auntie"):
                return [(self.child_word, self.pointer_tag()), (" ", KEEP), (self.known_as or self.given, t)]
            if self.child_word:
                return [(self.child_word, self.pointer_tag())]
            return [(self.known_as or self.given, t)]
        return [self._say_detail(form, t)]

    def _say_detail(self, form: str, t: Tag) -> Run:
        """A contact detail, the job, the date of birth, a pronoun, or else a name form (tagged ``t``)."""
        dt_ = self.detail_tag()
        if form == "mobile":
            return (self.mobile or "", dt_)
        if form == "mail":
            return (self.mail or "", dt_)
        if form == "home":
            return (self.home.joined if self.home else "", dt_)
        if form == "street":
            return (self.home.lines[0] if self.home else "", dt_)
        if form == "postcode":
            return (self.home.lines[-1] if self.home else "", dt_)
        if form == "job":
            return (self.job, KEEP)
        if form == "born":
            return (self.born.strftime("%d.%m.%Y") if self.born else "", KEEP)
        if form in _PRONOUN:
            return (_PRONOUN[form][0 if self.sex == "m" else 1], KEEP)
        return (self.text(form), t)


_PRONOUN = {
    "he": ("he", "she"),
    "his": ("his", "her"),
    "him": ("him", "her"),
    "He": ("He", "She"),
    "His": ("His", "Her"),
    "son": ("son", "daughter"),
    "boy": ("boy", "girl"),
}


@dataclass
class Agency:
    kind: str
    pid: str
    title: str
    short: str
    service: str
    consent: str
    office: Place
    switchboard: str
    inbox: str
    workers: list[Person] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return self.consent in (Consent.REFUSED, Consent.PENDING)

    def tag(self) -> Tag:
        return Tag("refused_ref" if self.withheld else "keep", self.pid)

    def say(self, form: str, rng: random.Random | None = None) -> list[Run]:
        t = self.tag()
        table = {
            "title": self.title,
            "short": self.short or self.title,
            "TITLE": self.title.upper(),
            "switchboard": self.switchboard,
            "inbox": self.inbox,
            "office": self.office.joined,
            "street": self.office.lines[0],
            "postcode": self.office.lines[-1],
        }
        if form not in table:
            raise KeyError(f"family B: no agency form {form!r}")
        return [(table[form], t)]


@dataclass
class School:
    name: str
    authority: str
    town: str
    office: Place
    phone: str
    domain: str


@dataclass
class People:
    school: School
    child: Person
    requester: Person
    staff: list[Person]
    relatives: list[Person]
    agencies: list[Agency]
    peers: list[Person]
    received: dt.date
    sibling: Person | None = None  # one of the peers: the child's brother or sister

    def staff_doing(self, *jobs: str) -> Person:
        for j in jobs:
            for s in self.staff:
                if s.job == j:
                    return s
        return self.staff[0]

    def agency_of(self, kind: str) -> Agency | None:
        return next((a for a in self.agencies if a.kind == kind), None)

    def withheld_relatives(self) -> list[Person]:
        return [r for r in self.relatives if r.withheld]
