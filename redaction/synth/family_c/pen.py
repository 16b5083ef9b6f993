"""How family C's documents write: runs of text, people's mentions, dates (Pen), and the paper they are on."""

from __future__ import annotations

import datetime as dt
import random

from redaction.synth.family_c.paper import Leaf, leaf
from redaction.synth.family_c.people import Agency, CaseCast, Person
from redaction.synth.layout import KEEP, Run

Part = str | list[Run]


class Pen:
    """Composes runs for one case: text, people's mentions, dates."""

    def __init__(self, cast: CaseCast, rng: random.Random, long: bool = False) -> None:
        self.c, self.rng, self.long = cast, rng, long
        self.named: set[int] = set()  # people already named in full in this document

    def __call__(self, *parts: Part) -> list[Run]:
        out: list[Run] = []
        for part in parts:
            if isinstance(part, str):
                if part.startswith(".") and out and out[-1][0].endswith("."):  # "Pratik S." ends the sentence
                    part = part[1:]
                out.append((part, KEEP))
            else:
                out.extend(part)
        return out

    def pick(self, xs: list[str], weights: list[int] | None = None) -> str:
        return self.rng.choices(xs, weights)[0]

    # --- people -----------------------------------------------------------------------
    def who(self, p: Person, first: list[str], later: list[str]) -> list[Run]:
        """A mention: one of ``first`` the first time in a document, then one of ``later``."""
        forms = later if id(p) in self.named else first
        self.named.add(id(p))
        return p.name(self.rng.choice(p.usable(forms)))

    def child(self, formal: bool = False) -> list[Run]:
        c = self.c.child
        if formal:
            return c.name(self.rng.choice(["full", "FULL", "surname_first"]))
        return c.name("nickname" if c.nickname and self.rng.random() < 0.3 else "first")

    def peer(self, k: Person) -> list[Run]:
        return self.who(k, ["full", "full", "first_init"],
                        ["first", "first", "first_init", "initials", "initials", "initials_dots", "surname",
                         "poss_first", "FULL", "full", "nickname"])

    def adult(self, p: Person) -> list[Run]:
        """A relative, as a record names them: by name, by title, by what they are to the child."""
        if p.kin and self.rng.random() < 0.3:
            return p.kin_word()
        if self.rng.random() < 0.3 and id(p) in self.named:
            return p.pointer(self.rng)
        return self.who(p, ["full", "title_full", "surname_first", "FULL"],
                        ["first", "title", "surname", "SURNAME", "init_surname", "initials", "nickname", "full"])

    def worker(self, w: Person) -> list[Run]:
        return self.who(w, ["title_full", "full", "init_surname"],
                        ["title", "first", "init_surname_nodot", "full", "poss_title"])

    def staff(self, s: Person) -> list[Run]:
        return s.name(self.rng.choice(["title", "title_full", "full", "first"]))

    def date(self, days_before: int) -> str:
        d = self.c.received - dt.timedelta(days=days_before)
        return self.pick([d.strftime("%d/%m/%Y"), d.strftime("%-d %B %Y"), d.strftime("%a %-d %b")])

    # --- who is in this case -------------------------------------------------------
    def relatives(self, withheld_first: bool = True) -> list[Person]:
        rs = list(self.c.relatives)
        return sorted(rs, key=lambda r: not r.withheld) if withheld_first else rs

    def peers(self, n: int) -> list[Person]:
        return self.rng.sample(self.c.peers, min(n, len(self.c.peers)))

    def agency(self, *kinds: str) -> Agency:
        for k in kinds:
            a = self.c.agency(k)
            if a is not None:
                return a
        return self.c.agencies[0]


def _footer(pen: Pen, text: str) -> list[Run]:
    return [(text, KEEP)]


def _paper(pen: Pen, marking: str = "OFFICIAL-SENSITIVE") -> Leaf:
    return leaf(pen.rng, _footer(pen, f"{marking}   {pen.c.school.name}"))
