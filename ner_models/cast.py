"""A :mod:`redaction.synth` cast whose name mentions carry NER labels, and the name hold-out.

:func:`tagged_cast` builds the synth cast for a seed and swaps its people and agencies
for subclasses whose mentions are tagged ``Tag(..., role="ner:PERSON:<n>")`` (one ``n``
per mention, so two mentions side by side stay two spans), ``ner:ORG:<n>`` for an
agency's name or acronym, and ``ner:IGNORE:<n>`` for initials ("DP": annotation left
missing). Everything else the synth documents write is unchanged.

Name hold-out: about a fifth of every community's given names and surnames
(:func:`held_out`, a fixed hash of the name) never appear in training text. ``names="seen"``
renames any held-out name in the cast to a kept one of the same community (and gender);
``names="unseen"`` renames *every* name to a held-out one, so a dev set made that way
measures names the model has never seen.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import zlib
from typing import Literal

from ner_models.pseudo import pseudo_name
from redaction.synth.cast import Actor, Cast, Org
from redaction.synth.casting import build_cast
from redaction.synth.layout import Tag
from redaction.synth.names import COMMUNITIES, NICKNAMES, Community, surname_for

NameSet = Literal["seen", "unseen", "all"]
ROLE_PREFIX = "ner:"
_MENTION = itertools.count()


def mention_tag(label: str) -> Tag:
    """A word tag for one mention (``refused_ref`` ranks highest, so punctuation
    written in the same word never takes the word over)."""
    return Tag("refused_ref", None, f"{ROLE_PREFIX}{label}:{next(_MENTION)}")


class TaggedActor(Actor):
    def name_tag(self) -> Tag:
        return mention_tag("PERSON")

    def form(self, name: str, rng: random.Random) -> list[tuple[str, Tag]]:
        runs = super().form(name, rng)
        if name == "initials":
            return [(t, mention_tag("IGNORE")) for t, _ in runs]
        return runs


class TaggedOrg(Org):
    def tag(self) -> Tag:
        return Tag("keep", self.party_id)

    def form(self, name: str, rng: random.Random) -> list[tuple[str, Tag]]:
        runs = super().form(name, rng)
        if name in ("name", "short", "NAME", "any"):
            return [(t, mention_tag("ORG")) for t, _ in runs]
        return runs


def held_out(name: str) -> bool:
    """True for the names kept out of training (a fixed fifth, by CRC32)."""
    return zlib.crc32(name.encode("utf-8")) % 5 == 0


def _pools(com: Community, gender: str, unseen: bool) -> tuple[list[str], list[str]]:
    firsts = [n for n in (com.male if gender == "m" else com.female) if held_out(n) == unseen]
    # a double-barrelled surname of the pool goes with its parts ("Okafor-Smith")
    lasts = [n for n in com.surnames if all(held_out(p) == unseen for p in n.split("-"))]
    return firsts, lasts


def _community_of(first: str, last: str) -> Community:
    base = last.split("-")[0]
    for com in COMMUNITIES:
        if first in com.male or first in com.female:
            return com
    for com in COMMUNITIES:
        if base in com.surnames or base in com.female_surnames.values():
            return com
    return COMMUNITIES[0]


def _base_surname(com: Community, last: str) -> str:
    back = {v: k for k, v in com.female_surnames.items()}
    return back.get(last, last)


class _Renamer:
    """Consistent renaming within one cast: the same name always becomes the same name."""

    def __init__(self, rng: random.Random, names: NameSet, pseudo: float = 0.0) -> None:
        self.rng = rng
        self.names = names
        self.pseudo = pseudo if names == "seen" else 0.0
        self.first: dict[tuple[str, str], str] = {}
        self.last: dict[str, str] = {}

    def _wanted(self, name: str) -> bool:
        """Does this name have to change?"""
        if self.names == "all":
            return False
        return held_out(name) if self.names == "seen" else not held_out(name)

    def rename(self, a: Actor) -> None:
        com = _community_of(a.first, a.last)
        unseen = self.names == "unseen"
        firsts, lasts = _pools(com, a.gender, unseen)
        if not firsts or not lasts:  # a community too small to split: borrow from all
            firsts = [n for c in COMMUNITIES for n in (c.male if a.gender == "m" else c.female)
                      if held_out(n) == unseen]
            lasts = [n for c in COMMUNITIES for n in c.surnames if all(held_out(p) == unseen for p in n.split("-"))]
        old_first = a.first
        key = (a.first, a.gender)
        if key not in self.first:
            if self.pseudo and self.rng.random() < self.pseudo:
                self.first[key] = pseudo_name(self.rng, "first")
            elif self._wanted(a.first):
                self.first[key] = self.rng.choice(sorted(firsts))
            else:
                self.first[key] = a.first
        a.first = self.first[key]
        parts = []
        for part in a.last.split("-"):
            base = _base_surname(com, part)
            if base not in self.last:
                if self.pseudo and self.rng.random() < self.pseudo:
                    self.last[base] = pseudo_name(self.rng, "last")
                elif self._wanted(base):
                    self.last[base] = self.rng.choice(sorted(lasts))
                else:
                    self.last[base] = base
            new = self.last[base]
            parts.append(part if new == base else surname_for(com, new, a.gender))
        a.last = "-".join(parts)
        if a.category == "child" and a.alias is not None and a.first != old_first:
            a.alias = NICKNAMES.get(a.first)
        elif a.alias and a.first != old_first and _short(old_first) in a.alias:
            a.alias = a.alias.replace(_short(old_first), _short(a.first))  # "Big Dan" -> "Big Kwa"


def _short(first: str) -> str:
    """The short first name synth puts in an adult's alias ("Big {s}")."""
    return first[:3] if len(first) > 4 else first


