"""What the dev family's builders share: what a document is (DocMeta, Built), the case's bindings (Ctx), the writer."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from redaction.synth.cast import Actor, Cast, Org
from redaction.synth.layout import KEEP, PageWriter, Run, Style
from redaction.synth.names import ascii_fold

_SLOT = re.compile(r"\{(\w+)\.(\w+)\}")


@dataclass(frozen=True)
class DocMeta:
    kind: str
    slug: str
    record_type: str | None = None  # developmental | personal
    author: str | None = None  # third-party id of the writer, if a third party wrote it
    authored: bool | None = None  # its pages are the author's own (None: agency letters and e-mails)


@dataclass
class Built:
    meta: DocMeta
    writer: PageWriter


class Ctx:
    """What a document builder needs: the cast, the RNG and the case's bindings."""

    def __init__(self, cast: Cast, rng: random.Random, long: bool = False) -> None:
        self.cast = cast
        self.rng = rng
        self.long = long  # fuller documents (more entries, more paragraphs)
        c = cast
        people = sorted(c.persons, key=lambda a: (not a.withheld, a.key))
        self.p = people[0]  # a withheld person (always at least one refused)
        self.q = people[1] if len(people) > 1 else people[0]
        self.x = people[-1]
        orgs = sorted(c.orgs, key=lambda o: (not o.withheld, o.party_id))
        self.o = orgs[0]
        self.o2 = orgs[-1]
        self.b: dict[str, Actor | Org] = {
            "c": c.child,
            "r": c.requester,
            "h": c.head,
            "s": c.dsl,
            "t": c.teacher,
            "p": self.p,
            "q": self.q,
            "x": self.x,
            "o": self.o,
            "w": self.o.staff[0],
            "o2": self.o2,
            "w2": self.o2.staff[-1],
            "k1": c.others[0],
            "k2": c.others[1],
            "k3": c.others[-1],
        }

    def fmt(self, template: str, **extra: Actor | Org) -> list[Run]:
        b = {**self.b, **extra}
        runs: list[Run] = []
        pos = 0
        for m in _SLOT.finditer(template):
            if m.start() > pos:
                runs.append((template[pos : m.start()], KEEP))
            runs.extend(b[m.group(1)].form(m.group(2), self.rng))
            pos = m.end()
        if pos < len(template):
            runs.append((template[pos:], KEEP))
        return runs

    def pick(self, options: list[str], k: int) -> list[str]:
        return self.rng.sample(options, min(k, len(options)))

    def date(self, lo: int = 20, hi: int = 300) -> dt.date:
        return self.cast.received - dt.timedelta(days=self.rng.randint(lo, hi))

    def datestr(self, d: dt.date) -> str:
        f = self.rng.choice(["%d/%m/%Y", "%d %B %Y", "%a %d %b %Y"])
        return d.strftime(f)


def _staff_email(a: Actor, cast: Cast) -> str:
    return f"{ascii_fold(a.first[0] + '.' + a.last)}@{cast.school.email.split('@')[1]}"


def _addressed(ctx: Ctx, a: Actor) -> list[Run]:
    """ "Sarah Okafor <sarah.okafor@...>" """
    email = a.email or _staff_email(a, ctx.cast)
    return ctx.fmt("{a.full}", a=a) + [(" <", KEEP), (email, a.contact_tag()), (">", KEEP)]


def _writer(ctx: Ctx, font: str | None = None, size: float | None = None, footer: bool = True) -> PageWriter:
    rng = ctx.rng
    style = Style(font=font or rng.choice(["helv", "helv", "tiro"]), size=size or rng.choice([9.5, 10, 10.5]))
    foot: list[Run] | None = [(f"{ctx.cast.school.name} - CONFIDENTIAL", KEEP)] if footer else None
    return PageWriter(style, rng, foot)
