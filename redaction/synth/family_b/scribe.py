"""How family B's documents write: runs of text, people's mentions, dates and phone numbers (Scribe)."""

from __future__ import annotations

import datetime as dt
import random

from redaction.synth.family_b.people import Agency, People, Person
from redaction.synth.layout import KEEP, Run

Part = str | list[Run]


def phone_written(n: str, rng: random.Random) -> str:
    """The same number as people write it down."""
    d = "".join(ch for ch in n if ch.isdigit())
    if d.startswith("07"):
        return rng.choice(
            [f"{d[:5]} {d[5:]}", d, f"{d[:5]}-{d[5:]}", f"+44 (0){d[1:5]} {d[5:]}", f"{d[:5]} {d[5:8]} {d[8:]}"]
        )
    if len(d) == 11 and d[:3] in ("020", "024"):
        return rng.choice([f"{d[:3]} {d[3:7]} {d[7:]}", f"({d[:3]}) {d[3:]}", d])
    cut = 5 if d[:5] in ("01484", "01274", "01582") else 4
    return rng.choice([f"{d[:cut]} {d[cut:]}", f"({d[:cut]}) {d[cut:]}", f"{d[:cut]}-{d[cut:]}", d])


class Scribe:
    """Composes runs for one case: plain text, people's mentions, dates."""

    def __init__(self, people: People, rng: random.Random, long: bool = False) -> None:
        self.p, self.rng, self.long = people, rng, long
        self.seen: set[int] = set()  # peers already named in full in this document

    def __call__(self, *parts: Part) -> list[Run]:
        out: list[Run] = []
        for part in parts:
            if isinstance(part, str):
                out.append((part, KEEP))
            else:
                out.extend(part)
        return out

    def n(self, who: Person | Agency, form: str) -> list[Run]:
        if isinstance(who, Agency):
            return who.say(form)
        if form in ("mobile", "mail") and who.who in ("relative", "worker", "requester"):
            value = who.mobile if form == "mobile" else who.mail
            if form == "mobile" and value:
                return [(phone_written(value, self.rng), who.detail_tag())]
        return who.say(form, self.rng)

    # --- people as the documents refer to them -------------------------------------
    def kid(self, k: Person) -> list[Run]:
        """Another child: in full the first time in a document, then in short forms."""
        if id(k) not in self.seen:
            self.seen.add(id(k))
            return self.n(k, self.rng.choice(["name", "name", "first_init", "name"]))
        form = self.rng.choices(
            ["first", "first_init", "first_init_nodot", "initials", "initials_dots", "surname", "name"],
            [6, 3, 1, 2, 1, 2, 1],
        )[0]
        return self.n(k, form)

    def rel(self, r: Person) -> list[Run]:
        """A family member or friend, as safeguarding records write them."""
        form = self.rng.choices(
            [
                "name",
                "title",
                "title_init",
                "init_dot",
                "first",
                "surname",
                "SURNAME",
                "First SURNAME",
                "poss_first",
                "nickname",
                "pointer",
                "as_child_says",
            ],
            [4, 3, 1, 1, 3, 1, 1, 1, 1, 1 if r.known_as else 0, 4, 1 if r.child_word else 0],
        )[0]
        return self.n(r, form)

    def worker(self, w: Person) -> list[Run]:
        form = self.rng.choices(["name", "title", "first", "title_init", "init_dot", "initials"], [4, 3, 2, 1, 1, 1])[0]
        return self.n(w, form)

    def child(self) -> list[Run]:
        c = self.p.child
        return self.n(c, self.rng.choice(["first", "first", "nickname"] if c.known_as else ["first"]))

    def peer(self) -> Person:
        return self.rng.choice(self.p.peers)

    def relative(self, withheld_first: bool = True) -> Person:
        w = self.p.withheld_relatives()
        if withheld_first and w and self.rng.random() < 0.75:
            return self.rng.choice(w)
        return self.rng.choice(self.p.relatives)

    # --- dates ---------------------------------------------------------------------
    def day(self, lo: int = 10, hi: int = 240) -> dt.date:
        return self.p.received - dt.timedelta(days=self.rng.randint(lo, hi))

    def when(self, d: dt.date, style: int | None = None) -> str:
        styles = [
            f"{d.day}.{d.month}.{d.year % 100}",
            d.strftime("%d/%m/%Y"),
            d.strftime("%d-%b-%Y"),
            f"{d.day} {d.strftime('%B %Y')}",
            d.strftime("%a %d/%m"),
        ]
        return styles[self.rng.randrange(len(styles)) if style is None else style]


def _his(c: Person) -> str:
    return "his" if c.sex == "m" else "her"


def _him(c: Person) -> str:
    return "him" if c.sex == "m" else "her"


def _he(c: Person) -> str:
    return "he" if c.sex == "m" else "she"


def _parent_word(p: People) -> str:
    rel = p.requester.relation
    return "Mum" if rel == "mother" else ("Dad" if rel == "father" else "Nan")


def _header(s: Scribe) -> list[Run]:
    c = s.p.child
    return s(
        "CONFIDENTIAL  -  ",
        s.n(c, s.rng.choice(["name", "SURNAME, First", "Surname, First"])),
        f"  -  DOB {c.born.strftime('%d/%m/%Y') if c.born else ''}",
    )


def _school_footer(s: Scribe) -> list[Run]:
    return [(f"{s.p.school.name}, {s.p.school.town}", KEEP)]


def _initials(x: Person) -> list[Run]:
    return [(x.text("initials"), x.tag())]