def _convert(a: Actor, orgs: dict[int, TaggedOrg]) -> TaggedActor:
    t = TaggedActor.__new__(TaggedActor)
    t.__dict__.update(a.__dict__)
    if a.org is not None:
        t.org = orgs[id(a.org)]
    return t


def tagged_cast(seed: int, names: NameSet = "seen", pseudo: float = 0.0) -> Cast:
    """The synth cast of ``seed`` with tagged mentions and names renamed for ``names``;
    with ``names="seen"``, each distinct name is made up (:mod:`ner_models.pseudo`)
    with probability ``pseudo``."""
    rng = random.Random(seed)
    received = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
    cast = build_cast(rng, received=received)
    orgs: dict[int, TaggedOrg] = {}
    for o in cast.orgs:
        t = TaggedOrg.__new__(TaggedOrg)
        t.__dict__.update(o.__dict__)
        orgs[id(o)] = t
    for t in orgs.values():
        t.staff = [_convert(s, orgs) for s in t.staff]
    cast.child = _convert(cast.child, orgs)
    cast.requester = _convert(cast.requester, orgs)
    cast.staff = [_convert(s, orgs) for s in cast.staff]
    cast.persons = [_convert(p, orgs) for p in cast.persons]
    cast.others = [_convert(p, orgs) for p in cast.others]
    cast.orgs = list(orgs.values())
    renamer = _Renamer(random.Random(seed * 7919 + 1), names, pseudo)
    for a in all_actors(cast):
        renamer.rename(a)
    return cast


def all_actors(cast: Cast) -> list[Actor]:
    return [cast.child, cast.requester, *cast.staff, *cast.persons, *(s for o in cast.orgs for s in o.staff),
            *cast.others]


def name_words(cast: Cast) -> set[str]:
    """Every given name, surname part and alias word of the cast's people."""
    out: set[str] = set()
    for a in all_actors(cast):
        out.add(a.first)
        out.update(a.last.split("-"))
        out.add(a.last)
        if a.alias:
            out.update(a.alias.split())
    return out
